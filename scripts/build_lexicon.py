"""Regenerate ``src/transqa/data/en-frequency.tsv.gz`` from pyspellchecker's English list.

transqa needs only "is this a common English word, and how common": shipping the words seen at
least MIN_COUNT times as a small gzip file loads in milliseconds, where parsing the full
pyspellchecker dictionary at start-up took 0.2-0.4 s of a pre-publish hook's budget.
Run: ``.venv/bin/python scripts/build_lexicon.py`` (pyspellchecker is a dev dependency).
"""

from __future__ import annotations

import gzip
from importlib.metadata import version
from pathlib import Path

from spellchecker import SpellChecker

MIN_COUNT = 100
TARGET = Path(__file__).resolve().parents[1] / "src" / "transqa" / "data" / "en-frequency.tsv.gz"


def main() -> None:
    table = SpellChecker(language="en", distance=1).word_frequency.dictionary
    rows = sorted((w, c) for w, c in table.items() if c >= MIN_COUNT and w.replace("'", "").isalpha())
    header = f"# pyspellchecker {version('pyspellchecker')} English frequencies, count >= {MIN_COUNT}\n"
    body = "".join(f"{w}\t{c}\n" for w, c in rows)
    # mtime=0 keeps the file byte-identical across rebuilds.
    TARGET.write_bytes(gzip.compress((header + body).encode("utf-8"), mtime=0))
    print(f"wrote {len(rows)} words to {TARGET}")


if __name__ == "__main__":
    main()
