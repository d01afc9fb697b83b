from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = ROOT / "corpora"


@pytest.fixture(scope="session")
def ruleset():  # type: ignore[no-untyped-def]
    from transqa.ruleset import load_ruleset

    return load_ruleset([ROOT / "rules"], strict=True)
