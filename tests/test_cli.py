"""The command line through click's CliRunner: formats, exit codes, stdin/stdout, fix, undo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from transqa.cli import main

from .conftest import CORPORA

SEED = CORPORA / "seed" / "kazakhstan.mt.en.txt"
GOLD = CORPORA / "seed" / "kazakhstan.gold.en.txt"


@pytest.fixture
def story(tmp_path: Path) -> Path:
    target = tmp_path / "story.txt"
    shutil.copy(SEED, target)
    return target


def run(*args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_check_text_format_and_exit_code(story: Path) -> None:
    result = run("check", "--source-lang", "fr", str(story))
    assert result.exit_code == 1
    assert f"{story}:5:1: error common.RelatedLinkTeaser" in result.output
    assert f"{story}:3:205: error fr.StrayElision" in result.output
    assert "→ (delete)" in result.output


def test_check_gold_passes_and_fail_on_levels() -> None:
    assert run("check", "--source-lang", "fr", str(GOLD)).exit_code == 0
    assert run("check", "--source-lang", "fr", "--fail-on", "never", str(SEED)).exit_code == 0
    # The editor kept the garbled last clause; it is still a warning to rephrase.
    strict = run("check", "--fail-on", "warning", "--source-lang", "fr", str(GOLD))
    assert strict.exit_code == 1 and "fr.DanglingRelativeClause" in strict.output


def test_json_offsets_are_code_points_into_the_text(story: Path) -> None:
    result = run("check", "--source-lang", "fr", "--format", "json", str(story))
    data = json.loads(result.output)
    text = story.read_text(encoding="utf-8")
    [file] = data["files"]
    assert file["source_lang"]["value"] == "fr" and file["source_lang"]["explicit"]
    keys = {"rule", "category", "severity", "start", "end", "line", "column", "text", "message",
            "replacement", "applicability", "confidence"}
    for finding in file["findings"]:
        assert keys <= finding.keys()
        assert text[finding["start"] : finding["end"]] == finding["text"]
    elision = next(f for f in file["findings"] if f["rule"] == "fr.StrayElision")
    assert (elision["category"], elision["replacement"], elision["applicability"]) == (
        "elision", "", "safe")
    assert data["summary"]["by_severity"]["error"] >= 5
    assert data["signature"].startswith("transqa:")


def test_jsonl_and_github_formats(story: Path) -> None:
    lines = run("check", "--source-lang", "fr", "--format", "jsonl", str(story)).output.splitlines()
    assert all(json.loads(line)["path"] == str(story) for line in lines)
    gh = run("check", "--source-lang", "fr", "--format", "github", str(story)).output
    assert f"::error file={story},line=3,col=205," in gh


def test_sarif_structure(story: Path) -> None:
    sarif = json.loads(run("check", "--source-lang", "fr", "--format", "sarif", str(story)).output)
    assert sarif["version"] == "2.1.0"
    [run_] = sarif["runs"]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["charLength"] >= 0
    assert run_["columnKind"] == "unicodeCodePoints"


def test_stdin_in_stdout_out() -> None:
    result = run("fix", "--source-lang", "fr", "-", input="The demonstrators s’ seizing it.\n")
    assert result.exit_code == 0
    assert result.stdout == "The demonstrators seizing it.\n"
    checked = run("check", "--source-lang", "fr", "-", input="The demonstrators s’ seizing it.")
    assert checked.exit_code == 1 and "<stdin>:1:19" in checked.output


def test_unreadable_input_exits_3_and_others_still_checked(tmp_path: Path, story: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    result = run("check", "--source-lang", "fr", str(bad), str(story), str(tmp_path / "missing.txt"))
    assert result.exit_code == 3
    assert "bad.txt: error: binary file" in result.output
    assert "missing.txt: error:" in result.output
    assert "fr.StrayElision" in result.output


def test_usage_errors_exit_2(story: Path) -> None:
    assert run("check", "--source-lang", "xx", str(story)).exit_code == 2
    assert run("fix", str(story), str(story)).exit_code == 2  # several inputs need --output
    assert run("fix", "--diff", "--in-place", str(story)).exit_code == 2


def test_rule_file_error_exits_2_with_file_and_line(tmp_path: Path, story: Path) -> None:
    pack = tmp_path / "extra" / "mine"
    pack.mkdir(parents=True)
    (pack / "Broken.yaml").write_text("kind: pattern\npattern: x\ncategory: calque\nbogus: 1\n")
    result = run("check", "--rules-dir", str(tmp_path / "extra"), str(story))
    assert result.exit_code == 2
    assert "Broken.yaml:4: bogus: unknown key" in result.output


def test_diff_writes_nothing(story: Path) -> None:
    before = story.read_bytes()
    result = run("fix", "--unsafe", "--diff", "--source-lang", "fr", str(story))
    assert result.exit_code == 0
    assert "-The movement of anger" in result.stdout and "+The wave of anger" in result.stdout
    assert story.read_bytes() == before


def test_fix_in_place_log_and_undo_round_trip(story: Path, tmp_path: Path) -> None:
    original = story.read_bytes()
    log = tmp_path / "fixes.jsonl"
    assert run("fix", "--unsafe", "--source-lang", "fr", "--in-place", "--log", str(log),
               str(story)).exit_code == 0
    assert story.read_text(encoding="utf-8") == GOLD.read_text(encoding="utf-8").removesuffix("\n")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) >= 20
    assert {"rule", "category", "applicability", "start", "end", "line", "column", "before",
            "after", "input_sha256", "signature"} <= records[0].keys()
    assert run("undo", str(log), "--in-place").exit_code == 0
    assert story.read_bytes() == original


def test_undo_refuses_a_file_edited_after_the_fix(story: Path, tmp_path: Path) -> None:
    log = tmp_path / "fixes.jsonl"
    run("fix", "--source-lang", "fr", "--in-place", "--log", str(log), str(story))
    story.write_text(story.read_text(encoding="utf-8") + "An editor's addition.", encoding="utf-8")
    edited = story.read_bytes()
    result = run("undo", str(log), "--in-place")
    assert result.exit_code == 3 and "no longer matches the log" in result.output
    assert story.read_bytes() == edited


def test_fix_several_inputs_to_an_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(SEED, src / "a.txt")
    shutil.copy(GOLD, src / "sub" / "b.txt")
    out = tmp_path / "out"
    assert run("fix", "--source-lang", "fr", "--output", str(out), str(src)).exit_code == 0
    assert (out / "sub" / "b.txt").read_bytes() == GOLD.read_bytes()
    assert "s’ seizing" not in (out / "a.txt").read_text(encoding="utf-8")


def test_rules_list_and_show() -> None:
    listing = run("rules", "list").output
    assert "common.QuotedFragmentCase" in listing and "rules per pack and category" in listing
    shown = run("rules", "show", "fr.StrayElision").output
    assert shown.startswith("# fr.StrayElision") and "## Why" in shown and "d’Estaing" in shown
    assert run("rules", "show", "fr.Nope").exit_code == 2


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "transqa", "check", "--source-lang", "fr", "-"],
                            input="The demonstrators s’ seizing it.", capture_output=True, text=True)
    assert result.returncode == 1 and "fr.StrayElision" in result.stdout


def test_internal_error_exits_4(monkeypatch: pytest.MonkeyPatch, story: Path) -> None:
    from transqa import api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "check", broken)
    result = run("check", str(story))
    assert result.exit_code == 4 and "internal error" in result.output


def test_rules_docs_writes_a_page_per_rule_from_the_rule_files(tmp_path: Path) -> None:
    result = run("rules", "docs", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    pages = {p.name for p in tmp_path.glob("*.md")}
    assert {"README.md", "fr.StrayElision.md", "es.CountWith.md"} <= pages
    count_with = (tmp_path / "es.CountWith.md").read_text(encoding="utf-8")
    assert "evidence weight: `1`" in count_with and "## Left alone" in count_with
    assert "evidence weight" not in (tmp_path / "fr.StrayElision.md").read_text(encoding="utf-8")
