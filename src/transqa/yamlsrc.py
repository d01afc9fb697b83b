"""YAML loading that remembers line numbers, so every rule-file error can say ``file:line``.

PyYAML's node marks carry the position; we keep them on the constructed containers instead of
re-parsing library error messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


class _DuplicateKey(Exception):
    def __init__(self, line: int, key: object):
        self.line = line
        self.key = key


# libyaml's C parser when PyYAML was built with it (10x faster); same nodes, same marks.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key_node.start_mark.line + 1, key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse one YAML file; any problem becomes a :class:`RuleFileError` with its line."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(path, 1, f"cannot read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except _DuplicateKey as exc:
        raise RuleFileError(path, exc.line, f"duplicate key {exc.key!r}") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise RuleFileError(path, line, f"invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(path, 1, f"invalid YAML: {exc}") from None


def to_plain(value: Any) -> Any:
    """A JSON-able copy that keeps the line numbers (for the parsed-rules bundle)."""
    if isinstance(value, LineDict):
        return {"__line__": value.line, "__keys__": value.key_lines,
                "__items__": {k: to_plain(v) for k, v in value.items()}}
    if isinstance(value, LineList):
        return {"__line__": value.line, "__item_lines__": value.item_lines,
                "__list__": [to_plain(v) for v in value]}
    return value


def from_plain(value: Any) -> Any:
    """Inverse of :func:`to_plain`."""
    if isinstance(value, dict) and "__items__" in value:
        result = LineDict({k: from_plain(v) for k, v in value["__items__"].items()})
        result.line = value["__line__"]
        result.key_lines = dict(value["__keys__"])
        return result
    if isinstance(value, dict) and "__list__" in value:
        items = LineList(from_plain(v) for v in value["__list__"])
        items.line = value["__line__"]
        items.item_lines = list(value["__item_lines__"])
        return items
    return value
