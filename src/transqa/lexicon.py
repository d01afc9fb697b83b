"""English word frequencies (pyspellchecker's list), loaded once and only when a rule asks.

The quote-case rule lowercases a quoted capital only when the word is a common English word;
names and foreign titles ("Kommersant", "Guten") are rare in an English frequency list.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker  # heavy-ish (0.15 s): imported on first use only

    checker = SpellChecker(language="en", distance=1)
    return dict(checker.word_frequency.dictionary)


def frequency(word: str) -> int:
    """Corpus count of ``word`` (case-folded); a hyphenated word counts as its rarest part."""
    table = _frequencies()
    parts = [p for p in word.casefold().split("-") if p]
    if not parts:
        return 0
    if len(parts) > 1:
        return min(table.get(p, 0) for p in parts)
    return table.get(parts[0], 0)
