"""Source-language inference (``--source-lang auto``): right language on evidence, None on English.

The evidence paragraphs are written for these tests: English news copy carrying the
fingerprints one source language leaves (typography, elisions, number formats, acronyms).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transqa import api, context, langid
from transqa.config import SOURCE_LANGS, Config
from transqa.infer import infer_source_lang
from transqa.ruleset import RuleSet, load_ruleset

from .conftest import CORPORA, SHARED, need
from .test_langid import AFTER, BEFORE, UNTRANSLATED

EVIDENCE = {
    "fr": "The United Nations (ONU) said on Tuesday that inflation reached 7,4 % in the region."
    " The protesters s’ gathered in the centre, chanting « Non à la vie chère » before the police"
    " intervened. The minister called for « calm » : talks will resume at 20h30.",
    "de": "The Federal Statistical Office said the BIP grew by 0,4 percent in the third quarter."
    " Around 1.500 workers went on strike, demanding „fair wages“ from the company. The"
    " government has set aside 3,5 Mrd. euros for the plan, and the EZB kept rates unchanged.",
    "es": "¿What will happen now? The ONU and the OTAN both called for restraint after the"
    " clashes. The government of EE.UU. said it was watching closely, while the PIB fell by 1,2"
    " percent. ¡Enough! shouted the crowd as the mayor arrived.",
    "it": "The ISTAT institute said the PIL rose by 0,3 percent, the best result dell’anno."
    " Around 12.000 people attended the rally in the centre of Rome, where the leader spoke of a"
    " «new season» for the country. The OMS warned about the heat.",
    "pt": "The government of the EUA was criticised by the ONU after the vote. The minister spoke"
    " of a «historic moment» for the country, while the PIB grew by 2,1 percent. Around 3.400"
    " people marched to the parliament, according to the OMS.",
    "ru": "The head of the ООН mission said the situation had stabilised. The ministry said about"
    " 1 500 people had been evacuated, calling the operation «a success». Earlier, НАТО officials"
    " had accused the country of provoking the crisis, and the ВВП forecast was cut.",
}
EXPECTED_EVIDENCE = {
    "fr": "acronym ONU", "de": "acronym BIP", "es": "inverted ¿ ¡", "it": "acronym PIL",
    "pt": "acronym EUA", "ru": "Cyrillic acronym",
}
#: Evidence shared by several source languages, alone, is not enough to pick one.
AMBIGUOUS = [
    "He said «no» and left the room.",
    "The ONU met in New York on Monday.",
    "Inflation reached 7,4 percent in March, the statistics office said.",
    "He posted the video on social networks.",
]
STRONG = {"typography", "elision", "acronym", "numbers", "untranslated", "quote_punct"}
NATIVE = SHARED / "external" / "native-en" / "newstest2019.en-de.src.en"
WMT_REFS = sorted((SHARED / "external" / "wmt21-deen").glob("ref.*.en"))


def _infer(text: str, ruleset: RuleSet, config: Config | None = None) -> api.SourceLang:
    return infer_source_lang(text, ruleset=ruleset, config=config or Config())


def _chunks(path: Path, size: int = 25) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]


@pytest.mark.parametrize("lang", sorted(EVIDENCE))
def test_typography_acronyms_and_numbers_point_to_the_source(ruleset: RuleSet, lang: str) -> None:
    result = _infer(EVIDENCE[lang], ruleset)
    assert result.value == lang, result.evidence
    assert Config().infer_threshold <= result.confidence <= 1.0
    assert not result.explicit
    assert any(EXPECTED_EVIDENCE[lang] in line for line in result.evidence), result.evidence


@pytest.mark.parametrize("lang", sorted(UNTRANSLATED))
def test_an_untranslated_sentence_names_the_source(ruleset: RuleSet, lang: str) -> None:
    text = f"{BEFORE} {UNTRANSLATED[lang][1]} {AFTER}"
    result = _infer(text, ruleset)
    assert result.value == lang, result.evidence
    assert any(line.startswith(f"untranslated sentence ({lang}, ") for line in result.evidence)


def test_untranslated_evidence_needs_langid(ruleset: RuleSet) -> None:
    text = f"{BEFORE} {UNTRANSLATED['it'][0]} {AFTER}"
    assert _infer(text, ruleset).value == "it"
    assert _infer(text, ruleset, Config(langid=False)).value is None


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_shared_or_weak_evidence_alone_gives_unknown(ruleset: RuleSet, text: str) -> None:
    result = _infer(text, ruleset)
    assert result.value is None, result.evidence


def test_seed_article_is_french(ruleset: RuleSet) -> None:
    text = (CORPORA / "seed" / "kazakhstan.mt.en.txt").read_text(encoding="utf-8")
    result = _infer(text, ruleset)
    assert result.value == "fr" and result.confidence >= 0.9, result.evidence


def test_clean_english_is_unknown(ruleset: RuleSet) -> None:
    need(NATIVE)
    docs = [p.read_text(encoding="utf-8") for p in sorted((CORPORA / "clean-en").glob("*.txt"))]
    docs += _chunks(NATIVE)
    docs.append(NATIVE.read_text(encoding="utf-8"))  # the whole file as one document
    wrong = [(doc[:60], r.value, r.confidence) for doc in docs if (r := _infer(doc, ruleset)).value]
    assert len(docs) > 80
    assert wrong == []


def test_professional_translations_are_never_confidently_misread(ruleset: RuleSet) -> None:
    """WMT21 references are human translations from German: they do carry translation habits
    ("shortly before 13h", "a spokesman of the fire brigade"), so a chunk may clear the low
    threshold, but never with real confidence, and overall at most 10 % of chunks."""
    need(SHARED / "external" / "wmt21-deen")
    docs = [chunk for ref in WMT_REFS for chunk in _chunks(ref)]
    results = [_infer(doc, ruleset) for doc in docs]
    assert len(docs) > 50
    assert max(r.confidence for r in results) < 0.6
    assert sum(1 for r in results if r.value) <= 0.1 * len(docs)


def _annotated() -> list[tuple[str, str]]:
    """(text, source_lang) of annotated MT documents that carry source evidence."""
    docs = []
    for path in sorted(CORPORA.glob("*/annotated.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            categories = {a.get("category") for a in record.get("artifacts", [])}
            if record.get("source_lang") and categories & STRONG:
                docs.append((record["mt"], record["source_lang"]))
    return docs


def test_inference_accuracy_on_evidence_carrying_documents(ruleset: RuleSet) -> None:
    """≥ 90 % right on every document with strong evidence (annotated corpora + the paragraphs
    above); the annotated corpora are written by the pack authors, so they are an outside test."""
    docs = _annotated()
    docs += [(text, lang) for lang, text in sorted(EVIDENCE.items())]
    docs += [(f"{BEFORE} {s} {AFTER}", lang) for lang, ss in sorted(UNTRANSLATED.items()) for s in ss]
    right = sum(1 for text, lang in docs if _infer(text, ruleset).value == lang)
    accuracy = right / len(docs)
    print(f"source inference: {right}/{len(docs)} = {accuracy:.1%} ({len(_annotated())} annotated)")
    # Measured 100/107 = 0.935 with the default threshold 0.1 (0.82 before rule evidence
    # weights, untranslated pack rules and teaser labels as evidence, and the context prior).
    # The 7 misses are documented in docs/langid.md: evidence that fits two languages with
    # nothing to break the tie (a lone « », "firmed" = it/es), or a weak clue alone.
    assert accuracy >= 0.93


def test_auto_runs_the_inferred_pack_only_when_confident() -> None:
    french = api.check(EVIDENCE["fr"])
    assert french.source_lang.value == "fr" and french.packs == ("common", "fr")
    english = api.check(f"{BEFORE} {AFTER}")
    assert english.source_lang.value is None and english.packs == ("common",)
    given = api.check(f"{BEFORE} {AFTER}", config=Config(source_lang="de"))
    assert given.source_lang.explicit and given.packs == ("common", "de")


def test_inference_is_deterministic(ruleset: RuleSet) -> None:
    text = "\n".join([*EVIDENCE.values(), *(s[0] for s in UNTRANSLATED.values())])
    assert _infer(text, ruleset) == _infer(text, ruleset)


def test_inference_on_a_clean_story_never_calls_langdetect(ruleset: RuleSet) -> None:
    """Speed is measured by ``make bench``, not here; what a test can pin down is the work."""
    need(NATIVE)
    story = "\n".join(NATIVE.read_text(encoding="utf-8").splitlines()[100:140])[:5000]
    assert len(story) >= 4500
    langid.reset_calls()
    for i in range(3):
        _infer(story + "\n" * (i + 2), ruleset)  # a new text each time: no result cache
    assert langid.calls() == 0


# --- rule evidence weights -------------------------------------------------------------------

CALQUE_RULE = """\
kind: phrases
category: calque
severity: warning
applicability: unsafe
message: m
why: w
phrases:
  budget manoeuvre: budget
