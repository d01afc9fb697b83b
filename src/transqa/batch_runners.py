"""Where batch documents are processed: in-process, in a process pool, or on a Dask cluster.

The per-document function :func:`clean_document` is pure (bytes in, bytes and log records
out), so every runner executes the same code; only the coordinating process in
:mod:`transqa.batch` touches the file system.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from . import api, fixlog
from .config import Config
from .errors import ConfigError, InputError, TransqaError
from .model import Applicability
from .textio import decode, sha256

#: Manifest statuses: fixes applied, nothing to fix (copied as is), could not be processed.
OK, UNCHANGED, ERROR = "ok", "unchanged", "error"

# --------------------------------------------------------------------------- per-document work


@dataclass(frozen=True)
class DocTask:
    """Everything a worker needs, by value: no paths are opened on the worker."""

    relative: str
    #: Paths written into the fix-log records (absolute, so undo works from any folder).
    name: str
    output: str
    data: bytes
    config: Config
    level: Applicability


@dataclass(frozen=True)
class DocResult:
    relative: str
    status: str
    input_sha256: str
    output_sha256: str | None = None
    #: The fixed bytes, only when they differ from the input (unchanged files are copied as is).
    data: bytes | None = None
    records: tuple[str, ...] = ()
    rules: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    #: Digest of the worker's rule set: a cluster worker with other rules must not pass unnoticed.
    rules_digest: str = ""


def clean_document(task: DocTask) -> DocResult:
    """Fix one document. Pure: bytes in, bytes and log records out; never raises.

    Any failure becomes an ``error`` result so one bad file cannot stop an archive run.
    """
    input_sha = sha256(task.data)
    try:
        ruleset = api.get_ruleset(task.config)
        source = decode(task.name, task.data, task.relative)
        outcome = api.fix(source.text, config=task.config, ruleset=ruleset,
                          min_applicability=task.level)
    except InputError as exc:
        return DocResult(task.relative, ERROR, input_sha, error=exc.reason)
    except TransqaError as exc:
        return DocResult(task.relative, ERROR, input_sha, error=str(exc))
    except Exception as exc:  # a bug on one document must not end a day-long run
        reason = f"internal error: {type(exc).__name__}: {exc}"
        return DocResult(task.relative, ERROR, input_sha, error=reason)
    if not outcome.result.changed:
        return DocResult(task.relative, UNCHANGED, input_sha, input_sha, rules_digest=ruleset.digest)
    data = source.encode(outcome.text)
    output_sha = sha256(data)
    records = tuple(
        fixlog.dumps(r) for r in fixlog.records(
            outcome.result.applied, original=source.text, path=task.name, output=task.output,
            bom=source.bom, input_sha256=input_sha, output_sha256=output_sha,
            signature=outcome.signature,
        )
    )
    rules = dict(Counter(fix.rule_id for fix in outcome.result.applied))
    return DocResult(task.relative, OK, input_sha, output_sha, data, records, rules,
                     rules_digest=ruleset.digest)


# --------------------------------------------------------------------------- runners


class Runner(Protocol):
    """Maps :func:`clean_document` over tasks, yielding results in completion order."""

    def map_unordered(
        self, fn: Callable[[DocTask], DocResult], tasks: Iterable[DocTask]
    ) -> Iterator[DocResult]: ...


class SerialRunner:
    """In-process, one at a time: ``--jobs 1``, tests, and debugging with a plain traceback."""

    def map_unordered(
        self, fn: Callable[[DocTask], DocResult], tasks: Iterable[DocTask]
    ) -> Iterator[DocResult]:
        for task in tasks:
            yield fn(task)


class PoolRunner:
    """A ``ProcessPoolExecutor`` with a bounded window of tasks in flight.

    The window keeps memory flat on huge archives: files are read only as workers free up.
    """

    def __init__(self, jobs: int, window: int | None = None):
        self.jobs = jobs
        self.window = window or 4 * jobs

    def map_unordered(
        self, fn: Callable[[DocTask], DocResult], tasks: Iterable[DocTask]
    ) -> Iterator[DocResult]:
        pool = ProcessPoolExecutor(max_workers=self.jobs)
        pending: set[Future[DocResult]] = set()
        feed = iter(tasks)
        try:
            pending.update(pool.submit(fn, t) for t in islice(feed, self.window))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                pending.update(pool.submit(fn, t) for t in islice(feed, self.window - len(pending)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskRunner:
    """The same function on a ``dask.distributed`` cluster (no cluster code of our own).

    Workers need transqa installed (same version and rules; checked through ``rules_digest``).
    """

    def __init__(self, client: Any, window: int = 64):
        self.client = client
        self.window = window

    def map_unordered(
        self, fn: Callable[[DocTask], DocResult], tasks: Iterable[DocTask]
    ) -> Iterator[DocResult]:
        feed = iter(tasks)
        futures = _distributed().as_completed([self.client.submit(fn, t, pure=False)
                                for t in islice(feed, self.window)])
        for future in futures:
            result: DocResult = future.result()
            future.release()
            yield result
            nxt = next(feed, None)
            if nxt is not None:
                futures.add(self.client.submit(fn, nxt, pure=False))


def _distributed() -> Any:
    """``dask.distributed``, imported on first use (typed as Any: it may not be installed)."""
    import importlib

    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise ConfigError("--dask needs dask.distributed: pip install 'transqa[dask]'") from None


@contextlib.contextmanager
def dask_runner(address: str, jobs: int) -> Iterator[DaskRunner]:
    """Connect to a scheduler, or start a local cluster of ``jobs`` worker processes for ``local``.

    The only place that imports dask, and only when asked (``pip install 'transqa[dask]'``).
    """
    distributed = _distributed()
    if address == "local":
        client = distributed.Client(n_workers=jobs, threads_per_worker=1, processes=True,
                        dashboard_address=None)
    else:
        client = distributed.Client(address)
    try:
        yield DaskRunner(client, window=max(8, 4 * jobs))
    finally:
        client.close()
