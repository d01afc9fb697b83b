"""BLEU, chrF and TER through sacrebleu: the only module that imports it (architecture §14).

sacrebleu is imported inside functions so that ``transqa check`` never pays for it. Scores are
built exactly as the ``sacrebleu`` command line builds them (each metric class with its default
arguments, lines read with ``newline="\\n"`` and right-stripped), so ``transqa score`` prints the
same numbers and signatures as ``sacrebleu REF -i HYP -m bleu chrf ter`` to the last digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

METRICS = ("bleu", "chrf", "ter")
#: Metrics where a lower score is better; used to turn a score change into "better/worse".
LOWER_IS_BETTER = frozenset({"ter"})
#: sacrebleu's default printed precision (``--width 1``).
DEFAULT_WIDTH = 1


@dataclass(frozen=True)
class MetricScore:
    """One corpus-level score as sacrebleu reports it."""

    metric: str  # bleu | chrf | ter
    name: str  # sacrebleu's display name: BLEU, chrF2, TER
    score: float
    signature: str
    verbose: str = ""  # BLEU's n-gram precisions and brevity penalty, as sacrebleu prints them
    width: int = DEFAULT_WIDTH

    @property
    def formatted(self) -> str:
        """The score as the sacrebleu command line prints it."""
        return f"{self.score:.{self.width}f}"

    def line(self) -> str:
        """``BLEU|nrefs:1|...|version:2.6.0 = 33.7 65.9/40.7/...`` exactly like sacrebleu -f text."""
        tail = f" {self.verbose}" if self.verbose else ""
        return f"{self.name}|{self.signature} = {self.formatted}{tail}"

    def to_dict(self) -> dict[str, object]:
        return {"metric": self.metric, "name": self.name, "score": round(self.score, self.width),
                "exact": self.score, "signature": self.signature, "verbose": self.verbose}


@dataclass(frozen=True)
class ScoreReport:
    scores: tuple[MetricScore, ...]
    n_segments: int
    n_refs: int

    def get(self, metric: str) -> MetricScore:
        for s in self.scores:
            if s.metric == metric:
                return s
        raise KeyError(metric)

    def value(self, metric: str) -> float:
        return self.get(metric).score

    def to_dict(self) -> dict[str, object]:
        return {"segments": self.n_segments, "refs": self.n_refs,
                "scores": [s.to_dict() for s in self.scores]}


def parse_metrics(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"bleu,chrf"`` → ``("bleu", "chrf")``; unknown names raise ValueError (a usage error)."""
    names = value.split(",") if isinstance(value, str) else list(value)
    cleaned = tuple(n.strip().lower() for n in names if n.strip())
    unknown = [n for n in cleaned if n not in METRICS]
    if unknown or not cleaned:
        raise ValueError(f"unknown metric(s) {', '.join(unknown) or '(none)'}; "
                         f"choose from {', '.join(METRICS)}")
    return tuple(dict.fromkeys(cleaned))


def score(
    hyps: Sequence[str],
    refs: Sequence[Sequence[str | None]],
    metrics: Sequence[str] = METRICS,
    *,
    width: int = DEFAULT_WIDTH,
) -> ScoreReport:
    """Corpus-level scores of ``hyps`` against reference streams ``refs`` (sacrebleu's layout:
    ``refs[k][i]`` is the k-th reference of segment i; ``None`` marks a missing reference).

    Raises ValueError when a stream's length differs from the hypotheses'.
    """
    wanted = parse_metrics(metrics)
    if not refs:
        raise ValueError("at least one reference stream is needed")
    for k, stream in enumerate(refs, 1):
        if len(stream) != len(hyps):
            raise ValueError(f"reference {k} has {len(stream)} segments, the hypothesis "
                             f"{len(hyps)}")
    from sacrebleu.metrics.bleu import BLEU  # lazy: only scoring pays for sacrebleu
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    classes = {"bleu": BLEU, "chrf": CHRF, "ter": TER}
    ref_lists = [list(stream) for stream in refs]
    out = []
    for metric in sorted(wanted):  # sacrebleu's command line prints them in this order too
        scorer = classes[metric](references=ref_lists)  # as the command line builds them
        result = scorer.corpus_score(list(hyps), None)
        out.append(MetricScore(metric, result.name, float(result.score),
                               scorer.get_signature().format(), _verbose(result, width), width))
    return ScoreReport(tuple(out), len(hyps), len(ref_lists))


