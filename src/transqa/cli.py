"""Command line: parse options, call the API, format output, map the outcome to an exit code.

Exit codes (``ExitStatus``): 0 nothing at/above ``--fail-on``; 1 findings at/above it;
2 usage, configuration or rule-file error; 3 unreadable input (other inputs are still
processed); 4 internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from . import __version__
from .config import SOURCE_LANGS, Config, find_config_file, load_config
from .errors import ExitStatus, InputError, TransqaError
from .model import Applicability, Severity

if TYPE_CHECKING:
    from .report import Report

F = TypeVar("F", bound=Callable[..., object])


class TransqaGroup(click.Group):
    """Converts library errors to exit codes in exactly one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except TransqaError as exc:
            click.echo(f"transqa: {exc}", err=True)
            ctx.exit(int(exc.exit_status))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            click.echo(f"transqa: internal error: {type(exc).__name__}: {exc}", err=True)
            ctx.exit(int(ExitStatus.INTERNAL))


def _fail(message: str, status: ExitStatus = ExitStatus.USAGE) -> NoReturn:
    click.echo(f"transqa: {message}", err=True)
    sys.exit(int(status))


def config_options(func: F) -> F:
    options = [
        click.option("--source-lang", type=click.Choice(["auto", *SOURCE_LANGS]), default=None,
                     help="Source language of the translation: runs that pack besides `common`. "
                          "`auto` (default) infers it from the text's evidence."),
        click.option("--select", multiple=True, metavar="ID|PACK|CATEGORY",
                     help="Run only these rules (repeatable)."),
        click.option("--ignore", multiple=True, metavar="ID|PACK|CATEGORY",
                     help="Skip these rules (repeatable)."),
        click.option("--rules-dir", "rules_dirs", multiple=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Extra folder of rule packs (repeatable)."),
        click.option("--preview", is_flag=True, default=None, help="Also run preview rules."),
        click.option("--no-langid", is_flag=True, default=False,
                     help="Skip language identification (untranslated text)."),
        click.option("--quote-style", type=click.Choice(["us", "uk"]), default=None,
                     help="House style for punctuation around quotes (default us)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                     help="transqa.toml or pyproject.toml to read ([tool.transqa]); default: "
                          "searched upwards from the current folder."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_config(
    source_lang: str | None, select: Sequence[str], ignore: Sequence[str],
    rules_dirs: Sequence[Path], preview: bool | None, no_langid: bool, config_file: Path | None,
    quote_style: str | None = None,
) -> Config:
    found = config_file or find_config_file(Path.cwd())
    config = load_config(found) if found else Config()
    changes: dict[str, object] = {}
    if source_lang:
        changes["source_lang"] = source_lang
    if select:
        changes["select"] = tuple(select)
    if ignore:
        changes["ignore"] = config.ignore + tuple(ignore)
    if rules_dirs:
        changes["rule_dirs"] = config.rule_dirs + tuple(rules_dirs)
    if preview is not None:
        changes["preview"] = preview
    if no_langid:
        changes["langid"] = False
    if quote_style:
        changes["quote_style"] = quote_style
    return config.with_(**changes) if changes else config


def _inputs(paths: Sequence[str]) -> list[str]:
    if paths:
        return list(paths)
    if not sys.stdin.isatty():
        return ["-"]
    _fail("no input: give files, folders or - for standard input")


@click.group(cls=TransqaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="transqa")
def main() -> None:
    """Find and fix source-language artifacts in machine-translated English.

    \b
    transqa check story.txt                 report artifacts (exit 1 if errors)
    transqa fix --unsafe --diff story.txt   show proposed corrections
    transqa fix --in-place --log fixes.jsonl story.txt
    transqa undo fixes.jsonl --in-place     restore the originals byte for byte
    """


@main.command()
@click.argument("paths", nargs=-1)
@config_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "sarif", "github"]),
              default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              default="error", show_default=True,
              help="Exit 1 when a finding has at least this severity.")
@click.option("--color/--no-color", default=None, help="Force or disable colour (text format).")
def check(paths: tuple[str, ...], fmt: str, fail_on: str, color: bool | None,
          **config_args: object) -> None:
    """Report artifacts in PATHS (files, folders of .txt/.md, or - for stdin)."""
    from . import api, render
    from .report import FileReport, Report
    from .textio import discover, read_source

    config = build_config(**config_args)  # type: ignore[arg-type]
    ruleset = api.get_ruleset(config)
    report = Report(fail_on=None if fail_on == "never" else Severity.parse(fail_on))
    for name, relative in discover(_inputs(paths)):
        try:
            source = read_source(name, relative)
        except InputError as exc:
            report.files.append(FileReport(exc.path, error=exc.reason))
            continue
        result = api.check(source.text, config=config, ruleset=ruleset)
        report.files.append(FileReport(source.name, source.text, result))
    signature = api.signature(ruleset, _packs_of(report), None)
    if fmt == "text":
        for line in render.text_lines(report):
            click.echo(line, color=color)
    elif fmt == "json":
        click.echo(render.json_report(report, signature))
    elif fmt == "jsonl":
        for line in render.jsonl_report(report):
            click.echo(line)
    elif fmt == "sarif":
        click.echo(render.sarif_report(report, ruleset, signature))
    else:
        for line in render.github_lines(report):
            click.echo(line)
    sys.exit(int(report.exit_status()))


