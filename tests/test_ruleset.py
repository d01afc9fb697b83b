"""The rule loader is strict and says where: every error names the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from transqa.errors import RuleFileError
from transqa.kinds import KINDS
from transqa.model import Span
from transqa.ruleset import load_ruleset, parse_marked

from .conftest import ROOT

GOOD = """\
kind: pattern
category: elision
severity: error
applicability: safe
message: m
why: w
pattern: 'x(?P<y>y)'
replace: '{y}'
flag:
  - text: 'a [[xy]] b'
    fix: 'a y b'
keep:
  - 'a b'
"""


def write(tmp_path: Path, text: str, name: str = "Rule.yaml", pack: str = "mine") -> Path:
    folder = tmp_path / pack
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_good_rule_loads_with_id_from_path(tmp_path: Path) -> None:
    [rule] = load_ruleset([write(tmp_path, GOOD)]).rules
    assert rule.id == "mine.Rule" and rule.flag[0].spans == (Span(2, 4),)


@pytest.mark.parametrize(
    ("change", "line", "fragment"),
    [
        (("why: w\n", "why: w\nbogus: 1\n"), 7, "bogus: unknown key"),
        (("kind: pattern", "kind: magic"), 1, "unknown kind 'magic'"),
        (("category: elision", "category: style"), 2, "'style' is not one of"),
        (("pattern: 'x(?P<y>y)'", "pattern: 'x(y'"), 7, "does not compile"),
        (("pattern: 'x(?P<y>y)'", "pattern: 'x(y)'"), 7, "named groups"),
        (("replace: '{y}'", "replace: '{z}'"), 8, "unknown group {z}"),
        (("    fix: 'a y b'\n", ""), 10, "needs `fix:`"),
        (("  - text: 'a [[xy]] b'", "  - text: 'a xy b'"), 10, "mark the expected span"),
        (("keep:\n  - 'a b'\n", ""), 1, "keep: at least one example"),
        (("message: m\n", "message: m\nmessage: n\n"), 6, "duplicate key"),
        (("why: w\n", "why: [unclosed\n"), 7, "invalid YAML"),
        (("why: w\n", "why: w\nevidence: strong\n"), 7, "evidence: expected a number from 0 to 3"),
        (("why: w\n", "why: w\nevidence: -0.5\n"), 7, "evidence: expected a number from 0 to 3"),
        (("why: w\n", "why: w\nevidence: 4\n"), 7, "evidence: expected a number from 0 to 3"),
        (("why: w\n", "why: w\nevidence: true\n"), 7, "evidence: expected a number from 0 to 3"),
        (("why: w\n", "why: w\nevidence: .nan\n"), 7, "evidence: expected a number from 0 to 3"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, change: tuple[str, str], line: int,
                                   fragment: str) -> None:
    root = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as info:
        load_ruleset([root])
    message = str(info.value)
    assert f"Rule.yaml:{line}:" in message and fragment in message, message


@pytest.mark.parametrize(("line", "expected"), [("", None), ("evidence: 1\n", 1.0),
                                                  ("evidence: 0.5\n", 0.5), ("evidence: 0\n", 0.0)])
def test_evidence_weight_is_optional(tmp_path: Path, line: str, expected: float | None) -> None:
    [rule] = load_ruleset([write(tmp_path, GOOD.replace("why: w\n", f"why: w\n{line}"))]).rules
    assert rule.evidence == expected


def test_rule_file_names_must_be_camel_case(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="CamelCase"):
        load_ruleset([write(tmp_path, GOOD, name="bad_name.yaml")])


def test_marked_examples() -> None:
    assert parse_marked("a [[b]] c [[d]]") == ("a b c d", (Span(2, 3), Span(6, 7)))


def test_shipped_rules_use_only_known_kinds_and_unique_ids() -> None:
    ruleset = load_ruleset([ROOT / "rules"], strict=True)
    assert {r.kind for r in ruleset.rules} <= set(KINDS)
    assert len({r.id for r in ruleset.rules}) == len(ruleset.rules)
    assert {"common", "fr"} <= set(ruleset.packs)
