"""``transqa batch``: the thin shell over :mod:`transqa.batch` (options, progress, summary, exit code).

Registered by ``cli._register_optional``; library errors reach ``TransqaGroup``, which converts
them to exit codes in one place. Exit 0 when every file was processed, 3 when any failed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli import build_config, config_options
from .errors import ExitStatus

if TYPE_CHECKING:
    from .batch import BatchSummary


def _cpu_count() -> int:
    """CPUs this process may use (a container's cgroup affinity, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class _Progress:
    """A progress bar on a terminal (stderr); nothing at all otherwise, for logs and cron mail.

    The bar is created when the walk has counted the files (``start``), not before.
    """

    def __init__(self) -> None:
        self.bar: Any = None
        self.stack = contextlib.ExitStack()

    def start(self, total: int) -> None:
        if sys.stderr.isatty():
            self.bar = self.stack.enter_context(click.progressbar(
                length=total, label="cleaning", file=sys.stderr, show_pos=True))

    def update(self, event: object) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


@click.command("batch")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--output", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Mirror folder for the cleaned tree; its .transqa/ holds the manifest, the "
                   "audit log and the summary (also with --in-place).")
@config_options
@click.option("--unsafe", is_flag=True, help="Also apply UNSAFE fixes (word choices).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPUs available).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Files to process (repeatable; default *.txt *.md *.text *.markdown). Matched, "
                   "case-insensitively, on the path relative to SRC or on the file name.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Files or folders to leave out (repeatable).")
@click.option("--in-place", is_flag=True, help="Rewrite changed originals instead of mirroring.")
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Skip files whose input hash and rule-set signature match the manifest.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run on a Dask scheduler at ADDRESS, or `local` for a local cluster of --jobs "
                   "processes (needs transqa[dask]).")
def batch_command(src: Path, out: Path, unsafe: bool, jobs: int | None, include: tuple[str, ...],
                  exclude: tuple[str, ...], in_place: bool, resume: bool, dask_address: str | None,
                  **config_args: object) -> None:
    """Clean every text file under SRC into a mirror tree, resumably, with one audit log.

    \b
    transqa batch archive/ -o cleaned/ --source-lang fr
    transqa undo cleaned/.transqa/fixes.jsonl -o restored/
    """
    from . import batch

    config = build_config(**config_args)  # type: ignore[arg-type]
    options = batch.BatchOptions(
        src=src, out=out, config=config, unsafe=unsafe,
        include=include or batch.DEFAULT_INCLUDE, exclude=exclude, in_place=in_place, resume=resume,
    )
    jobs = jobs or _cpu_count()
    with contextlib.ExitStack() as stack:
        runner: batch.Runner
        if dask_address:
            runner = stack.enter_context(batch.dask_runner(dask_address, jobs))
        elif jobs > 1:
            runner = batch.PoolRunner(jobs)
        else:
            runner = batch.SerialRunner()
        progress = stack.enter_context(_Progress())
        summary = batch.run_batch(options, runner=runner, report=progress.update,
                                  on_start=progress.start)
    for item in summary.error_files:
        click.echo(f"transqa: {item['path']}: {item['error']}", err=True)
    for line in summary_lines(summary):
        click.echo(line)
    sys.exit(int(ExitStatus.INPUT if summary.errors else ExitStatus.OK))


def summary_lines(s: BatchSummary) -> list[str]:
    """The human summary; the same figures are in ``.transqa/summary.json``."""
    lines = [
        f"{s.files} file(s): {s.changed} changed, {s.unchanged} unchanged, {s.errors} error(s); "
        f"this run processed {s.processed} and skipped {s.skipped} up to date"
        + (f"; {s.ignored_links} link(s) ignored" if s.ignored_links else ""),
        f"{s.fixes} fix(es)" + (": " + ", ".join(f"{rule} {n}" for rule, n in s.rules.items())
                                if s.rules else ""),
        f"{s.seconds:.1f} s, {s.files_per_second:.1f} files/s, {s.mb_per_second:.2f} MB/s",
        f"audit log: {s.audit_log}",
        f"[{s.signature}]",
    ]
    return lines
