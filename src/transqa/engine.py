"""Run the selected rules over a document, visiting only where each rule can match.

Each regex rule has a *trigger* (see :mod:`transqa.prefilter`): a literal-led fragment every
match contains. The distinct triggers of the selected rules are searched once per document;
a rule runs only from just before each trigger occurrence to the end of that line, and not at
all when its trigger is absent. On clean English most rules never run, which is what makes a
pass with every pack affordable in Python's backtracking ``re``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .document import Document
from .kinds import Hit
from .model import Applicability, Edit, Finding, Fix, Span
from .prefilter import LiteralPlan, Trigger, from_json, plan_literals, source_key, to_json, trigger
from .ruleset import Rule, default_rules_dir


@dataclass(frozen=True)
class Scanner:
    rules: tuple[Rule, ...]
    #: Per rule: index into ``triggers`` and the trigger's lead, or None to scan everything.
    plans: tuple[tuple[int, int | None] | None, ...]
    triggers: tuple[Trigger, ...]
    compiled: tuple[re.Pattern[str], ...]
    #: Every phrase table's anchor words, located in one pass per document.
    vocabulary: frozenset[str] = frozenset()
    #: Per trigger: how to find its literal forms (gated by the word index), or None; computed
    #: from ``triggers`` when not given.
    literal_plans: tuple[LiteralPlan | None, ...] = ()

    def __post_init__(self) -> None:
        if len(self.literal_plans) != len(self.triggers):
            plans = tuple(plan_literals(t.literals) if t.literals is not None else None
                          for t in self.triggers)
            object.__setattr__(self, "literal_plans", plans)

    def occurrences(self, index: int, doc: Document) -> list[int]:
        found = self.triggers[index]
        plan = self.literal_plans[index]
        if plan is not None and (doc.folded is not None or not found.folded):
            fold = found.folded
            starts: set[int] = set()
            for group in plan.groups:
                if not doc.may_contain(group.gate.words, group.gate.piece):
                    continue
                forms = [f for f, g in group.forms if doc.may_contain(g.words, g.piece)]
                haystack = doc.folded if fold else doc.spaced
                assert haystack is not None
                if len(forms) <= 2 or haystack.count(group.prefix) > 2000:
                    for form in forms:  # a common prefix (" of "): search the forms
                        starts.update(doc.find_all(form, fold=fold))
                else:
                    starts.update(p for p in doc.find_all(group.prefix, fold=fold)
                                  if any(haystack.startswith(f, p) for f in forms))
            for literal, checks in plan.forms:
                if doc.may_contain(checks.words, checks.piece):
                    starts.update(doc.find_all(literal, fold=fold))
            return sorted(starts)
        return [m.start() for m in self.compiled[index].finditer(doc.text)]

    def run(self, doc: Document) -> Iterator[tuple[Rule, Hit]]:
        if self.vocabulary:
            doc.index_words(self.vocabulary)
        positions: dict[int, list[int]] = {}
        for rule, plan in zip(self.rules, self.plans, strict=True):
            matcher = rule.matcher
            if matcher.source is None or matcher.pattern is None:
                for hit in matcher.scan(doc):
                    yield rule, hit
                continue
            if plan is None:
                matches: Iterable[re.Match[str]] = matcher.pattern.finditer(doc.text)
            else:
                index, lead = plan
                if index not in positions:
                    positions[index] = self.occurrences(index, doc)
                if not positions[index]:
                    continue
                matches = _windowed(matcher.pattern, doc, positions[index], lead)
            for match in matches:
                for hit in matcher.hits(match, doc):
                    yield rule, hit


def _windowed(
    pattern: re.Pattern[str], doc: Document, occurrences: list[int], lead: int | None
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that can contain a trigger occurrence, as ``finditer`` finds them.

    The search for an occurrence at ``p`` starts at ``p - lead`` (a match containing ``p``
    cannot start earlier) or at the line start when the lead is unbounded, and ends at the end
    of the line: rules match within a line. A line where a search found nothing is not searched
    again from a later occurrence.
    """
    text = doc.text
    starts = doc.line_starts
    last_end = 0
    dead_until = -1
    for p in occurrences:
        if p < last_end or p < dead_until:
            continue
        line = bisect.bisect_right(starts, p) - 1
        line_start = starts[line]
        line_end = starts[line + 1] if line + 1 < len(starts) else len(text)
        begin = line_start if lead is None else max(line_start, p - lead)
        match = pattern.search(text, max(begin, last_end), line_end)
        if match is None:
            dead_until = line_end
            continue
        last_end = max(match.end(), match.start() + 1)
        yield match


TRIGGER_INDEX = "triggers.json"


@lru_cache(maxsize=1)
def _trigger_index() -> dict[str, dict[str, Any] | None]:
    """Triggers of the built-in rules, precomputed by ``transqa rules index``: parsing ~300
    regexes to find them took a fifth of a hook's start-up. A rule missing from the index (a
    new or edited rule, an extra rule folder) gets its trigger computed as before."""
    path = default_rules_dir() / TRIGGER_INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=4096)
def _trigger(source: str) -> Trigger | None:
    index = _trigger_index()
    key = source_key(source)
    if key in index:
        return from_json(index[key])
    return trigger(source)


def trigger_index(rules: Iterable[Rule]) -> dict[str, dict[str, Any] | None]:
    """The index ``transqa rules index`` writes: trigger of every regex rule, by source hash."""
    return {source_key(r.matcher.source): to_json(trigger(r.matcher.source))
            for r in sorted(rules, key=lambda r: r.id) if r.matcher.source}


@lru_cache(maxsize=32)
def build_scanner(rules: tuple[Rule, ...]) -> Scanner:
    sources: dict[str, Trigger] = {}
    plans: list[tuple[int, int | None] | None] = []
    for rule in rules:
        found = _trigger(rule.matcher.source) if rule.matcher.source else None
        if found is None:
            plans.append(None)
            continue
        sources.setdefault(found.source, found)
        plans.append((list(sources).index(found.source), found.lead))
    triggers = tuple(sources.values())
    vocabulary = frozenset(
        word for rule in rules for word in getattr(rule.matcher, "anchors", {})
    )
    return Scanner(rules, tuple(plans), triggers, tuple(re.compile(t.source) for t in triggers),
                   vocabulary)


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
