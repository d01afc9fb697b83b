"""What every matcher kind shares: validated parameters, hits, replacement templates.

A kind turns the kind-specific keys of a rule file into a compiled matcher. Kinds that can be
expressed as one regular expression expose ``source`` so the engine can fold every rule of the
selected packs into a single combined scan; the others implement ``scan``.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from ..errors import RuleFileError
from ..model import Applicability, Edit, Span
from ..yamlsrc import LineDict, LineList

if TYPE_CHECKING:
    from ..document import Document


@dataclass(frozen=True, slots=True)
class Hit:
    """What a matcher found; the engine adds the rule's metadata to make a Finding."""

    span: Span
    replacement: str | None = None
    values: tuple[tuple[str, str], ...] = ()
    applicability: Applicability | None = None
    confidence: float = 1.0
    edits: tuple[Edit, ...] | None = None
    data: tuple[tuple[str, str | float], ...] = ()


class Params:
    """Typed, line-aware access to a rule's keys; unread keys are reported as unknown."""

    def __init__(
        self, raw: LineDict, path: Path, skip: frozenset[builtins.str] = frozenset(),
        *, strict: builtins.bool = True,
    ):
        self.raw = raw
        self.path = path
        self.used: set[builtins.str] = set(skip)
        #: Compile and check every regex now. Off for the built-in packs, whose regexes the test
        #: suite compiles: compiling ~300 regexes was 70% of a hook's start-up.
        self.strict = strict

    def error(self, key: builtins.str | None, message: builtins.str) -> RuleFileError:
        line = self.raw.line_of(key) if key else self.raw.line
        return RuleFileError(self.path, line, message, key)

    def _get(self, key: builtins.str, types: type | tuple[type, ...], default: Any, required: bool) -> Any:
        self.used.add(key)
        if key not in self.raw:
            if required:
                raise self.error(None, f"missing required key {key!r}")
            return default
        value = self.raw[key]
        if not isinstance(value, types):
            names = types.__name__ if isinstance(types, type) else "/".join(t.__name__ for t in types)
            raise self.error(key, f"expected {names}, got {type(value).__name__}")
        return value

    def str(self, key: builtins.str) -> str:
        value: builtins.str = self._get(key, builtins.str, None, True)
        if not value:
            raise self.error(key, "must not be empty")
        return value

    def opt_str(self, key: builtins.str, default: builtins.str | None = None) -> builtins.str | None:
        value: builtins.str | None = self._get(key, (builtins.str, type(None)), default, False)
        return value

    def bool(self, key: builtins.str, default: builtins.bool) -> builtins.bool:
        value: builtins.bool = self._get(key, builtins.bool, default, False)
        return value

    def num(self, key: builtins.str, default: float) -> float:
        value = self._get(key, (int, float), default, False)
        if isinstance(value, builtins.bool):
            raise self.error(key, "expected a number")
        return float(value)

    def str_list(self, key: builtins.str, default: tuple[builtins.str, ...] = ()) -> tuple[builtins.str, ...]:
        value = self._get(key, (list, type(None)), None, False)
        if value is None:
            return default
        for i, item in enumerate(value):
            if not isinstance(item, builtins.str) or not item:
                line = value.item_lines[i] if isinstance(value, LineList) else self.raw.line_of(key)
                raise RuleFileError(self.path, line, "expected a non-empty string", key)
        return tuple(value)

    def mapping(self, key: builtins.str) -> LineDict:
        value: LineDict = self._get(key, dict, None, True)
        if not value:
            raise self.error(key, "must not be empty")
        return value

    def regex(self, key: builtins.str, value: builtins.str, flags: int = 0) -> re.Pattern[builtins.str]:
        if not self.strict:
            where = f"{self.path}:{self.raw.line_of(key)}: {key}"
            return cast("re.Pattern[builtins.str]", LazyPattern(value, flags | re.MULTILINE, where))
        try:
            compiled = re.compile(value, flags | re.MULTILINE)
        except re.error as exc:
            raise self.error(key, f"regex does not compile: {exc}") from None
        if compiled.groups != len(compiled.groupindex):
            raise self.error(key, "use (?:...) or named groups (?P<name>...); numbered groups "
                             "are not supported in rule patterns")
        if compiled.match(""):
            raise self.error(key, "regex matches the empty string")
        return compiled

    def unknown_keys(self) -> list[builtins.str]:
        return sorted(k for k in self.raw if k not in self.used)


