"""``pattern``: one regular expression and an optional replacement template.

``span: <group>`` reports (and replaces) only that named group, which stands in for the
variable-length look-behind Python's ``re`` lacks: the rest of the match is context.

Covers punctuation, elisions, number formats and short word-order repairs: anything whose
artifact and fix are both visible in the match itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from ..model import Span
from .base import (
    Hit,
    Kind,
    Params,
    check_template,
    context_regexes,
    context_rejects,
    expand,
    group_names,
)
from .base import follow_case as _follow_case

if TYPE_CHECKING:
    from ..document import Document


class Pattern(Kind):
    name = "pattern"

    def __init__(self, params: Params):
        flags = re.IGNORECASE if params.bool("ignorecase", False) else 0
        raw = params.str("pattern")
        self.pattern = params.regex("pattern", raw, flags)
        self.source = f"(?i:{raw})" if flags else raw
        self.replace = params.opt_str("replace")
        if self.replace is not None:
            check_template(self.replace, group_names(raw), params, "replace")
        self.case = params.bool("preserve_case", False)
        self.group = params.opt_str("span")
        if self.group is not None and self.group not in group_names(raw):
            raise params.error("span", f"no group named {self.group!r} in the pattern")
        self.before, self.after = context_regexes(params, flags)

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        start, end = match.span(self.group or 0)
        if start < 0:
            return
        if context_rejects(doc.text, start, end, self.before, self.after):
            return
        replacement = None
        if self.replace is not None:
            replacement = expand(self.replace, match)
            if self.case:
                replacement = _follow_case(match.group(self.group or 0), replacement)
        yield Hit(Span(start, end), replacement, values=tuple(_values(match)))

    def describe(self) -> Mapping[str, object]:
        return {"pattern": self.source, "replace": self.replace}


def _values(match: re.Match[str]) -> Iterator[tuple[str, str]]:
    for name, value in match.groupdict().items():
        yield name, value or ""