class Scorer:
    """Scores many variants of one hypothesis stream against fixed references, fast.

    Corpus BLEU, chrF and TER are sums of per-segment statistics. eval scores the same segments
    many times (before, after, once per rule switched off, per system) and only a few segments
    differ between those runs, so each segment's statistics are computed once and cached by
    ``(index, hypothesis)``. This goes through sacrebleu's segment-statistics methods (the ones
    its own bootstrap test uses); ``tests/test_scoring.py`` checks the result equals
    ``corpus_score`` exactly. TER over 1,000 WMT lines takes ~10 s, hence the cache.
    """

    def __init__(self, refs: Sequence[Sequence[str | None]], metrics: Sequence[str] = METRICS,
                 *, width: int = DEFAULT_WIDTH) -> None:
        from sacrebleu.metrics.bleu import BLEU
        from sacrebleu.metrics.chrf import CHRF
        from sacrebleu.metrics.ter import TER

        classes = {"bleu": BLEU, "chrf": CHRF, "ter": TER}
        self.refs = [list(stream) for stream in refs]
        if not self.refs or len({len(s) for s in self.refs}) != 1:
            raise ValueError("reference streams must be non-empty and of equal length")
        self.width = width
        self.metrics = tuple(sorted(parse_metrics(metrics)))
        self._scorers = [(m, classes[m](references=self.refs)) for m in self.metrics]
        self._cache: dict[tuple[str, int, str], object] = {}

    @property
    def size(self) -> int:
        return len(self.refs[0])

    def __call__(self, hyps: Sequence[str], subset: Sequence[int] | None = None) -> ScoreReport:
        """Score ``hyps`` (one per reference segment), or only the segments in ``subset``."""
        if len(hyps) != self.size:
            raise ValueError(f"{len(hyps)} hypotheses for {self.size} references")
        index = range(self.size) if subset is None else subset
        out = []
        for metric, scorer in self._scorers:
            stats = [self._stats(metric, scorer, i, hyps[i]) for i in index]
            result = scorer._aggregate_and_compute(stats)
            out.append(MetricScore(metric, result.name, float(result.score),
                                   scorer.get_signature().format(), _verbose(result, self.width),
                                   self.width))
        return ScoreReport(tuple(out), len(index), len(self.refs))

    def _stats(self, metric: str, scorer: object, i: int, hyp: str) -> object:
        key = (metric, i, hyp)
        if key not in self._cache:
            prepared = scorer._preprocess_segment(hyp)  # type: ignore[attr-defined]
            self._cache[key] = scorer._compute_segment_statistics(  # type: ignore[attr-defined]
                prepared, scorer._ref_cache[i])  # type: ignore[attr-defined]
        return self._cache[key]


def _verbose(result: object, width: int) -> str:
    """BLEU's tail as sacrebleu prints it ("65.9/40.7/... (BP = ...)"); empty for chrF/TER."""
    name = str(getattr(result, "name", ""))
    if name != "BLEU":
        return ""
    text = str(result.format(width=width, score_only=False))  # type: ignore[attr-defined]
    head = f"{name} = {float(getattr(result, 'score', 0.0)):.{width}f} "
    return text[len(head):] if text.startswith(head) else ""


def document_segment(text: str) -> str:
    """A whole document as one segment: its non-blank lines, stripped, joined by spaces.

    Used by ``score --document`` and by ``eval`` so that a fix removing a whole line (a "Read
    also" teaser) cannot shift the alignment of every later line.
    """
    return " ".join(part for part in (line.strip() for line in text.splitlines()) if part)


def read_lines(path: Path | str) -> list[str]:
    """Lines exactly as sacrebleu's command line reads them (split on ``\\n``, right-stripped)."""
    try:
        with open(path, encoding="utf-8", newline="\n") as fh:
            return [line.rstrip() for line in fh]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), _reason(exc)) from exc


def read_document(path: Path | str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), _reason(exc)) from exc


def score_files(
    hyp: Path | str,
    refs: Sequence[Path | str],
    metrics: Sequence[str] = METRICS,
    *,
    document: bool = False,
) -> ScoreReport:
    """Score files: line-aligned by default, or each file one segment with ``document=True``."""
    if document:
        return score([document_segment(read_document(hyp))],
                     [[document_segment(read_document(r))] for r in refs], metrics)
    return score(read_lines(hyp), [read_lines(r) for r in refs], metrics)


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 ({exc.reason} at byte {exc.start})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


__all__ = [
    "METRICS",
    "MetricScore",
    "ScoreReport",
    "Scorer",
    "document_segment",
    "parse_metrics",
    "read_lines",
    "score",
    "score_files",
]
