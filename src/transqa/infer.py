"""Source-language inference for ``--source-lang auto`` (evidence-based; see issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .api import SourceLang
    from .config import Config
    from .ruleset import RuleSet


def infer_source_lang(text: str, *, ruleset: RuleSet, config: Config) -> SourceLang:
    """Until evidence-based inference lands, ``auto`` runs the common pack only."""
    from .api import SourceLang

    return SourceLang(None, 0.0, ("no inference yet: common pack only",))
