"""Batch cleaning of an archive: walk a tree, fix every document, keep enough state to resume.

Design (docs/batch.md has the user's view):

- **One pure per-document function**, :func:`clean_document`, takes bytes and returns bytes plus
  the fix-log records. It never touches the file system, so the same function runs in-process,
  in a ``ProcessPoolExecutor`` or on a Dask cluster whose workers share no disk with us.
- **All writes happen in the coordinating process**: the mirror file (atomically), the
  per-file fix log, then one manifest line. A crash at any point leaves either a finished file
  with its manifest line, or a file that the next run simply redoes (fixing is deterministic).
- **The manifest is append-only JSON lines** (last line per path wins; a torn last line from a
  crash is ignored) and is compacted at the end of a run. A file is skipped when its input
  SHA-256 and the run signature match its entry and its output is still what we wrote.
- **The audit log** ``fixes.jsonl`` is rebuilt from the per-file logs at the end of every run,
  in the record format of ``transqa fix --log``, so ``transqa undo`` restores the originals.

Never prints: progress is reported through a callback and the outcome as a :class:`BatchSummary`.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import hashlib
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, api
from .batch_runners import (
    ERROR,
    OK,
    UNCHANGED,
    DaskRunner,
    DocResult,
    DocTask,
    PoolRunner,
    Runner,
    SerialRunner,
    clean_document,
    dask_runner,
)
from .config import Config
from .errors import ConfigError, InputError
from .model import Applicability
from .textio import MAX_BYTES, TEXT_SUFFIXES, atomic_write, sha256

__all__ = [
    "DEFAULT_INCLUDE", "BatchOptions", "BatchSummary", "DaskRunner", "DocResult", "DocTask",
    "FileEvent", "PoolRunner", "Runner", "SerialRunner", "clean_document", "dask_runner",
    "run_batch",
]

STATE_DIR = ".transqa"
MANIFEST = "manifest.jsonl"
AUDIT_LOG = "fixes.jsonl"
SUMMARY = "summary.json"
LOGS_DIR = "logs"
DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in TEXT_SUFFIXES)



# --------------------------------------------------------------------------- the tree


def _matches(relative: str, patterns: Sequence[str]) -> bool:
    """Case-insensitive glob on the relative POSIX path or on the file name alone."""
    rel = relative.lower()
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p.lower()) or fnmatch.fnmatchcase(name, p.lower())
               for p in patterns)


def walk(
    src: Path, include: Sequence[str] = DEFAULT_INCLUDE, exclude: Sequence[str] = (),
    prune: Path | None = None,
) -> tuple[list[str], int]:
    """Relative POSIX paths of the files to process (sorted), and how many links were ignored.

    Hidden entries are skipped; symbolic links are never followed, inside the tree or out of it
    (a link inside would process its target twice, one outside would leave the archive).
    ``prune`` is a folder not to descend into (the output folder when it lies inside the source).
    """
    root = src.resolve()
    files: list[str] = []
    links = 0

    def entries(here: Path, rel_dir: Path, names: list[str]) -> Iterator[tuple[Path, str]]:
        """Visible, non-link entries of one folder, with their relative POSIX path."""
        nonlocal links
        for name in sorted(names):
            full = here / name
            if name.startswith("."):
                continue
            if full.is_symlink():
                links += 1
                continue
            yield full, (rel_dir / name).as_posix()

    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(src)
        dirnames[:] = [
            full.name for full, rel in entries(here, rel_dir, dirnames)
            if not ((prune is not None and full.resolve() == prune)
                    or (exclude and _matches(rel, exclude)))
        ]
        for full, rel in entries(here, rel_dir, filenames):
            if not full.is_file() or not full.resolve().is_relative_to(root):
                continue
            if _matches(rel, include) and not (exclude and _matches(rel, exclude)):
                files.append(rel)
    return files, links


# --------------------------------------------------------------------------- state on disk


def run_signature(ruleset_digest: str, config: Config, level: Applicability) -> str:
    """What decides the output besides the input bytes; a change makes every file redo."""
    config_hash = hashlib.sha256(config.cache_key().encode()).hexdigest()[:12]
    return f"transqa:{__version__}|rules:{ruleset_digest}|apply:{level.label}|config:{config_hash}"


def load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Latest entry per relative path; unreadable lines (a crash mid-append) are ignored."""
    entries: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return entries
    for line in lines:
        try:
            entry = json.loads(line)
            entries[str(entry["path"])] = entry
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return entries


