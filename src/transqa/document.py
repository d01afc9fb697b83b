"""A document under check: the exact text plus facts computed lazily and shared by all rules."""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from itertools import compress, islice
from operator import eq

from .model import Span

# Regions no rule may touch: links, e-mail addresses, markup tags and inline code.
_PROTECTED = re.compile(
    r"""(?:https?://|ftp://|www\.)[^\s<>"“”]+"""
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|<[A-Za-z/!][^<>\n]{0,200}>"
    r"|`[^`\n]+`"
)

_WORD = re.compile(r"\w+")
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
        self._doubled_at: dict[str, list[int]] = {}

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
    def tokens(self) -> list[str]:
        """The lower-cased words of the text in order (one C-level findall)."""
        return _WORD.findall(self.folded or self.text.lower())

    @cached_property
    def words(self) -> frozenset[str]:
        """The distinct lower-cased words of the text."""
        return frozenset(self.tokens)

    @cached_property
    def doubled_words(self) -> frozenset[str] | None:
        """Words followed by a space and the same word (ignoring case), found as equal
        neighbours in the word list at C speed; None when the folded text is unavailable."""
        if self.folded is None:
            return None
        tokens = self.tokens
        return frozenset(compress(tokens, map(eq, tokens, islice(tokens, 1, None))))

    def doubled_word_starts(
        self, allowed: frozenset[str] | None = None, shortest: int = 1, letters: bool = False
    ) -> list[int] | None:
        """Where a word of the kind a doubled-word rule looks for (one of ``allowed``, at least
        ``shortest`` long, letters only) is doubled: the only places the rule can match (see
        ``prefilter.REPEAT``). News has "6 6" and "the the"; one ``str.find`` pass per word
        kept. None when the rule must scan the whole text."""
        doubled = self.doubled_words
        if doubled is None:
            return None
        folded = self.folded
        assert folded is not None
        starts: list[int] = []
        for word in doubled:
            if (len(word) < shortest or (letters and not word.isalpha())
                    or (allowed is not None and word not in allowed)):
                continue
            if word not in self._doubled_at:
                needle = f"{word} {word}"
                found = []
                at = folded.find(needle)
                while at != -1:
                    found.append(at)
                    at = folded.find(needle, at + 1)
                self._doubled_at[word] = found
            starts += self._doubled_at[word]
        return sorted(starts)

    def index_words(self, vocabulary: frozenset[str]) -> None:
        """Find every occurrence of the vocabulary's words in one pass over the text.

        The phrase tables' anchor words, looked up one ``str.find`` loop at a time, cost 0.22 s
        per MB of news; one tokenising pass that keeps only the words asked for costs 0.05 s.
        """
        wanted = vocabulary & self.words
        found: dict[str, list[int]] = {word: [] for word in vocabulary - self._word_starts.keys()}
        if wanted - self._word_starts.keys():
            for m in _WORD.finditer(self.folded or self.text.lower()):
                word = m.group()
                if word in wanted:
                    found[word].append(m.start())
        for word, starts in found.items():
            self._word_starts.setdefault(word, starts)

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
