"""``phrases``: a table of source-language calques and their English, compiled to one regex.

Keys are matched case-insensitively on word boundaries, longest first (so "in the course of"
wins over "course of"), with any run of whitespace between words; the replacement takes the
case of the matched text. A value may be a list: the first item is the fix, the others are
offered in the message; ``null`` flags without a fix. With ``case_sensitive: true`` (acronym
tables) keys match exactly as written and the replacement is used as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from ..errors import RuleFileError
from ..model import Span
from .base import Hit, Kind, Params, context_regexes, context_rejects, follow_case

if TYPE_CHECKING:
    from ..document import Document

_WS = re.compile(r"\s+")


_FIRST_WORD = re.compile(r"\w+")


_STOPWORDS = frozenset({
    "the", "a", "an", "of", "in", "on", "at", "to", "by", "for", "from", "with", "and", "or",
    "as", "is", "was", "that", "this", "which", "its", "all",
})
_SLACK = 12  # extra characters around an anchor for runs of spaces between a phrase's words


def _anchors(keys: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, frozenset[str]]]:
    """The most selective word of each phrase (lower-cased) → the phrases that contain it.

    A rare word finds few candidates: an elided clitic (``all’`` in "at the all’") first, then
    the longest word that is neither a stop word nor a number (news is full of numbers: "h" is
    the rare part of "18 h 30"). Anchoring "at the all’" on "the" made one Italian table visit
    10,000 places per MB of English news. Each anchor lists every phrase with that word, not
    only those anchored on it: a longer phrase anchored elsewhere may win where it occurs.
    Also returned: each phrase's words, lower-cased.
    """
    anchored: set[str] = set()
    words_of: dict[str, frozenset[str]] = {}
    for phrase in keys:
        words = list(_FIRST_WORD.finditer(phrase))
        if not words:
            continue
        words_of[phrase] = frozenset(w.group().lower() for w in words)
        m = max(words, key=lambda w: (phrase[w.end() : w.end() + 1] in ("’", "'"),
                                      w.group().lower() not in _STOPWORDS,
                                      not w.group().isdigit(), len(w.group())))
        anchored.add(m.group().lower())
    anchors: dict[str, list[str]] = {word: [] for word in anchored}
    for phrase, present in words_of.items():
        for word in present & anchored:
            anchors[word].append(phrase)
    return anchors, words_of


def _reach(phrases: Iterable[str], word: str) -> tuple[int, int]:
    """How far before and after a start of ``word`` its phrases can extend (with slack for
    runs of whitespace between a phrase's words)."""
    before = after = 0
    for phrase in phrases:
        for m in _FIRST_WORD.finditer(phrase):
            if m.group().lower() == word:
                before = max(before, m.start() * 2 + _SLACK)
                after = max(after, (len(phrase) - m.start()) * 2 + 3 * _SLACK)
    return before, after


def _may_hold(plain: str, pos: int, size: int, neighbours: list[tuple[str, str]]) -> bool:
    """Whether some phrase could match around the anchor word at ``pos`` (``size`` long), by
    the text right after and right before it; True where whitespace runs make strings unfit."""
    end = pos + size
    for after, before in neighbours:
        if after and not plain.startswith(after, end) and "  " not in plain[end : end + len(after) + 1]:
            continue
        if before and not plain.endswith(before, 0, pos) and "  " not in plain[
            max(0, pos - len(before) - 1) : pos
        ]:
            continue
        return True
    return False


def _alternation(keys: Iterable[str]) -> str:
    """One regex for phrase keys, longest first, any whitespace run between words; word
    boundaries only where the phrase edge is a word character ("U.S." ends in ".")."""
    words = sorted(keys, key=lambda k: (-len(k), k))
    alternation = "|".join(r"\s+".join(map(re.escape, w.split(" "))) for w in words)
    return rf"(?<![\w-])(?:{alternation})(?![\w-])"


def _norm(phrase: str) -> str:
    return _WS.sub(" ", phrase.strip()).casefold()


class Phrases(Kind):
    name = "phrases"

    def __init__(self, params: Params):
        table = params.mapping("phrases")
        self.case_sensitive = params.bool("case_sensitive", False)
        fold = (lambda k: _WS.sub(" ", k.strip())) if self.case_sensitive else _norm
        self.table: dict[str, tuple[str, ...]] = {}
        for bad, good in table.items():
            line = table.line_of(str(bad))
            if not isinstance(bad, str) or not bad.strip():
                raise RuleFileError(params.path, line, "phrase keys must be non-empty strings")
            if good is None:
                options: tuple[str, ...] = ()
            elif isinstance(good, str):
                options = (good,)
            elif isinstance(good, list) and good and all(isinstance(g, str) for g in good):
                options = tuple(good)
            else:
                raise RuleFileError(params.path, line, "value must be a string, a list of "
                                    "strings or null", str(bad))
            key = fold(bad)
            if key in self.table:
                raise RuleFileError(params.path, line, f"phrase {bad!r} listed twice")
            self.table[key] = options
        self._flags = 0 if self.case_sensitive else re.IGNORECASE
        # No ``source``: the engine calls ``scan``, which looks phrases up by their rarest word
        # in the document's word index instead of running the alternation over the whole text.
        self.pattern = params.regex("phrases", _alternation(self.table), self._flags)
        self._phrases_of, self._words_of = _anchors(self.table)
        self.anchors = frozenset(self._phrases_of)
        self._near: dict[str, tuple[re.Pattern[str], int, int]] = {}
        self._context_of: dict[str, list[tuple[str, str]]] = {}
        self.before, self.after = context_regexes(params, self._flags)

    def _around(self, word: str) -> tuple[re.Pattern[str], int, int]:
        """The alternation of the phrases holding ``word`` and their reach around it, compiled
        on first use: a search near an anchor tries a handful of phrases, not the whole table
        (about 4 µs less per candidate, of which English news has 15,000 per MB)."""
        if word not in self._near:
            phrases = self._phrases_of[word]
            pattern = re.compile(_alternation(phrases), self._flags | re.MULTILINE)
            self._near[word] = (pattern, *_reach(phrases, word))
        return self._near[word]

    def _neighbours(self, word: str) -> list[tuple[str, str]]:
        """For each phrase holding ``word``: what follows that word up to the end of the next
        word (" of" in "president of the council") and what precedes it from the start of the
        word before ("the " in "the l’"); "" where the phrase has none. Compared as strings at
        each occurrence, they rule out most occurrences before any regex search."""
        if word not in self._context_of:
            pairs = set()
            for phrase in self._phrases_of[word]:
                found = list(_FIRST_WORD.finditer(phrase))
                for i, m in enumerate(found):
                    if m.group().lower() != word:
                        continue
                    after = phrase[m.end() : found[i + 1].end()] if i + 1 < len(found) else ""
                    before = phrase[found[i - 1].start() : m.start()] if i else ""
                    if not (after.isascii() and before.isascii()):
                        after = before = ""  # casefold and lower may differ: no shortcut
                    pairs.add((after, before))
            self._context_of[word] = sorted(pairs)
        return self._context_of[word]

    def scan(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        candidates: list[tuple[int, str]] = []
        present = doc.words
        for word in self.anchors & present:
            if not any(self._words_of[phrase] <= present for phrase in self._phrases_of[word]):
                continue  # every phrase with this word needs a word the text does not have
            candidates += ((pos, word) for pos in doc.word_starts(word))
        # The text as the phrases are written: lower-cased unless the table is case-sensitive,
        # whitespace as spaces (a run of spaces, which the regexes allow, disables the shortcut).
        plain = doc.spaced if self.case_sensitive else doc.folded
        last_end = 0
        for pos, word in sorted(candidates):
            if pos < last_end:
                continue
            if plain is not None and not _may_hold(plain, pos, len(word), self._neighbours(word)):
                continue
            pattern, before, after = self._around(word)
            match = pattern.search(text, max(pos - before, last_end, 0), pos + after)
            if match is not None and match.start() <= pos < match.end():
                last_end = match.end()
                yield from self.hits(match, doc)

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        start, end = match.span()
        if context_rejects(doc.text, start, end, self.before, self.after):
            return
        text = match.group(0)
        key = _WS.sub(" ", text) if self.case_sensitive else _norm(text)
        options = self.table.get(key)
        if options is None:
            return
        if not options:
            replacement = None
        elif self.case_sensitive:
            replacement = options[0]  # an acronym table: "МИД" → "Foreign Ministry" as written
        else:
            replacement = follow_case(text, options[0])
        values = (("alternatives", " / ".join(options)),)
        yield Hit(Span(start, end), replacement, values=values)

    def describe(self) -> Mapping[str, object]:
        return {"phrases": {k: list(v) for k, v in self.table.items()}}
