"""Typed errors, converted to exit codes once, at the CLI boundary."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INPUT = 3
    INTERNAL = 4


class TransqaError(Exception):
    exit_status: ExitStatus = ExitStatus.INTERNAL


class RuleFileError(TransqaError):
    """A rule file is invalid; the message always starts with ``file:line:``."""

    exit_status = ExitStatus.USAGE

    def __init__(self, path: Path | str, line: int, message: str, key: str | None = None):
        self.path = Path(path)
        self.line = line
        self.key = key
        where = f"{key}: " if key else ""
        super().__init__(f"{path}:{line}: {where}{message}")


class ConfigError(TransqaError):
    exit_status = ExitStatus.USAGE


class InputError(TransqaError):
    """An input cannot be read or decoded; other inputs are still processed."""

    exit_status = ExitStatus.INPUT

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ConvergenceError(TransqaError):
    """Fixing did not reach a fixed point: a rule pair keeps rewriting each other's output."""

    exit_status = ExitStatus.INTERNAL


class UndoError(TransqaError):
    exit_status = ExitStatus.INPUT
