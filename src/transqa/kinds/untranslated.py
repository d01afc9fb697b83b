"""``untranslated``: text left in the source language, found by language identification.

MT engines pass through what they cannot translate: a whole sentence, a clause inside an English
sentence, or a whole file that never went through translation. One kind, three ``mode:`` values
(each a rule file in ``rules/common``):

- ``sentence``: a sentence or line (headlines and teasers are units too) confidently not English;
- ``fragment``: an English sentence holding a long run of foreign words (``min_run``);
- ``document``: the whole input is not English (a wrong file in the pipeline): one finding, and
  the sentence mode then stays quiet instead of flagging every line.

False positives are the danger, so before detection each unit is *masked*: quotations (“…”, "…",
«…», „…“) and capitalised words after the first (names, acronyms, tickers, bylines) are dropped;
a unit with fewer than ``min_words`` remaining words is skipped; and a cheap English
function-word test (``max_english_share``) settles most units without calling langdetect at all.
The thresholds were measured on 1,997 native English news lines, 7,000 lines of German→English
MT and references, and 1,000 German lines; see docs/langid.md.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from .. import langid, lexicon
from ..model import Applicability, Span
from .base import Hit, Kind, Params

if TYPE_CHECKING:
    from ..document import Document

MODES = ("sentence", "fragment", "document")
DEFAULT_LANGUAGES = ("fr", "de", "es", "it", "pt", "ru")

# Quotations whose words are never evidence: a quoted foreign title or slogan is legitimate.
# Every branch starts with its quotation mark, so ``re`` skips to those characters (a leading
# look-behind made the search try every position: 0.04 s per MB).
_QUOTED = re.compile(
    r"“[^“”\n]*”|„[^„“”\n]*[“”]|«[^«»\n]*»|\"[^\"\n]*\"|‘(?<!\w‘)[^‘’\n]*’(?!\w)"
)
# The end of a sentence inside a line (the match ends where the next sentence starts). It starts
# with the punctuation itself, not a look-behind, so that a search skips to those characters.
_SENTENCE_END = re.compile(r"[.!?…]['’”\")\]»]*[^\S\n]+(?=[\"“„«¿¡(\[]?[^\W\d_])")
_NEVER = 1 << 62  # sorts after any end offset in ``bisect`` over (start, end) pairs
_LINE = re.compile(r"[^\n]+")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]–—]|\s-\s")
_DOC_SAMPLE = 3000  # characters of masked words given to langdetect for the document verdict
_COMMON = 1000  # corpus count above which pyspellchecker's English list makes a word "common"
#: The whole-input verdict needs this many evidence words: below it, one sentence is a sentence.
DOC_MIN_WORDS = 25
#: Same cheap-test cut-off as the sentence rule's default, fixed so that the sentence, fragment
#: and document rules agree on whether the whole input is foreign.
DOC_MAX_ENGLISH_SHARE = 0.1


class Token(NamedTuple):
    """A word and whether it is masked (a NamedTuple: a 250 KB file has 40,000 of them)."""

    start: int
    end: int
    word: str
    masked: bool


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or line; ``words`` are its unmasked words (the evidence), ``english`` their
    share of English function words. Tokens with offsets are built only when a run search
    needs them (:func:`tokens`): most units of English copy are settled by ``english`` alone."""

    start: int
    end: int
    words: tuple[str, ...]
    english: float

    def tokens(self, text: str) -> tuple[Token, ...]:
        return _tokens(text, Span(self.start, self.end), _quoted_spans(text))


