"""scoring.py must print what the sacrebleu command line prints, digit for digit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from transqa.cli_eval import score_command
from transqa.scoring import Scorer, document_segment, score

from .conftest import ROOT, SHARED

SACREBLEU = Path(sys.executable).with_name("sacrebleu")
WMT = SHARED / "external" / "wmt21-deen"

HYP = ["He posted it on social networks.", "The mayor said no.", "  Crowds gathered on Sunday.\t",
       "She said that a dozen of people came.", "Ça coûte 3,5 € « environ »."]
REF_A = ["He posted it on social media.", "The mayor said no.", "Crowds gathered on Sunday.",
         "She said that a dozen people came.", "It costs about €3.50."]
REF_B = ["He put it on social media.", "The mayor refused.", "Crowds met on Sunday.",
         "About twelve people came, she said.", "It costs around 3.50 euros."]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sacrebleu(refs: list[Path], hyp: Path, *extra: str) -> list[str]:
    if not SACREBLEU.exists():
        pytest.skip("sacrebleu command line not installed in the venv")
    out = subprocess.run([str(SACREBLEU), *map(str, refs), "-i", str(hyp), "-m", "bleu", "chrf",
                          "ter", "-f", "text", *extra], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def _ours(hyp: Path, refs: list[Path], *extra: str) -> list[str]:
    args = [str(hyp), *(a for r in refs for a in ("--ref", str(r))), *extra]
    result = CliRunner().invoke(score_command, args)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.mark.parametrize("nrefs", [1, 2])
def test_score_prints_what_sacrebleu_prints(tmp_path: Path, nrefs: int) -> None:
    hyp = _write(tmp_path / "hyp.txt", HYP)
    refs = [_write(tmp_path / "a.txt", REF_A), _write(tmp_path / "b.txt", REF_B)][:nrefs]
    expected = _sacrebleu(refs, hyp)
    assert len(expected) == 3
    assert _ours(hyp, refs) == expected


@pytest.mark.skipif(not WMT.is_dir(), reason="shared WMT21 files not present")
def test_score_matches_sacrebleu_on_wmt21(tmp_path: Path) -> None:
    hyp = _write(tmp_path / "hyp", (WMT / "mt.happypoet.en").read_text("utf-8").splitlines()[:300])
    refs = [_write(tmp_path / f"ref{k}", (WMT / f"ref.{k}.en").read_text("utf-8").splitlines()[:300])
            for k in "AB"]
    assert _ours(hyp, refs) == _sacrebleu(refs, hyp)


def test_document_mode_is_one_segment_per_file(tmp_path: Path) -> None:
    hyp = _write(tmp_path / "hyp.txt", ["First line.", "", "  Second line. "])
    ref = _write(tmp_path / "ref.txt", ["First line, then", "the second line."])
    one_hyp = _write(tmp_path / "hyp1.txt", ["First line. Second line."])
    one_ref = _write(tmp_path / "ref1.txt", ["First line, then the second line."])
    assert _ours(hyp, [ref], "--document") == _sacrebleu([one_ref], one_hyp)


def test_json_format_carries_scores_and_signatures(tmp_path: Path) -> None:
    hyp = _write(tmp_path / "hyp.txt", HYP)
    ref = _write(tmp_path / "ref.txt", REF_A)
    data = json.loads(CliRunner().invoke(score_command, [str(hyp), "--ref", str(ref), "--format",
                                                         "json", "--metrics", "chrf"]).output)
    (only,) = data["scores"]
    assert only["name"] == "chrF2" and only["signature"].startswith("nrefs:1|")
    assert only["score"] == round(score(HYP, [REF_A], ("chrf",)).value("chrf"), 1)


def test_cached_scorer_equals_corpus_score() -> None:
    refs = [[document_segment(r) for r in REF_A], [document_segment(r) for r in REF_B]]
    scorer = Scorer(refs)
    variants = [HYP, [*HYP[:2], "The mayor refused.", *HYP[3:]], REF_A, HYP]
    for hyps in variants:
        cached = scorer(hyps)
        fresh = score(hyps, refs)
        assert [(s.name, s.score, s.signature, s.verbose) for s in cached.scores] == \
               [(s.name, s.score, s.signature, s.verbose) for s in fresh.scores]
    subset = scorer(HYP, [0, 3])
    assert subset.value("ter") == score([HYP[0], HYP[3]], [[r[0], r[3]] for r in refs]).value("ter")


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["missing.txt", "--ref", "ref.txt"], 3),  # unreadable hypothesis
        (["hyp.txt", "--ref", "short.txt"], 3),  # line counts differ
        (["hyp.txt", "--ref", "latin1.txt"], 3),  # not UTF-8
        (["hyp.txt", "--ref", "ref.txt", "--metrics", "bleu,meteor"], 2),
        (["hyp.txt"], 2),  # --ref is required
    ],
)
def test_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                    status: int) -> None:
    _write(tmp_path / "hyp.txt", HYP)
    _write(tmp_path / "ref.txt", REF_A)
    _write(tmp_path / "short.txt", REF_A[:2])
    (tmp_path / "latin1.txt").write_bytes("café\n".encode("latin-1") * len(HYP))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(score_command, args).exit_code == status


def test_sacrebleu_is_imported_only_by_scoring_and_only_when_scoring() -> None:
    importers = [p.name for p in (ROOT / "src" / "transqa").rglob("*.py")
                 if "import sacrebleu" in p.read_text("utf-8")
                 or "from sacrebleu" in p.read_text("utf-8")]
    assert importers == ["scoring.py"]
    code = ("import sys, transqa.scoring, transqa.evaluate, transqa.cli_eval, transqa.htmlreport;"
            "print('sacrebleu' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
