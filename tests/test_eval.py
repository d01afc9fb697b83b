"""evaluate.py on corpora/eval-tiny, whose every number is worked out by hand in its README."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from transqa.cli_eval import eval_command
from transqa.config import Config
from transqa.corpus import load_corpus
from transqa.errors import InputError
from transqa.evaluate import EvalReport, evaluate
from transqa.model import Category
from transqa.scoring import score

from .conftest import CORPORA, ROOT

TINY = CORPORA / "eval-tiny"
HURT = ROOT / "tests" / "fixtures" / "rules-hurt"
HELPFUL, HARMFUL = "common.TinySocialNetworks", "common.HurtfulSaidStated"
# Only the two fixture rules run, so the built-in packs can grow without moving these numbers.
TINY_CONFIG = Config(rule_dirs=(HURT,), select=(HELPFUL, HARMFUL))

MT = ["He posted it on social networks.", "The mayor said no.", "Crowds gathered on Sunday.",
      "She said that a dozen of people came."]
GOLD = ["He posted it on social media.", "The mayor said no.", "Crowds gathered on Sunday.",
        "She said that a dozen people came."]


def bleu_by_hand(matches: list[int]) -> float:
    """Corpus BLEU with 26 hypothesis tokens (13a: the final period is a token), 25 reference
    tokens (no brevity penalty), and 26/22/18/14 hypothesis 1- to 4-grams."""
    product = 1.0
    for hits, total in zip(matches, [26, 22, 18, 14], strict=True):
        product *= hits / total
    return 100 * product ** 0.25


def chrf_from_definition(hyps: list[str], refs: list[str]) -> float:
    """chrF2 (Popović 2015) as sacrebleu 2 averages it: whitespace dropped, character 1..6-gram
    counts summed over the corpus, precision and recall averaged over n, then F(beta=2)."""
    precision = recall = 0.0
    for n in range(1, 7):
        hyp_n = ref_n = match_n = 0
        for hyp, ref in zip(hyps, refs, strict=True):
            h, r = "".join(hyp.split()), "".join(ref.split())
            hc = Counter(h[i:i + n] for i in range(len(h) - n + 1))
            rc = Counter(r[i:i + n] for i in range(len(r) - n + 1))
            hyp_n, ref_n = hyp_n + sum(hc.values()), ref_n + sum(rc.values())
            match_n += sum((hc & rc).values())
        precision, recall = precision + match_n / hyp_n / 6, recall + match_n / ref_n / 6
    return 100 * 5 * precision * recall / (4 * precision + recall)


@pytest.fixture(scope="module")
def tiny() -> EvalReport:
    return evaluate(TINY, config=TINY_CONFIG)


def test_detection_precision_and_recall(tiny: EvalReport) -> None:
    (calque,) = tiny.by_category
    # 3 findings (social networks, said, said), 1 right; 2 calque artifacts, 1 caught
    assert (calque.key, calque.findings, calque.true_positives, calque.caught) == ("calque", 3, 1, 1)
    assert calque.precision == pytest.approx(1 / 3) and calque.recall == 0.5
    rules = {d.key: d for d in tiny.by_rule}
    assert (rules[HELPFUL].precision, rules[HELPFUL].recall) == (1.0, 0.5)
    assert (rules[HARMFUL].findings, rules[HARMFUL].precision, rules[HARMFUL].recall) == (2, 0.0, 0.0)


def test_fix_accuracy(tiny: EvalReport) -> None:
    assert tiny.docs_exact == (2, 4)  # t1 (fixed) and t3 (untouched) equal gold
    assert tiny.artifacts_fixed == (1, 2)  # "social networks" fixed; "dozen of people" not
    assert [d.exact for d in tiny.documents] == [True, False, True, False]


def test_metrics_before_and_after_match_hand_computation(tiny: EvalReport) -> None:
    (row,) = tiny.metrics
    assert row.group == "fr" and row.before.n_segments == 4
    assert row.before.value("bleu") == pytest.approx(bleu_by_hand([24, 18, 13, 8]))  # 74.7
    assert row.after.value("bleu") == pytest.approx(bleu_by_hand([23, 16, 10, 6]))  # 62.6
    fixed = [d.fixed for d in tiny.documents]
    assert fixed == ["He posted it on social media.", "The mayor stated no.", MT[2],
                     "She stated that a dozen of people came."]
    assert row.before.value("chrf") == pytest.approx(chrf_from_definition(MT, GOLD))
    assert row.after.value("chrf") == pytest.approx(chrf_from_definition(fixed, GOLD))
    # TER (tercom words, punctuation attached): 21 reference words; 2 edits before, 3 after
    assert row.before.value("ter") == pytest.approx(100 * 2 / 21)
    assert row.after.value("ter") == pytest.approx(100 * 3 / 21)
    assert row.delta("bleu") < 0 < row.delta("ter")


def test_harmful_rule_ranks_last_with_its_own_effect(tiny: EvalReport) -> None:
    assert [e.rule_id for e in tiny.rules] == [HELPFUL, HARMFUL]
    helpful, harmful = tiny.rules
    after = bleu_by_hand([23, 16, 10, 6])
    # switching the harmful rule off leaves only "dozen of people" wrong
    assert dict(harmful.change)["bleu"] == pytest.approx(after - bleu_by_hand([25, 20, 15, 10]))
    # switching the helpful rule off leaves "social networks" and both "stated"
    assert dict(helpful.change)["bleu"] == pytest.approx(after - bleu_by_hand([22, 14, 8, 4]))
    assert dict(harmful.change)["ter"] == pytest.approx(100 * (3 - 1) / 21)
    assert harmful.harmful and not helpful.harmful
    assert (harmful.findings, harmful.fixes, harmful.docs) == (2, 2, 2)


def test_rules_firing_where_the_reference_kept_the_text_are_likely_false_positives(
    tiny: EvalReport,
) -> None:
    helpful, harmful = tiny.rules
    assert helpful.unchanged_count == 0
    assert [(x.doc_id, x.match, x.reason) for x in harmful.unchanged_in_ref] == [
        ("t2", "said", "segment equals the reference"),
        ("t4", "said", "span kept by the reference"),
    ]


def test_pairs_folder_and_seed_article() -> None:
    corpus = load_corpus(CORPORA / "seed")
    (doc,) = corpus.docs
    assert (corpus.kind, doc.id, doc.gold is not None) == ("pairs", "kazakhstan", True)
    report = evaluate(corpus, config=Config(source_lang="fr"))
    (row,) = report.metrics
    assert row.before.value("bleu") == pytest.approx(
        score([" ".join(doc.mt.split())], [[" ".join(doc.refs[0].split())]]).value("bleu"))
    assert report.fixes == sum(len(d.applied) for d in report.documents)


def test_line_aligned_systems(tmp_path: Path) -> None:
    (tmp_path / "src.de").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "mt.SysA.en").write_text(f"{MT[0]}\n{MT[1]}\n", encoding="utf-8")
    (tmp_path / "mt.SysB.en").write_text(f"{GOLD[0]}\n{MT[3]}\n", encoding="utf-8")
    (tmp_path / "ref.A.en").write_text(f"{GOLD[0]}\n{GOLD[1]}\n", encoding="utf-8")
    (tmp_path / "ref.B.en").write_text(f"{GOLD[0]}\n{GOLD[3]}\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.kind == "systems" and {d.source_lang for d in corpus.docs} == {"de"}
    report = evaluate(corpus, config=TINY_CONFIG)
    assert [r.group for r in report.metrics] == ["SysA", "SysB"]  # no pooled row across systems
    sys_a = report.metrics[0]
    assert sys_a.before.value("bleu") == pytest.approx(
        score(MT[:2], [[GOLD[0], GOLD[1]], [GOLD[0], GOLD[3]]]).value("bleu"))
    assert sys_a.after.value("chrf") == pytest.approx(score(
        ["He posted it on social media.", "The mayor stated no."],
        [[GOLD[0], GOLD[1]], [GOLD[0], GOLD[3]]], ("chrf",)).value("chrf"))
    (tmp_path / "ref.B.en").write_text("only one line\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_corpus(tmp_path)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "x", "mt": "abc", "gold": "abc",
          "artifacts": [{"start": 0, "end": 1, "category": "nonsense"}]}, "bad record"),
        ({"id": "x", "mt": "abc", "gold": "abc",
          "artifacts": [{"start": 2, "end": 9, "category": "calque"}]}, "outside"),
        ({"id": "x", "gold": "abc"}, "bad record"),
    ],
)
def test_bad_annotated_records_name_file_and_line(tmp_path: Path, record: dict[str, object],
                                                  message: str) -> None:
    path = tmp_path / "annotated.jsonl"
    path.write_text('{"id": "ok", "mt": "a", "gold": "a"}\n' + json.dumps(record) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=rf"annotated\.jsonl:2: .*{message}"):
        load_corpus(tmp_path)


def test_artifact_text_that_disagrees_with_its_offsets_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": "w", "source_lang": "fr", "mt": MT[0], "gold": GOLD[0],
                                "artifacts": [{"start": 15, "end": 30, "text": "social networks",
                                               "category": "calque"}]}) + "\n", encoding="utf-8")
    corpus = load_corpus(path)
    assert corpus.docs[0].artifacts[0].category is Category.CALQUE
    assert len(corpus.warnings) == 1 and "x.jsonl:1" in corpus.warnings[0]


def test_eval_command_text_json_and_exit_codes(tmp_path: Path) -> None:
    base = [str(TINY), "--rules-dir", str(HURT), "--select", HELPFUL, "--select", HARMFUL]
    text = CliRunner().invoke(eval_command, base)
    assert text.exit_code == 0, text.output
    last_rule_line = [line for line in text.output.splitlines() if "HARMFUL" in line]
    assert len(last_rule_line) == 1 and HARMFUL in last_rule_line[0]
    assert "74.7 →   62.6" in text.output
    data = json.loads(CliRunner().invoke(eval_command, [*base, "--format", "json"]).output)
    assert [r["rule"] for r in data["rules"]] == [HELPFUL, HARMFUL]
    assert data["fix_accuracy"] == {"documents": [2, 4], "artifacts": [1, 2]}
    html = tmp_path / "report" / "eval.html"
    assert CliRunner().invoke(eval_command, [*base, "--html", str(html)]).exit_code == 0
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert CliRunner().invoke(eval_command, [str(tmp_path / "nothing-here")]).exit_code == 3
    assert CliRunner().invoke(eval_command, [str(TINY), "--source-lang", "xx"]).exit_code == 2
