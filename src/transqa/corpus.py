"""Evaluation corpora: annotated JSON Lines, MT/gold file pairs, and line-aligned system outputs.

Three layouts are read into one shape, :class:`EvalDoc` (one metric segment each):
- ``annotated.jsonl``: ``{"id", "source_lang", "mt", "gold", "artifacts": [{"start", "end",
  "text", "category"}]}`` per line, offsets in code points into ``mt`` (``corpora/<lang>/``);
- ``*.mt.en.txt`` with ``*.gold.en.txt`` and/or ``*.ref.en.txt`` (``corpora/seed/``);
- ``mt.<SYSTEM>.en`` with ``ref.*.en`` (and ``src.<lang>``), one segment per line (WMT).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .config import SOURCE_LANGS
from .errors import InputError
from .model import Category


@dataclass(frozen=True)
class Artifact:
    start: int
    end: int
    text: str
    category: Category


@dataclass(frozen=True)
class EvalDoc:
    """One metric segment: MT, its references (the gold post-edit first, if any)."""

    id: str
    group: str
    mt: str
    refs: tuple[str, ...]
    gold: str | None = None
    source_lang: str | None = None
    artifacts: tuple[Artifact, ...] = ()
    annotated: bool = False


@dataclass(frozen=True)
class Corpus:
    name: str
    kind: str  # annotated | pairs | systems
    docs: tuple[EvalDoc, ...]
    warnings: tuple[str, ...] = ()


def load_corpus(path: Path | str) -> Corpus:
    """A ``.jsonl`` file, or a folder holding ``annotated.jsonl``, ``mt.<SYSTEM>.en`` +
    ``ref.*.en`` line-aligned files, or ``*.mt.en.txt`` + ``*.gold.en.txt``/``*.ref.en.txt`` pairs."""
    path = Path(path)
    if path.is_file():
        return _annotated(path, path.parent.name)
    if not path.is_dir():
        raise InputError(str(path), "no such file or folder")
    if (path / "annotated.jsonl").is_file():
        return _annotated(path / "annotated.jsonl", path.name)
    if sorted(path.glob("mt.*.en")):
        return _systems(path)
    if sorted(path.glob("*.mt.en.txt")):
        return _pairs(path)
    raise InputError(str(path), "no annotated.jsonl, mt.*.en or *.mt.en.txt files")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), str(exc)) from exc


def _annotated(path: Path, name: str) -> Corpus:
    docs: list[EvalDoc] = []
    warnings: list[str] = []
    for n, line in enumerate(_read(path).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
            mt, gold = str(obj["mt"]), obj.get("gold")
            lang = obj.get("source_lang")
            arts = tuple(Artifact(int(a["start"]), int(a["end"]), str(a.get("text", "")),
                                  Category(a["category"])) for a in obj.get("artifacts", []))
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(where, f"bad record: {exc}") from exc
        for a in arts:
            if not 0 <= a.start <= a.end <= len(mt):
                raise InputError(where, f"artifact {a.start}..{a.end} outside the mt text")
            if a.text and mt[a.start:a.end] != a.text:
                warnings.append(f"{where}: artifact {a.start}..{a.end} is {mt[a.start:a.end]!r} "
                                f"in mt, annotated as {a.text!r}")
        refs = (str(gold),) if gold is not None else ()
        lang = lang if lang in SOURCE_LANGS else None
        docs.append(EvalDoc(str(obj.get("id", n)), lang or name, mt, refs,
                            refs[0] if refs else None, lang, arts, annotated=True))
    return Corpus(name, "annotated", tuple(docs), tuple(warnings))


def _systems(folder: Path) -> Corpus:
    refs = [_read(p).splitlines() for p in sorted(folder.glob("ref.*.en"))]
    if not refs:
        raise InputError(str(folder), "mt.*.en files but no ref.*.en")
    lang = next((p.suffix[1:] for p in sorted(folder.glob("src.*")) if p.suffix[1:] in SOURCE_LANGS),
                None)
    docs = []
    for mt_path in sorted(folder.glob("mt.*.en")):
        system = mt_path.name[3:-3]
        lines = _read(mt_path).splitlines()
        if any(len(r) != len(lines) for r in refs):
            raise InputError(str(mt_path), f"{len(lines)} lines but the references have "
                             f"{', '.join(str(len(r)) for r in refs)}")
        docs += [EvalDoc(f"{system}:{i}", system, line.rstrip(),
                         tuple(r[i - 1].rstrip() for r in refs), None, lang)
                 for i, line in enumerate(lines, 1)]
    return Corpus(folder.name, "systems", tuple(docs))


def _pairs(folder: Path) -> Corpus:
    docs = []
    for mt_path in sorted(folder.glob("*.mt.en.txt")):
        stem = mt_path.name[: -len(".mt.en.txt")]
        gold_path, ref_path = folder / f"{stem}.gold.en.txt", folder / f"{stem}.ref.en.txt"
        gold = _read(gold_path) if gold_path.is_file() else None
        refs = tuple(t for t in (gold, _read(ref_path) if ref_path.is_file() else None) if t)
        docs.append(EvalDoc(stem, folder.name, _read(mt_path), refs, gold))
    return Corpus(folder.name, "pairs", tuple(docs))