flag:
  - text: 'The [[budget manoeuvre]] passed.'
    fix: 'The budget passed.'
keep:
  - 'The budget passed.'
"""


@pytest.mark.parametrize(("line", "expected"), [("", None), ("evidence: 1.0\n", "it")])
def test_a_rule_evidence_weight_outweighs_the_category_default(
        tmp_path: Path, line: str, expected: str | None) -> None:
    """A warning calque weighs 0.4 × 0.8: alone it stays below the threshold. The same rule
    declared a fingerprint (``evidence: 1.0``) names its pack's language."""
    (tmp_path / "it").mkdir()
    (tmp_path / "it" / "Manoeuvre.yaml").write_text(CALQUE_RULE.replace("why: w\n", f"why: w\n{line}"),
                                                     encoding="utf-8")
    rules = load_ruleset([tmp_path])
    result = _infer("The budget manoeuvre was approved by the cabinet.", rules)
    assert result.value == expected, result.evidence
    assert any("it.Manoeuvre (it)" in e for e in result.evidence)


def test_shipped_fingerprint_rules_carry_an_evidence_weight(ruleset: RuleSet) -> None:
    weights = {r.id: r.evidence for r in ruleset.rules if r.evidence is not None}
    assert weights["es.CountWith"] == weights["pt.CountWith"] == 1.0
    assert weights["it.ItalianOnlyFalseFriends"] == weights["de.GermanOnlyCalques"] == 1.0
    assert ruleset.by_id["it.ItalianFalseFriends"].evidence is None  # shared with es/fr/pt


