"""Run the selected rules over a document: one combined scan, then each rule's own logic.

All regex-based rules of the selected packs are folded into one alternation. The scan visits
every position where *some* rule matches; there each rule from the first matching alternative
onwards is tried with its own regex (rules before it already failed at that position). This
finds exactly what separate ``finditer`` calls per rule would, in one pass over the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .document import Document
from .kinds import Hit
from .model import Applicability, Edit, Finding, Fix, Span
from .ruleset import Rule

_GROUP = re.compile(r"\(\?P<(\w+)>|\(\?P=(\w+)\)")


@dataclass(frozen=True)
class Scanner:
    rules: tuple[Rule, ...]
    regex_rules: tuple[Rule, ...]
    scan_rules: tuple[Rule, ...]
    combined: re.Pattern[str] | None

    def run(self, doc: Document) -> Iterator[tuple[Rule, Hit]]:
        if self.combined is not None:
            yield from self._combined_scan(doc)
        for rule in self.scan_rules:
            for hit in rule.matcher.scan(doc):
                yield rule, hit

    def _combined_scan(self, doc: Document) -> Iterator[tuple[Rule, Hit]]:
        text = doc.text
        rules = self.regex_rules
        last_end = [0] * len(rules)
        search = self.combined.search  # type: ignore[union-attr]
        pos = 0
        while (m := search(text, pos)) is not None:
            q = m.start()
            first = int(m.lastgroup[2:])  # type: ignore[index]
            for i in range(first, len(rules)):
                if q < last_end[i]:
                    continue
                pattern = rules[i].matcher.pattern
                own = pattern.match(text, q) if pattern is not None else None
                if own is None:
                    continue
                last_end[i] = max(own.end(), q + 1)
                for hit in rules[i].matcher.hits(own, doc):
                    yield rules[i], hit
            pos = q + 1


def _renamed(source: str, index: int) -> str:
    def rename(m: re.Match[str]) -> str:
        if m.group(1):
            return f"(?P<_{index}_{m.group(1)}>"
        return f"(?P=_{index}_{m.group(2)})"

    return _GROUP.sub(rename, source)


@lru_cache(maxsize=32)
def build_scanner(rules: tuple[Rule, ...]) -> Scanner:
    regex_rules = tuple(r for r in rules if r.matcher.source is not None)
    scan_rules = tuple(r for r in rules if r.matcher.source is None)
    combined = None
    if regex_rules:
        parts = [f"(?P<_r{i}>{_renamed(r.matcher.source or '', i)})" for i, r in enumerate(regex_rules)]
        combined = re.compile("|".join(parts), re.MULTILINE)
    return Scanner(rules, regex_rules, scan_rules, combined)


def to_finding(rule: Rule, hit: Hit, doc: Document) -> Finding:
    applicability = rule.applicability
    if hit.applicability is not None:
        applicability = min(applicability, hit.applicability)
    fix = None
    if hit.edits is not None:
        fix = Fix(hit.edits, applicability)
    elif hit.replacement is not None:
        fix = Fix((Edit(hit.span, hit.replacement),), applicability)
    matched = doc.text[hit.span.start : hit.span.end]
    values = {"match": matched, "replacement": hit.replacement or "", **dict(hit.values)}
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        span=hit.span,
        message=_format(rule.message, values),
        severity=rule.severity,
        fix=fix,
        confidence=hit.confidence,
        priority=rule.priority,
        data=hit.data,
    )


class _Defaulting(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(template: str, values: dict[str, str]) -> str:
    return template.format_map(_Defaulting(values))


def run_rules(text: str, rules: Sequence[Rule]) -> list[Finding]:
    """Findings of ``rules`` on ``text``, sorted, with protected regions (URLs, code) respected."""
    doc = Document(text)
    scanner = build_scanner(tuple(rules))
    findings = {to_finding(rule, hit, doc) for rule, hit in scanner.run(doc)}
    return sorted(
        (f for f in findings if not _touches_protected(f, doc)), key=Finding.sort_key
    )


def _touches_protected(finding: Finding, doc: Document) -> bool:
    if not doc.protected:
        return False
    spans: Iterable[Span] = [finding.span]
    if finding.fix is not None:
        spans = [finding.span, *(e.span for e in finding.fix.edits)]
    return any(doc.is_protected(s) for s in spans)


def max_applicability(findings: Iterable[Finding]) -> Applicability | None:
    levels = [f.applicability for f in findings if f.fix is not None]
    return max(levels) if levels else None
