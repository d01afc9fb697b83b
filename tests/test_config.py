"""Configuration from [tool.transqa] / transqa.toml, and its effect on check."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from transqa import api
from transqa.cli import main
from transqa.config import Config, config_from_mapping, find_config_file, load_config
from transqa.errors import ConfigError
from transqa.model import Severity

TEXT = "The demonstrators s’ seizing buildings spread on social networks."


def test_pyproject_table_is_found_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.transqa]\nsource-lang = "fr"\nignore = ["calque"]\n'
        'severity = { "fr.StrayElision" = "info" }\n'
    )
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    found = find_config_file(nested)
    assert found == tmp_path / "pyproject.toml"
    config = load_config(found)
    findings = api.check(TEXT, config=config).findings
    assert [(f.rule_id, f.severity) for f in findings] == [("fr.StrayElision", Severity.INFO)]


def test_cli_reads_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "transqa.toml").write_text('source-lang = "fr"\nignore = ["fr.StrayElision"]\n')
    (tmp_path / "story.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "story.txt"])
    assert "fr.SocialNetworks" in result.output and "fr.StrayElision" not in result.output
    assert result.exit_code == 0  # only a warning is left


def test_unknown_keys_and_values_are_errors() -> None:
    with pytest.raises(ConfigError, match="unknown key"):
        config_from_mapping({"sourcelang": "fr"}, base=Path("."), where="x")
    with pytest.raises(ConfigError, match="source-lang"):
        config_from_mapping({"source-lang": "xx"}, base=Path("."), where="x")


def test_select_limits_rules() -> None:
    findings = api.check(TEXT, config=Config(source_lang="fr", select=("elision",))).findings
    assert {f.category.value for f in findings} == {"elision"}


def test_quote_style_selects_house_style_rules() -> None:
    text = "He called it “a disgrace”, then left."
    us = api.check(text, config=Config(source_lang="fr", preview=True)).findings
    assert "common.CommaInsideQuotesUS" in {f.rule_id for f in us}
    uk = config_from_mapping({"quote-style": "uk", "preview": True, "source-lang": "fr"},
                             base=Path("."), where="x")
    assert "common.CommaInsideQuotesUS" not in {f.rule_id for f in api.check(text, config=uk).findings}
    with pytest.raises(ConfigError, match="quote-style"):
        config_from_mapping({"quote-style": "fr"}, base=Path("."), where="x")