def test_a_calque_two_languages_share_stays_a_tie(ruleset: RuleSet) -> None:
    """Spanish "contar con" and Portuguese "contar com" both give "counts with"."""
    result = _infer("The new hospital counts with more than 300 beds.", ruleset)
    assert result.value is None and "es and pt fit the evidence equally well" in result.evidence[0]


# --- evidence that no rule used to report ----------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "label"), [
    ("Several federal states, z. B. Bavaria, reject the plan.", "de", "de.GermanAbbreviations"),
    ("The trial begins on 3 März before the regional court.", "de", "de.GermanMonthNames"),
    ("The tax cut was approved.\nLeggi anche: Meloni e la manovra\nThe vote is next week.", "it",
     "teaser label Leggi anche (it)"),
    ("The cut was approved.\n\n→ LIRE AUSSI : Le budget adopté\n\nThe vote is next week.", "fr",
     "teaser label LIRE AUSSI (fr)"),
    ("Ukraine, which wants to join l’UE, hopes for a clear timetable.", "fr", "elided article l’"),
])
def test_untranslated_words_labels_and_elisions_are_evidence(
        ruleset: RuleSet, text: str, lang: str, label: str) -> None:
    result = _infer(text, ruleset)
    assert result.value == lang, result.evidence
    assert any(line.startswith(label) for line in result.evidence), result.evidence


