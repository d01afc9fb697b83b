"""The one data model shared by the engine, the fixer, the renderers and the log.

Everything here is an immutable value so that findings can be cached, compared in tests and
passed between processes (batch mode) without defensive copies. Offsets are code points into
the exact decoded input ``str``; line/column exist only in :mod:`transqa.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Applicability(IntEnum):
    """How far a fix may be trusted; ordered so that ``fix.applicability >= wanted`` works.

    SAFE fixes are exact and context-free, UNSAFE ones are word choices an editor should
    review, SUGGESTION ones are shown but never applied (ruff's DisplayOnly < Unsafe < Safe).
    """

    SUGGESTION = 0
    UNSAFE = 1
    SAFE = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Applicability:
        return cls[value.strip().upper()]


class Severity(IntEnum):
    """Ordered so ``--fail-on warning`` means ``severity >= WARNING``."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.strip().upper()]


class Category(StrEnum):
    """The closed taxonomy of artifacts; each maps to an MQM / ITS 2.0 issue type for reports."""

    QUOTE_CASE = "quote_case"
    ELISION = "elision"
    QUOTE_PUNCT = "quote_punct"
    TYPOGRAPHY = "typography"
    NUMBERS = "numbers"
    CALQUE = "calque"
    ACRONYM = "acronym"
    UNTRANSLATED = "untranslated"
    BOILERPLATE = "boilerplate"
    DEMONYM_CASE = "demonym_case"
    HONORIFIC = "honorific"
    WORD_ORDER = "word_order"
    DUPLICATION = "duplication"
    SPACING = "spacing"
    ENCODING = "encoding"

    @property
    def mqm(self) -> str:
        return _MQM[self]


_MQM: dict[Category, str] = {
    Category.QUOTE_CASE: "fluency/spelling/capitalization",
    Category.ELISION: "fluency/spelling",
    Category.QUOTE_PUNCT: "fluency/punctuation",
    Category.TYPOGRAPHY: "locale-convention/typography",
    Category.NUMBERS: "locale-convention/number-format",
    Category.CALQUE: "accuracy/mistranslation",
    Category.ACRONYM: "terminology",
    Category.UNTRANSLATED: "accuracy/untranslated",
    Category.BOILERPLATE: "accuracy/addition",
    Category.DEMONYM_CASE: "fluency/spelling/capitalization",
    Category.HONORIFIC: "locale-convention",
    Category.WORD_ORDER: "fluency/grammar/word-order",
    Category.DUPLICATION: "fluency/duplication",
    Category.SPACING: "fluency/punctuation/whitespace",
    Category.ENCODING: "fluency/character-encoding",
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open ``[start, end)`` in code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def overlaps(self, other: Span) -> bool:
        """Touching spans do not overlap, but two insertions at one point do."""
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability

    @property
    def span(self) -> Span:
        return Span(min(e.span.start for e in self.edits), max(e.span.end for e in self.edits))


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    category: Category
    span: Span
    message: str
    severity: Severity
    fix: Fix | None = None
    confidence: float = 1.0
    priority: int = 0
    #: Extra machine-readable facts (e.g. the detected language of an untranslated sentence).
    data: tuple[tuple[str, str | float], ...] = ()

    @property
    def replacement(self) -> str | None:
        """The text that replaces ``span`` when the fix is a single edit over the whole span."""
        if self.fix is None:
            return None
        if len(self.fix.edits) == 1 and self.fix.edits[0].span == self.span:
            return self.fix.edits[0].replacement
        return None

    @property
    def applicability(self) -> Applicability:
        return self.fix.applicability if self.fix else Applicability.SUGGESTION

    def sort_key(self) -> tuple[int, int, int, str]:
        return (self.span.start, self.span.end, self.priority, self.rule_id)


@dataclass(frozen=True, slots=True)
class AppliedFix:
    """One applied edit, with enough context to undo it byte for byte.

    ``offset`` is where ``after`` sits in the output of pass ``pass_no`` (what undo needs:
    reversing the passes last to first, right to left, restores the input exactly);
    ``start``/``end`` are mapped back to the original input (what a reader of the log wants).
    """

    rule_id: str
    category: Category
    applicability: Applicability
    pass_no: int
    offset: int
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class FixResult:
    text: str
    applied: tuple[AppliedFix, ...] = ()
    skipped: tuple[Finding, ...] = field(default=())
    passes: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.applied)
