"""transqa benchmark suite: figures printed as tables, nothing asserted on timing.

    .venv/bin/python bench/run.py            (what `make bench` runs; ~2-3 minutes)
    .venv/bin/python bench/run.py --quick    (smaller inputs, no WMT eval; for a smoke test)

1. check and fix throughput (MB/s) on ~2 MB of native English news and on MT-style text (the
   corpora's annotated MT plus the seed article), per source pack and with every pack at once;
2. start-up: ``transqa check`` on the seed story as a subprocess vs ``python -c pass``;
3. peak memory (ru_maxrss of this process; tracemalloc peak of one check of the large input);
4. proselint's throughput on the same native text, as a reference point;
5. eval on WMT21 de→en: BLEU/chrF/TER before → after per system (references A and B);
6. bench/langid_bench.py's figures, when that file exists.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = Path(os.environ.get("TRANSQA_SHARED", ROOT.parent / "shared")) / "external"
NATIVE = EXTERNAL / "native-en" / "newstest2019.en-de.src.en"
WMT = EXTERNAL / "wmt21-deen"
SEED = ROOT / "corpora" / "seed" / "kazakhstan.mt.en.txt"
BIN = Path(sys.executable).parent

sys.path.insert(0, str(ROOT / "src"))

from transqa import api  # noqa: E402
from transqa.config import SOURCE_LANGS, Config  # noqa: E402
from transqa.engine import run_rules  # noqa: E402
from transqa.fixer import fix_text  # noqa: E402
from transqa.kinds.untranslated import clear_caches  # noqa: E402
from transqa.model import Applicability  # noqa: E402


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n== {title}")
    for k, row in enumerate(cells):
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
        if k == 0:
            print("  " + "  ".join("-" * w for w in widths))


def repeat_to(text: str, size: int) -> str:
    """``text`` repeated (whole copies, blank line between) to at least ``size`` UTF-8 bytes."""
    unit = len(text.encode("utf-8")) + 2
    return "\n\n".join([text] * max(1, -(-size // unit)))


def mt_text() -> str:
    """The MT side of every annotated corpus plus the seed article: text with the artifacts
    transqa exists for, so the fix path does real work."""
    parts = [SEED.read_text(encoding="utf-8")]
    for path in sorted((ROOT / "corpora").glob("*/annotated.jsonl")):
        if path.parent.name == "eval-tiny":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                parts.append(json.loads(line)["mt"])
    return "\n\n".join(parts)


T = TypeVar("T")


def timed(fn: Callable[..., T], *args: object) -> tuple[float, T]:
    start = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - start, value


#: Seconds one timed call may take; a slower engine gets a shorter prefix of the input, so
#: `make bench` stays near its 3-minute budget whatever the rules cost. The MB column says so.
BUDGET_S = 2.0


def fitted(text: str, fn: Callable[[str], object]) -> str:
    """``text``, or the prefix of it (whole lines) that ``fn`` handles in about BUDGET_S."""
    probe = text[:50_000]
    fn(probe)  # warm: compile the combined scan, load lexicons
    rate = len(probe) / max(timed(fn, probe + "\n")[0], 1e-6)
    if rate * BUDGET_S >= len(text):
        return text
    cut = text.rfind("\n", 0, int(rate * BUDGET_S))
    return text[: max(cut, len(probe))]


CHECK_RUNS = 5
INPUTS = {"native English news": lambda: NATIVE.read_text(encoding="utf-8"),
          "MT-style (corpora + seed)": lambda: mt_text()}


def throughput_row(name: str, packs: Sequence[str], size: int, langid: bool) -> dict[str, object]:
    """One row of the throughput table, measured in this process (see :func:`throughput`)."""
    full = repeat_to(INPUTS[name](), size)
    config = Config(langid=langid)
    rules = api.selected_rules(api.get_ruleset(), config, packs)
    check = partial(run_rules, rules=rules)
    fix = partial(fix_text, check=check, min_applicability=Applicability.UNSAFE)
    check_in, fix_in = fitted(full, check), fitted(full, fix)
    # Steady state, as in a batch: one untimed pass over the whole input first, so that one-time
    # costs (regexes compiled on first use, the frequency list) are not counted here; the
    # start-up table counts them. Each timed call gets a text of its own and the per-text caches
    # are emptied, so nothing computed before is reused.
    check(check_in)
    seconds = []
    for i in range(CHECK_RUNS):  # the median: one run on a shared machine varies by ±15 %
        clear_caches()
        seconds.append(timed(check, check_in + "\n" * (i + 1))[0])
    check_s = statistics.median(seconds)
    clear_caches()
    fix_s, fixed = timed(fix, fix_in + " ")
    check_mb, fix_mb = (len(t.encode("utf-8")) / 1e6 for t in (check_in, fix_in))
    return {"rules": len(rules), "check_mb": check_mb, "check_s": check_s, "fix_mb": fix_mb,
            "fix_s": fix_s, "fixes": len(fixed.applied)}


def throughput(size: int) -> None:
    """Each row in a process of its own: rows measured one after the other in one process ran
    up to 10 % slower the later they came (the heap and caches the earlier rows left)."""
    ruleset = api.get_ruleset()
    packs = [p for p in SOURCE_LANGS if p in ruleset.packs]
    setups: list[tuple[str, Sequence[str], bool]] = [
        (f"common+{p}", ("common", p), True) for p in packs]
    setups.append(("all packs", ruleset.packs, True))
    setups.append(("all packs, langid off", ruleset.packs, False))
    rows = []
    for name in INPUTS:
        for label, selected, langid in setups:
            out = subprocess.run(
                [sys.executable, __file__, "--row", name, ",".join(selected), str(size),
                 "on" if langid else "off"], capture_output=True, text=True, check=True).stdout
            r = json.loads(out)
            rows.append((name, label, r["rules"], f"{r['check_mb']:.2f}",
                         f"{r['check_mb'] / r['check_s']:.2f}", f"{r['fix_mb']:.2f}",
                         f"{r['fix_mb'] / r['fix_s']:.2f}", r["fixes"]))
    table(f"throughput: check (median of {CHECK_RUNS} runs), and fix --unsafe to a fixed point; "
          "one core, steady state (one untimed pass first), each row in a fresh process; langid "
          "on unless said. Inputs are "
          f"cut to ~{BUDGET_S:.0f} s of work (the MB columns) to keep the bench's time budget",
          ["input", "packs", "rules", "check MB", "MB/s", "fix MB", "MB/s", "fixes"], rows)


def startup(runs: int) -> None:
    transqa = BIN / "transqa"

    def median(cmd: list[str]) -> tuple[float, int]:
        times, code = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            code = subprocess.run(cmd, capture_output=True, check=False).returncode
            times.append(time.perf_counter() - start)
        return statistics.median(times), code

    base, _ = median([sys.executable, "-c", "pass"])
    rows: list[tuple[object, ...]] = [("python -c pass", f"{base * 1000:.0f}", "", 0)]
    size = len(SEED.read_bytes())
    for args in (["--source-lang", "fr"], []):
        if not transqa.exists():
            rows.append(("transqa check (not installed)", "-", "-", "-"))
            break
        t, code = median([str(transqa), "check", *args, str(SEED)])
        label = f"transqa check {' '.join(args) or '(auto)'} seed ({size / 1000:.1f} KB)"
        rows.append((label, f"{t * 1000:.0f}", f"{(t - base) * 1000:+.0f}", code))
    table(f"start-up, median of {runs} runs", ["command", "ms", "vs python", "exit"], rows)


def memory(text: str) -> None:
    tracemalloc.start()
    api.check(text, config=Config(source_lang="fr"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    table("memory", ["measure", "MB"], [
        (f"tracemalloc peak, one check of {len(text.encode()) / 1e6:.1f} MB", f"{peak / 1e6:.1f}"),
        ("ru_maxrss of the bench process so far", f"{maxrss_mb:.1f}"),
    ])


def proselint_side_by_side(text: str) -> None:
    try:
        from proselint.checks import __register__
        from proselint.config import DEFAULT
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError as exc:
        print(f"\n== proselint: not available ({exc}); pip install proselint")
        return
    CheckRegistry().register_many(__register__)
    config = {**DEFAULT, "max_errors": 10**9}  # its default stops after 1,000 results
    mb = len(text.encode("utf-8")) / 1e6
    p_s, linted = timed(LintFile("<bench>", text).lint, config)
    rules = api.selected_rules(api.get_ruleset(), Config(), ("common", "fr"))
    run_rules(text[:1000], rules)  # compile outside the timing, as proselint compiles on import
    t_s, found = timed(run_rules, text + "\n", rules)
    table(f"same input, {mb:.2f} MB of native English news", ["tool", "MB/s", "findings"], [
        ("proselint (all default checks)", f"{mb / p_s:.2f}", len(linted)),
        ("transqa check common+fr", f"{mb / t_s:.2f}", len(found)),
    ])


def wmt_eval() -> None:
    if not WMT.is_dir():
        print(f"\n== WMT21 eval: {WMT} not found")
        return
    from transqa.evaluate import evaluate

    start = time.perf_counter()
    report = evaluate(WMT, min_applicability=Applicability.UNSAFE)
    fixes: dict[str, int] = {}
    for doc in report.documents:
        fixes[doc.group] = fixes.get(doc.group, 0) + len(doc.applied)
    rows = []
    for row in report.metrics:
        rows.append((row.group, *(f"{row.before.get(m).formatted} → {row.after.get(m).formatted}"
                                  for m in ("bleu", "chrf", "ter")), fixes.get(row.group, 0)))
    table(f"WMT21 de→en eval, refs A+B, fix --unsafe ({time.perf_counter() - start:.0f} s)",
          ["system", "BLEU", "chrF", "TER", "fixes"], rows)
    effects = [(e.rule_id, e.findings, e.fixes, *(f"{v:+.3f}" for _, v in e.change),
                e.unchanged_count) for e in report.rules]
    table("WMT21: each rule's own effect (all systems pooled)",
          ["rule", "findings", "fixes", "ΔBLEU", "ΔchrF", "ΔTER", "kept by ref"], effects)
    print(f"  {report.signature}")


def langid_bench() -> None:
    path = ROOT / "bench" / "langid_bench.py"
    if not path.exists():
        print("\n== langid: bench/langid_bench.py not present")
        return
    print("\n== langid (bench/langid_bench.py, in a process of its own: the heap this one has built"
          " up makes garbage collection slower)", flush=True)
    subprocess.run([sys.executable, str(path)], check=True)  # prints its own figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, no WMT eval")
    parser.add_argument("--row", nargs=4, metavar=("INPUT", "PACKS", "SIZE", "LANGID"),
                        help=argparse.SUPPRESS)  # one throughput row, as JSON (internal)
    args = parser.parse_args()
    if args.row:
        name, packs, size_arg, langid = args.row
        print(json.dumps(throughput_row(name, packs.split(","), int(size_arg), langid == "on")))
        return
    size = 200_000 if args.quick else 2_000_000
    began = time.perf_counter()
    native = NATIVE.read_text(encoding="utf-8")
    print(f"transqa bench · Python {sys.version.split()[0]} · rules {api.get_ruleset().digest}",
          flush=True)
    throughput(size)
    startup(3 if args.quick else 7)
    memory(repeat_to(native, size))
    proselint_side_by_side(native)
    if not args.quick:
        wmt_eval()
    langid_bench()
    print(f"\ntotal {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
