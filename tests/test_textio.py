"""Input handling: exact decoding, BOM and line endings kept, bad input refused clearly."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from transqa import api
from transqa.config import Config
from transqa.errors import InputError
from transqa.model import Applicability
from transqa.textio import atomic_write, decode, discover


def test_bom_is_kept_out_of_offsets_and_restored() -> None:
    data = "\ufeffHe said “Yes”.".encode()
    source = decode("x.txt", data)
    assert source.bom and source.text.startswith("He")
    assert source.encode(source.text) == data


@pytest.mark.parametrize("data", [b"\xff\xfeabc", b"abc\x00def", b"caf\xc3"])
def test_invalid_or_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=r"x\.bin"):
        decode("x.bin", data)


def test_crlf_and_bom_survive_fix_with_only_the_intended_edit() -> None:
    text = "Line one.\r\n\r\n→ ANALYSIS. A teaser line\r\n\r\nThe demonstrators s’ seizing it.\r\n"
    source = decode("a.txt", ("\ufeff" + text).encode())
    fixed = api.fix(source.text, config=Config(source_lang="fr")).text
    assert fixed == "Line one.\r\n\r\nThe demonstrators seizing it.\r\n"
    assert source.encode(fixed).startswith(b"\xef\xbb\xbf")


def test_nfd_text_is_not_normalised() -> None:
    text = unicodedata.normalize("NFD", "Côte d’Ivoire and the demonstrators s’ seizing.")
    fixed = api.fix(text, config=Config(source_lang="fr"), min_applicability=Applicability.UNSAFE).text
    assert fixed == text.replace("s’ ", "")
    assert unicodedata.is_normalized("NFD", fixed)


def test_discover_walks_folders_and_skips_links_and_hidden(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "a" / ".hidden.txt").write_text("x")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    os.symlink(outside, tmp_path / "a" / "link.txt")
    found = list(discover([str(tmp_path / "a")]))
    assert found == [(str(tmp_path / "a" / "one.txt"), "one.txt")]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "story.txt"
    target.write_bytes(b"good")

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["story.txt"]


def test_empty_input_is_fine() -> None:
    assert api.check("", config=Config(source_lang="fr")).findings == ()
    assert api.fix("", config=Config(source_lang="fr")).text == ""


def test_huge_input_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import transqa.textio as textio

    monkeypatch.setattr(textio, "MAX_BYTES", 10)
    with pytest.raises(InputError, match="too large"):
        textio.decode("big.txt", b"x" * 11)


def test_odd_line_endings_survive_byte_for_byte() -> None:
    text = "Old Mac line.\rThe demonstrators s’ seizing it.\r\nMixed\nend"
    fixed = api.fix(text, config=Config(source_lang="fr")).text
    assert fixed == text.replace("s’ ", "")


def test_new_output_files_get_normal_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.txt", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644
