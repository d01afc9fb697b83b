"""`transqa check --format sarif` against the official SARIF 2.1.0 schema (stored offline).

The fixture is AdaCore's copy of the OASIS schema, whose root object schema lives under
``definitions.Root`` (see tests/fixtures/README.md); validating against the file as stored
would accept anything, so the validator points its top level at that definition.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from transqa.cli import main

from .conftest import CORPORA, ROOT

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json"
SEED = CORPORA / "seed" / "kazakhstan.mt.en.txt"
OASIS_ID = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator({**schema, "$ref": "#/definitions/Root"})


def sarif(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["check", "--format", "sarif", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def errors(validator: Any, doc: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_fixture_is_the_oasis_schema_unchanged() -> None:
    data = SCHEMA_PATH.read_bytes()
    schema = json.loads(data)
    assert len(data) == 111_794
    assert schema["$id"] == OASIS_ID
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["definitions"]["Root"]["required"] == ["version", "runs"]
    jsonschema.Draft7Validator.check_schema(schema)


def test_validator_is_not_vacuous(validator: Any) -> None:
    """A log missing ``version`` or carrying an unknown key must be rejected."""
    assert errors(validator, {"runs": []})
    assert errors(validator, {"version": "2.1.0", "runs": [], "bogus": 1})
    bad_result = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
                                                  "results": [{"ruleId": "r"}]}]}
    assert any("message" in e for e in errors(validator, bad_result))


def test_seed_report_is_valid_sarif(validator: Any) -> None:
    status, doc = sarif("--source-lang", "fr", str(SEED))
    assert status == 1
    assert errors(validator, doc) == []
    run = doc["runs"][0]
    assert len(run["results"]) > 10
    assert any("fixes" in r for r in run["results"])  # fixes are schema-checked too
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_unreadable_input_is_a_notification_in_valid_sarif(validator: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 au lait\n")
    good = tmp_path / "good.txt"
    good.write_bytes(SEED.read_bytes())
    status, doc = sarif("--source-lang", "fr", str(bad), str(good))
    assert status == 3
    assert errors(validator, doc) == []
    run = doc["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error"]
    assert str(bad) in notes[0]["message"]["text"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {good.as_uri()}
    assert doc["runs"][0]["invocations"][0]["executionSuccessful"] is False


# RFC 3986 URI-reference characters (unreserved, reserved and percent escapes).
_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def test_artifact_uri_is_a_uri_reference(tmp_path: Path) -> None:
    story = tmp_path / "my story 100%.txt"
    story.write_bytes(SEED.read_bytes())
    _, doc = sarif("--source-lang", "fr", str(story))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert _URI_REFERENCE.fullmatch(uri), uri
