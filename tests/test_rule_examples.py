"""THE rule-examples test: every flag/keep example of every rule, run through the engine.

For a flag example: the rule alone reports exactly the marked spans; applying its fixes (any
applicability) gives exactly ``fix:``; and the rule does not fire again on its own output.
For a keep example: the rule reports nothing.
"""

from __future__ import annotations

import pytest

from transqa.engine import run_rules
from transqa.fixer import fix_text
from transqa.model import Applicability
from transqa.ruleset import load_ruleset

from .conftest import ROOT

RULESET = load_ruleset([ROOT / "rules"])
FLAG = [
    pytest.param(rule, ex, id=f"{rule.id}:{ex.line}") for rule in RULESET.rules for ex in rule.flag
]
KEEP = [
    pytest.param(rule, ex, id=f"{rule.id}:{ex.line}") for rule in RULESET.rules for ex in rule.keep
]


@pytest.mark.parametrize(("rule", "example"), FLAG)
def test_flag_example(rule, example):  # type: ignore[no-untyped-def]
    findings = run_rules(example.text, [rule])
    got = [f.span for f in findings]
    assert got == list(example.spans), (
        f"{rule.path}:{example.line}: expected {[example.text[s.start:s.end] for s in example.spans]}"
        f", got {[example.text[s.start:s.end] for s in got]}"
    )
    if rule.applicability == Applicability.SUGGESTION:
        assert all(f.fix is None or f.applicability == Applicability.SUGGESTION for f in findings)
        return
    result = fix_text(example.text, lambda t: run_rules(t, [rule]), Applicability.UNSAFE)
    assert result.text == example.fixed, f"{rule.path}:{example.line}"
    assert run_rules(result.text, [rule]) == [], f"{rule.path}:{example.line}: fires on its own fix"


@pytest.mark.parametrize(("rule", "example"), KEEP)
def test_keep_example(rule, example):  # type: ignore[no-untyped-def]
    findings = run_rules(example.text, [rule])
    assert findings == [], f"{rule.path}:{example.line}: {[f.message for f in findings]}"


def test_every_rule_has_both_kinds_of_example() -> None:
    for rule in RULESET.rules:
        assert rule.flag and rule.keep, rule.id
