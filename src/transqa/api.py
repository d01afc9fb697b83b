"""The library façade: pure functions over ``str`` and values. Never prints, never exits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from . import __version__
from .config import Config
from .engine import run_rules
from .fixer import fix_text
from .model import Applicability, Finding, FixResult, Severity
from .ruleset import Rule, RuleSet, default_rules_dir, load_ruleset

DEFAULT = Config()


@dataclass(frozen=True)
class SourceLang:
    """Which source pack ran and why: given by the user, inferred from evidence, or unknown."""

    value: str | None
    confidence: float = 0.0
    evidence: tuple[str, ...] = ()
    explicit: bool = False


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    packs: tuple[str, ...]
    source_lang: SourceLang
    signature: str


@dataclass(frozen=True)
class FixOutcome:
    result: FixResult
    packs: tuple[str, ...]
    source_lang: SourceLang
    signature: str

    @property
    def text(self) -> str:
        return self.result.text


@lru_cache(maxsize=8)
def _cached_ruleset(dirs: tuple[Path, ...]) -> RuleSet:
    return load_ruleset(dirs)


def get_ruleset(config: Config | None = None) -> RuleSet:
    """The built-in packs plus the config's extra rule folders, loaded once per process."""
    extra = config.rule_dirs if config is not None else ()
    return _cached_ruleset((default_rules_dir(), *extra))


def signature(ruleset: RuleSet, packs: Sequence[str], applicability: Applicability | None) -> str:
    """sacrebleu-style reproducibility string stamped on every report and log."""
    parts = [f"transqa:{__version__}", f"rules:{ruleset.digest}", f"packs:{','.join(packs)}"]
    if applicability is not None:
        parts.append(f"apply:{applicability.label}")
    parts.append("langid:seed0")
    return "|".join(parts)


def selected_rules(ruleset: RuleSet, config: Config, packs: Sequence[str]) -> tuple[Rule, ...]:
    return tuple(
        r for r in ruleset.select(packs)
        if config.wants(r.id, r.pack, r.category.value, r.status, r.style)
        and (config.langid or r.kind != "untranslated")
    )


def _findings(text: str, rules: Sequence[Rule], config: Config) -> list[Finding]:
    findings = run_rules(text, rules)
    if config.severity:
        findings = [
            f if (s := config.severity_for(f.rule_id, f.category.value, f.severity)) == f.severity
            else _with_severity(f, s)
            for f in findings
        ]
    return findings


def _with_severity(finding: Finding, severity: Severity) -> Finding:
    return replace(finding, severity=severity)


def _packs(source: SourceLang, config: Config) -> tuple[str, ...]:
    ok = source.explicit or source.confidence >= config.infer_threshold
    return config.packs(source.value if ok else None)


def check(text: str, *, config: Config = DEFAULT, ruleset: RuleSet | None = None) -> CheckResult:
    """Every finding of the selected packs on ``text``, sorted by position.

    With ``source_lang="auto"`` every pack runs once: its findings are the evidence for the
    inference, and those of ``common`` and the inferred pack are the result (rules are
    independent, so filtering is exact and nothing is scanned twice).
    """
    ruleset = ruleset or get_ruleset(config)
    if config.source_lang != "auto":
        source = SourceLang(config.source_lang, 1.0, ("given with --source-lang",), explicit=True)
        packs = _packs(source, config)
        findings = tuple(_findings(text, selected_rules(ruleset, config, packs), config))
        return CheckResult(findings, packs, source, signature(ruleset, packs, None))
    from .infer import infer_source_lang

    everything = _findings(text, selected_rules(ruleset, config, ruleset.packs), config)
    source = infer_source_lang(text, ruleset=ruleset, config=config, findings=everything)
    packs = _packs(source, config)
    kept = tuple(f for f in everything if f.rule_id.split(".", 1)[0] in packs)
    return CheckResult(kept, packs, source, signature(ruleset, packs, None))


def fix(
    text: str,
    *,
    config: Config = DEFAULT,
    ruleset: RuleSet | None = None,
    min_applicability: Applicability = Applicability.SAFE,
) -> FixOutcome:
    """Apply fixes at or above ``min_applicability`` until the text is stable.

    The source language is settled once on the input, so every pass runs the same packs.
    """
    ruleset = ruleset or get_ruleset(config)
    first = check(text, config=config, ruleset=ruleset)  # its findings are the first pass's
    rules = selected_rules(ruleset, config, first.packs)
    result = fix_text(text, lambda t: _findings(t, rules, config), min_applicability,
                      first=first.findings)
    signed = signature(ruleset, first.packs, min_applicability)
    return FixOutcome(result, first.packs, first.source_lang, signed)
