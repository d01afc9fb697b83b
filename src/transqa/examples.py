"""Running a rule's own examples: shared by the test suite and ``transqa rules validate``."""

from __future__ import annotations

from collections.abc import Iterable

from .engine import run_rules
from .fixer import fix_text
from .model import Applicability
from .ruleset import FlagExample, KeepExample, Rule


def check_flag(rule: Rule, example: FlagExample) -> str | None:
    """None if the example holds; otherwise what went wrong, prefixed with ``file:line``."""
    where = f"{rule.path}:{example.line}"
    text = example.text
    spans = [f.span for f in run_rules(text, [rule])]
    if spans != list(example.spans):
        want = [text[s.start : s.end] for s in example.spans]
        got = [text[s.start : s.end] for s in spans]
        return f"{where}: {rule.id} should flag {want}, flagged {got}"
    if example.fixed is None:
        return None
    result = fix_text(text, lambda t: run_rules(t, [rule]), Applicability.UNSAFE)
    if result.text != example.fixed:
        return f"{where}: {rule.id} fix gave {result.text!r}, expected {example.fixed!r}"
    again = run_rules(result.text, [rule])
    if again:
        return f"{where}: {rule.id} fires again on its own fix: {[f.message for f in again]}"
    return None


def check_keep(rule: Rule, example: KeepExample) -> str | None:
    findings = run_rules(example.text, [rule])
    if findings:
        return f"{rule.path}:{example.line}: {rule.id} must not flag: {[f.message for f in findings]}"
    return None


def validate_examples(rules: Iterable[Rule]) -> list[str]:
    failures: list[str] = []
    for rule in rules:
        failures.extend(m for ex in rule.flag if (m := check_flag(rule, ex)))
        failures.extend(m for ex in rule.keep if (m := check_keep(rule, ex)))
    return failures
