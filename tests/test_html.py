"""The HTML report: self-contained, escaped, and rendered by a real browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from transqa.config import Config
from transqa.corpus import Corpus, EvalDoc
from transqa.evaluate import evaluate
from transqa.htmlreport import render_html, side_by_side

from .conftest import CORPORA, ROOT

HURT = ROOT / "tests" / "fixtures" / "rules-hurt"
CONFIG = Config(rule_dirs=(HURT,), select=("common.TinySocialNetworks", "common.HurtfulSaidStated"))
NASTY = 'He said <script>alert("x")</script> & posted it on social networks.'


@pytest.fixture(scope="module")
def page() -> str:
    corpus = Corpus("nasty <b>", "pairs", (
        EvalDoc("d<1>", "g&g", NASTY, ("He wrote <script> & posted it on social media.",),
                "He wrote <script> & posted it on social media."),
    ))
    return render_html(evaluate(corpus, config=CONFIG))


def test_all_corpus_text_is_escaped(page: str) -> None:
    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "nasty &lt;b&gt;" in page and "d&lt;1&gt;" in page
    assert "<b>nasty" not in page


def test_page_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    without_svg_ns = page.replace("xmlns='http://www.w3.org/2000/svg'", "")
    assert not re.search(r"https?://|\bsrc=|<link|@import|url\(", without_svg_ns)
    assert not re.search(r"<[^>]+\son\w+=", page)


def test_page_has_tables_two_charts_and_highlighted_changes(page: str) -> None:
    assert page.count("<svg") == 2 and page.count("<table") == 2  # metrics and rules; no annotations here
    assert "<del>networks</del>" in page and "<ins>media</ins>" in page
    assert "HurtfulSaidStated" in page and "class='harm'" in page


def test_side_by_side_marks_word_changes_and_escapes() -> None:
    left, right = side_by_side("a <x> b c", "a <x> d c")
    assert left == "a &lt;x&gt; <del>b</del> c"
    assert right == "a &lt;x&gt; <ins>d</ins> c"


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists() or shutil.which("sh") is None,
                    reason="headless Chromium not installed")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "screenshot.sh"
    out = subprocess.run(
        ["sh", str(script), str(CORPORA / "eval-tiny"), str(tmp_path), "--rules-dir", str(HURT),
         "--select", "common.TinySocialNetworks", "--select", "common.HurtfulSaidStated"],
        capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    png = tmp_path / "eval.png"
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 30_000  # a blank 1280×2000 page compresses to a few KB
