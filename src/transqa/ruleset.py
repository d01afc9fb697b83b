"""Rule files → validated, immutable rules.

``rules/<pack>/<Name>.yaml`` defines rule ``<pack>.<Name>``: the id comes from the path, so it
cannot drift. Loading is strict: an unknown key, kind or category, a regex that does not
compile, a missing message/why or a rule without examples fails with ``file:line: message``.

A rule may carry ``evidence: <weight>``: how much one of its hits says about the source
language, overriding the category default of :mod:`transqa.infer` (for fingerprints that no
ordinary English produces, such as "counts with more than" for "cuenta con más de").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from .errors import RuleFileError
from .kinds import KINDS, Kind, Params
from .model import Applicability, Category, Severity, Span
from .yamlsrc import LineDict, LineList, from_plain, load_yaml, to_plain

COMMON_KEYS = frozenset(
    {"kind", "category", "severity", "applicability", "priority", "status", "message", "why",
     "flag", "keep", "source_lang", "style", "evidence"}
)
STATUSES = ("stable", "preview", "deprecated")
STYLES = ("us", "uk")
#: ``evidence`` runs from 0 (the rule says nothing about the source) to the weight of an
#: untranslated sentence detected with certainty, the strongest evidence inference knows.
MAX_EVIDENCE = 3.0
_MARK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_PACK = re.compile(r"^[a-z]{2,12}$")
E = TypeVar("E", Category, Severity, Applicability)


@dataclass(frozen=True, slots=True)
class FlagExample:
    """Input text (markers removed), the spans it must report, and the text after fixing."""

    text: str
    spans: tuple[Span, ...]
    fixed: str | None
    line: int


@dataclass(frozen=True, slots=True)
class KeepExample:
    text: str
    line: int


@dataclass(frozen=True)
class Rule:
    id: str
    pack: str
    path: Path
    kind: str
    category: Category
    severity: Severity
    applicability: Applicability
    message: str
    why: str
    matcher: Kind = field(compare=False, repr=False)
    priority: int = 0
    status: str = "stable"
    #: House style the rule belongs to (``us``/``uk``); None = every style.
    style: str | None = None
    #: Weight of one hit as source-language evidence; None = the category default.
    evidence: float | None = None
    flag: tuple[FlagExample, ...] = ()
    keep: tuple[KeepExample, ...] = ()

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    digest: str
    redirects: tuple[tuple[str, str], ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @property
    def packs(self) -> tuple[str, ...]:
        return tuple(sorted({r.pack for r in self.rules}))

    def get(self, rule_id: str) -> Rule:
        target = dict(self.redirects).get(rule_id, rule_id)
        return self.by_id[target]

    def select(self, packs: Iterable[str]) -> tuple[Rule, ...]:
        wanted = set(packs)
        return tuple(r for r in self.rules if r.pack in wanted and r.status != "deprecated")


def default_rules_dir() -> Path:
    """Rules ship inside the wheel as ``transqa/rules``; in a source checkout they are ``rules/``."""
    packaged = Path(__file__).resolve().parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def rule_files(root: Path) -> Iterator[tuple[str, Path]]:
    for pack_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        for path in sorted(pack_dir.glob("*.yaml")):
            yield pack_dir.name, path


def load_ruleset(dirs: Iterable[Path] | None = None, *, strict: bool | None = None) -> RuleSet:
    """Load every pack under each directory (later directories may add packs, not replace ids).

    ``strict`` compiles and checks every regex at load. By default it is on for every folder
    except the built-in one, whose regexes the test suite compiles (``rules validate`` too):
    skipping that work keeps a pre-publish hook's start-up short.
    """
    roots = list(dirs) if dirs is not None else [default_rules_dir()]
    builtin = default_rules_dir().resolve()
    bundle = _bundle(builtin)
    rules: list[Rule] = []
    digest = hashlib.sha256()
    redirects: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            raise RuleFileError(root, 1, "rule directory not found")
        for pack, path in rule_files(root):
            raw = path.read_bytes()
            digest.update(f"{pack}/{path.name}\0".encode())
            digest.update(raw)
            strict_here = strict if strict is not None else root.resolve() != builtin
            parsed = None
            if not strict_here and root.resolve() == builtin:
                entry = bundle.get(f"{pack}/{path.name}")
                if entry is not None and entry[0] == hashlib.sha256(raw).hexdigest():
                    parsed = from_plain(entry[1])
            rule = load_rule(path, pack, raw.decode("utf-8", errors="replace"), strict=strict_here,
                             parsed=parsed)
            if rule.id in seen:
                raise RuleFileError(path, 1, f"rule id {rule.id} already defined in {seen[rule.id]}")
            seen[rule.id] = path
            rules.append(rule)
        redirect_file = root / "REDIRECTS.yaml"
        if redirect_file.exists():
            data = load_yaml(redirect_file) or {}
            if not isinstance(data, dict):
                raise RuleFileError(redirect_file, 1, "expected a mapping old-id: new-id")
            redirects.update({str(k): str(v) for k, v in data.items()})
    rules.sort(key=lambda r: r.id)
    return RuleSet(tuple(rules), digest.hexdigest()[:12], tuple(sorted(redirects.items())))


BUNDLE = "bundle.json"


def _bundle(root: Path) -> dict[str, tuple[str, Any]]:
    """The built-in rule files already parsed, by ``pack/File.yaml`` → (SHA-256, data).

    Written by ``transqa rules index``. Parsing 380 YAML files was a third of a hook's start-up;
    a file whose hash no longer matches (edited since) is parsed as usual.
    """
    try:
        data = json.loads((root / BUNDLE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: (v[0], v[1]) for k, v in data.items()} if isinstance(data, dict) else {}


def bundle_data(root: Path) -> dict[str, list[Any]]:
    """What ``transqa rules index`` writes to ``rules/bundle.json``."""
    result: dict[str, list[Any]] = {}
    for pack, path in rule_files(root):
        raw = path.read_bytes()
        result[f"{pack}/{path.name}"] = [hashlib.sha256(raw).hexdigest(),
                                         to_plain(load_yaml(path, raw.decode("utf-8")))]
    return result


def load_rule(
    path: Path, pack: str, text: str | None = None, *, strict: bool = True, parsed: Any = None
) -> Rule:
    name = path.stem
    if not _PACK.match(pack):
        raise RuleFileError(path, 1, f"pack folder {pack!r} must be lowercase letters")
    if not _NAME.match(name):
        raise RuleFileError(path, 1, f"rule file name {name!r} must be CamelCase (it is the id)")
    raw = parsed if parsed is not None else load_yaml(path, text)
    if not isinstance(raw, LineDict):
        raise RuleFileError(path, 1, "a rule file must be a mapping")
    params = Params(raw, path, skip=COMMON_KEYS, strict=strict)
    kind_name = _required_str(raw, "kind", path)
    if kind_name not in KINDS:
        raise RuleFileError(path, raw.line_of("kind"), f"unknown kind {kind_name!r}; known: "
                            f"{', '.join(sorted(KINDS))}", "kind")
    matcher = KINDS[kind_name](params)
    unknown = params.unknown_keys()
    if unknown:
        raise RuleFileError(path, raw.line_of(unknown[0]), f"unknown key for kind {kind_name}",
                            unknown[0])
    category = _enum(raw, "category", path, Category, Category)
    severity = _enum(raw, "severity", path, Severity, Severity.parse)
    applicability = _enum(raw, "applicability", path, Applicability, Applicability.parse)
    status = raw.get("status", "stable")
    if status not in STATUSES:
        raise RuleFileError(path, raw.line_of("status"), f"must be one of {STATUSES}", "status")
    style = raw.get("style")
    if style is not None and style not in STYLES:
        raise RuleFileError(path, raw.line_of("style"), f"must be one of {STYLES}", "style")
    priority = raw.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise RuleFileError(path, raw.line_of("priority"), "expected an integer", "priority")
    evidence = _evidence(raw, path)
    rule = Rule(
        id=f"{pack}.{name}",
        pack=pack,
        path=path,
        kind=kind_name,
        category=category,
        severity=severity,
        applicability=applicability,
        message=_required_str(raw, "message", path),
        why=_required_str(raw, "why", path),
        matcher=matcher,
        priority=priority,
        status=status,
        style=style,
        evidence=evidence,
        flag=_flag_examples(raw, path, applicability),
        keep=_keep_examples(raw, path),
    )
    return rule


def _evidence(raw: LineDict, path: Path) -> float | None:
    """The optional ``evidence`` weight: a number from 0 to :data:`MAX_EVIDENCE`."""
    if "evidence" not in raw:
        return None
    value = raw["evidence"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_EVIDENCE:
        raise RuleFileError(path, raw.line_of("evidence"),
                            f"expected a number from 0 to {MAX_EVIDENCE:g}", "evidence")
    return float(value)


def _required_str(raw: LineDict, key: str, path: Path) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(path, raw.line_of(key), "required, a non-empty string", key)
    return value.strip()


def _enum(raw: LineDict, key: str, path: Path, enum: type[E], parse: Callable[[str], E]) -> E:
    value = _required_str(raw, key, path)
    try:
        return parse(value)
    except (KeyError, ValueError):
        names = ", ".join(m.value if isinstance(m, Category) else m.name.lower() for m in enum)
        raise RuleFileError(path, raw.line_of(key), f"{value!r} is not one of: {names}", key) from None


def _list(raw: LineDict, key: str, path: Path) -> LineList:
    value = raw.get(key)
    if not isinstance(value, LineList) or not value:
        raise RuleFileError(path, raw.line_of(key), "at least one example is required", key)
    return value


def _flag_examples(raw: LineDict, path: Path, applicability: Applicability) -> tuple[FlagExample, ...]:
    examples = []
    items = _list(raw, "flag", path)
    for item, line in zip(items, items.item_lines, strict=True):
        if isinstance(item, str):
            marked, fixed = item, None
        elif isinstance(item, LineDict):
            extra = set(item) - {"text", "fix"}
            if extra or "text" not in item:
                raise RuleFileError(path, line, "a flag example is {text: ..., fix: ...}", "flag")
            marked, fixed = item["text"], item.get("fix")
        else:
            raise RuleFileError(path, line, "a flag example is a string or {text, fix}", "flag")
        if not isinstance(marked, str) or (fixed is not None and not isinstance(fixed, str)):
            raise RuleFileError(path, line, "text and fix must be strings", "flag")
        text, spans = parse_marked(marked)
        if not spans:
            raise RuleFileError(path, line, "mark the expected span with [[...]]", "flag")
        if fixed is None and applicability > Applicability.SUGGESTION:
            raise RuleFileError(path, line, "a fixable rule's flag example needs `fix:`", "flag")
        examples.append(FlagExample(text, spans, fixed, line))
    return tuple(examples)


def _keep_examples(raw: LineDict, path: Path) -> tuple[KeepExample, ...]:
    items = _list(raw, "keep", path)
    result = []
    for item, line in zip(items, items.item_lines, strict=True):
        if not isinstance(item, str) or not item:
            raise RuleFileError(path, line, "a keep example is a non-empty string", "keep")
        result.append(KeepExample(item, line))
    return tuple(result)


def parse_marked(marked: str) -> tuple[str, tuple[Span, ...]]:
    """``"a [[b]] c"`` → ``("a b c", (Span(2, 3),))``."""
    out: list[str] = []
    spans = []
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        spans.append(Span(length, length + len(m.group(1))))
        out.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), tuple(spans)
