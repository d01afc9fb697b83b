"""transqa: find and fix source-language artifacts in machine-translated English.

The public API works on strings and values; nothing here prints or exits::

    import transqa
    result = transqa.check(text, config=transqa.Config(source_lang="fr"))
    fixed = transqa.fix(text, config=transqa.Config(source_lang="fr")).text
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import CheckResult, FixOutcome, check, fix, get_ruleset
    from .config import Config
    from .model import Applicability, Category, Edit, Finding, Fix, FixResult, Severity, Span
    from .ruleset import RuleSet, load_ruleset

_EXPORTS = {
    "check": "api", "fix": "api", "get_ruleset": "api", "CheckResult": "api", "FixOutcome": "api",
    "Config": "config", "load_ruleset": "ruleset", "RuleSet": "ruleset",
    "Applicability": "model", "Category": "model", "Edit": "model", "Finding": "model",
    "Fix": "model", "FixResult": "model", "Severity": "model", "Span": "model",
}


def __getattr__(name: str) -> Any:
    """Lazy re-exports keep ``import transqa`` (and so the CLI's start-up) cheap."""
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)


__all__ = [
    "Applicability", "Category", "CheckResult", "Config", "Edit", "Finding", "Fix", "FixOutcome",
    "FixResult", "RuleSet", "Severity", "Span", "check", "fix", "get_ruleset", "load_ruleset",
]
