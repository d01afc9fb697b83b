"""``mojibake``: UTF-8 text that was decoded as Windows-1252 or Latin-1 somewhere upstream.

"é" becomes "Ã©", "’" becomes "â€™", Cyrillic "П" becomes "ÐŸ". Detecting the telltale
pairs is a regex; undoing them is ftfy's job (``ftfy.fix_encoding``, which only re-decodes and
leaves quotes, widths and ligatures alone), so no hand-written tables. The finding covers the
characters ftfy changes; a sequence ftfy will not touch is reported without a fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ..model import Span
from .base import Hit, Kind, Params

if TYPE_CHECKING:
    from ..document import Document

# A lead byte of a two- or three-byte UTF-8 sequence as Windows-1252 shows it, followed by a
# continuation byte as Windows-1252 shows it (0x80-0xBF → these characters).
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_SOURCE = f"[ÃÂâÐÑÅÄ][{_CONTINUATION}]"
_SPACE = re.compile(r"\s")


class Mojibake(Kind):
    name = "mojibake"

    def __init__(self, params: Params):
        self.source = _SOURCE
        self.pattern = params.regex("pattern", _SOURCE)

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        import ftfy  # only documents with a suspicious pair pay for the import

        text = doc.text
        start = match.start()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        found = _SPACE.search(text, match.end())
        end = found.start() if found else len(text)
        token = text[start:end]
        fixed = ftfy.fix_encoding(token)
        if fixed == token:
            yield Hit(Span(start, end))
            return
        prefix = 0
        while prefix < min(len(token), len(fixed)) and token[prefix] == fixed[prefix]:
            prefix += 1
        suffix = 0
        while (suffix < min(len(token), len(fixed)) - prefix
               and token[-1 - suffix] == fixed[-1 - suffix]):
            suffix += 1
        yield Hit(Span(start + prefix, end - suffix), fixed[prefix : len(fixed) - suffix])

    def describe(self) -> Mapping[str, object]:
        return {"pattern": _SOURCE, "fixer": "ftfy.fix_encoding"}
