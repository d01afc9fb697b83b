"""The engine's shortcuts never change what is found.

Triggers (prefilter.py) and the phrase word index are optimisations; a naive engine that runs
every rule's regex over the whole text must find exactly the same matches on real text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transqa.document import Document
from transqa.engine import build_scanner
from transqa.kinds.base import Kind
from transqa.kinds.phrases import Phrases
from transqa.prefilter import trigger
from transqa.ruleset import load_ruleset

from .conftest import CORPORA, ROOT, SHARED

RULES = load_ruleset([ROOT / "rules"], strict=True).rules


def _texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((CORPORA / "seed").glob("*.txt"))]
    for path in sorted(CORPORA.glob("*/annotated.jsonl")):
        mt = "\n\n".join(json.loads(line)["mt"] for line in path.read_text(encoding="utf-8").splitlines()
                         if line.strip())
        texts.append((path.parent.name, mt))
    # Doubled words, found through the word list rather than a string trigger (prefilter.REPEAT).
    texts.append(("doubled", "The the talks failed. He said that that was wrong; the government "
                  "government said\nthe\nthe end. Bathe theory and and. THE THE, of of the. The The "
                  "band. a a. government, government. Government government. the  the. Étéété été été."))
    # Phrases with runs of whitespace between their words (the phrase shortcut compares plain
    # strings and must step aside there).
    texts.append(("spaced phrases", "Explosions were heard on  the territory of the region.\n"
                  "Morale in the  l’ army is low; the l’\u00a0army too. On the territory  of\tthe "
                  "plant, the President of  the Council spoke. In these  hours the   OON met."))
    native = SHARED / "external" / "native-en" / "newstest2019.en-de.src.en"
    if native.exists():
        texts.append(("native-en", native.read_text(encoding="utf-8")[:60_000]))
    return texts


def _naive(matcher: Kind, doc: Document) -> list[tuple[int, int, str | None]]:
    assert matcher.pattern is not None
    return [(h.span.start, h.span.end, h.replacement)
            for m in matcher.pattern.finditer(doc.text) for h in matcher.hits(m, doc)]


@pytest.mark.parametrize(("name", "text"), _texts(), ids=lambda v: v if len(v) < 30 else "")
def test_shortcuts_find_what_a_naive_scan_finds(name: str, text: str) -> None:
    doc = Document(text)
    regex_rules = tuple(r for r in RULES if r.matcher.pattern is not None)
    scanner = build_scanner(regex_rules)
    fast: dict[str, list[tuple[int, int, str | None]]] = {r.id: [] for r in regex_rules}
    for rule, hit in scanner.run(doc):
        fast[rule.id].append((hit.span.start, hit.span.end, hit.replacement))
    for rule in regex_rules:
        naive = _naive(rule.matcher, doc)
        # Rules match within a line: drop naive matches that span a line break.
        naive = [h for h in naive if "\n" not in text[h[0] : h[1]]]
        assert sorted(fast[rule.id]) == sorted(naive), f"{rule.id} on {name}"


def test_triggers_are_computed_for_most_rules() -> None:
    sources = [r.matcher.source for r in RULES if r.matcher.source]
    with_trigger = [s for s in sources if trigger(s) is not None]
    assert len(with_trigger) >= 0.8 * len(sources)


def test_trigger_lead_and_literals() -> None:
    found = trigger(r"(?<![\w’'])(?P<clitic>[sSnN])[’'] (?=[a-z])")
    assert found is not None and found.lead == 0 and not found.folded
    assert found.literals == frozenset(
        f"{c}{q} " for c in "sSnN" for q in "’'")  # case-exact: searched in the unfolded text
    assert trigger(r"\bthe\b") is None  # too common to be worth a prefilter


@pytest.mark.parametrize(("pattern", "repeat"), [
    (r"(?<![\w'])(?P<w>[a-z]{4,})(?P<dup> (?-i:(?P=w)))(?![\w'])", True),
    (r"(?<!\w)(?!very\b)(?P<w>[Tt]he|an?)(?P<dup> (?=[a-z])(?i:(?P=w)))(?!\w)", True),
    (r"(?P<w>[a-z]+) (?P=w)", False),  # no word boundaries: "bathe theory" would match
    (r"(?<!\w)(?P<w>[a-z]*) (?P=w)(?!\w)", False),  # the word can be empty
    (r"(?<!\w)(?P<w>[a-z.]+) (?P=w)(?!\w)", False),  # not only word characters
    (r"(?<!\w)(?P<w>[a-z]+)  (?P=w)(?!\w)", False),  # two spaces: not what the word list finds
])
def test_doubled_word_trigger_only_where_sound(pattern: str, repeat: bool) -> None:
    found = trigger(pattern)
    assert (found is not None and found.repeat) is repeat


def test_case_sensitive_phrase_table_keeps_case_and_replacement() -> None:
    from transqa.kinds.base import Params
    from transqa.yamlsrc import LineDict

    raw = LineDict({"phrases": LineDict({"ООН": "UN", "МИД": "Foreign Ministry"}),
                    "case_sensitive": True})
    raw.key_lines = {}
    raw["phrases"].key_lines = {}
    table = Phrases(Params(raw, Path("x.yaml")))
    doc = Document("Officials at the МИД and the ООН; оон is not an acronym.")
    hits = [(doc.text[h.span.start : h.span.end], h.replacement) for h in table.scan(doc)]
    assert hits == [("МИД", "Foreign Ministry"), ("ООН", "UN")]


def test_trigger_index_is_fresh() -> None:
    """rules/triggers.json must match the rules: run `transqa rules index` after editing rules."""
    import json

    from transqa.engine import TRIGGER_INDEX, trigger_index

    shipped = json.loads((ROOT / "rules" / TRIGGER_INDEX).read_text(encoding="utf-8"))
    assert shipped == trigger_index(RULES), "stale rules/triggers.json: run `transqa rules index`"


@pytest.mark.parametrize(
    ("model", "replacement", "expected"),
    [("From “Tens” ", "“dozens” of ", "“Dozens” of "), ("tens ", "dozens of ", "dozens of "),
     ("OTAN", "nato", "NATO"), ("XIXe", "19th", "19th"), ("Against", "amid", "Amid")],
)
def test_follow_case(model: str, replacement: str, expected: str) -> None:
    from transqa.kinds.base import follow_case

    assert follow_case(model, replacement) == expected


def test_parsed_rules_bundle_is_fresh_and_equivalent() -> None:
    """rules/bundle.json must match the rule files, and rules loaded from it must be the same."""
    import json

    from transqa.ruleset import BUNDLE, bundle_data

    shipped = json.loads((ROOT / "rules" / BUNDLE).read_text(encoding="utf-8"))
    assert shipped == bundle_data(ROOT / "rules"), "stale rules/bundle.json: run `transqa rules index`"
    fast = load_ruleset([ROOT / "rules"], strict=False)
    assert [(r.id, r.message, r.flag, r.keep, r.matcher.source) for r in fast.rules] == [
        (r.id, r.message, r.flag, r.keep, r.matcher.source) for r in RULES]


def test_links_addresses_and_code_are_never_touched() -> None:
    from transqa import api
    from transqa.config import Config
    from transqa.model import Applicability

    text = ("See https://example.org/les-manifestants-s’-emparant and `s’ x` or mail s’x@ex.org;\n"
            "the demonstrators s’ seizing buildings.")
    fixed = api.fix(text, config=Config(source_lang="fr"), min_applicability=Applicability.UNSAFE)
    assert fixed.text == text.replace("demonstrators s’ seizing", "demonstrators seizing")


def test_doubled_word_trigger_knows_which_words_can_repeat() -> None:
    found = trigger(r"(?<!\w)(?P<w>[Tt]he|[Aa]n?)(?P<dup> (?i:(?P=w)))(?!\w)")
    assert found is not None and found.repeat and found.literals == frozenset({"the", "a", "an"})
    doc = Document("The the end. a a day. 6 6 draw. lies lies. the  the.")
    # Equal neighbours in the word list: a superset ("the  the" too), the regex decides.
    assert doc.doubled_word_starts(found.literals, found.shortest, found.letters) == [0, 13, 43]
    assert doc.doubled_word_starts(None, 4, True) == [32]
    assert doc.doubled_word_starts(None, 1, False) == [0, 13, 22, 32, 43]


def test_look_ahead_content_is_a_trigger_of_last_resort() -> None:
    teaser = trigger(r"^[^\S\n]*(?=(?:read also|see also))\S.*$")
    assert teaser is not None and teaser.literals == frozenset({"read also", "see also"})
    assert teaser.lead is None  # the line start is unbounded before it
    # A trigger outside the look-ahead is preferred: its lead is bounded.
    quote = trigger(r"[”\"],(?= (?:said|told))")
    assert quote is not None and quote.literals is not None and "said" not in quote.literals


def test_optional_characters_join_a_trigger_run() -> None:
    found = trigger(r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])[ ]?h[ ]?(?P<m>[0-5]\d)\b")
    assert found is not None and found.literals is not None and found.lead is not None
    for time in ("at 18 h 30", "at 18h30"):  # a literal of the trigger is in every match
        assert any(form in time and "h" in form for form in found.literals)
    assert found.lead <= 3  # at most "18 " before the trigger


def test_a_class_of_rare_characters_is_a_trigger() -> None:
    cyrillic = trigger(r"[А-ЯЁа-яё]+")
    assert cyrillic is not None and cyrillic.literals is not None and "ж" in cyrillic.literals
    assert trigger(r"[a-z]+") is None  # common letters: no trigger
    assert trigger(r"[\x0b\u200b]") is None  # holds whitespace, which the search folds to " "


def test_a_check_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    from transqa.engine import collector_paused, run_rules

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still paused inside, and after the inner one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        run_rules("The the end.", RULES)  # whoever had paused it keeps it paused
        assert not gc.isenabled()
    finally:
        gc.enable()
