"""``phrases``: a table of source-language calques and their English, compiled to one regex.

Keys are matched case-insensitively on word boundaries, longest first (so "in the course of"
wins over "course of"), with any run of whitespace between words; the replacement takes the
case of the matched text. A value may be a list: the first item is the fix, the others are
offered in the message; ``null`` flags without a fix. With ``case_sensitive: true`` (acronym
tables) keys match exactly as written and the replacement is used as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
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


def _anchors(table: Mapping[str, object]) -> dict[str, tuple[int, int]]:
    """The most selective word of each phrase (lower-cased) → how far the phrase can extend
    before and after that word's start.

    A rare word finds few candidates: an elided clitic (``all’`` in "at the all’") first, then
    the longest word that is not a stop word. Anchoring "at the all’" on "the" made one Italian
    table visit 10,000 places per MB of English news.
    """
    anchors: dict[str, tuple[int, int]] = {}
    for phrase in table:
        words = list(_FIRST_WORD.finditer(phrase))
        if not words:
            continue
        m = max(words, key=lambda w: (phrase[w.end() : w.end() + 1] in ("’", "'"),
                                      w.group().lower() not in _STOPWORDS, len(w.group())))
        before = m.start() * 2 + _SLACK
        after = (len(phrase) - m.start()) * 2 + 3 * _SLACK
        key = m.group().lower()
        old = anchors.get(key, (0, 0))
        anchors[key] = (max(old[0], before), max(old[1], after))
    return anchors


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
        words = sorted(self.table, key=lambda k: (-len(k), k))
        alternation = "|".join(r"\s+".join(map(re.escape, w.split(" "))) for w in words)
        flags = 0 if self.case_sensitive else re.IGNORECASE
        # Word boundaries only where the phrase edge is a word character ("U.S." ends in ".").
        raw = rf"(?<![\w-])(?:{alternation})(?![\w-])"
        # No ``source``: the engine calls ``scan``, which looks phrases up by their rarest word
        # in the document's word index instead of running the alternation over the whole text.
        self.pattern = params.regex("phrases", raw, flags)
        self.anchors = _anchors(self.table)
        self.before, self.after = context_regexes(params, flags)

    def scan(self, doc: Document) -> Iterator[Hit]:
        assert self.pattern is not None
        present = doc.words
        text = doc.text
        candidates: list[tuple[int, int, int]] = []
        for word, (before, after) in self.anchors.items():
            if word not in present:
                continue
            for pos in doc.word_starts(word):
                candidates.append((pos, max(0, pos - before), min(len(text), pos + after)))
        last_end = 0
        for pos, begin, end in sorted(candidates):
            if pos < last_end:
                continue
            match = self.pattern.search(text, max(begin, last_end), end)
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
