"""Do no harm: clean English comes out of ``fix --unsafe`` byte for byte, for every pack.

Two corpora: ``corpora/clean-en/`` (written for these tests, full of traps that look like
artifacts) and ``../shared/external/native-en/`` (real English news, third party). ``check``
must raise nothing at warning or above; info-level findings are printed for review.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from transqa import api
from transqa.config import SOURCE_LANGS, Config
from transqa.model import Applicability, Severity

from .conftest import CORPORA, SHARED, need

CLEAN = sorted((CORPORA / "clean-en").glob("*.txt"))
NATIVE = sorted((SHARED / "external" / "native-en").glob("*"))
LANGS = ["auto", *SOURCE_LANGS]


def _corpora() -> list[Path]:
    return CLEAN + NATIVE


def test_native_english_corpus_is_present() -> None:
    """The third-party news corpus is part of the do-no-harm check: say so when it is missing."""
    need(SHARED / "external" / "native-en" / "newstest2019.en-de.src.en")


def test_clean_corpus_is_big_enough() -> None:
    sentences = sum(
        len([ln for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]) for p in CLEAN
    )
    assert sentences >= 150, f"clean-English corpus has only {sentences} lines"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", _corpora(), ids=lambda p: p.name)
def test_fix_unsafe_changes_nothing(path: Path, lang: str) -> None:
    text = path.read_text(encoding="utf-8")
    outcome = api.fix(text, config=Config(source_lang=lang), min_applicability=Applicability.UNSAFE)
    changes = [(a.rule_id, a.before, a.after) for a in outcome.result.applied]
    assert outcome.text == text, f"{path.name} [{lang}] changed: {changes[:10]}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", _corpora(), ids=lambda p: p.name)
def test_check_raises_nothing_at_warning(path: Path, lang: str) -> None:
    text = path.read_text(encoding="utf-8")
    findings = api.check(text, config=Config(source_lang=lang)).findings
    serious = [
        (f.rule_id, text[max(0, f.span.start - 30) : f.span.end + 30])
        for f in findings
        if f.severity >= Severity.WARNING
    ]
    info = Counter(f.rule_id for f in findings if f.severity == Severity.INFO)
    print(f"{path.name} [{lang}]: {len(findings)} findings, info by rule: {dict(info)}")
    assert serious == [], f"{path.name} [{lang}]: {serious[:10]}"
