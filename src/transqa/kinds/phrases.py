"""``phrases``: a table of source-language calques and their English, compiled to one regex.

Keys are matched case-insensitively on word boundaries, longest first (so "in the course of"
wins over "course of"), with any run of whitespace between words; the replacement takes the
case of the matched text. A value may be a list: the first item is the fix, the others are
offered in the message; ``null`` flags without a fix.
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


def _norm(phrase: str) -> str:
    return _WS.sub(" ", phrase.strip()).casefold()


class Phrases(Kind):
    name = "phrases"

    def __init__(self, params: Params):
        table = params.mapping("phrases")
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
            key = _norm(bad)
            if key in self.table:
                raise RuleFileError(params.path, line, f"phrase {bad!r} listed twice")
            self.table[key] = options
        self.case_sensitive = params.bool("case_sensitive", False)
        words = sorted(self.table, key=lambda k: (-len(k), k))
        alternation = "|".join(r"\s+".join(map(re.escape, w.split(" "))) for w in words)
        flags = 0 if self.case_sensitive else re.IGNORECASE
        # Word boundaries only where the phrase edge is a word character ("U.S." ends in ".").
        raw = rf"(?<![\w-])(?:{alternation})(?![\w-])"
        self.source = raw if self.case_sensitive else f"(?i:{raw})"
        self.pattern = params.regex("phrases", raw, flags)
        self.before, self.after = context_regexes(params, flags)
        if self.case_sensitive:
            self.table = {_WS.sub(" ", k): v for k, v in self._exact(table).items()}

    @staticmethod
    def _exact(table: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
        result: dict[str, tuple[str, ...]] = {}
        for bad, good in table.items():
            if good is None:
                result[bad.strip()] = ()
            elif isinstance(good, str):
                result[bad.strip()] = (good,)
            else:
                result[bad.strip()] = tuple(str(g) for g in good)  # type: ignore[attr-defined]
        return result

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        start, end = match.span()
        if context_rejects(doc.text, start, end, self.before, self.after):
            return
        text = match.group(0)
        key = _WS.sub(" ", text) if self.case_sensitive else _norm(text)
        options = self.table.get(key)
        if options is None:
            return
        replacement = follow_case(text, options[0]) if options else None
        values = (("alternatives", " / ".join(options)),)
        yield Hit(Span(start, end), replacement, values=values)

    def describe(self) -> Mapping[str, object]:
        return {"phrases": {k: list(v) for k, v in self.table.items()}}
