"""One frozen configuration value, read from ``[tool.transqa]`` / ``transqa.toml`` or built in code."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ConfigError
from .model import Applicability, Severity

SOURCE_LANGS = ("fr", "de", "es", "it", "pt", "ru")
COMMON_PACK = "common"


@dataclass(frozen=True)
class Config:
    #: ``auto`` infers the source language from the text; otherwise one of SOURCE_LANGS.
    source_lang: str = "auto"
    #: Rule ids, packs or categories to run (empty = all) and to skip.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Severity overrides keyed by rule id or category.
    severity: tuple[tuple[str, Severity], ...] = ()
    #: Extra folders of rule packs, loaded after the built-in ones.
    rule_dirs: tuple[Path, ...] = ()
    #: Include rules whose status is ``preview``.
    preview: bool = False
    #: Minimum confidence for ``--source-lang auto`` to run a source pack.
    infer_threshold: float = 0.1
    #: Run language identification (the ``untranslated`` kind).
    langid: bool = True
    #: House style for quotation punctuation: rules marked ``style: us`` or ``uk`` run only in it.
    quote_style: str = "us"

    def packs(self, inferred: str | None = None) -> tuple[str, ...]:
        lang = self.source_lang if self.source_lang != "auto" else inferred
        return (COMMON_PACK, lang) if lang else (COMMON_PACK,)

    def wants(self, rule_id: str, pack: str, category: str, status: str,
              style: str | None = None) -> bool:
        keys = {rule_id, pack, category}
        if status == "deprecated" or (status == "preview" and not self.preview):
            return False
        if style is not None and style != self.quote_style:
            return False
        if self.select and not keys & set(self.select):
            return False
        return not keys & set(self.ignore)

    def severity_for(self, rule_id: str, category: str, default: Severity) -> Severity:
        overrides = dict(self.severity)
        return overrides.get(rule_id, overrides.get(category, default))

    def cache_key(self) -> str:
        return repr((self.source_lang, self.select, self.ignore, self.severity, self.rule_dirs,
                     self.preview, self.infer_threshold, self.langid, self.quote_style))

    def with_(self, **changes: object) -> Config:
        return replace(self, **changes)  # type: ignore[arg-type]


def find_config_file(start: Path) -> Path | None:
    """``transqa.toml`` or a ``pyproject.toml`` with ``[tool.transqa]``, searched upwards."""
    for folder in [start, *start.parents]:
        candidate = folder / "transqa.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "transqa" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    table = data.get("tool", {}).get("transqa", {}) if path.name == "pyproject.toml" else data
    return config_from_mapping(table, base=path.parent, where=str(path))


def config_from_mapping(table: Mapping[str, object], *, base: Path, where: str) -> Config:
    known = {"source-lang", "select", "ignore", "severity", "rule-dirs", "preview",
             "infer-threshold", "langid", "quote-style"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")

    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
        return tuple(value)

    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{where}: severity must be a table of id-or-category = level")
    try:
        severity = tuple((str(k), Severity.parse(str(v))) for k, v in severity_table.items())
    except KeyError as exc:
        raise ConfigError(f"{where}: unknown severity {exc}") from None
    source = str(table.get("source-lang", "auto"))
    if source != "auto" and source not in SOURCE_LANGS:
        raise ConfigError(f"{where}: source-lang must be auto or one of {', '.join(SOURCE_LANGS)}")
    quote_style = str(table.get("quote-style", "us"))
    if quote_style not in ("us", "uk"):
        raise ConfigError(f"{where}: quote-style must be us or uk")
    threshold = table.get("infer-threshold", Config.infer_threshold)
    if not isinstance(threshold, int | float):
        raise ConfigError(f"{where}: infer-threshold must be a number")
    return Config(
        source_lang=source,
        select=strings("select"),
        ignore=strings("ignore"),
        severity=severity,
        rule_dirs=tuple(base / d for d in strings("rule-dirs")),
        preview=bool(table.get("preview", False)),
        infer_threshold=float(threshold),
        langid=bool(table.get("langid", True)),
        quote_style=quote_style,
    )


__all__ = ["SOURCE_LANGS", "Applicability", "Config", "load_config"]