def _atomic_lines(path: Path, lines: Iterable[str]) -> None:
    """Like ``atomic_write`` but streamed, for an audit log that may not fit in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for line in lines:
                handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _locked(state: Path) -> Iterator[None]:
    """One batch at a time per output folder: two would interleave manifest lines."""
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"{state.parent}: another transqa batch is running there") from None
        yield


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class BatchOptions:
    src: Path
    out: Path
    config: Config = field(default_factory=Config)
    unsafe: bool = False
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    in_place: bool = False
    resume: bool = True
    #: Stop after processing this many files (skips do not count): a controlled interruption.
    limit: int | None = None


@dataclass(frozen=True)
class FileEvent:
    """Reported once per walked file, for progress bars."""

    relative: str
    status: str
    skipped: bool
    error: str | None = None


@dataclass
class BatchSummary:
    """The state of the tree after the run, plus what this run did and how fast."""

    signature: str
    src: str
    output: str
    in_place: bool
    files: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    #: This run: files fixed now, and files left alone because they were up to date.
    processed: int = 0
    skipped: int = 0
    ignored_links: int = 0
    fixes: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    error_files: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    bytes_processed: int = 0
    interrupted: bool = False
    manifest: str = ""
    audit_log: str = ""

    @property
    def files_per_second(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    @property
    def mb_per_second(self) -> float:
        return self.bytes_processed / 1e6 / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> str:
        data = asdict(self)
        data["files_per_second"] = round(self.files_per_second, 2)
        data["mb_per_second"] = round(self.mb_per_second, 3)
        data["seconds"] = round(self.seconds, 3)
        return json.dumps(data, ensure_ascii=False, indent=2)


class _Batch:
    """One run's mutable state; :func:`run_batch` is the public entry point."""

    def __init__(self, options: BatchOptions, signature: str, ruleset_digest: str):
        self.o = options
        self.signature = signature
        self.ruleset_digest = ruleset_digest
        self.level = Applicability.UNSAFE if options.unsafe else Applicability.SAFE
        self.state = options.out / STATE_DIR
        self.out_abs = options.out.resolve()
        self.src_abs = options.src.resolve()
        self.manifest_path = self.state / MANIFEST
        self.entries = load_manifest(self.manifest_path)
        self.skipped = 0
        self.processed = 0
        self.bytes = 0

    def target(self, relative: str) -> Path:
        return (self.o.src if self.o.in_place else self.o.out) / relative

    def log_path(self, relative: str) -> Path:
        return self.state / LOGS_DIR / f"{relative}.jsonl"

    def up_to_date(self, relative: str, input_sha: str) -> bool:
        prev = self.entries.get(relative)
        if not self.o.resume or prev is None or prev.get("signature") != self.signature:
            return False
        if prev.get("status") not in (OK, UNCHANGED):
            return False  # errors are always retried: they may have been transient
        if self.o.in_place:
            return bool(input_sha == prev.get("output_sha256"))
        if input_sha != prev.get("input_sha256"):
            return False
        try:
            return sha256(self.target(relative).read_bytes()) == prev.get("output_sha256")
        except OSError:
            return False

    def tasks(self, files: Sequence[str], report: Callable[[FileEvent], None]) -> Iterator[DocTask]:
        """Read, hash and skip in the coordinating process; yield only the work left."""
        started = 0
        for relative in files:
            if self.o.limit is not None and started >= self.o.limit:
                return
            path = self.o.src / relative
            try:
                size = path.stat().st_size
                if size > MAX_BYTES:
                    raise InputError(str(path), f"too large ({size:,} bytes; limit {MAX_BYTES:,})")
                data = path.read_bytes()
            except InputError as exc:
                self.record_error(relative, "", exc.reason, report)
                continue
            except OSError as exc:
                self.record_error(relative, "", exc.strerror or str(exc), report)
                continue
            if self.up_to_date(relative, sha256(data)):
                self.skipped += 1
                report(FileEvent(relative, str(self.entries[relative]["status"]), skipped=True))
                continue
            started += 1
            self.bytes += len(data)
            name = str(self.src_abs / relative)
            output = name if self.o.in_place else str(self.out_abs / relative)
            yield DocTask(relative, name, output, data, self.o.config, self.level)

    def record_error(self, relative: str, input_sha: str, reason: str,
                     report: Callable[[FileEvent], None]) -> None:
        self.append({"path": relative, "input_sha256": input_sha, "output_sha256": None,
                     "status": ERROR, "fixes": 0, "rules": {}, "signature": self.signature,
                     "error": reason})
        report(FileEvent(relative, ERROR, skipped=False, error=reason))

    def append(self, entry: dict[str, Any]) -> None:
        self.entries[entry["path"]] = entry
        with open(self.manifest_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def finish(self, result: DocResult, original: bytes | None,
               report: Callable[[FileEvent], None]) -> None:
        """Write the output, its fix log, then its manifest line: in that order, for crash safety."""
        if result.rules_digest and result.rules_digest != self.ruleset_digest:
            raise ConfigError(
                f"a worker ran rule set {result.rules_digest}, this process {self.ruleset_digest}: "
                "install the same transqa and rules on every worker"
            )
        self.processed += 1
        if result.status == ERROR:
            self.log_path(result.relative).unlink(missing_ok=True)
            self.record_error(result.relative, result.input_sha256, result.error or "error", report)
            return
        target = self.target(result.relative)
        if result.status == OK:
            assert result.data is not None
            _atomic_lines(self.log_path(result.relative), result.records)
            atomic_write(target, result.data)
        elif self.o.in_place and (recovered := self.recover(result)) is not None:
            # Killed after rewriting this file but before its manifest line: the text is our
            # own output, and its fix log (written first) is what undo needs. Keep both.
            self.append(recovered)
            report(FileEvent(result.relative, OK, skipped=False))
            return
        else:
            if not self.o.in_place:
                assert original is not None
                atomic_write(target, original)
            self.log_path(result.relative).unlink(missing_ok=True)
        self.append({"path": result.relative, "input_sha256": result.input_sha256,
                     "output_sha256": result.output_sha256, "status": result.status,
                     "fixes": len(result.records), "rules": result.rules,
                     "signature": self.signature, "error": None})
        report(FileEvent(result.relative, result.status, skipped=False))

    def recover(self, result: DocResult) -> dict[str, Any] | None:
        """The manifest entry of an in-place fix whose manifest line was lost, if that is the case."""
        try:
            lines = self.log_path(result.relative).read_text(encoding="utf-8").splitlines()
            records = [json.loads(line) for line in lines if line.strip()]
        except (OSError, json.JSONDecodeError):
            return None
        if not records or records[0].get("output_sha256") != result.input_sha256:
            return None
        return {"path": result.relative, "input_sha256": records[0]["input_sha256"],
                "output_sha256": result.input_sha256, "status": OK, "fixes": len(records),
                "rules": dict(Counter(str(r.get("rule")) for r in records)),
                "signature": self.signature, "error": None}

    def roll_up(self, files: Sequence[str]) -> None:
        """Rebuild the audit log from the per-file logs, and compact the manifest."""
        def audit() -> Iterator[str]:
            for relative in files:
                entry = self.entries.get(relative)
                if entry is None or entry.get("status") != OK:
                    continue
                try:
                    yield from self.log_path(relative).read_text(encoding="utf-8").splitlines()
                except FileNotFoundError:
                    continue

        _atomic_lines(self.state / AUDIT_LOG, audit())
        _atomic_lines(self.manifest_path,
                      (json.dumps(self.entries[k], ensure_ascii=False) for k in sorted(self.entries)))

    def summarize(self, files: Sequence[str], links: int, seconds: float,
                  interrupted: bool) -> BatchSummary:
        summary = BatchSummary(
            self.signature, str(self.o.src), str(self.o.out), self.o.in_place, files=len(files),
            processed=self.processed, skipped=self.skipped, ignored_links=links, seconds=seconds,
            bytes_processed=self.bytes, interrupted=interrupted,
            manifest=str(self.manifest_path), audit_log=str(self.state / AUDIT_LOG),
        )
        rules: Counter[str] = Counter()
        for relative in files:
            entry = self.entries.get(relative)
            if entry is None:
                continue
            status = entry.get("status")
            if status == OK:
                summary.changed += 1
                summary.fixes += int(entry.get("fixes", 0))
                rules.update(entry.get("rules") or {})
            elif status == UNCHANGED:
                summary.unchanged += 1
            else:
                summary.errors += 1
                summary.error_files.append({"path": relative, "error": str(entry.get("error"))})
        summary.rules = dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
        return summary


def _check_paths(options: BatchOptions) -> Path | None:
    """Refuse layouts that would overwrite originals; return the output folder to prune, if any."""
    src, out = options.src.resolve(), options.out.resolve()
    if not options.src.is_dir():
        raise ConfigError(f"{options.src}: not a folder")
    if options.out.exists() and not options.out.is_dir():
        raise ConfigError(f"--output {options.out} is a file")
    if src == out and not options.in_place:
        raise ConfigError("--output is the source folder: that would overwrite the originals "
                          "(use --in-place to mean it)")
    if src.is_relative_to(out) and src != out:
        raise ConfigError("--output contains the source folder; choose a folder beside it")
    return out if out.is_relative_to(src) else None


def run_batch(
    options: BatchOptions,
    *,
    runner: Runner | None = None,
    report: Callable[[FileEvent], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Clean ``options.src`` into ``options.out`` (or in place), resumably; see the module doc.

    ``runner`` defaults to in-process; ``on_start`` gets the number of files found and ``report``
    is called once per file (processed, skipped or failed). If the run is
    interrupted (an exception, Ctrl-C), the audit log and manifest still cover every finished
    file, the exception propagates, and the next run resumes.
    """
    prune = _check_paths(options)
    runner = runner or SerialRunner()
    notify = report or (lambda event: None)
    ruleset = api.get_ruleset(options.config)
    level = Applicability.UNSAFE if options.unsafe else Applicability.SAFE
    batch = _Batch(options, run_signature(ruleset.digest, options.config, level), ruleset.digest)
    with _locked(batch.state):
        files, links = walk(options.src, options.include, options.exclude, prune)
        if on_start is not None:
            on_start(len(files))
        originals: dict[str, bytes] = {}

        def tasks() -> Iterator[DocTask]:
            for task in batch.tasks(files, notify):
                if not options.in_place:
                    originals[task.relative] = task.data
                yield task

        start = time.perf_counter()
        interrupted = True
        try:
            for result in runner.map_unordered(clean_document, tasks()):
                batch.finish(result, originals.pop(result.relative, None), notify)
            interrupted = False
        finally:
            batch.roll_up(files)
            summary = batch.summarize(files, links, time.perf_counter() - start, interrupted)
            atomic_write(batch.state / SUMMARY, summary.to_json().encode("utf-8"))
    return summary
