"""A document under check: the exact text plus facts computed lazily and shared by all rules."""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from itertools import accumulate, compress, islice
from operator import eq

from .model import Span

# Regions no rule may touch: links, e-mail addresses, markup tags and inline code.
_PROTECTED = re.compile(
    r"""(?:https?://|ftp://|www\.)[^\s<>"“”]+"""
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|<[A-Za-z/!][^<>\n]{0,200}>"
    r"|`[^`\n]+`"
)

_WORD_SPLIT = re.compile(r"(\w+)")
# Whitespace other than the plain space: replacing every space with itself cost 0.02 s per MB.
_SPACES = re.compile(r"[^\S ]")
_IN_NAME_RUN = re.compile(r"[^\S\n]+(?:of |the |and |de |la )?[A-Z]")
_AFTER_CAPITAL = re.compile(r"[A-Z][\w’'-]*(?: of| the| and)?[^\S\n]+$")


class Document:
    """Text plus lazily derived views (line starts, protected regions, name evidence)."""

    def __init__(self, text: str):
        self.text = text
        self._word_starts: dict[str, list[int]] = {}
        self._capital_evidence: dict[str, bool] = {}
        self._protected: dict[int, list[Span]] = {}
        self._doubled: list[int] | None = None

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer(r"\n", self.text))
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of an offset."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_span(self, offset: int) -> Span:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[index]
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return Span(start, end)

    @cached_property
    def folded(self) -> str | None:
        """Lower-cased text with every whitespace character as a space, offset for offset, for
        fast literal searches; None in the rare case lower-casing changes the length."""
        folded = self.spaced.lower()
        return folded if len(folded) == len(self.text) else None

    @cached_property
    def spaced(self) -> str:
        """The text with every whitespace character as a space (same length)."""
        return _SPACES.sub(" ", self.text)

    @cached_property
    def _tokenised(self) -> tuple[tuple[str, ...], tuple[int, ...]]:
        """The lower-cased words in order and their start offsets, all at C speed: one
        ``re.split`` keeps words and the text between them, and running sums of their lengths
        are the offsets (a ``finditer`` loop over every word cost 0.05 s per MB).

        Tuples, not lists: a tuple of strings or numbers drops out of the garbage collector's
        tracking at its first collection, while a list of 200,000 words was walked at every
        collection of the check (0.04 s per MB)."""
        folded = self.folded
        parts = _WORD_SPLIT.split(self.text if folded is None else folded)
        offsets = tuple(accumulate(map(len, parts), initial=0))
        words = parts[1::2]
        if folded is None:  # lower-casing changes the length: keep offsets into the text
            words = [t.lower() for t in words]
        return tuple(words), offsets[1::2][: len(words)]

    @cached_property
    def memo(self) -> dict[str, object]:
        """Views of the document a rule kind derives and shares between its rules (language
        identification's line survey), freed with the document rather than kept in a cache."""
        return {}

    @property
    def tokens(self) -> tuple[str, ...]:
        r"""The lower-cased words (``\w+``) of the text in order."""
        return self._tokenised[0]

    @cached_property
    def words(self) -> frozenset[str]:
        """The distinct lower-cased words of the text."""
        return frozenset(self.tokens)

    def doubled_word_starts(
        self, allowed: frozenset[str] | None = None, shortest: int = 1, letters: bool = False
    ) -> list[int]:
        """Where a word of the kind a doubled-word rule looks for (one of ``allowed``, at least
        ``shortest`` long, letters only) is followed by the same word: the only places such a
        rule can match (see ``prefilter.REPEAT``). Equal neighbours in the word list are found
        in C; a rule tried at every word start instead cost 0.05 s per MB."""
        tokens, starts = self._tokenised
        if self._doubled is None:
            pairs = map(eq, tokens, islice(tokens, 1, None))
            self._doubled = list(compress(range(len(tokens)), pairs))
        return [starts[i] for i in self._doubled
                if len(tokens[i]) >= shortest and (not letters or tokens[i].isalpha())
                and (allowed is None or tokens[i] in allowed)]

    def index_words(self, vocabulary: frozenset[str]) -> None:
        """Find every occurrence of the vocabulary's words (the phrase tables' anchors).

        Looked up one ``str.find`` loop per word they cost 0.22 s per MB of news; picked out of
        the word list by a C-level filter, a few milliseconds.
        """
        wanted = (vocabulary & self.words) - self._word_starts.keys()
        for word in vocabulary - self._word_starts.keys():
            self._word_starts[word] = []
        if wanted:
            tokens, starts = self._tokenised
            for i in compress(range(len(tokens)), map(wanted.__contains__, tokens)):
                self._word_starts[tokens[i]].append(starts[i])

    def word_starts(self, word: str) -> list[int]:
        """Start offsets of ``word`` (lower-case) as a whole word; cached per word."""
        if word not in self._word_starts:
            self.index_words(frozenset({word}))
        return self._word_starts[word]

    def protected_on_line(self, offset: int) -> list[Span]:
        """Links, addresses, markup and code on the line of ``offset`` (none spans lines), found
        only where a finding needs them: scanning a whole megabyte for URLs took 0.08 s."""
        line = self.line_span(offset)
        if line.start not in self._protected:
            self._protected[line.start] = [
                Span(*m.span()) for m in _PROTECTED.finditer(self.text, line.start, line.end)
            ]
        return self._protected[line.start]

    def is_protected(self, span: Span) -> bool:
        return any(p.overlaps(span) or p.start <= span.start < p.end
                   for p in self.protected_on_line(span.start))

    @cached_property
    def _unquoted(self) -> str:
        return _strip_quotes(self.text)

    def capitalised_midsentence(self, word: str) -> bool:
        """Whether ``word`` is written capitalised mid-sentence outside quotation marks, on its
        own: evidence that it is a name here.

        If "Locomotive" appears bare in the middle of a sentence elsewhere in the story, a quoted
        "Locomotive" is the same name, not a stray capital. A word inside a run of capitalised
        words ("the Collective Security Treaty Organization") says nothing about the word alone.
        """
        if word not in self._capital_evidence:
            self._capital_evidence[word] = self._find_capitalised(word)
        return self._capital_evidence[word]

    def _find_capitalised(self, word: str) -> bool:
        text = self._unquoted
        capitalised = word[:1].upper() + word[1:].lower()
        # The word first, the look-behind after it in Python: a pattern that starts with a
        # look-behind is tried at every position (0.02 s per MB and per word).
        for m in re.finditer(rf"{re.escape(capitalised)}\b", text):
            start = m.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_’'-"):
                continue
            if start == 0 or re.search(r"(?:^|\n)\s*$|[.!?…:;—–-]['’”\")\]]*\s*$",
                                       text[max(0, start - 4) : start]):
                continue
            if _IN_NAME_RUN.match(text, m.end()) or _AFTER_CAPITAL.search(
                text, max(0, start - 60), start
            ):
                continue
            return True
        return False


def _strip_quotes(text: str) -> str:
    """Blank out quoted fragments (keeping offsets) so their contents are not evidence."""
    return re.sub(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»", lambda m: " " * len(m.group(0)), text)
