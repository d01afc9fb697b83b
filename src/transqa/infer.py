"""Source-language inference for ``--source-lang auto``: weigh all the evidence in the text.

MT English rarely says where it came from, but it leaves fingerprints, and each fingerprint
points to one or a few source languages:

- untranslated sentences and fragments (langdetect via the ``untranslated`` rules): strongest;
- untranslated words a source pack knows (``z. B.``, "the 15 of marzo", ``on jeudi``): a pack
  rule of category ``untranslated`` weighs 3 like any hit of that category (they were neutral
  until the 82 → 93 % change: only langdetect findings carried a language);
- a related-story teaser label left in the source language ("Leggi anche:", "Lire aussi :"):
  the teaser rules (mostly in ``common``) find the line, the label table here says the language;
- typography: « » (fr with inner spaces; ru/it/es/pt/fr without), „ “ (de, sometimes ru),
  ¿ ¡ (es), a space before ; : ! ? (fr);
- elisions left in English: ``s’ seizing`` (fr), ``dell’`` (it), ``l’army`` and ``l’UE`` (fr/it:
  both languages elide the article before a vowel or an acronym);
- number formats: ``1.500`` (de/es/it/pt), ``1 500`` (fr/ru), ``Mrd.`` (de), ``20h30`` (fr);
- source-language acronyms: ООН (ru), ONU (fr/es/it/pt), OTAN (fr/es/pt), PIL (it), BIP (de);
- the hits of every source pack's own rules, weighted by category: calques and word order are
  weak (English writers produce them too), typography, elisions, acronyms and numbers strong. A
  rule's ``evidence:`` field overrides its category weight: "counts with more than" or "said
  towards the newspaper" is a calque no English writer produces, so it weighs 1, as an acronym.

Shared evidence splits: « » counts a little for each language that uses it, and when rules of
several packs hit the same span, each pack gets an equal share however many of its rules hit
(es.CountWith and pt.CountWith: es/pt; "marzo": es/it). Overlapping items count once (a built-in
elision feature and ``fr.StrayElision`` on the same ``s’``). Repeats of one feature add with
diminishing returns (1 + ln n), so one long story of calques cannot outvote an untranslated
sentence. Confidence = (top score / all scores) × (1 − exp(−top score / 1.5)): it needs both a
clear winner and enough evidence; below ``config.infer_threshold`` the answer is "unknown".

The context prior (``data/context.yaml``, :mod:`transqa.context`) breaks ties: a language the
evidence already supports and whose country the text names (Rome, Meloni; Valladolid; rubles)
gets twice the prior of the other supported languages, whose total is kept, so context only
moves belief among what the artifacts allow. It is never evidence: English with no artifact is
"no source-language evidence" whatever it names, a clue of one language alone is no more
certain for it, and a 2:1 tilt cannot overturn a lead larger than 2:1 (one strong item that a
language cannot explain is worth 21:1; one warning calque 2.6:1).
No langdetect call happens here unless a sentence fails the cheap English test.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import context
from .config import COMMON_PACK, SOURCE_LANGS
from .engine import run_rules
from .model import Category, Finding, Severity, Span

if TYPE_CHECKING:
    from .api import SourceLang
    from .config import Config
    from .ruleset import Rule, RuleSet

Dist = Mapping[str, float]

#: How much one hit of a source-pack rule says about the source language, by category.
CATEGORY_WEIGHT: dict[Category, float] = {
    Category.UNTRANSLATED: 3.0,
    Category.TYPOGRAPHY: 1.0,
    Category.ELISION: 1.0,
    Category.ACRONYM: 1.0,
    Category.NUMBERS: 0.8,
    Category.QUOTE_PUNCT: 0.8,
    Category.HONORIFIC: 0.6,
    Category.SPACING: 0.6,
    Category.CALQUE: 0.4,
    Category.WORD_ORDER: 0.4,
    Category.QUOTE_CASE: 0.3,
    Category.DEMONYM_CASE: 0.3,
    Category.BOILERPLATE: 0.3,
    Category.DUPLICATION: 0.2,
    Category.ENCODING: 0.2,
}
SEVERITY_FACTOR = {Severity.ERROR: 1.0, Severity.WARNING: 0.8, Severity.INFO: 0.5}
#: Scale of the evidence-amount term: a total weight of 1.5 gives 63 % of full confidence.
EVIDENCE_SCALE = 1.5
#: Length of a typical news story in words; pack-rule evidence beyond it counts as a density.
STORY_WORDS = 800
#: Floor of every likelihood, so that one item a language cannot explain does not rule it out.
EPSILON = 0.05
MAX_EVIDENCE_LINES = 8
#: A runner-up this close to the best means the evidence does not single out one language.
TIE = 0.9
#: The best language's posterior must reach this: one shared clue (« ») leaves it at 0.27.
MIN_POSTERIOR = 0.3
#: Prior weight of a supported language whose country the text names (see _context_prior).
CONTEXT_FACTOR = 2.0
MAX_CONTEXT_NAMES = 3


@dataclass(frozen=True)
class Feature:
    """A built-in fingerprint: a regex and the languages it points to.

    With a ``table``, the languages depend on what matched (``ONU`` and ``OTAN`` are shared by
    different languages): the match, case-folded when ``fold``, is looked up in it.
    """

    label: str
    pattern: re.Pattern[str]
    dist: Dist
    weight: float
    table: Mapping[str, Dist] | None = None
    fold: bool = False


def _f(label: str, pattern: str, dist: Dist, weight: float = 1.0, flags: int = 0) -> Feature:
    return Feature(label, re.compile(pattern, flags | re.MULTILINE), dist, weight)


def _table_feature(label: str, table: Mapping[str, Dist], weight: float, *, fold: bool) -> Feature:
    """Any key of ``table`` as a whole word (longest first), pointing to its languages."""
    keys = "|".join(re.escape(k) for k in sorted(table, key=lambda k: (-len(k), k)))
    flags = re.IGNORECASE if fold else 0
    return Feature(label, re.compile(rf"(?<![\w.])(?:{keys})(?![\w])", flags | re.MULTILINE), {},
                   weight, table, fold)


_LATIN_ACRONYMS: dict[str, Dist] = {
    "ONU": {"fr": 1, "es": 1, "it": 1, "pt": 1},
    "OTAN": {"fr": 1, "es": 1, "pt": 1},
    "OMS": {"fr": 1, "es": 1, "it": 1, "pt": 1},
    "PIB": {"fr": 1, "es": 1, "pt": 1},
    "PIL": {"it": 1},
    "BIP": {"de": 1},
    "EZB": {"de": 1},
    "BCE": {"fr": 1, "es": 1, "it": 1, "pt": 1},
    "FMI": {"fr": 1, "es": 1, "it": 1, "pt": 1},
    "UE": {"fr": 1, "es": 1, "it": 1, "pt": 1},
    "EUA": {"pt": 1},
    "EE.UU.": {"es": 1},
    "EEUU": {"es": 1},
}

#: Labels of related-story teasers left in the source language ("Leggi anche: Meloni e la
#: manovra"). The teaser rules, most of them in ``common``, know that a line is a teaser but
#: not in which language; the label says it, as surely as an untranslated word.
_TEASER_LABELS: dict[str, tuple[str, ...]] = {
    "fr": ("lire aussi", "à lire aussi", "a lire aussi", "lire également", "à lire également",
           "à voir aussi", "a voir aussi", "voir aussi", "à voir également", "à écouter aussi",
           "lire la suite"),
    "de": ("lesen sie auch", "lesen sie mehr", "mehr zum thema", "mehr dazu", "auch interessant",
           "das könnte sie auch interessieren", "weitere artikel"),
    "es": ("lee también", "lea también", "leer más", "ver también", "vea también",
           "te puede interesar", "le puede interesar", "también te puede interesar"),
    "it": ("leggi anche", "leggi pure", "vedi anche", "guarda anche", "potrebbe interessarti",
           "ti potrebbe interessare", "approfondisci"),
    "pt": ("leia também", "leia mais", "veja também", "saiba mais", "veja mais"),
    "ru": ("читайте также", "смотрите также", "читайте подробнее"),
}
TEASER_LABELS: dict[str, Dist] = {
    label: {lang: 1} for lang, labels in _TEASER_LABELS.items() for label in labels
}
#: An untranslated teaser label weighs what an untranslated word found by a pack rule weighs.
TEASER_WEIGHT = 3.0
TEASER = _table_feature("teaser label", TEASER_LABELS, TEASER_WEIGHT, fold=True)

FEATURES: tuple[Feature, ...] = (
    _f("guillemets with inner spaces « x »", r"«[\u00a0\u202f ][^«»\n]{1,300}?[\u00a0\u202f ]»",
       {"fr": 1}),
    _f("guillemets «x»", r"«(?![\u00a0\u202f ])[^«»\n]{1,300}?(?<![\u00a0\u202f ])»",
       {"ru": 0.3, "it": 0.2, "es": 0.2, "pt": 0.2, "fr": 0.1}),
    _f("low-high quotes „x“", r"„[^„“”\n]{1,300}[“”]", {"de": 0.8, "ru": 0.2}),
    _f("inverted ¿ ¡", r"[¿¡]", {"es": 1}),
    _f("space before ; : ! ?", r"(?<=\w)[\u00a0\u202f ][;:!?](?=\s|$)", {"fr": 1}, 0.8),
    _f("French elision", r"(?<![\w’'])(?:[dnsjmtDNSJMT]|[Qq]u)[’'] ?(?=[a-zà-ÿ])",
       {"fr": 0.85, "it": 0.15}),
    # Before a lowercase word (l’armée, l’esercito) or an acronym (l’UE, l’ONU: French and
    # Italian elide before acronyms too, English never writes an article there).
    _f("elided article l’", r"(?<![\w’'])[lL][’'] ?(?=[a-zà-ÿ]|[A-Z]{2,}\b)", {"fr": 0.7, "it": 0.3}),
    _f("Italian elision", r"(?<![\w’'])(?:[Dd]ell|[Nn]ell|[Aa]ll|[Ss]ull|[Dd]all|[Uu]n)[’'] ?"
       r"(?=[a-zà-ÿ])", {"it": 1}),
    _f("thousands with dots 1.500", r"(?<![\d.,$£€])[1-9]\d{0,2}(?:\.\d{3})+(?![\d.,])"
       r"(?! ?(?:billion|million|trillion|bn|m)\b)", {"de": 0.4, "es": 0.2, "it": 0.2, "pt": 0.2},
       0.5),
    _f("thousands with spaces 1 500", r"(?<![\d.,])[1-9]\d{0,2}(?:[\u00a0\u202f ]\d{3})+(?![\d.,])",
       {"fr": 0.4, "ru": 0.4, "pt": 0.2}, 0.6),
    _f("German number abbreviation", r"\b\d+(?:,\d+)? (?:Mrd|Mio|Tsd)\.", {"de": 1}, 0.8),
    _f("Russian number abbreviation", r"\b\d+(?:,\d+)? ?(?:млн|млрд|тыс)\.?", {"ru": 1}, 0.8),
    _f("hour-h time 20h30", r"\b(?:[01]?\d|2[0-3]) ?h ?[0-5]\d\b", {"fr": 0.5, "pt": 0.4, "es": 0.1},
       0.6),
    _f("Cyrillic acronym", r"\b(?:ООН|НАТО|ВОЗ|ВВП|МВФ|США|РФ|МИД|ЕС|СНГ|ОДКБ)\b", {"ru": 1}),
    # Conventions every source language shares: they say "translated", not "from which". They
    # are listed so that a pack rule on the same span (ru.DecimalComma) does not claim it.
    _f("decimal comma 7,4", r"(?<![\d,.])\d{1,3},\d{1,2}(?![\d,])", {}, 0.0),
    _f("currency after the number", r"\d[^\S\n]?[$€£₽](?![\w\d])", {}, 0.0),
    _f("date order 5 of January", r"\b\d{1,2} of [A-Z][a-z]+", {}, 0.0),
    _f("quotation punctuation", r"[,?!][”\"»][^\S\n]*[–—-]|[”\"»],", {}, 0.0),
    _f("space before %", r"(?<=\d)[\u00a0\u202f ]%",
       {"fr": 0.3, "de": 0.2, "ru": 0.2, "es": 0.1, "it": 0.1, "pt": 0.1}, 0.6),
    _f("milliard", r"\b[Mm]illiards?\b", {"fr": 0.4, "ru": 0.4, "de": 0.2}, 0.8),
    _table_feature("acronym", _LATIN_ACRONYMS, 1.0, fold=False),
    TEASER,
)


#: Precedence of evidence on one span: a detected language beats the built-in typology, which
#: knows which languages share a convention, which beats a single pack's rule.
RULE, BUILTIN, DETECTED = 0, 1, 2


@dataclass(frozen=True)
class Item:
    """One piece of evidence: where, what, which languages it points to, and how strongly.

    An empty ``dist`` is neutral: a shared convention that says nothing about the language.
    """

    start: int
    end: int
    label: str
    dist: Dist
    weight: float
    rank: int = RULE


def infer_source_lang(
    text: str, *, ruleset: RuleSet, config: Config, findings: Sequence[Finding] | None = None
) -> SourceLang:
    """The most likely source language with its confidence and the evidence behind it.

    ``value`` is None ("unknown") when the confidence stays below ``config.infer_threshold``:
    clean English, or evidence that does not single out one language. ``findings`` are the
    findings of every pack on ``text`` when the caller already has them (``api.check`` scans
    all packs once and keeps the inferred pack's findings), so no rule runs twice.
    """
    from .api import SourceLang

    rules = _evidence_rules(ruleset, config)
    if findings is None:
        findings = [f for pack in sorted({r.pack for r in rules})
                    for f in run_rules(text, tuple(r for r in rules if r.pack == pack))]
    else:
        wanted = {r.id for r in rules}
        findings = [f for f in findings if f.rule_id in wanted]
    by_id = {r.id: r for r in rules}
    rule_items = list(_rule_items(findings, by_id))
    anchors = [f.span for f in findings if _is_anchor(by_id[f.rule_id])]
    items = [*_confirmed_features(text, rule_items, anchors), *rule_items]
    evidence = _combine(items, _rule_scale(text))
    if not evidence:
        return SourceLang(None, 0.0, ("no source-language evidence",))
    prior, context_lines = _context_prior(text, evidence)
    posterior, amount = _posterior(evidence, prior)
    ranked = sorted(posterior.items(), key=lambda kv: (-kv[1], SOURCE_LANGS.index(kv[0])))
    best, top = ranked[0]
    confidence = round(top * amount, 3)
    summary = ", ".join(f"{lang} {p:.2f}" for lang, p in ranked[:3])
    lines = (*_describe(evidence)[:MAX_EVIDENCE_LINES], *context_lines,
             f"posterior: {summary}; amount {amount:.2f}")
    if confidence < config.infer_threshold:
        note = f"best guess {best} ({confidence:.2f}) is below the threshold {config.infer_threshold}"
        return SourceLang(None, confidence, (note, *lines))
    if top < MIN_POSTERIOR:
        note = f"{best} is only {top:.2f} likely: the evidence does not single out a language"
        return SourceLang(None, confidence, (note, *lines))
    if len(ranked) > 1 and ranked[1][1] >= TIE * top:
        note = f"{best} and {ranked[1][0]} fit the evidence equally well"
        return SourceLang(None, confidence, (note, *lines))
    return SourceLang(best, confidence, lines)


def _evidence_rules(ruleset: RuleSet, config: Config) -> tuple[Rule, ...]:
    """Every source pack's rules, the common language-identification rules, and the common
    boilerplate rules (teasers), whose lines are searched for a source-language label."""
    rules = []
    for rule in ruleset.select([*SOURCE_LANGS, COMMON_PACK]):
        if rule.status == "preview" and not config.preview:
            continue
        if rule.kind == "untranslated":
            if config.langid:
                rules.append(rule)
        elif rule.pack != COMMON_PACK or _is_anchor(rule):
            rules.append(rule)
    return tuple(rules)


def _is_anchor(rule: Rule) -> bool:
    """A common teaser rule: no evidence itself, but its line may hold a source-language label."""
    return rule.pack == COMMON_PACK and rule.category is Category.BOILERPLATE


def _confirmed_features(text: str, rule_items: Sequence[Item], anchors: Sequence[Span] = ()
                        ) -> Iterable[Item]:
    """Built-in fingerprints that overlap a pack rule's finding, searched on those lines only.

    The features know which languages share a convention (« » is fr, ru, it, es, pt) but not
    the context that makes it an artifact; the rules know the context (a helpline "116 123", a
    year "500 BCE" and a quoted "20h30" are English). Alone, the features made clean English
    look French (0.92 for fr on the trap corpus); together, the rule says "artifact" and the
    feature says "from where". Counting unconfirmed features at 0.3 or 0.6 of their weight
    changed no inference on the test documents, so they are not searched at all: the feature
    regexes ran over the whole text and were a fifth of a full check.

    A common teaser rule's finding (``anchors``) confirms the teaser-label feature only: the
    rule says "this line is a teaser", the label says in which language it was left.
    """
    lines: dict[tuple[int, int], tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
    spans = [(item.start, item.end, 0) for item in rule_items]
    spans += [(anchor.start, anchor.end, 1) for anchor in anchors]
    for start, end, kind in spans:
        lo = text.rfind("\n", 0, start) + 1
        hi = text.find("\n", end)
        lines.setdefault((lo, len(text) if hi == -1 else hi), ([], []))[kind].append((start, end))
    for (lo, hi), (rule_spans, anchor_spans) in sorted(lines.items()):
        features = FEATURES if rule_spans else (TEASER,)
        for found in _feature_items(text, lo, hi, features):
            teaser = found.label.startswith(TEASER.label)
            confirming = [*rule_spans, *anchor_spans] if teaser else rule_spans
            if any((a < found.end and found.start < b) or a == found.start for a, b in confirming):
                yield found


def _feature_items(text: str, lo: int = 0, hi: int | None = None,
                   features: Sequence[Feature] = FEATURES) -> Iterable[Item]:
    for feature in features:
        for m in feature.pattern.finditer(text, lo, len(text) if hi is None else hi):
            dist, label = feature.dist, feature.label
            if feature.table is not None:
                key = m.group(0).lower() if feature.fold else m.group(0)
                dist, label = feature.table[key], f"{feature.label} {m.group(0)}"
            yield Item(m.start(), m.end(), label, dist, feature.weight, BUILTIN)


def _rule_items(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> Iterable[Item]:
    """A source pack's hit points to that pack's language, weighted by the rule's ``evidence``
    or else by its category and severity; language identification names its own language."""
    for finding in findings:
        if finding.severity is Severity.INFO:
            continue  # info rules are the ambiguous ones: no evidence of where a text came from
        rule = rules.get(finding.rule_id)
        if rule is None or _is_anchor(rule):
            continue
        if rule.kind == "untranslated":
            yield _untranslated_item(finding)
            continue
        # A pack rule of category "untranslated" (z. B., "15 of marzo") is evidence for its pack
        # like any other rule; only language identification carries its language in the data.
        weight = rule.evidence
        if weight is None:
            weight = CATEGORY_WEIGHT.get(finding.category, 0.3) * SEVERITY_FACTOR[finding.severity]
        if weight > 0:
            yield Item(finding.span.start, finding.span.end, finding.rule_id, {rule.pack: 1}, weight)


def _untranslated_item(finding: Finding) -> Item:
    data = dict(finding.data)
    lang = str(data.get("lang", ""))
    probability = float(data.get("probability", 0.0))
    dist: Dist = {lang: 1} if lang in SOURCE_LANGS else {}
    unit = "text" if finding.rule_id.endswith("NotEnglish") else "untranslated sentence"
    if finding.rule_id.endswith("Fragment"):
        unit = "untranslated fragment"
    label = f"{unit} ({lang}, {probability:.2f})"
    return Item(finding.span.start, finding.span.end, label,
                dist, CATEGORY_WEIGHT[Category.UNTRANSLATED] * probability, DETECTED)


def _context_prior(text: str, evidence: Sequence[Evidence]) -> tuple[dict[str, float], list[str]]:
    """Prior weights from the source countries the text names, and the lines that show them.

    Only the languages some evidence item already points to (the supported ones) take part: a
    named one weighs ``CONTEXT_FACTOR`` times an unnamed one, and the weights are scaled so that
    the supported languages keep their total prior. Context thus moves belief among the
    languages the evidence allows and never adds any: naming Rome breaks a tie between Italian
    and Portuguese, but a lone Spanish calque in a story set in Valladolid is not one bit more
    certain, a French calque never turns Italian, and English without evidence never gets here.
    """
    supported = {lang for ev in evidence for _, dist in ev.entries
                 for lang, share in dist.items() if share > 0}
    if len(supported) < 2:
        return {}, []  # one language (or none): nothing to tilt
    named: dict[str, list[str]] = defaultdict(list)
    for mention in context.mentions(text):
        if mention.lang in supported:
            shown = ", ".join(mention.names[:MAX_CONTEXT_NAMES])
            named[mention.lang].append(f"{mention.country} ({shown})")
    if not named or len(named) == len(supported):
        return {}, []  # nothing to tilt: no names, or every supported language is named
    scale = len(supported) / (len(supported) + (CONTEXT_FACTOR - 1) * len(named))
    prior = {lang: (CONTEXT_FACTOR if lang in named else 1.0) * scale for lang in supported}
    lines = [f"context: {'; '.join(named[lang])} → {lang} ×{CONTEXT_FACTOR:g}"
             for lang in SOURCE_LANGS if lang in named]
    return prior, lines


@dataclass(frozen=True)
class Evidence:
    """All groups of one label (``fr.StrayElision``, ``acronym ONU``) after merging overlaps."""

    label: str
    entries: tuple[tuple[float, Dist], ...]

    @property
    def damp(self) -> float:
        """Repeats add with diminishing returns: n hits weigh 1 + ln n, not n."""
        n = len(self.entries)
        return (1.0 + math.log(n)) / n


def _rule_scale(text: str) -> float:
    """Pack-rule hits count as a density beyond one story's length.

    A calque rule fires now and then on any English; over a 1,000-line file those hits add up
    to the pack with the most rules (the whole WMT21 German→English reference file came out
    "ru" at 0.75 before this). Built-in typology and detected languages are not scaled.
    """
    n_words = len(text.split())
    return min(1.0, STORY_WORDS / n_words) if n_words else 1.0


def _combine(items: list[Item], rule_scale: float = 1.0) -> list[Evidence]:
    """Merge overlapping items (one span is one piece of evidence) and group them by label."""
    by_label: dict[str, list[tuple[float, Dist]]] = defaultdict(list)
    for group in _overlap_groups(items):
        top_rank = max(i.rank for i in group)
        chosen = [i for i in group if i.rank == top_rank]
        lead = max(chosen, key=lambda i: (i.weight, i.label))
        dist = _mean_dist([i.dist for i in chosen if i.dist])
        weight = lead.weight * (rule_scale if top_rank == RULE else 1.0)
        if dist and weight > 0:
            by_label[lead.label].append((weight, dist))
    return [Evidence(label, tuple(by_label[label])) for label in sorted(by_label)]


def _posterior(evidence: Sequence[Evidence], prior: Mapping[str, float] | None = None
               ) -> tuple[dict[str, float], float]:
    """P(lang | evidence) from the prior (uniform unless given), and how much evidence there
    is (0..1); the prior does not change the amount.

    Each item is a likelihood ``EPSILON + dist(lang)`` raised to its weight: evidence shared by
    the top language (ONU for a Portuguese source) does not count against it, evidence it
    cannot explain does. ``EPSILON`` keeps one odd item from ruling a language out.
    """
    prior = prior or {}
    log_like = {lang: math.log(prior.get(lang, 1.0)) for lang in SOURCE_LANGS}
    total_weight = 0.0
    for ev in evidence:
        for weight, dist in ev.entries:
            w = weight * ev.damp
            total_weight += w
            for lang in SOURCE_LANGS:
                log_like[lang] += w * math.log(EPSILON + dist.get(lang, 0.0))
    peak = max(log_like.values())
    raw = {lang: math.exp(v - peak) for lang, v in log_like.items()}
    norm = sum(raw.values())
    amount = 1.0 - math.exp(-total_weight / EVIDENCE_SCALE)
    return {lang: v / norm for lang, v in raw.items()}, amount


def _describe(evidence: list[Evidence]) -> list[str]:
    """Evidence lines, strongest first: ``3× fr.StrayElision (fr)``."""
    lines = []
    for ev in evidence:
        n = len(ev.entries)
        strength = sum(w for w, _ in ev.entries) * ev.damp
        langs = sorted({lang for _, d in ev.entries for lang in d}, key=SOURCE_LANGS.index)
        count = f"{n}× " if n > 1 else ""
        where = "" if ev.label.startswith(("untranslated", "text (")) else f" ({'/'.join(langs)})"
        lines.append((strength, f"{count}{ev.label}{where}"))
    lines.sort(key=lambda c: (-c[0], c[1]))
    return [line for _, line in lines]


def _overlap_groups(items: list[Item]) -> list[list[Item]]:
    groups: list[list[Item]] = []
    end = -1
    for item in sorted(items, key=lambda i: (i.start, i.end, i.label)):
        if groups and item.start < end:
            groups[-1].append(item)
            end = max(end, item.end)
        else:
            groups.append([item])
            end = item.end
    return groups


def _mean_dist(dists: list[Dist]) -> dict[str, float]:
    """Average of the distinct normalised distributions: two packs on one span get half each,
    however many rules of each pack hit it (es.DayOfMonth and es.SpanishMonthNames on
    "15 of marzo" are one vote for es, it.ItalianMonthNames one for it)."""
    unique = list({tuple(sorted(d.items())): d for d in dists}.values())
    result: dict[str, float] = defaultdict(float)
    for dist in unique:
        total = sum(dist.values())
        for lang, value in dist.items():
            result[lang] += value / total / len(unique)
    return dict(result)
