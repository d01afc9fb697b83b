"""Apply fixes: filter by applicability, sort, drop overlaps, splice, repeat to a fixed point.

Each pass re-checks the text it produced, so fixes that enable others (a calque fix that puts
a quoted word mid-sentence, then the quote-case fix) settle in a few passes. A rule pair that
keeps rewriting each other never settles: that is a ConvergenceError, never a silent stop.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from .errors import ConvergenceError
from .model import Applicability, AppliedFix, Edit, Finding, FixResult, Span

MAX_PASSES = 10

CheckFn = Callable[[str], Sequence[Finding]]


def select_fixes(
    findings: Sequence[Finding], min_applicability: Applicability
) -> tuple[list[Finding], list[Finding]]:
    """Deterministic order ``(start, end, priority, rule)``; a fix overlapping one already
    accepted is skipped (it gets another chance on the next pass)."""
    accepted: list[Finding] = []
    skipped: list[Finding] = []
    taken = _Intervals()
    wanted = max(min_applicability, Applicability.UNSAFE)
    for finding in sorted(findings, key=Finding.sort_key):
        fix = finding.fix
        if fix is None or fix.applicability < wanted:
            continue
        if any(taken.overlaps(e.span) for e in fix.edits):
            skipped.append(finding)
            continue
        accepted.append(finding)
        for edit in fix.edits:
            taken.add(edit.span)
    return accepted, skipped


class _Intervals:
    """Accepted edit spans, sorted, so each overlap test looks at two neighbours only."""

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def overlaps(self, span: Span) -> bool:
        i = bisect.bisect_left(self.spans, span)
        return any(
            self.spans[j].overlaps(span) for j in (i - 1, i, i + 1) if 0 <= j < len(self.spans)
        )

    def add(self, span: Span) -> None:
        bisect.insort(self.spans, span)


def splice(text: str, edits: Sequence[Edit]) -> str:
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        parts.append(text[pos : edit.span.start])
        parts.append(edit.replacement)
        pos = edit.span.end
    parts.append(text[pos:])
    return "".join(parts)


class _OffsetMap:
    """Maps offsets in the current text back to the original input through every pass."""

    def __init__(self) -> None:
        self.passes: list[list[tuple[int, int, int]]] = []

    def add_pass(self, edits: Sequence[Edit]) -> None:
        self.passes.append(
            sorted((e.span.start, e.span.end, len(e.replacement)) for e in edits)
        )

    def to_input(self, pos: int, *, right: bool) -> int:
        for edits in reversed(self.passes):
            pos = self._through(edits, pos, right)
        return pos

    @staticmethod
    def _through(edits: list[tuple[int, int, int]], pos: int, right: bool) -> int:
        """A position in one pass's output → the same place in that pass's input."""
        shift = 0
        for start, end, length in edits:
            out_start = start + shift
            if pos < out_start or (pos == out_start and not right):
                break
            if pos <= out_start + length:  # inside the replacement: its whole source span
                return end if right else start
            shift += length - (end - start)
        return pos - shift


def fix_text(
    text: str,
    check: CheckFn,
    min_applicability: Applicability = Applicability.SAFE,
    max_passes: int = MAX_PASSES,
    first: Sequence[Finding] | None = None,
) -> FixResult:
    """``first``: the findings on ``text`` when the caller already has them (saves a scan)."""
    applied: list[AppliedFix] = []
    offsets = _OffsetMap()
    current = text
    last_skipped: list[Finding] = []
    for pass_no in range(1, max_passes + 1):
        found = first if pass_no == 1 and first is not None else check(current)
        accepted, last_skipped = select_fixes(found, min_applicability)
        if not accepted:
            return FixResult(current, tuple(applied), tuple(last_skipped), pass_no - 1)
        pairs = sorted(
            ((edit, finding) for finding in accepted for edit in finding.fix.edits),  # type: ignore[union-attr]
            key=lambda pair: (pair[0].span.start, pair[0].span.end),
        )
        edits = [edit for edit, _ in pairs]
        shift = 0
        for edit, finding in pairs:
            applied.append(
                AppliedFix(
                    rule_id=finding.rule_id,
                    category=finding.category,
                    applicability=finding.applicability,
                    pass_no=pass_no,
                    offset=edit.span.start + shift,
                    start=offsets.to_input(edit.span.start, right=False),
                    end=offsets.to_input(edit.span.end, right=True),
                    before=current[edit.span.start : edit.span.end],
                    after=edit.replacement,
                )
            )
            shift += len(edit.replacement) - (edit.span.end - edit.span.start)
        offsets.add_pass(edits)
        current = splice(current, edits)
    rules = sorted({a.rule_id for a in applied if a.pass_no == max_passes})
    raise ConvergenceError(
        f"fixes did not settle after {max_passes} passes; still changing: {', '.join(rules)}"
    )


def undo_text(text: str, applied: Sequence[AppliedFix]) -> str:
    """Reverse the applied edits: last pass first, right to left within a pass.

    ``offset`` is where the edit's ``after`` text sits in that pass's output, so undoing right
    to left never moves an offset still to be used.
    """
    for record in sorted(applied, key=lambda a: (a.pass_no, a.offset), reverse=True):
        end = record.offset + len(record.after)
        if text[record.offset : end] != record.after:
            raise ValueError(
                f"text at {record.offset} is {text[record.offset:end]!r}, log says {record.after!r}"
            )
        text = text[: record.offset] + record.before + text[end:]
    return text
