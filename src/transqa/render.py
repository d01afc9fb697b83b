"""Output formats. Offsets become line:column here and nowhere else."""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import click

from . import __version__
from .document import Document
from .model import Finding, Severity
from .report import FileReport, Report
from .ruleset import RuleSet

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _fix_text(finding: Finding) -> str | None:
    if finding.fix is None:
        return None
    if finding.replacement is not None:
        return finding.replacement
    if all(e.replacement == "" for e in finding.fix.edits):
        return ""
    return None


def finding_dict(finding: Finding, doc: Document) -> dict[str, object]:
    line, column = doc.line_col(finding.span.start)
    end_line, end_column = doc.line_col(finding.span.end)
    record: dict[str, object] = {
        "rule": finding.rule_id,
        "category": finding.category.value,
        "mqm": finding.category.mqm,
        "severity": finding.severity.label,
        "start": finding.span.start,
        "end": finding.span.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": doc.text[finding.span.start : finding.span.end],
        "message": finding.message,
        "replacement": _fix_text(finding),
        "applicability": finding.applicability.label,
        "confidence": round(finding.confidence, 3),
        "edits": [
            {"start": e.span.start, "end": e.span.end, "replacement": e.replacement}
            for e in (finding.fix.edits if finding.fix else ())
        ],
    }
    if finding.data:
        record["data"] = dict(finding.data)
    return record


def _source_lang(file: FileReport) -> dict[str, object] | None:
    if file.result is None:
        return None
    src = file.result.source_lang
    return {"value": src.value, "confidence": round(src.confidence, 3),
            "evidence": list(src.evidence), "explicit": src.explicit,
            "packs": list(file.result.packs)}


def text_lines(report: Report, *, color: bool | None = None) -> Iterator[str]:
    for file in report.files:
        if file.error:
            yield click.style(f"{file.path}: error: {file.error}", fg="red", bold=True)
            continue
        doc = Document(file.text)
        for f in file.findings:
            line, column = doc.line_col(f.span.start)
            where = click.style(f"{file.path}:{line}:{column}:", bold=True)
            sev = click.style(f.severity.label, fg=_COLOURS[f.severity])
            rule = click.style(f.rule_id, fg="cyan")
            fix = _fix_text(f)
            arrow = ""
            if fix is not None:
                shown = f"`{fix}`" if fix else "(delete)"
                tag = "" if f.applicability.label == "safe" else f" [{f.applicability.label}]"
                arrow = " " + click.style(f"→ {shown}{tag}", fg="green")
            yield f"{where} {sev} {rule} {f.message}{arrow}"
    summary = report.summary()
    by_severity = summary["by_severity"]
    assert isinstance(by_severity, dict)
    parts = ", ".join(f"{n} {k}" for k, n in by_severity.items()) or "no findings"
    langs = {
        f"{f.result.source_lang.value or 'unknown'}" for f in report.files if f.result is not None
    }
    yield (
        f"{summary['files']} file(s), {summary['findings']} finding(s): {parts}; "
        f"source language: {', '.join(sorted(langs)) or '-'}"
    )


def json_report(report: Report, signature: str) -> str:
    files = []
    for file in report.files:
        doc = Document(file.text)
        entry: dict[str, object] = {"path": file.path}
        if file.error:
            entry["error"] = file.error
        entry["source_lang"] = _source_lang(file)
        entry["findings"] = [finding_dict(f, doc) for f in file.findings]
        files.append(entry)
    return json.dumps(
        {"files": files, "summary": report.summary(), "signature": signature},
        ensure_ascii=False, indent=2,
    )


def jsonl_report(report: Report) -> Iterator[str]:
    for file in report.files:
        if file.error:
            yield json.dumps({"path": file.path, "error": file.error}, ensure_ascii=False)
            continue
        doc = Document(file.text)
        for f in file.findings:
            yield json.dumps({"path": file.path, **finding_dict(f, doc)}, ensure_ascii=False)


def github_lines(report: Report) -> Iterator[str]:
    """GitHub Actions workflow commands: annotations on the pull request."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for file in report.files:
        if file.error:
            yield f"::error file={file.path},title=transqa::{_gh_escape(file.error)}"
            continue
        doc = Document(file.text)
        for f in file.findings:
            line, col = doc.line_col(f.span.start)
            end_line, end_col = doc.line_col(f.span.end)
            yield (
                f"::{level[f.severity]} file={file.path},line={line},col={col},"
                f"endLine={end_line},endColumn={end_col},title={f.rule_id}::{_gh_escape(f.message)}"
            )


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def sarif_report(report: Report, ruleset: RuleSet, signature: str) -> str:
    used = sorted({f.rule_id for file in report.files for f in file.findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules = []
    for rule_id in used:
        rule = ruleset.get(rule_id)
        rules.append({
            "id": rule.id,
            "name": rule.name,
            "shortDescription": {"text": rule.message.split("{")[0].strip() or rule.id},
            "fullDescription": {"text": " ".join(rule.why.split())},
            "help": {"text": " ".join(rule.why.split())},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"category": rule.category.value, "mqm": rule.category.mqm,
                           "applicability": rule.applicability.label},
        })
    results = []
    for file in report.files:
        if file.error:
            continue
        doc = Document(file.text)
        for f in file.findings:
            result: dict[str, object] = {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(file.path)},
                    "region": _region(doc, f.span.start, f.span.end),
                }}],
            }
            if f.fix is not None and f.applicability.label != "suggestion":
                result["fixes"] = [{
                    "description": {"text": f"{f.rule_id} ({f.applicability.label})"},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": _uri(file.path)},
                        "replacements": [
                            {"deletedRegion": _region(doc, e.span.start, e.span.end),
                             "insertedContent": {"text": e.replacement}}
                            for e in f.fix.edits
                        ],
                    }],
                }]
            results.append(result)
    invocation = {
        "executionSuccessful": not any(file.error for file in report.files),
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": f"{file.path}: {file.error}"}}
            for file in report.files if file.error
        ],
    }
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "transqa", "version": __version__,
                                "informationUri": "https://example.invalid/transqa",
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
            "properties": {"signature": signature},
        }],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2)


def _uri(path: str) -> str:
    """A URI reference for a path: absolute paths as file: URIs, relative ones percent-encoded."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/"))


def _region(doc: Document, start: int, end: int) -> dict[str, int]:
    line, col = doc.line_col(start)
    end_line, end_col = doc.line_col(end)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col,
            "charOffset": start, "charLength": end - start}


def unified_diff(name: str, before: str, after: str) -> str:
    """A ``git apply``-able diff, including the marker for a last line without a newline."""
    out = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True),
        fromfile=f"a/{name}", tofile=f"b/{name}",
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
