"""A document under check: the exact text plus facts computed lazily and shared by all rules."""

from __future__ import annotations

import bisect
import re
from functools import cached_property

from .model import Span

# Regions no rule may touch: links, e-mail addresses, markup tags and inline code.
_PROTECTED = re.compile(
    r"""(?:https?://|ftp://|www\.)[^\s<>"“”]+"""
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|<[A-Za-z/!][^<>\n]{0,200}>"
    r"|`[^`\n]+`"
)

_SENTENCE_END = re.compile(r"[.!?…]['’”\")\]]*\s+")
_IN_NAME_RUN = re.compile(r"[^\S\n]+(?:of |the |and |de |la )?[A-Z]")
_AFTER_CAPITAL = re.compile(r"[A-Z][\w’'-]*(?: of| the| and)?[^\S\n]+$")
_CAP_WORD = re.compile(r"(?<![\w’'-])([A-Z][a-z]+(?:-[a-z]+)*)\b")


class Document:
    """Text plus lazily derived views (line starts, protected regions, name evidence)."""

    def __init__(self, text: str):
        self.text = text

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
    def protected(self) -> list[Span]:
        return [Span(*m.span()) for m in _PROTECTED.finditer(self.text)]

    def is_protected(self, span: Span) -> bool:
        return any(p.overlaps(span) or p.start <= span.start < p.end for p in self.protected)

    @cached_property
    def midsentence_capitals(self) -> frozenset[str]:
        """Words written capitalised mid-sentence outside quotation marks: evidence of a name.

        If "Locomotive" appears bare in the middle of a sentence elsewhere in the story, a quoted
        "Locomotive" is the same name, not a stray capital. A word inside a run of capitalised
        words ("the Collective Security Treaty Organization") says nothing about the word alone.
        """
        text = _strip_quotes(self.text)
        words: set[str] = set()
        for m in _CAP_WORD.finditer(text):
            start = m.start()
            prefix = text[max(0, start - 3) : start]
            if start == 0 or prefix.endswith("\n") or _SENTENCE_END.search(prefix + " "):
                continue
            if re.search(r"(?:^|\n)\s*$|[.!?…:;—–-]['’”\")\]]*\s*$", text[max(0, start - 4) : start]):
                continue
            if _IN_NAME_RUN.match(text, m.end()) or _AFTER_CAPITAL.search(text, 0, start):
                continue  # part of a multi-word name ("Collective Security Treaty"): weak evidence
            words.add(m.group(1).casefold())
        return frozenset(words)


def _strip_quotes(text: str) -> str:
    """Blank out quoted fragments (keeping offsets) so their contents are not evidence."""
    return re.sub(r"“[^”\n]*”|\"[^\"\n]*\"|«[^»\n]*»", lambda m: " " * len(m.group(0)), text)
