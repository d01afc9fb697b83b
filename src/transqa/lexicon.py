"""English word frequencies, loaded once and only when a rule asks.

The quote-case rule lowercases a quoted capital only when the word is a common English word;
names and foreign titles ("Kommersant", "Guten") are rare in an English frequency list. The
list is derived from pyspellchecker's English dictionary by ``scripts/build_lexicon.py`` and
shipped as a small gzip file, which loads in milliseconds (the full dictionary took 0.2-0.4 s).
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "en-frequency.tsv.gz"


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    table: dict[str, int] = {}
    for line in gzip.decompress(DATA.read_bytes()).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            table[word] = int(count)
    return table


def frequency(word: str) -> int:
    """Corpus count of ``word`` (case-folded); a hyphenated word counts as its rarest part.

    Words below the shipped list's floor (100 occurrences) count as 0.
    """
    table = _frequencies()
    parts = [p for p in word.casefold().replace("’", "'").split("-") if p]
    if not parts:
        return 0
    return min(table.get(p, 0) for p in parts)
