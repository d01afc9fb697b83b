"""langdetect adapter: the only module that imports ``langdetect``.

Why an adapter:
- start-up: langdetect loads 55 JSON profiles (~0.3 s); a pre-publish hook checking a clean
  English story must not pay for that, so the import happens inside functions and only when the
  cheap English test (``english_share``) cannot settle a unit;
- determinism: langdetect samples n-grams at random. Its README says to set
  ``DetectorFactory.seed = 0``; each ``Detector`` re-seeds from it for every text, so the same text
  gives the same probabilities whatever was detected before (the signature says ``langid:seed0``);
- measurement and tests: a call counter (``calls()``) and ``is_loaded()`` let the benchmark and
  the tests see how often detection really runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


def _wordset(words: str) -> frozenset[str]:
    """A word list written as running text (readable and diffable in review)."""
    return frozenset(words.split())


#: English closed-class words that are NOT also common words of fr/de/es/it/pt. Ambiguous
#: ones (a, in, on, do, no, so, con, per, die, be-…) are left out so that a French or Italian
#: sentence does not look English because of "a" or "in".
ENGLISH_FUNCTION_WORDS = _wordset(
    """the of and to is was were are be been being has have had that this these those with from
    for by at it its as which who whom whose what when where why how will would should could can
    may might must shall not but or if than then there their they them he she his her him we our
    us you your i my me into about after before over under between while because through
    during also just only said says very more most some any all such other been did does
    against without within upon across off out up down here onto been yet"""
)

#: Frequent closed-class words of each source language, minus English homographs (a, in, no,
#: so, war, come, per, con, sin, on, do). A sentence that langdetect calls French must also
#: *show* French function words: langdetect alone calls "Environmental concerns play a central
#: role." Spanish with probability 1.0 (measured on WMT21 MT output; see docs/langid.md).
SOURCE_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": _wordset(
        """le la les des du de un une est et que qui dans pour sur pas ne au aux il elle nous
        vous ils elles à sont été être avec par plus mais ou où ce cette ces son sa ses leur leurs
        lui y en ont était sera fait comme aussi très selon après avant entre sans sous chez
        qu d l n s c j m"""
    ),
    "de": _wordset(
        """der das den dem des und ist nicht mit von zu im ein eine einen einem einer auf für
        sich sind wurde wird werden auch es er sie wir ihr aus bei nach vor über um noch wie
        dass daß hat haben als am zum zur durch oder aber nur ich sein seine ihre diese dieser
        dieses kein keine man wenn die wurden waren hatte habe dies jetzt schon alle beim
        sowie uns unter trotz bereits allerdings dabei später nach weil denn mehr kann muss
        soll"""
    ),
    "es": _wordset(
        """el la los las del de un una es y que en por para se lo su sus al como más pero fue
        han era está están ser sobre entre también muy ya este esta estos estas desde hasta
        donde cuando sin ni le les nos hay ha"""
    ),
    "it": _wordset(
        """il lo la i gli le del della dei delle di un una è e che per non si al alla nel
        nella sono stato stata hanno più ma anche questo questa tra dopo molto ancora sul
        sulla dal dalla ci dell all nell ha ho"""
    ),
    "pt": _wordset(
        """o os as do da dos das de um uma é e que em na nos nas por para com não se ao aos
        pelo pela mais mas foi são está estão ser como também muito já sobre entre sem
        quando onde seu sua seus suas ele ela eles"""
    ),
    "ru": _wordset(
        """и в не на что с по это как из за к от у о же но для его её ее их был была были
        быть он она они мы вы я так уже только ещё еще до при после который которые также
        во со под над между через без об все всё этого этой этот эти том тем чем где когда
        если чтобы бы ли"""
    ),
}
_ALL_SOURCE_FUNCTION_WORDS = frozenset().union(*SOURCE_FUNCTION_WORDS.values())

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CLITIC = re.compile(r"['’]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

_calls = 0


def words(text: str) -> list[str]:
    """Letter tokens (Latin, Cyrillic, …) with inner apostrophes and hyphens kept."""
    return WORD.findall(text)


def english_share(tokens: list[str]) -> float:
    """Share of ``tokens`` that are English function words (0.0 for no tokens).

    English prose has 35-50 % function words; a French, German, Spanish, Italian, Portuguese
    or Russian sentence has close to none from this list. That makes a test costing one set
    lookup per word, run before langdetect, which is ~1,000× slower.
    """
    if not tokens:
        return 0.0
    hits = sum(1 for t in tokens if is_english_function_word(t))
    return hits / len(tokens)


def is_english_function_word(token: str) -> bool:
    """``I`` counts only capitalised: lowercase ``i`` is the Italian plural article."""
    return token != "i" and token.casefold() in ENGLISH_FUNCTION_WORDS


def source_share(tokens: list[str], lang: str) -> float:
    """Share of ``tokens`` that are function words of ``lang`` (0.0 for other languages).

    Elided forms count by their clitic (``l'État`` → ``l``, ``dell'anno`` → ``dell``).
    """
    table = SOURCE_FUNCTION_WORDS.get(lang)
    if not tokens or table is None:
        return 0.0
    hits = sum(1 for t in tokens if _CLITIC.split(t.casefold(), 1)[0] in table)
    return hits / len(tokens)


def max_source_share(tokens: list[str]) -> float:
    """The highest ``source_share`` over the source languages (a pre-filter for detection)."""
    return max(source_share(tokens, lang) for lang in SOURCE_FUNCTION_WORDS)


def is_source_function_word(word: str) -> bool:
    """True for a function word of any source language (``la``, ``der``, ``и``)."""
    return _CLITIC.split(word.casefold(), 1)[0] in _ALL_SOURCE_FUNCTION_WORDS


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def cyrillic_share(tokens: list[str]) -> float:
    """Share of tokens written in Cyrillic: in English copy the script itself is the evidence."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _CYRILLIC.search(t)) / len(tokens)


@lru_cache(maxsize=1)
def _factory() -> Any:
    """Profiles loaded once per process, with the seed fixed before any detector exists."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    DetectorFactory.seed = 0
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=4096)
def detect_langs(text: str) -> tuple[tuple[str, float], ...]:
    """Languages of ``text`` with probability > 0.1, most probable first; ``()`` if undecidable.

    Cached: the sentence, fragment and document rules look at the same masked units.
    """
    global _calls
    from langdetect.lang_detect_exception import LangDetectException

    _calls += 1
    detector = _factory().create()
    detector.append(text)
    try:
        result = detector.get_probabilities()
    except LangDetectException:  # no letters left after langdetect's own cleaning
        return ()
    return tuple((lang.lang, float(lang.prob)) for lang in result)


def top_language(text: str) -> tuple[str, float]:
    """The most probable language and its probability, ``("", 0.0)`` when undecidable."""
    langs = detect_langs(text)
    return langs[0] if langs else ("", 0.0)


def calls() -> int:
    """How many texts were actually given to langdetect (cache hits excluded)."""
    return _calls


def reset_calls() -> None:
    """Zero the counter and empty the result cache (benchmarks measure from a clean state)."""
    global _calls
    _calls = 0
    detect_langs.cache_clear()


def is_loaded() -> bool:
    """True once langdetect's profiles are in memory (for the start-up test)."""
    return _factory.cache_info().currsize > 0