class Untranslated(Kind):
    name = "untranslated"

    def __init__(self, params: Params):
        self.mode = params.opt_str("mode", "sentence") or "sentence"
        if self.mode not in MODES:
            raise params.error("mode", f"must be one of {', '.join(MODES)}")
        self.min_words = int(params.num("min_words", 6))
        self.min_probability = params.num("min_probability", 0.9)
        self.max_english_share = params.num("max_english_share", 0.1)
        self.min_run = int(params.num("min_run", 6))
        self.min_source_share = params.num("min_source_share", 0.1)
        self.languages = frozenset(params.str_list("languages", DEFAULT_LANGUAGES))
        if not 0.0 < self.min_probability <= 1.0:
            raise params.error("min_probability", "must be in (0, 1]")

    def scan(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        if self.mode == "document":
            verdict = document_language(doc)
            if verdict is not None and self._confident(*verdict):
                span = _stripped(text, 0, len(text))
                if span is not None:
                    yield _hit(span, *verdict, "document")
            return
        verdict = document_language(doc)
        if verdict is not None and self._confident(*verdict):
            return  # the document rule reports the whole file once
        gap = self._gap()
        # The fragment rule needs that many source function words in the unit; the sentence
        # rule one at least (its source share must reach min_source_share > 0).
        if gap is None:
            found = units(text)
        elif self.mode == "fragment":
            found = candidate_units(doc, gap, math.ceil(self.min_source_share * self.min_run))
        else:  # the cheap English test, settled for one-sentence lines from the survey alone
            found = candidate_units(doc, gap, 1, self.max_english_share)
        for unit in found:
            if self.mode == "sentence":
                hit = self._sentence(unit)
                if hit is not None:
                    yield hit
            else:
                yield from self._fragments(text, unit)

    def _gap(self) -> int | None:
        """The narrowest gap (see :func:`survey`) a line needs for this rule to fire on it, or
        None when the survey cannot rule lines out for these thresholds.

        With no gap wider than ``g``, a unit with ``h`` lowercase English hits has at most
        ``n = (g + 1)(h + 1)`` unmasked words (``g`` per gap, ``h + 1`` gaps, ``h`` hits, one
        first word). Sentence rule: for ``h = 0``, ``n <= g + 1`` must stay below
        ``min_words``; for ``h >= 1`` the English share ``h / n`` is smallest at ``h = 1``,
        ``1 / (2g + 2)``, which must stay above ``max_english_share``. Fragment rule: a run
        without English function words has at most ``g + 1`` unmasked words, below
        ``min_run``. Without a source-language requirement nothing can be ruled out.
        """
        if self.min_source_share <= 0:
            return None
        if self.mode == "fragment":
            return self.min_run - 1 if self.min_run >= 2 else None
        g = self.min_words - 2
        while g >= 0 and 1 / (2 * g + 2) <= self.max_english_share:
            g -= 1
        return None if g < 0 else g + 1

    def _confident(self, lang: str, probability: float) -> bool:
        return lang in self.languages and probability >= self.min_probability

    def _detect(
        self, words: list[str], sample: list[str] | None = None
    ) -> tuple[str, float] | None:
        """langdetect's verdict on ``sample`` (default ``words``), kept only when ``words`` also
        show that language's function words: langdetect alone is overconfident on short
        English (see ``langid``)."""
        if max(langid.max_source_share(words), langid.cyrillic_share(words)) < (
            self.min_source_share
        ):
            return None  # no language could pass the check below: spare the detector
        lang, probability = langid.top_language(" ".join(sample or words))
        if not self._confident(lang, probability):
            return None
        if lang == "ru":  # the Cyrillic script is evidence enough
            share = max(langid.source_share(words, lang), langid.cyrillic_share(words))
        else:
            share = langid.source_share(words, lang)
        if lang in langid.SOURCE_FUNCTION_WORDS and share < self.min_source_share:
            return None
        return lang, probability

    def _sentence(self, unit: Unit) -> Hit | None:
        words = unit.words
        if len(words) < self.min_words:
            return None
        if unit.english > self.max_english_share:
            return None  # cheap test: plainly English, no detection needed
        verdict = self._detect(list(words))
        if verdict is None:
            return None
        return _hit(Span(unit.start, unit.end), *verdict, "sentence")

    def _fragments(self, text: str, unit: Unit) -> Iterator[Hit]:
        words = unit.words
        if len(words) < self.min_words or unit.english <= self.max_english_share:
            return  # too short, or a whole foreign sentence (the sentence rule's business)
        needed = math.ceil(self.min_source_share * self.min_run)
        if _source_evidence(words) < needed:
            return  # no run could show enough source function words: skip the run search
        for run in _foreign_runs(text, unit.tokens(text), self.min_run):
            run_words = [t.word for t in run if not t.masked]
            if _english_lexicon_share(run_words) >= 0.5:
                continue  # English content words without function words: a list, a headline
            # Inside a foreign run capitals are mostly its own nouns (German "Regierung"):
            # langdetect sees them; the function-word test still counts unmasked words only.
            verdict = self._detect(run_words, [t.word for t in run])
            if verdict is not None:
                yield _hit(Span(run[0].start, run[-1].end), *verdict, "fragment")

    def describe(self) -> Mapping[str, object]:
        return {
            "mode": self.mode,
            "min_words": self.min_words,
            "min_probability": self.min_probability,
            "max_english_share": self.max_english_share,
            "min_run": self.min_run,
            "min_source_share": self.min_source_share,
            "languages": sorted(self.languages),
        }


def _hit(span: Span, lang: str, probability: float, what: str) -> Hit:
    shown = round(probability, 2)
    return Hit(
        span,
        values=(("lang", lang), ("probability", f"{shown:.2f}"), ("unit", what)),
        applicability=Applicability.SUGGESTION,
        confidence=shown,
        data=(("lang", lang), ("probability", shown)),
    )


def _stripped(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


@lru_cache(maxsize=8)
def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


@lru_cache(maxsize=8)
def units(text: str) -> tuple[Unit, ...]:
    """Lines split into sentences, each with its unmasked words (cached: three rules share it).

    Masking, as :func:`_tokens` does it: quoted words, and capitalised words after the first
    (names, acronyms, tickers). A unit without a quotation is masked from its word list alone,
    in C-speed list operations; one with a quotation goes through :func:`_tokens`.
    """
    return _units(text, [m.span() for m in _LINE.finditer(text)])


def candidate_units(
    doc: Document, gap: int, sources: int = 1, max_english: float | None = None
) -> tuple[Unit, ...]:
    """The units on lines that :func:`survey` finds a stretch of ``gap`` lowercase words and
    ``sources`` source function words on (see :meth:`Untranslated._gap`), and, with
    ``max_english``, whose English share may be that low: the only units the sentence or
    fragment rule can flag. Each line's units are built once per document."""
    text = doc.text
    built = doc.memo.setdefault(_LINE_UNITS, {})
    assert isinstance(built, dict)
    wanted = [span for span, widest, found, english in survey(doc).lines
              if widest >= gap and found >= sources
              and (max_english is None or english <= max_english)]
    missing = [span for span in wanted if span not in built]
    for span in missing:
        built[span] = []
    for unit in _units(text, missing):  # lines in order, units in order: find each one's line
        built[missing[bisect_right(missing, (unit.start, _NEVER)) - 1]].append(unit)
    return tuple(unit for span in wanted for unit in built[span])


_LINE_UNITS = "untranslated.line_units"
_SURVEY = "untranslated.survey"


def _units(text: str, lines: Iterable[tuple[int, int]]) -> tuple[Unit, ...]:
    quoted = _quoted_spans(text)
    quote_starts = [q[0] for q in quoted]
    find_words = langid.WORD.findall
    result: list[Unit] = []
    for line_start, line_end in lines:
        if line_start >= line_end:
            continue
        bounds = [line_start, *(m.end() for m in _SENTENCE_END.finditer(text, line_start, line_end)),
                  line_end]
        for start, end in pairwise(bounds):
            span = _stripped(text, start, end)
            if span is None:
                continue
            # Quotations never overlap: the last one opening before the unit ends is the only
            # one that can reach into it.
            q = bisect_left(quote_starts, span.end) - 1
            if q >= 0 and quoted[q][1] > span.start:
                # The words outside the quotations, in order: _tokens' masking without building
                # a token per word (the unquoted rule below applies to them unchanged).
                found = []
                pos = span.start
                while q >= 0 and quoted[q][1] > span.start:
                    q -= 1
                for qs, qe in quoted[q + 1 :]:
                    if qs >= span.end:
                        break
                    found += find_words(text, pos, max(pos, min(qs, span.end)))
                    pos = max(pos, qe)
                found += find_words(text, pos, span.end) if pos < span.end else []
            else:
                found = find_words(text, span.start, span.end)
            words = tuple(
                w for i, w in enumerate(found)
                if (w.islower() or i == 0) and not (len(w) > 1 and w.isupper())
            )
            result.append(Unit(span.start, span.end, words, _english_share(words)))
    return tuple(result)


_ENGLISH = langid.ENGLISH_FUNCTION_WORDS
_SOURCE = frozenset().union(*langid.SOURCE_FUNCTION_WORDS.values())
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _english_share(words: tuple[str, ...]) -> float:
    """``langid.english_share`` in one pass of C-level calls (``I`` counts, ``i`` does not)."""
    if not words:
        return 0.0
    hits = sum(1 for w in map(str.casefold, words) if w in _ENGLISH) - words.count("i")
    return hits / len(words)


def _source_evidence(words: tuple[str, ...]) -> int:
    """How many words are source-language function words or Cyrillic (``langid`` tests)."""
    count = 0
    cyrillic = _CYRILLIC.search(" ".join(words)) is not None  # one search, not one per word
    for word in words:
        if langid.is_source_function_word(word) or (cyrillic and _CYRILLIC.search(word)):
            count += 1
    return count


def _tokens(text: str, span: Span, quoted: list[tuple[int, int]]) -> tuple[Token, ...]:
    tokens = []
    first = True
    q = bisect_right(quoted, (span.start, _NEVER)) - 1  # quotations never overlap
    q = max(q, 0)
    for m in langid.WORD.finditer(text, span.start, span.end):
        start = m.start()
        while q < len(quoted) and quoted[q][1] <= start:
            q += 1
        in_quote = q < len(quoted) and quoted[q][0] <= start
        word = m.group(0)
        # Any capital after the first word: a name, an acronym, a ticker.
        masked = in_quote or (not first and not word.islower()) or (
            len(word) > 1 and word.isupper()
        )
        if not in_quote:
            first = False
        tokens.append(Token(start, m.end(), word, masked))
    return tuple(tokens)


def _foreign_runs(
    text: str, tokens: tuple[Token, ...], min_run: int
) -> Iterator[tuple[Token, ...]]:
    """Maximal runs without an English function word, trimmed to their foreign core.

    Names inside a run do not break it but do not count towards its length. A run is cut into
    clauses at punctuation, and clauses at either edge made only of common English words are
    dropped: in "the decision was final, weil die Regierung …" the run starts at "weil".
    """
    run: list[Token] = []
    for token in (*tokens, None):
        if token is not None and not langid.is_english_function_word(token.word):
            run.append(token)
            continue
        if sum(1 for t in run if not t.masked) >= min_run:  # trimming only shortens a run
            core = _trim(text, run)
            if sum(1 for t in core if not t.masked) >= min_run:
                yield core
        run = []


def _trim(text: str, run: list[Token]) -> tuple[Token, ...]:
    clauses: list[list[Token]] = []
    for i, token in enumerate(run):
        if i == 0 or _CLAUSE_BREAK.search(text, run[i - 1].end, token.start):
            clauses.append([])
        clauses[-1].append(token)

    def english(clause: list[Token]) -> bool:
        return all(t.masked or _englishish(t.word) for t in clause)

    while clauses and english(clauses[0]):
        clauses.pop(0)
    while clauses and english(clauses[-1]):
        clauses.pop()
    core = [t for clause in clauses for t in clause]
    while core and core[0].masked:
        core.pop(0)
    while core and core[-1].masked:
        core.pop()
    return tuple(core)


def _english_lexicon_share(words: list[str]) -> float:
    """Share of words that read as common English words, for run confirmation."""
    if not words:
        return 0.0
    return sum(1 for w in words if _englishish(w)) / len(words)


def _englishish(word: str) -> bool:
    """A common English word (frequency list) that is not also a source function word: the
    English list holds "la", "de", "non", which must not make a foreign run look English."""
    return not langid.is_source_function_word(word) and lexicon.frequency(word) >= _COMMON



@dataclass(frozen=True, slots=True)
class Survey:
    """What one pass over the words of a text says before any unit is built.

    ``lines``: each line with a source-language function word or Cyrillic script on it, its
    widest *gap* (the most lowercase words in a row, outside quotations, that are not English
    function words), how many source function words it has (outside quotations), and, when
    the line is one unit, a lower bound of that unit's English share (else 0).
    ``english_floor``: a lower bound of the whole text's English function-word share as
    :func:`document_language` computes it.
    """

    lines: tuple[tuple[tuple[int, int], int, int, float], ...]
    english_floor: float


_LINE_OR_WORD = re.compile(r"\n|" + langid.WORD.pattern)
_ENGLISH_BREAKERS = langid.ENGLISH_FUNCTION_WORDS - {"i"}  # lowercase "i" is Italian


def survey(doc: Document | str) -> Survey:
    """The :class:`Survey` of a document, made once per document (:func:`_survey`)."""
    if isinstance(doc, str):
        from ..document import Document

        doc = Document(doc)
    found = doc.memo.get(_SURVEY)
    if not isinstance(found, Survey):
        found = doc.memo[_SURVEY] = _survey(doc.text, doc.line_starts)
    return found


def _survey(text: str, starts: list[int]) -> Survey:
    """One pass over the words (no units, no sentence splitting) that rules out most lines.

    Building every unit of English copy cost 0.23 s per MB and found nothing; this pass costs
    0.07 s. Why a line it drops cannot hold a flagged unit: a unit's unmasked words are its
    lowercase words outside quotations plus at most its first word, and each lowercase
    English function word outside quotations is a hit. With no gap wider than ``g`` on the
    line, a unit with ``h`` such hits has at most ``(g + 1)(h + 1)`` words: the arithmetic in
    :meth:`Untranslated._gap` turns that into the gap each rule needs. Both rules also need a
    source-language function word among the unit's words (or Cyrillic script); capitalised
    tokens count for that here, since a first word ("Die") is unmasked.
    """
    blanked = _blank(text, _quoted_spans(text))
    tokens = _LINE_OR_WORD.findall(blanked)
    # One letter per token, from a table of the distinct tokens (a few thousand), then string
    # operations in C: a Python loop over every token cost 0.03 s per MB.
    code = {token: _code(token) for token in set(tokens)}
    codes = "".join(map(code.__getitem__, tokens))
    line_letters = codes.split("\n")
    # Only lines with a source word (Cyrillic words count) matter: one search of the letters.
    breaks = [m.start() for m in _BREAK.finditer(codes)]
    with_source = {bisect_left(breaks, m.start()) for m in _SOURCE_LETTER.finditer(codes)}
    found = []
    for line in sorted(with_source):
        letters = line_letters[line]
        widest = max(map(len, letters.translate(_GAPS).split("e")))
        if not widest:
            continue
        sources = letters.count("s") + letters.count("S") + letters.count("E")
        start = starts[line]
        end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
        floor = 0.0  # no bound: the line may hold several units
        if _SENTENCE_END.search(text, start, end) is None:  # one unit: the line itself
            line_hits = letters.count("e") + letters.count("E")
            # unmasked words: the lowercase ones and at most a capitalised first word
            floor = line_hits / (line_hits + letters.count("l") + letters.count("s") + 1)
        found.append(((start, end), widest, sources, floor))
    hits = codes.count("e") + codes.count("E")
    capitals = codes.count("c") + codes.count("S")
    lower = len(codes) - codes.count("\n") - capitals  # lowercase words, hits included
    floor = hits / (lower + capitals) if lower + capitals else 0.0
    return Survey(tuple(found), floor)


_ENGLISH_HIT, _ENGLISH_SOURCE, _LOWER, _LOWER_SOURCE, _CAPITAL, _CAPITAL_SOURCE = (
    "e", "E", "l", "s", "c", "S")
_BREAK = re.compile("\n")
_SOURCE_LETTER = re.compile("[sSE]")
_GAPS = str.maketrans({"c": None, "S": None, "E": "e"})  # capitals do not count, E is a hit


def _code(token: str) -> str:
    """A token's letter in :func:`survey`: a line break, a lowercase English function word (a
    hit; E when it is also a source function word), a lowercase word that is (s) or is not (l)
    a source function word, a capitalised word that is (S) or is not (c) one. Lowercase-first
    counts as lowercase: "iPhone" widens a gap, which only ever keeps a line."""
    if token == "\n":
        return "\n"
    if token in _ENGLISH_BREAKERS:
        # "as" (pt) and "all" (it) are source function words too, and count as such in units
        return _ENGLISH_SOURCE if token in _SOURCE else _ENGLISH_HIT
    if not token.isascii() and _CYRILLIC.search(token):  # units count every Cyrillic word
        return _LOWER_SOURCE if token[0].islower() else _CAPITAL_SOURCE
    source = langid.is_source_function_word(token)  # as units count it: "l’État" → "l"
    if token[0].islower():
        return _LOWER_SOURCE if source else _LOWER
    return _CAPITAL_SOURCE if source else _CAPITAL


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces (offsets and line breaks kept)."""
    parts = []
    pos = 0
    for start, end in spans:
        parts += [text[pos:start], " " * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def clear_caches() -> None:
    """Forget every per-text result (benchmarks measure the work, not the caches)."""
    for cached in (units, _document_language, _quoted_spans):
        cached.cache_clear()


def document_language(doc: Document | str) -> tuple[str, float] | None:
    """The language of the whole input when it is plainly not English, else None."""
    if survey(doc).english_floor > DOC_MAX_ENGLISH_SHARE + 1e-9:
        return None  # plainly English: no need to build every unit to know it
    return _document_language(doc if isinstance(doc, str) else doc.text)


@lru_cache(maxsize=8)
def _document_language(text: str) -> tuple[str, float] | None:
    all_units = units(text)
    total = sum(len(u.words) for u in all_units)
    if total < DOC_MIN_WORDS:
        return None
    english = sum(u.english * len(u.words) for u in all_units) / total
    if english > DOC_MAX_ENGLISH_SHARE + 1e-9:
        return None
    words = [w for u in all_units for w in u.words]
    if langid.english_share(words) > DOC_MAX_ENGLISH_SHARE:
        return None
    sample = " ".join(words)[:_DOC_SAMPLE]
    lang, probability = langid.top_language(sample)
    return (lang, probability) if lang and lang != "en" else None
