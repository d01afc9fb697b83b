from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"


def _shared() -> Path:
    """The read-only third-party data (``../shared``): next to the checkout, or where
    ``TRANSQA_SHARED`` points (a clone in a temporary folder has no ``../shared``)."""
    candidates = [Path(p) for p in (os.environ.get("TRANSQA_SHARED"),) if p]
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    return next((c for c in candidates if (c / "external").is_dir()), candidates[0])


SHARED = _shared()


def need(path: Path) -> Path:
    """Skip (visibly) a test whose third-party data is not on this machine."""
    if not path.exists():
        pytest.skip(f"{path} not found: set TRANSQA_SHARED to the shared data folder")
    return path


@pytest.fixture(scope="session")
def ruleset():  # type: ignore[no-untyped-def]
    from transqa.ruleset import load_ruleset

    return load_ruleset([ROOT / "rules"], strict=True)
