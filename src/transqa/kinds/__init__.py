"""The closed set of matcher kinds. Nothing registers itself: adding a kind is a reviewed edit
of this dict, with its own module, tests and docs."""

from __future__ import annotations

from .base import Hit, Kind, Params
from .line import Line
from .mojibake import Mojibake
from .pattern import Pattern
from .phrases import Phrases
from .quoted_case import QuotedCase
from .untranslated import Untranslated

KINDS: dict[str, type[Kind]] = {
    "pattern": Pattern,
    "phrases": Phrases,
    "quoted_case": QuotedCase,
    "untranslated": Untranslated,
    "line": Line,
    "mojibake": Mojibake,
}

__all__ = ["KINDS", "Hit", "Kind", "Params"]
