"""``quoted_case``: a stray capital on the first word of a quoted fragment mid-sentence.

French and Russian copy quote words and short phrases (« Collective peacekeeping force »);
MT capitalises the first word as if the quote opened a sentence. English keeps it lowercase:
a “collective peacekeeping force”. The matcher flags the first word only when all of these hold:
- the quote opens mid-sentence (not at a line start or after . ! ? : ;);
- the fragment is not a full sentence (does not end in . ! ? , inside the quote) and does not
  start with a subject pronoun ("We will…");
- the fragment is not in Title Case ("Anatomy of a Fall");
- nothing just before the quote marks a name, title or mention (``name_cues``: "the club",
  "the newspaper", "click on", "said" …);
- the word is a common English word (frequency list) and the story never writes it
  capitalised mid-sentence outside quotes (then it is a name: "Locomotive").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from .. import lexicon
from ..model import Applicability, Span
from .base import Hit, Kind, Params

if TYPE_CHECKING:
    from ..document import Document

_QUOTES = r"“[^“”\n]{1,200}”|\"[^\"\n]{1,200}\"|‘[^‘’\n]{1,200}’(?!\w)"
_FIRST = re.compile(r"([A-Z][a-z]+(?:-[A-Za-z]+)*)(?![\w’'])")
_FUNCTION = frozenset(
    "a an and as at but by for from in into nor of on or over the to up upon via with vs".split()
)
_OPENERS = ".!?…:;([{\n“\"‘«"


class QuotedCase(Kind):
    name = "quoted_case"

    def __init__(self, params: Params):
        self.source = _QUOTES
        self.pattern = re.compile(_QUOTES, re.MULTILINE)
        cues = params.str_list("name_cues")
        alternation = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
        self.cues = (
            re.compile(rf"(?:^|[^\w-])(?:{alternation})[\s,:]*$", re.IGNORECASE) if cues else None
        )
        self.starters = frozenset(w.casefold() for w in params.str_list("sentence_starters"))
        self.min_frequency = int(params.num("min_frequency", 500))

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        text = doc.text
        open_at, close_at = match.start(), match.end() - 1
        # The cheap tests that settle most quotations first (every test below only returns):
        # news quotes are mostly lowercase fragments or whole sentences.
        if not "A" <= text[open_at + 1] <= "Z":
            return
        inner = match.group(0)[1:-1]
        stripped = inner.rstrip()
        if stripped[-1] in ".!?…,":
            return  # a quoted sentence ("…police stations.", he said)
        if text[open_at] == '"' and not _plausible_straight_pair(text, open_at, close_at):
            return
        first = _FIRST.match(inner)
        if first is None:
            return
        word = first.group(1)
        before = text[doc.line_span(open_at).start : open_at].rstrip()
        if not before or before[-1] in _OPENERS:
            return  # the quote opens a line or a sentence: its capital is right
        words = re.findall(r"[\w’'-]+", inner)
        title_case = all(w[0].isupper() or w.casefold() in _FUNCTION for w in words[1:])
        if len(words) >= 2 and title_case:
            return  # Title Case: a title or a name
        if len(words) >= 2 and word.casefold() in self.starters:
            return
        if self.cues is not None and self.cues.search(before[-60:]):
            return
        if _LABEL_BEFORE.match(before):
            return  # Art "Skirmish": a one-word label opening the line names the quote
        if len(words) == 1 and _names_a_noun(text, close_at + 1):
            return  # "Tornado" officers: a quoted name used as a modifier
        if lexicon.frequency(word) < self.min_frequency:
            return
        if doc.capitalised_midsentence(word):
            return
        start = open_at + 1 + first.start(1)
        replacement = word[0].lower() + word[1:]
        single = len(words) == 1
        yield Hit(
            Span(start, start + len(word)),
            replacement,
            values=(("word", word), ("fragment", inner)),
            applicability=Applicability.UNSAFE,
            confidence=0.75 if single else 0.9,
        )

    def describe(self) -> Mapping[str, object]:
        return {"min_frequency": self.min_frequency, "sentence_starters": sorted(self.starters)}


_LABEL_BEFORE = re.compile(r"[^\S\n]*[A-Z][\w’'-]*[^\S\n]*$")
_NEXT = re.compile(r"[^\S\n]+([a-z]+)\b")
_LINKS = frozenset(
    "of and or in on at to for with by from as is was are were has have had which that who "
    "whose where when but than into over under after before during amid".split()
)


def _names_a_noun(text: str, after: int) -> bool:
    """A single quoted word followed by a lowercase content word modifies it, like a name."""
    m = _NEXT.match(text, after)
    return m is not None and m.group(1) not in _LINKS


def _plausible_straight_pair(text: str, open_at: int, close_at: int) -> bool:
    """Straight quotes do not say which is which: require "…" to look like open … close."""
    before = text[open_at - 1] if open_at else " "
    after = text[close_at + 1] if close_at + 1 < len(text) else " "
    inner_first = text[open_at + 1]
    return (not before.isalnum()) and not inner_first.isspace() and not after.isalnum()