def _packs_of(report: Report) -> list[str]:
    packs = {p for file in report.files if file.result is not None for p in file.result.packs}
    return sorted(packs) or ["common"]


@main.command()
@click.argument("paths", nargs=-1)
@config_options
@click.option("--unsafe", is_flag=True, help="Also apply UNSAFE fixes (word choices).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of the proposed changes; write nothing.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the result here: a file for one input, a folder for several.")
@click.option("--in-place", is_flag=True, help="Replace each input atomically.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one JSON line per applied fix (needed by `transqa undo`).")
def fix(paths: tuple[str, ...], unsafe: bool, show_diff: bool, output: Path | None,
        in_place: bool, log_path: Path | None, **config_args: object) -> None:
    """Apply fixes to PATHS. SAFE fixes by default; --unsafe adds word-choice fixes.

    One input without --output prints the corrected text on stdout. Every applied edit is
    logged with --log, so `transqa undo` can restore the original byte for byte.
    """
    from . import api, fixlog, render
    from .textio import STDIN, atomic_write, discover, read_source, sha256

    if sum(bool(x) for x in (show_diff, output, in_place)) > 1:
        _fail("--diff, --output and --in-place are mutually exclusive")
    inputs = list(discover(_inputs(paths)))
    if in_place and any(name == STDIN for name, _ in inputs):
        _fail("--in-place cannot rewrite standard input")
    several = len(inputs) > 1
    if several and not (show_diff or output or in_place):
        _fail("several inputs: use --output DIR, --in-place or --diff")
    if several and output is not None and output.exists() and not output.is_dir():
        _fail(f"--output {output} is a file but there are several inputs")
    config = build_config(**config_args)  # type: ignore[arg-type]
    ruleset = api.get_ruleset(config)
    level = Applicability.UNSAFE if unsafe else Applicability.SAFE
    status = ExitStatus.OK
    log_lines: list[str] = []
    targets: set[Path] = set()
    for name, relative in inputs:
        try:
            source = read_source(name, relative)
        except InputError as exc:
            click.echo(f"transqa: {exc}", err=True)
            status = ExitStatus.INPUT
            continue
        outcome = api.fix(source.text, config=config, ruleset=ruleset, min_applicability=level)
        data = source.encode(outcome.text)
        target: Path | None = None
        if show_diff:
            click.echo(render.unified_diff(source.name, source.text, outcome.text), nl=False)
        elif in_place:
            target = Path(name)
        elif output is not None:
            target = output / source.relative if several or output.is_dir() else output
        if target is not None:
            if target.resolve() in targets:
                _fail(f"two inputs would both be written to {target}")
            targets.add(target.resolve())
            if not (in_place and not outcome.result.changed):
                atomic_write(target, data)
        elif not show_diff:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        log_lines.extend(
            fixlog.dumps(r) for r in fixlog.records(
                outcome.result.applied, original=source.text, path=source.name,
                output=str(target) if target is not None else None, bom=source.bom,
                input_sha256=source.sha256, output_sha256=sha256(data),
                signature=outcome.signature,
            )
        )
        click.echo(
            f"{source.name}: {len(outcome.result.applied)} fix(es) applied "
            f"[{outcome.signature}]", err=True
        )
    if log_path is not None:
        atomic_write(log_path, "".join(line + "\n" for line in log_lines).encode("utf-8"))
    sys.exit(int(status))


