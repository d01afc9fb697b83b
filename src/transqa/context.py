"""Which source-language countries a text names: the context prior of source-language inference.

A story that names Rome and Meloni was more likely written in Italian than in Portuguese, but
an English story about Italy names them too, so names are never evidence that a text is a
translation: :mod:`transqa.infer` uses them only to tilt the prior among the languages the
artifact evidence already supports. The names live in ``data/context.yaml`` (one list per
country, grouped by language), loaded on first use: inference looks at context only when the
artifact evidence supports two or more languages, so clean English never loads the file.

Matching is whole-word and case-sensitive (names of several words as written, one space
between words), in one Aho-Corasick pass over the text (the engine's dependency): 20 ms per MB,
where a regex alternation of the ~400 names took 170 ms and a word set plus a search per name
50 ms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "context.yaml"
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Name:
    """One entity name and where it points: ``Rome`` → Italy, ``it``."""

    text: str
    lang: str
    country: str


@dataclass(frozen=True)
class Mention:
    """A country of one source language, with its names in the order the text first uses them."""

    lang: str
    country: str
    names: tuple[str, ...]


def load_names(path: Path = DATA) -> tuple[Name, ...]:
    """Every name of the data file; a malformed file or a name listed twice is a ValueError."""
    # libyaml's loader when PyYAML has it: 3 ms instead of 16 on first use in a hook.
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected language → country → names")
    names: list[Name] = []
    owner: dict[str, str] = {}
    for lang, countries in data.items():
        if not isinstance(countries, Mapping):
            raise ValueError(f"{path}: {lang}: expected country → list of names")
        for country, listed in countries.items():
            if not isinstance(listed, list) or not all(isinstance(n, str) and n for n in listed):
                raise ValueError(f"{path}: {lang}: {country}: expected a list of names")
            for text in listed:
                if text in owner:
                    raise ValueError(f"{path}: {text!r} is listed under {owner[text]} and {country}")
                owner[text] = str(country)
                names.append(Name(text, str(lang), str(country)))
    return tuple(names)


@lru_cache(maxsize=1)
def _automaton() -> Any:
    """Every name in one automaton, or None without pyahocorasick (then one find per name)."""
    try:
        import ahocorasick
    except ImportError:  # pragma: no cover - a dependency, but the slow path still works
        return None
    automaton = ahocorasick.Automaton()
    for name in _names():
        automaton.add_word(name.text, name)
    automaton.make_automaton()
    return automaton


@lru_cache(maxsize=1)
def _names() -> tuple[Name, ...]:
    return load_names()


def _occurrences(text: str) -> Iterator[tuple[int, Name]]:
    """(start, name) of every occurrence, whole words or not."""
    automaton = _automaton()
    if automaton is not None:
        for end, name in automaton.iter(text):
            yield end - len(name.text) + 1, name
        return
    for name in _names():  # pragma: no cover
        start = text.find(name.text)
        while start != -1:
            yield start, name
            start = text.find(name.text, start + 1)


def mentions(text: str) -> tuple[Mention, ...]:
    """The countries ``text`` names, by language, each with the names found in it.

    Sorted by language and then by first mention, so the result never depends on set order.
    """
    first: dict[Name, int] = {}
    for start, name in _occurrences(text):
        end = start + len(name.text)
        if (start > 0 and _WORD_CHAR.match(text, start - 1)) or _WORD_CHAR.match(text, end):
            continue  # part of a longer word: Romeo, Parisienne
        if start < first.get(name, len(text)):
            first[name] = start
    found: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for name, start in first.items():
        found.setdefault((name.lang, name.country), []).append((start, name.text))
    result = []
    for (lang, country), hits in found.items():
        hits.sort()
        result.append((lang, hits[0][0], Mention(lang, country, tuple(n for _, n in hits))))
    result.sort(key=lambda r: (r[0], r[1]))
    return tuple(m for _, _, m in result)
