"""The fixer: ordering, overlap, applicability filter, fixed point, offsets, undo."""

from __future__ import annotations

import pytest

from transqa.errors import ConvergenceError
from transqa.fixer import fix_text, select_fixes, undo_text
from transqa.model import Applicability, Category, Edit, Finding, Fix, Severity, Span


def finding(rule: str, start: int, end: int, repl: str, app: Applicability = Applicability.SAFE,
            priority: int = 0) -> Finding:
    return Finding(rule, Category.CALQUE, Span(start, end), "m", Severity.WARNING,
                   Fix((Edit(Span(start, end), repl),), app), priority=priority)


def test_overlapping_fix_is_skipped_deterministically() -> None:
    a = finding("x.A", 0, 5, "A")
    b = finding("x.B", 3, 8, "B")
    accepted, skipped = select_fixes([b, a], Applicability.SAFE)
    assert accepted == [a] and skipped == [b]


def test_priority_breaks_ties_at_the_same_span() -> None:
    low = finding("x.Z", 0, 3, "z", priority=0)
    high = finding("x.A", 0, 3, "a", priority=5)
    accepted, _ = select_fixes([high, low], Applicability.SAFE)
    assert accepted == [low]


def test_applicability_filter() -> None:
    safe = finding("x.S", 0, 1, "s")
    unsafe = finding("x.U", 2, 3, "u", Applicability.UNSAFE)
    shown = finding("x.G", 4, 5, "g", Applicability.SUGGESTION)
    assert select_fixes([safe, unsafe, shown], Applicability.SAFE)[0] == [safe]
    assert select_fixes([safe, unsafe, shown], Applicability.UNSAFE)[0] == [safe, unsafe]
    # SUGGESTION fixes are never applied, even when asked for everything.
    assert shown not in select_fixes([shown], Applicability.SUGGESTION)[0]


def _rules(text: str) -> list[Finding]:
    """Two chained rewrites: 'aa' → 'b', then 'bc' → 'D'."""
    out = []
    if (i := text.find("aa")) >= 0:
        out.append(finding("t.AA", i, i + 2, "b"))
    if (i := text.find("bc")) >= 0:
        out.append(finding("t.BC", i, i + 2, "D"))
    return out


def test_repeats_until_stable_and_maps_offsets_to_the_input() -> None:
    result = fix_text("xx aac yy", _rules)
    assert result.text == "xx D yy"
    assert result.passes == 2
    second = next(a for a in result.applied if a.pass_no == 2)
    assert (second.start, second.end) == (3, 6)  # "aac" in the original
    assert undo_text(result.text, result.applied) == "xx aac yy"


def test_undo_with_several_edits_in_one_pass() -> None:
    text = "one aa two aa three aa"
    result = fix_text(text, lambda t: [finding("t.AA", i, i + 2, "LONGER")
                                       for i in range(len(t)) if t.startswith("aa", i)])
    assert result.text == "one LONGER two LONGER three LONGER"
    assert undo_text(result.text, result.applied) == text


def test_rules_that_never_settle_raise() -> None:
    def flip(text: str) -> list[Finding]:
        return [finding("t.Flip", 0, 1, "b" if text[0] == "a" else "a")]

    with pytest.raises(ConvergenceError, match=r"t\.Flip"):
        fix_text("a", flip)


def test_undo_refuses_text_that_does_not_match() -> None:
    result = fix_text("xx aac yy", _rules)
    with pytest.raises(ValueError):
        undo_text("something else entirely", result.applied)
