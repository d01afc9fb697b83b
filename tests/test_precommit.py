"""The pre-commit hook, run the way a publishing repository would run it (`pre-commit try-repo`).

Slow the first time (pre-commit builds the hook's own environment); skipped when pre-commit
is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CORPORA, ROOT

pytestmark = pytest.mark.skipif(shutil.which("pre-commit") is None and not
                                (Path(ROOT / ".venv/bin/pre-commit").exists()), reason="no pre-commit")


def _precommit() -> str:
    return shutil.which("pre-commit") or str(ROOT / ".venv" / "bin" / "pre-commit")


def _try_repo(tmp_path: Path, story: Path) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "newsroom"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(story, repo / "story.txt")
    subprocess.run(["git", "add", "story.txt"], cwd=repo, check=True)
    return subprocess.run(
        [_precommit(), "try-repo", str(ROOT), "transqa", "--files", "story.txt"],
        cwd=repo, capture_output=True, text=True, timeout=600,
    )


def test_hook_blocks_the_seed_story(tmp_path: Path) -> None:
    result = _try_repo(tmp_path, CORPORA / "seed" / "kazakhstan.mt.en.txt")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "common.RelatedLinkTeaser" in result.stdout


def test_hook_passes_the_gold_version(tmp_path: Path) -> None:
    result = _try_repo(tmp_path, CORPORA / "seed" / "kazakhstan.gold.en.txt")
    assert result.returncode == 0, result.stdout + result.stderr
