"""Per-run outcome: which files were checked, what was found, and the exit status it implies."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .api import CheckResult
from .errors import ExitStatus
from .model import Finding, Severity


@dataclass(frozen=True)
class FileReport:
    path: str
    text: str = ""
    result: CheckResult | None = None
    error: str | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings if self.result else ()


@dataclass
class Report:
    files: list[FileReport] = field(default_factory=list)
    #: Findings at or above this severity fail the run; None = never fail on findings.
    fail_on: Severity | None = Severity.ERROR

    def failing(self) -> int:
        if self.fail_on is None:
            return 0
        threshold = self.fail_on
        return sum(1 for f in self.files for x in f.findings if x.severity >= threshold)

    def exit_status(self) -> ExitStatus:
        """Unreadable input outranks findings: the pipeline must know a file was not checked."""
        if any(f.error for f in self.files):
            return ExitStatus.INPUT
        return ExitStatus.FINDINGS if self.failing() else ExitStatus.OK

    def summary(self) -> dict[str, object]:
        findings = [x for f in self.files for x in f.findings]
        return {
            "files": len(self.files),
            "files_with_errors": sum(1 for f in self.files if f.error),
            "findings": len(findings),
            "by_severity": dict(sorted(Counter(x.severity.label for x in findings).items())),
            "by_category": dict(sorted(Counter(x.category.value for x in findings).items())),
            "by_rule": dict(sorted(Counter(x.rule_id for x in findings).items())),
            "fixable": {
                level: sum(1 for x in findings if x.fix and x.applicability.label == level)
                for level in ("safe", "unsafe")
            },
            "fail_on": self.fail_on.label if self.fail_on else "never",
            "exit_status": int(self.exit_status()),
        }