@main.command()
@click.argument("log", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--fixed", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The fixed file (default: the output recorded in the log).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Where to write the restored original: a file, or a folder for several.")
@click.option("--in-place", is_flag=True, help="Restore over the fixed file(s), atomically.")
def undo(log: Path, fixed: Path | None, output: Path | None, in_place: bool) -> None:
    """Restore originals from fixed files and the fix LOG, byte for byte.

    Refuses (exit 3) when a fixed file no longer matches the log.
    """
    from .fixlog import read_log, undo_bytes
    from .textio import atomic_write

    documents = read_log(log)
    if not documents:
        _fail(f"{log}: no fixes recorded; nothing to undo", ExitStatus.OK)
    if fixed is not None and len(documents) > 1:
        _fail("--fixed names one file but the log covers several documents")
    if output is not None and in_place:
        _fail("--output and --in-place are mutually exclusive")
    if len(documents) > 1 and not (output or in_place):
        _fail("the log covers several documents: use --output DIR or --in-place")
    status = ExitStatus.OK
    # Several documents restore under their path relative to the folder they have in common,
    # so same-named files in different folders do not overwrite each other.
    common = os.path.commonpath([os.path.dirname(os.path.abspath(d.path)) for d in documents])
    for doc in documents:
        source = fixed or (Path(doc.output) if doc.output else None)
        if source is None:
            _fail(f"{doc.path} was fixed to stdout: name the fixed file with --fixed")
        try:
            restored = undo_bytes(doc, source.read_bytes(), str(source))
        except TransqaError as exc:
            click.echo(f"transqa: {exc}", err=True)
            status = ExitStatus.INPUT
            continue
        except OSError as exc:
            click.echo(f"transqa: {source}: {exc.strerror}", err=True)
            status = ExitStatus.INPUT
            continue
        if in_place:
            atomic_write(source, restored)
        elif output is not None:
            relative = os.path.relpath(os.path.abspath(doc.path), common)
            target = output / relative if len(documents) > 1 or output.is_dir() else output
            atomic_write(target, restored)
        else:
            sys.stdout.buffer.write(restored)
            sys.stdout.buffer.flush()
        click.echo(f"{source}: {len(doc.fixes)} fix(es) undone", err=True)
    sys.exit(int(status))


@main.group()
def rules() -> None:
    """List, show, document and validate the rule files."""


@rules.command("list")
@click.option("--pack", multiple=True, help="Only these packs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--rules-dir", "rules_dirs", multiple=True,
              type=click.Path(file_okay=False, path_type=Path))
def rules_list(pack: tuple[str, ...], fmt: str, rules_dirs: tuple[Path, ...]) -> None:
    """Every rule with its category, severity and fix applicability, and counts per pack."""
    from . import api, docs

    ruleset = api.get_ruleset(Config(rule_dirs=rules_dirs))
    selected = [r for r in ruleset.rules if not pack or r.pack in pack]
    if fmt == "json":
        click.echo(docs.rules_json(selected))
        return
    for line in docs.rules_table(selected):
        click.echo(line)


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """The documentation of one rule, generated from its file."""
    from . import api, docs

    ruleset = api.get_ruleset()
    try:
        rule = ruleset.get(rule_id)
    except KeyError:
        _fail(f"unknown rule {rule_id!r}; see `transqa rules list`")
    click.echo(docs.rule_markdown(rule))


@rules.command("docs")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/rules"),
              show_default=True)
def rules_docs(out: Path) -> None:
    """Write one Markdown page per rule plus an index."""
    from . import api, docs
    from .textio import atomic_write

    ruleset = api.get_ruleset()
    for rule in ruleset.rules:
        atomic_write(out / f"{rule.id}.md", docs.rule_markdown(rule).encode("utf-8"))
    atomic_write(out / "README.md", docs.index_markdown(ruleset.rules).encode("utf-8"))
    click.echo(f"wrote {len(ruleset.rules) + 1} pages to {out}")


@rules.command("index")
def rules_index() -> None:
    """Recompute rules/triggers.json and rules/bundle.json (start-up caches) after editing rules."""
    import json

    from .engine import TRIGGER_INDEX, trigger_index
    from .ruleset import BUNDLE, bundle_data, default_rules_dir, load_ruleset
    from .textio import atomic_write

    root = default_rules_dir()
    index = trigger_index(load_ruleset([root], strict=True).rules)
    text = json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write(root / TRIGGER_INDEX, text.encode("utf-8"))
    bundle = bundle_data(root)
    atomic_write(root / BUNDLE, (json.dumps(bundle, ensure_ascii=False, sort_keys=True) + "\n")
                 .encode("utf-8"))
    click.echo(f"{root / TRIGGER_INDEX}: {len(index)} rule triggers; "
               f"{root / BUNDLE}: {len(bundle)} parsed rule files")


@rules.command("validate")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
def rules_validate(dirs: tuple[Path, ...]) -> None:
    """Load rule folders strictly and run every rule's examples (exit 2 on the first error)."""
    from .examples import validate_examples
    from .ruleset import default_rules_dir, load_ruleset

    ruleset = load_ruleset(list(dirs) or [default_rules_dir()], strict=True)
    failures = validate_examples(ruleset.rules)
    for failure in failures:
        click.echo(failure, err=True)
    click.echo(f"{len(ruleset.rules)} rules, {len(failures)} failing example(s)")
    sys.exit(int(ExitStatus.USAGE if failures else ExitStatus.OK))


def _register_optional() -> None:
    """Commands that live in their own modules (score, eval, batch), when present."""
    import importlib

    for module, names in (("cli_eval", ("score_command", "eval_command")),
                          ("cli_batch", ("batch_command",))):
        try:
            mod = importlib.import_module(f".{module}", __package__)
        except ModuleNotFoundError:
            continue
        for name in names:
            command = getattr(mod, name, None)
            if isinstance(command, click.Command):
                main.add_command(command)


_register_optional()

if __name__ == "__main__":  # pragma: no cover
    main()
