"""Reading inputs exactly and writing outputs safely.

Text is decoded as strict UTF-8 and never normalised: line endings (LF, CRLF, mixed) and
Unicode normal forms stay as found, so offsets and undo are exact. A UTF-8 BOM is removed from
the text (offsets count from the first character after it) and restored on output. Outputs
are written to a temporary file in the target folder and moved into place, so a crash never
leaves a half-written file where a good one was.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

BOM = "\ufeff"
MAX_BYTES = 64 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")
STDIN = "-"


@dataclass(frozen=True)
class Source:
    #: What the user named (``-`` for stdin); used in reports and logs.
    name: str
    text: str
    bom: bool
    sha256: str
    #: Where a directory walk found the file, relative to the directory given (for --output DIR).
    relative: str

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")

    @property
    def newline(self) -> str:
        crlf = self.text.count("\r\n")
        lf = self.text.count("\n") - crlf
        if crlf and lf:
            return "mixed"
        return "crlf" if crlf else "lf"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(name: str, data: bytes, relative: str | None = None) -> Source:
    if len(data) > MAX_BYTES:
        raise InputError(name, f"too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
    if b"\x00" in data:
        raise InputError(name, "binary file (contains NUL bytes); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            name, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}, line {line})"
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    return Source(name, text, bom, sha256(data), relative or Path(name).name)


def read_source(name: str, relative: str | None = None) -> Source:
    if name == STDIN:
        return decode("<stdin>", sys.stdin.buffer.read(), "stdin.txt")
    try:
        data = Path(name).read_bytes()
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except OSError as exc:
        raise InputError(name, exc.strerror or str(exc)) from None
    return decode(name, data, relative)


def discover(paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Expand directories into their text files (sorted, hidden entries and links skipped).

    Yields ``(path, relative)``; files named directly are yielded even if they do not exist,
    so reading them reports a clear error.
    """
    for name in paths:
        path = Path(name)
        if name != STDIN and path.is_dir():
            root = path.resolve()
            for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for filename in sorted(filenames):
                    full = Path(dirpath) / filename
                    if filename.startswith(".") or full.is_symlink():
                        continue
                    if full.suffix.lower() in TEXT_SUFFIXES and full.resolve().is_relative_to(root):
                        yield str(full), str(full.relative_to(path))
        else:
            yield name, None


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, fsync, then rename over ``path`` (keeping its mode)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:  # a new file gets the usual permissions, not mkstemp's private 0600
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