class LazyPattern:
    """A regex compiled on first use; stands in for ``re.Pattern`` (attribute access compiles).

    After the first use each method looked up is stored on the instance, so later calls cost a
    plain attribute access instead of a trip through ``__getattr__`` (47,000 calls per MB).
    """

    def __init__(self, pattern: str, flags: int, where: str):
        self.pattern = pattern
        self.flags = flags
        self.where = where
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        if self._compiled is None:
            try:
                self._compiled = re.compile(self.pattern, self.flags)
            except re.error as exc:
                path, line, key = self.where.rsplit(":", 2)
                raise RuleFileError(path, int(line), f"regex does not compile: {exc}",
                                    key.strip()) from None
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def group_names(source: str) -> set[str]:
    """Named groups of a regex, read from its source (no compile needed)."""
    return set(re.findall(r"\(\?P<(\w+)>", source))


class Kind:
    """Base of the closed set of matcher kinds (see ``KINDS``)."""

    def __init__(self, params: Params) -> None:
        """Read and validate the kind's own keys from ``params`` (unread keys are errors)."""

    name: ClassVar[str]
    #: Regex source folded into the engine's combined scan, or None for ``scan``-only kinds.
    source: str | None = None
    pattern: re.Pattern[str] | None = None

    def hits(self, match: re.Match[str], doc: Document) -> Iterator[Hit]:
        """Called for each match of ``pattern``; may reject it or refine the span."""
        raise NotImplementedError

    def scan(self, doc: Document) -> Iterator[Hit]:
        """Whole-document matching, used by kinds without a regex and by the one-rule test path."""
        if self.pattern is None:
            raise NotImplementedError
        for m in self.pattern.finditer(doc.text):
            yield from self.hits(m, doc)

    def describe(self) -> Mapping[str, object]:
        """Kind-specific settings for ``transqa rules show``."""
        return {}


# ---------------------------------------------------------------------------------------------
# Replacement templates: ``{name}``, ``{name|lower}``, ``{0}``; ``{{``/``}}`` for braces.

_FIELD = re.compile(r"\{\{|\}\}|\{(\w+)(?:\|(lower|upper|cap))?\}")
_CASERS: dict[str | None, Callable[[str], str]] = {
    None: lambda s: s,
    "lower": str.lower,
    "upper": str.upper,
    "cap": lambda s: s[:1].upper() + s[1:],
}


def check_template(template: str, groups: Collection[str], params: Params, key: str) -> None:
    stripped = _FIELD.sub("", template)
    if "{" in stripped or "}" in stripped:
        raise params.error(key, "unbalanced brace in template; write {{ or }} for a literal")
    for m in _FIELD.finditer(template):
        name = m.group(1)
        if name is not None and name != "0" and name not in groups:
            raise params.error(key, f"template refers to unknown group {{{name}}}")


def expand(template: str, match: re.Match[str]) -> str:
    def field(m: re.Match[str]) -> str:
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        name = m.group(1)
        value: str = match.group(0) if name == "0" else (match.group(name) or "")
        caser: Callable[[str], str] = _CASERS[m.group(2)]
        return caser(value)

    return _FIELD.sub(field, template)


def follow_case(model: str, replacement: str) -> str:
    """Give ``replacement`` the case pattern of ``model`` (Capitalised, UPPER or as written).

    Only a leading letter is capitalised (after quotes or brackets): "XIXe" → "19th" must not
    become "19Th".
    """
    letters = [c for c in model if c.isalpha()]
    if not letters or not replacement:
        return replacement
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if letters[0].isupper():
        for i, c in enumerate(replacement):
            if c.isalpha():
                return replacement[:i] + c.upper() + replacement[i + 1 :]
            if c.isalnum():
                break
    return replacement


def context_rejects(
    text: str, start: int, end: int, before: re.Pattern[str] | None, after: re.Pattern[str] | None
) -> bool:
    """True when the text around a match shows the English reading is legitimate."""
    if before is not None and before.search(text, max(0, start - 120), start):
        return True
    return after is not None and after.match(text, end) is not None


def context_regexes(
    params: Params, flags: int = 0
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """``unless_before`` must match right before the hit (anchored at its start);
    ``unless_after`` must match right after it."""
    before_src = params.opt_str("unless_before")
    after_src = params.opt_str("unless_after")
    before = after = None
    if before_src:
        before = _compile_ctx(params, "unless_before", f"(?:{before_src})$", flags)
    if after_src:
        after = _compile_ctx(params, "unless_after", after_src, flags)
    return before, after


def _compile_ctx(params: Params, key: str, source: str, flags: int) -> re.Pattern[str]:
    if not params.strict:  # built-in rules, checked by the tests: compile on first use
        where = f"{params.path}:{params.raw.line_of(key)}: {key}"
        return cast("re.Pattern[str]", LazyPattern(source, flags, where))
    try:
        # No MULTILINE here: ``$`` must mean "where the hit starts", which is the search's endpos.
        return re.compile(source, flags)
    except re.error as exc:
        raise params.error(key, f"regex does not compile: {exc}") from None
