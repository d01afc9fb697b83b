"""``transqa score`` and ``transqa eval``: option parsing and formatting only.

The logic lives in :mod:`transqa.scoring` and :mod:`transqa.evaluate`; these commands read
options, call them, and print. Exit codes: 0 ok, 2 usage error, 3 unreadable input (also a
hypothesis whose line count differs from a reference's: the files cannot be scored together).
The commands convert errors themselves so they behave the same inside the main group and when
invoked on their own (as the tests do).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .config import SOURCE_LANGS, Config
from .errors import ExitStatus, InputError, TransqaError
from .model import Applicability

if TYPE_CHECKING:  # evaluate is imported when a command runs, not when the CLI starts
    from .evaluate import Detection, EvalReport

_FORMAT = click.Choice(["text", "json"])


@contextmanager
def _errors_to_exit(ctx: click.Context) -> Iterator[None]:
    try:
        yield
    except InputError as exc:
        click.echo(f"transqa: {exc}", err=True)
        ctx.exit(int(ExitStatus.INPUT))
    except TransqaError as exc:
        click.echo(f"transqa: {exc}", err=True)
        ctx.exit(int(exc.exit_status))


@click.command("score")
@click.argument("hyp", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ref", "refs", multiple=True, required=True, metavar="REF",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Reference file, line-aligned with HYP (repeat for several references).")
@click.option("--metrics", default="bleu,chrf,ter", show_default=True,
              help="Comma-separated: bleu, chrf, ter.")
@click.option("--document", is_flag=True,
              help="Score each file as one segment instead of line by line.")
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
@click.pass_context
def score_command(ctx: click.Context, hyp: Path, refs: tuple[Path, ...], metrics: str,
                  document: bool, fmt: str) -> None:
    """BLEU, chrF and TER of HYP against --ref, as the sacrebleu command line prints them."""
    from .scoring import parse_metrics, score_files

    try:
        wanted = parse_metrics(metrics)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--metrics") from None
    with _errors_to_exit(ctx):
        try:
            report = score_files(hyp, refs, wanted, document=document)
        except ValueError as exc:  # line counts differ: these files cannot be scored together
            raise InputError(str(hyp), str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    lines = [s.line() for s in report.scores]
    pad = max(line.index(" = ") for line in lines)
    for line in lines:  # right-align on " = " like sacrebleu does for several metrics
        click.echo(" " * (pad - line.index(" = ")) + line)


@click.command("eval")
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--unsafe", is_flag=True, help="Also apply unsafe fixes (word choices).")
@click.option("--source-lang", type=click.Choice(["auto", *SOURCE_LANGS]), default="auto",
              show_default=True,
              help="Source pack to run; `auto` uses each record's source_lang, else infers it.")
@click.option("--select", multiple=True, metavar="ID|PACK|CATEGORY", help="Run only these rules.")
@click.option("--ignore", multiple=True, metavar="ID|PACK|CATEGORY", help="Skip these rules.")
@click.option("--rules-dir", "rules_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path), help="Extra folder of rule packs.")
@click.option("--format", "fmt", type=_FORMAT, default="text", show_default=True)
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report to this file.")
@click.pass_context
def eval_command(ctx: click.Context, corpus: Path, unsafe: bool, source_lang: str,
                 select: tuple[str, ...], ignore: tuple[str, ...], rules_dirs: tuple[Path, ...],
                 fmt: str, html_file: Path | None) -> None:
    """Check and fix CORPUS, then report detection precision/recall, fix accuracy, BLEU/chrF/TER
    before → after, and the effect of each rule alone (harmful rules last)."""
    from .evaluate import evaluate

    config = Config(source_lang=source_lang, select=select, ignore=ignore, rule_dirs=rules_dirs)
    level = Applicability.UNSAFE if unsafe else Applicability.SAFE
    with _errors_to_exit(ctx):
        report = evaluate(corpus, config=config, min_applicability=level)
        if html_file is not None:
            from .htmlreport import render_html

            try:
                html_file.parent.mkdir(parents=True, exist_ok=True)
                html_file.write_text(render_html(report), encoding="utf-8")
            except OSError as exc:
                raise InputError(str(html_file), exc.strerror or str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(report_to_dict(report), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{100 * value:4.0f}%"


def _ratio(pair: tuple[int, int]) -> str:
    done, total = pair
    return f"{done}/{total} ({100 * done / total:.0f}%)" if total else "n/a"


def report_to_dict(report: EvalReport) -> dict[str, object]:
    """The eval report as plain JSON-ready data; document texts are left out (they are input)."""

    def det(d: Detection) -> dict[str, object]:
        return {"key": d.key, "findings": d.findings, "true_positives": d.true_positives,
                "artifacts": d.artifacts, "caught": d.caught,
                "precision": d.precision, "recall": d.recall}

    docs = report.documents
    return {
        "corpus": report.corpus, "kind": report.kind, "signature": report.signature,
        "documents": len(docs), "findings": sum(len(d.findings) for d in docs),
        "fixes": report.fixes,
        "detection": {"by_category": [det(d) for d in report.by_category],
                      "by_rule": [det(d) for d in report.by_rule]},
        "fix_accuracy": {"documents": list(report.docs_exact),
                         "artifacts": list(report.artifacts_fixed)},
        "metrics": [{"group": r.group, "before": r.before.to_dict(), "after": r.after.to_dict(),
                     "delta": {m: r.delta(m) for m in ("bleu", "chrf", "ter")}}
                    for r in report.metrics],
        "rules": [{"rule": e.rule_id, "category": e.category, "findings": e.findings,
                   "fixes": e.fixes, "documents": e.docs, "change": dict(e.change),
                   "benefit": e.benefit, "harmful": e.harmful,
                   "unchanged_in_reference": e.unchanged_count,
                   "examples": [vars(x) for x in e.unchanged_in_ref]} for e in report.rules],
        "per_document": [{"id": d.id, "group": d.group, "findings": len(d.findings),
                          "fixes": len(d.applied), "exact": d.exact, "error": d.error or None}
                         for d in docs if d.findings or d.applied or d.error],
        "warnings": list(report.warnings),
    }


def format_report(report: EvalReport) -> str:
    """The eval report as plain-text tables, harmful rules marked."""
    out = [f"corpus {report.corpus} ({report.kind}): {len(report.documents)} documents, "
           f"{sum(len(d.findings) for d in report.documents)} findings, {report.fixes} fixes",
           f"signature {report.signature}", ""]
    if report.by_category:
        out.append(f"{'detection':<44} {'found':>5} {'right':>5} {'prec':>5} "
                   f"{'annot':>5} {'caught':>6} {'recall':>6}")
        for title, rows in (("category", report.by_category), ("rule", report.by_rule)):
            out.append(f"  by {title}")
            out += [f"    {d.key:<40} {d.findings:>5} {d.true_positives:>5} {_pct(d.precision):>5} "
                    f"{d.artifacts:>5} {d.caught:>6} {_pct(d.recall):>6}" for d in rows]
        out.append("")
    out.append(f"fix accuracy: documents equal to gold {_ratio(report.docs_exact)}; "
               f"annotated spans fixed as in gold {_ratio(report.artifacts_fixed)}")
    out.append("")
    if report.metrics:
        out.append(f"{'metrics':<20} {'BLEU before → after':>24} {'chrF before → after':>24} "
                   f"{'TER before → after':>24}")
        for row in report.metrics:
            cells = [f"{row.before.get(m).formatted:>6} → {row.after.get(m).formatted:>6} "
                     f"({row.delta(m):+.2f})" for m in ("bleu", "chrf", "ter")]
            out.append(f"  {row.group:<18} " + " ".join(f"{c:>24}" for c in cells))
        out += [f"  {s.name}|{s.signature}" for s in report.metrics[0].after.scores]
        out.append("")
    if report.rules:
        out.append("each rule's own effect: score with all rules minus score with it off "
                   "(TER: lower is better)")
        out.append(f"  {'rule':<42} {'finds':>5} {'fixes':>5} {'ΔBLEU':>7} {'ΔchrF':>7} "
                   f"{'ΔTER':>7}  verdict")
        for e in report.rules:
            change = dict(e.change)
            verdict = "HARMFUL" if e.harmful else ("helps" if e.benefit > 1e-9 else "neutral")
            out.append(f"  {e.rule_id:<42} {e.findings:>5} {e.fixes:>5} "
                       + " ".join(f"{change.get(m, 0.0):>+7.2f}" for m in ("bleu", "chrf", "ter"))
                       + f"  {verdict}")
        suspects = [e for e in report.rules if e.unchanged_count]
        if suspects:
            out += ["", "likely false positives (the reference kept the flagged text):"]
            for e in suspects:
                out.append(f"  {e.rule_id}: {e.unchanged_count} of {e.findings} findings")
                out += [f"    {x.doc_id}: …{x.before}«{x.match}»{x.after}… ({x.reason})"
                        .replace("\n", " ") for x in e.unchanged_in_ref]
    if report.warnings:
        out += ["", "warnings:", *(f"  {w}" for w in report.warnings[:20])]
        if len(report.warnings) > 20:
            out.append(f"  … and {len(report.warnings) - 20} more")
    return "\n".join(out)


__all__ = ["eval_command", "format_report", "report_to_dict", "score_command"]