def test_a_translated_teaser_says_nothing_about_the_source(ruleset: RuleSet) -> None:
    text = "The tax cut was approved.\nRead also: Meloni and the budget\nThe vote is next week."
    assert _infer(text, ruleset).evidence == ("no source-language evidence",)


def test_a_month_two_languages_share_is_split_between_them(ruleset: RuleSet) -> None:
    """es.DayOfMonth and es.SpanishMonthNames both hit "15 of marzo", it.ItalianMonthNames
    hits "marzo": each pack gets half, not es two thirds."""
    result = _infer("The new line opens on the 15 of marzo, the city announced.", ruleset)
    assert result.value is None and "es and it fit the evidence equally well" in result.evidence[0]


# --- context prior -----------------------------------------------------------------------------

def test_context_breaks_a_tie_among_the_languages_the_evidence_supports(ruleset: RuleSet) -> None:
    tie = "The ONU said 1.500 migrants landed over the weekend."
    assert _infer(tie, ruleset).value is None
    italy = _infer("The ONU said 1.500 migrants landed on Lampedusa over the weekend.", ruleset)
    assert italy.value == "it", italy.evidence
    assert "context: Italy (Lampedusa) → it ×2" in italy.evidence
    marzo = "The new line opens on the 15 of marzo"
    assert _infer(f"{marzo}, the Community of Madrid announced.", ruleset).value == "es"
    assert _infer(f"{marzo} in Milan.", ruleset).value == "it"


def test_context_never_creates_evidence(ruleset: RuleSet) -> None:
    text = ("Meloni met Lula in Rome, Macron flew to Madrid, and Putin stayed in Moscow while"
            " Scholz spoke in the Bundestag about the Selic rate.")
    result = _infer(text, ruleset)
    assert result.value is None and result.evidence == ("no source-language evidence",)


def test_context_adds_no_confidence_to_a_language_alone(ruleset: RuleSet) -> None:
    """Only the supported languages share the tilt: a lone Italian clue is no more certain
    in a story set in Italy, and a story set in Spain does not make it Spanish."""
    plain = _infer("The budget manoeuvre was approved.", ruleset)
    in_italy = _infer("The budget manoeuvre was approved in Rome.", ruleset)
    in_spain = _infer("The budget manoeuvre was approved in Madrid.", ruleset)
    assert plain.value == in_italy.value == in_spain.value == "it"
    assert plain.confidence == in_italy.confidence == in_spain.confidence
    assert not any(line.startswith("context") for line in in_spain.evidence)


def test_context_never_overturns_strong_evidence(ruleset: RuleSet) -> None:
    """The French paragraph carries ONU, which Italian shares, so Italy's names do tilt the
    prior, by a factor of 2; the French typography outweighs that many times over."""
    text = EVIDENCE["fr"] + " Meloni, Mattarella and Salvini met in Rome, Milan and Naples."
    result = _infer(text, ruleset)
    assert result.value == "fr" and result.confidence >= 0.9, result.evidence
    assert any(line.startswith("context: Italy (Meloni, Mattarella, Salvini)") for line in result.evidence)


def test_context_names_are_whole_words_and_case_sensitive() -> None:
    found = context.mentions("Romeo left rome; the Rio Grande do Sul floods reached Porto Alegre.")
    assert [(m.lang, m.country, m.names) for m in found] == [
        ("pt", "Brazil", ("Rio Grande do Sul", "Porto Alegre"))]


def test_context_data_is_well_formed(tmp_path: Path) -> None:
    names = context.load_names()
    assert {n.lang for n in names} == set(SOURCE_LANGS)
    bad = tmp_path / "context.yaml"
    bad.write_text("it:\n  Italy: [Rome]\nes:\n  Spain: [Rome]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'Rome' is listed under Italy and Spain"):
        context.load_names(bad)
