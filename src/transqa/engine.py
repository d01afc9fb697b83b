"""Run the selected rules over a document, visiting only where each rule can match.

Each regex rule has a *trigger* (see :mod:`transqa.prefilter`): a literal-led fragment every
match contains. The distinct triggers of the selected rules are searched once per document (the
literal ones together, in one Aho-Corasick pass); a rule runs only from just before each
trigger occurrence to the end of that line, and not at all when its trigger is absent. Phrase
tables find their candidates through one word index per document. On clean English most rules
never run, which is what makes a pass with every pack affordable in Python's backtracking ``re``.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from .document import Document
from .kinds import Hit
from .model import Edit, Finding, Fix, Span
from .prefilter import Trigger, from_json, source_key, to_json, trigger
from .ruleset import Rule, default_rules_dir


@dataclass(frozen=True)
class Scanner:
    rules: tuple[Rule, ...]
    #: Per rule: index into ``triggers`` and the trigger's lead, or None to scan everything.
    plans: tuple[tuple[int, int | None] | None, ...]
    triggers: tuple[Trigger, ...]
    #: Every phrase table's anchor words, located in one pass per document.
    vocabulary: frozenset[str] = frozenset()

    @cached_property
    def automata(self) -> tuple[Any, Any] | None:
        """Aho-Corasick automata of every literal trigger form: lower-cased forms (searched in
        the folded text) and case-exact ones. One pass finds all of them; ``str.find`` per form
        took 0.32 s per MB for ~1,200 forms, the automaton 0.07 s. None without pyahocorasick.
        """
        try:
            import ahocorasick
        except ImportError:  # pragma: no cover - a dependency, but the regex path still works
            return None
        built = (ahocorasick.Automaton(), ahocorasick.Automaton())
        for index, found in enumerate(self.triggers):
            if found.repeat:
                continue  # its literals are the words that may repeat, not strings to find
            automaton = built[0 if found.folded else 1]
            for form in found.literals or ():
                entry = automaton.get(form, None)
                if entry is None:
                    automaton.add_word(form, (len(form), [index]))
                else:
                    entry[1].append(index)
        for automaton in built:
            if len(automaton):
                automaton.make_automaton()
        return built

    def literal_occurrences(self, doc: Document) -> dict[int, list[int]]:
        """Starts of every literal trigger in ``doc``, by trigger index, from one pass per
        haystack; triggers whose haystack is unavailable are absent (the caller uses regex)."""
        automata = self.automata
        found: dict[int, set[int]] = {}
        if automata is None:
            return {}
        for automaton, haystack, folded in ((automata[0], doc.folded, True),
                                            (automata[1], doc.spaced, False)):
            if haystack is None or not len(automaton):
                continue
            for i, t in enumerate(self.triggers):
                if t.literals is not None and t.folded == folded and not t.repeat:
                    found.setdefault(i, set())
            for end, (length, indexes) in automaton.iter(haystack):
                start = end - length + 1
                for i in indexes:
                    found[i].add(start)
        return {i: sorted(starts) for i, starts in found.items()}

    def occurrences(
        self, index: int, doc: Document, literal: dict[int, list[int]]
    ) -> list[int]:
        """Starts of trigger ``index`` in ``doc``."""
        if index in literal:
            return literal[index]
        found = self.triggers[index]
        if found.repeat:
            return doc.doubled_word_starts(found.literals, found.shortest, found.letters)
        return [m.start() for m in self.compiled(index).finditer(doc.text)]

    def compiled(self, index: int) -> re.Pattern[str]:
        """Trigger ``index`` as a regex, compiled on first use: most triggers are found by
        Aho-Corasick and never need one (compiling them all took a tenth of a hook's start)."""
        return _compiled_trigger(self.triggers[index].source)

    def run(self, doc: Document) -> Iterator[tuple[Rule, Hit]]:
        if self.vocabulary:
            doc.index_words(self.vocabulary)
        positions: dict[int, list[int]] = {}
        literal: dict[int, list[int]] | None = None
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
                    if literal is None:
                        literal = self.literal_occurrences(doc)
                    positions[index] = self.occurrences(index, doc, literal)
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

    A match containing an occurrence at ``p`` starts between ``p - lead`` and ``p`` (anywhere
    from the line start when the lead is unbounded) and ends within the line: rules match
    within a line. With a short lead those starts are tried one by one; otherwise the line is
    searched from the first of them, and a line where a search found nothing is not searched
    again from a later occurrence. Either way matches come in ``finditer`` order: a match that
    starts after ``p`` holds a later occurrence and is found from that one.
    """
    text = doc.text
    starts = doc.line_starts
    last_end = 0
    dead_until = -1
    tried = 0  # with a short lead: every start before this has been tried
    for p in occurrences:
        if p < last_end or p < dead_until:
            continue
        line = bisect.bisect_right(starts, p) - 1
        line_start = starts[line]
        line_end = starts[line + 1] if line + 1 < len(starts) else len(text)
        begin = line_start if lead is None else max(line_start, p - lead)
        if lead is not None and lead <= _SHORT_LEAD:
            # A match holding this occurrence starts at most ``lead`` characters before it:
            # try those starts alone instead of searching to the end of the line (numbers
            # are everywhere in news, and most lines go on long after one).
            match = None
            for start in range(max(begin, last_end, tried), p + 1):
                match = pattern.match(text, start, line_end)
                if match is not None:
                    break
            tried = p + 1
        else:
            match = pattern.search(text, max(begin, last_end), line_end)
            if match is None:
                dead_until = line_end
        if match is None:
            continue
        last_end = max(match.end(), match.start() + 1)
        yield match


#: Longest lead for which the starts are tried one by one rather than searched.
_SHORT_LEAD = 8


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
    return Scanner(rules, tuple(plans), triggers, vocabulary)


@lru_cache(maxsize=1024)
def _compiled_trigger(source: str) -> re.Pattern[str]:
    return re.compile(source)


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
    with collector_paused():
        # The document is gone by the time the collector resumes: its first run then finds
        # only the findings to walk, not every word of the text.
        return _run_rules(text, rules)


def _run_rules(text: str, rules: Sequence[Rule]) -> list[Finding]:
    doc = Document(text)
    scanner = build_scanner(tuple(rules))
    findings = {to_finding(rule, hit, doc) for rule, hit in scanner.run(doc)}
    return sorted((f for f in findings if not _touches_protected(f, doc)), key=Finding.sort_key)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one check, as it was before afterwards.

    A check allocates many short-lived objects and creates no reference cycles (reference
    counting frees everything it drops), so the collector's runs during it found nothing, but
    each walked the rule set and the document's word lists: 0.04-0.06 s per MB, 10-15 % of a
    check with every pack. Nested or concurrent checks leave the collector as they found it;
    whoever had paused it keeps it paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _touches_protected(finding: Finding, doc: Document) -> bool:
    spans: Iterable[Span] = [finding.span]
    if finding.fix is not None:
        spans = [finding.span, *(e.span for e in finding.fix.edits)]
    return any(doc.is_protected(s) for s in spans)
