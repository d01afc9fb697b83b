"""``line``: whole-line artifacts such as related-link teasers pasted into the body.

The rule's regex must match the entire line (leading/trailing spaces allowed). The fix removes
the line together with one adjacent blank line, so the paragraph rhythm of the story stays as
it was; the finding's span is the line's text, the edit's span includes the line break.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ..model import Edit, Span
from .base import Hit, Kind, Params

if TYPE_CHECKING:
    from ..document import Document

_BLANK_AFTER = re.compile(r"\r?\n[^\S\r\n]*(?:\r?\n|\Z)")
_NEWLINE_AFTER = re.compile(r"\r?\n")
_BLANKS_BEFORE = re.compile(r"(?:\r?\n[^\S\r\n]*)+\Z")


class Line(Kind):
    name = "line"

    def __init__(self, params: Params):
        flags = re.IGNORECASE if params.bool("ignorecase", False) else 0
        raw = params.str("pattern")
        params.regex("pattern", raw, flags)
        body = f"(?i:{raw})" if flags else raw
        self.source = rf"^[^\S\r\n]*(?:{body})[^\S\r\n]*(?=\r?$)"
        self.pattern = params.regex("pattern", self.source)
        self.remove = params.bool("remove", True)

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        text = doc.text
        start, end = match.span()
        if not self.remove:
            yield Hit(Span(start, end))
            return
        cut_start, cut_end = start, end
        blank = _BLANK_AFTER.match(text, end)
        newline = _NEWLINE_AFTER.match(text, end)
        preceded_by_blank = start == 0 or text.endswith("\n\n", 0, start) or text.endswith(
            "\n\r\n", 0, start
        )
        if blank and preceded_by_blank:
            cut_end = blank.end()
        elif newline:
            cut_end = newline.end()
        else:  # last line: take the separator before it instead
            before = _BLANKS_BEFORE.search(text, 0, start)
            cut_start = before.start() if before else start
        yield Hit(Span(start, end), edits=(Edit(Span(cut_start, cut_end), ""),))

    def describe(self) -> Mapping[str, object]:
        return {"pattern": self.source, "remove": self.remove}
