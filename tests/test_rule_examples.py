"""THE rule-examples test: every flag/keep example of every rule, run through the engine.

For a flag example: the rule alone reports exactly the marked spans; applying its fixes (any
applicability) gives exactly ``fix:``; and the rule does not fire again on its own output.
For a keep example: the rule reports nothing.
"""

from __future__ import annotations

import pytest

from transqa.examples import check_flag, check_keep
from transqa.model import Applicability
from transqa.ruleset import Rule, load_ruleset

from .conftest import ROOT

RULESET = load_ruleset([ROOT / "rules"], strict=True)
FLAG = [
    pytest.param(rule, ex, id=f"{rule.id}:{ex.line}") for rule in RULESET.rules for ex in rule.flag
]
KEEP = [
    pytest.param(rule, ex, id=f"{rule.id}:{ex.line}") for rule in RULESET.rules for ex in rule.keep
]


@pytest.mark.parametrize(("rule", "example"), FLAG)
def test_flag_example(rule, example):  # type: ignore[no-untyped-def]
    assert check_flag(rule, example) is None, check_flag(rule, example)


@pytest.mark.parametrize(("rule", "example"), KEEP)
def test_keep_example(rule, example):  # type: ignore[no-untyped-def]
    assert check_keep(rule, example) is None, check_keep(rule, example)


@pytest.mark.parametrize("rule", RULESET.rules, ids=lambda r: r.id)
def test_declared_applicability_matches_examples(rule: Rule) -> None:
    """A rule declared fixable must show a fix in its examples, and a suggestion must not."""
    has_fix = any(ex.fixed is not None for ex in rule.flag)
    assert has_fix == (rule.applicability > Applicability.SUGGESTION), rule.id
