"""The fix log: one JSON object per applied edit, enough to undo every change byte for byte.

Each record carries the document's input and output SHA-256, so ``undo`` refuses to touch a
fixed file that was edited after the fix (its hash no longer matches).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document import Document
from .errors import UndoError
from .fixer import undo_text
from .model import Applicability, AppliedFix, Category
from .textio import BOM, sha256

FIELDS = ("path", "output", "rule", "category", "applicability", "pass", "offset", "start", "end",
          "line", "column", "before", "after", "bom", "input_sha256", "output_sha256", "signature")


def records(
    applied: Iterable[AppliedFix],
    *,
    original: str,
    path: str,
    output: str | None,
    bom: bool,
    input_sha256: str,
    output_sha256: str,
    signature: str,
) -> Iterator[dict[str, object]]:
    doc = Document(original)
    for fix in applied:
        line, column = doc.line_col(fix.start)
        yield {
            "path": path, "output": output, "rule": fix.rule_id, "category": fix.category.value,
            "applicability": fix.applicability.label, "pass": fix.pass_no, "offset": fix.offset,
            "start": fix.start, "end": fix.end, "line": line, "column": column,
            "before": fix.before, "after": fix.after, "bom": bom,
            "input_sha256": input_sha256, "output_sha256": output_sha256, "signature": signature,
        }


def dumps(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False)


@dataclass(frozen=True)
class LoggedDocument:
    path: str
    output: str | None
    bom: bool
    input_sha256: str
    output_sha256: str
    fixes: tuple[AppliedFix, ...]


def read_log(path: Path) -> list[LoggedDocument]:
    """Group a log's records by document, validating every field undo relies on."""
    groups: dict[tuple[str, str | None, str], list[dict[str, Any]]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UndoError(f"{path}: cannot read log: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key = (str(record["path"]), record["output"], str(record["input_sha256"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UndoError(f"{path}:{number}: not a transqa fix record ({exc})") from None
        groups.setdefault(key, []).append(record)
    documents = []
    for (doc_path, output, input_sha), items in groups.items():
        try:
            fixes = tuple(
                AppliedFix(
                    rule_id=str(r["rule"]), category=Category(r["category"]),
                    applicability=Applicability.parse(str(r["applicability"])),
                    pass_no=int(r["pass"]), offset=int(r["offset"]), start=int(r["start"]),
                    end=int(r["end"]), before=str(r["before"]), after=str(r["after"]),
                )
                for r in items
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise UndoError(f"{path}: incomplete record for {doc_path}: {exc}") from None
        documents.append(
            LoggedDocument(doc_path, output, bool(items[0].get("bom")), input_sha,
                           str(items[0]["output_sha256"]), fixes)
        )
    return documents


def undo_bytes(doc: LoggedDocument, fixed: bytes, name: str) -> bytes:
    """The original bytes, or an UndoError if ``fixed`` is not what the log produced."""
    if sha256(fixed) != doc.output_sha256:
        raise UndoError(f"{name}: file no longer matches the log (SHA-256 differs); refusing to undo")
    text = fixed.decode("utf-8")
    if doc.bom and text.startswith(BOM):
        text = text[1:]
    try:
        restored = undo_text(text, doc.fixes)
    except ValueError as exc:
        raise UndoError(f"{name}: {exc}") from None
    data = ((BOM if doc.bom else "") + restored).encode("utf-8")
    if sha256(data) != doc.input_sha256:
        raise UndoError(f"{name}: restored text does not match the original's SHA-256")
    return data
