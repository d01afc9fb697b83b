"""Language-identification benchmark: what langid costs and how often langdetect really runs.

    .venv/bin/python bench/langid_bench.py

Figures (``main()`` returns them as a dict for ``bench/run.py``):
- ``check`` throughput (MB/s) on 1,997 native English news lines, langid on and off (the whole
  check, so every pack's rules and the source inference are in it), and the three
  ``untranslated`` rules alone;
- langdetect calls per 1,000 sentences on native English and on German→English MT output;
- untranslated findings on native English (must be 0);
- recall on real German: each line of the WMT21 German source (≥ 6 words once names are
  masked) embedded between two English sentences, found as an untranslated German sentence.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = Path(os.environ.get("TRANSQA_SHARED", ROOT.parent / "shared")) / "external"
NATIVE = EXTERNAL / "native-en" / "newstest2019.en-de.src.en"
WMT = EXTERNAL / "wmt21-deen"
BEFORE = "Talks between the two sides resumed on Monday after a week of protests in the capital."
AFTER = "The opposition said it would study the plan before deciding whether to call off the strike."

sys.path.insert(0, str(ROOT / "src"))

from transqa import api, langid  # noqa: E402
from transqa.config import Config  # noqa: E402
from transqa.kinds.untranslated import clear_caches, units  # noqa: E402


def _throughput(text: str, config: Config, repeats: int = 5) -> float:
    """MB/s of ``api.check``; each run gets a fresh text so no cache hides the work."""
    api.check(text, config=config)  # warm: rules compiled, profiles loaded
    seconds = []
    for i in range(repeats):
        variant = text + "\n" * (i + 1)
        langid.reset_calls()
        clear_caches()
        start = time.perf_counter()
        api.check(variant, config=config)
        seconds.append(time.perf_counter() - start)
    return len(text.encode("utf-8")) / 1e6 / statistics.median(seconds)


def _rules_throughput(text: str, repeats: int = 5) -> float:
    """MB/s of the three ``untranslated`` rules alone: the cost langid adds to a check."""
    from transqa.engine import run_rules

    rules = [r for r in api.get_ruleset().rules if r.kind == "untranslated"]
    run_rules(text[:2000], rules)
    seconds = []
    for i in range(repeats):
        clear_caches()
        langid.reset_calls()
        start = time.perf_counter()
        run_rules(text + "\n" * (i + 1), rules)
        seconds.append(time.perf_counter() - start)
    return len(text.encode("utf-8")) / 1e6 / statistics.median(seconds)


def _calls_per_1000(text: str) -> tuple[float, int]:
    clear_caches()
    langid.reset_calls()
    api.check(text, config=Config(select=("untranslated",)))
    n_units = len(units(text))
    return 1000 * langid.calls() / n_units, n_units


def _german_recall() -> tuple[int, int]:
    ruleset = api.get_ruleset()
    rules = [r for r in ruleset.rules if r.id == "common.UntranslatedSentence"]
    from transqa.engine import run_rules

    found = eligible = 0
    for line in (WMT / "src.de").read_text(encoding="utf-8").splitlines():
        if len(units(line)) != 1 or len(units(line)[0].words) < 6:
            continue  # several sentences per line, or too short by the rule's own measure
        eligible += 1
        text = f"{BEFORE} {line} {AFTER}"
        hits = run_rules(text, rules)
        if any(dict(f.data).get("lang") == "de" for f in hits):
            found += 1
    return found, eligible


def main() -> dict[str, float]:
    native = NATIVE.read_text(encoding="utf-8")
    mt = "\n".join((WMT / f"mt.{s}.en").read_text(encoding="utf-8")
                   for s in ("Online-A", "Online-B", "Online-Y", "UEdin", "happypoet"))
    on = _throughput(native, Config())
    off = _throughput(native, Config(langid=False))
    rules_only = _rules_throughput(native)
    native_calls, native_units = _calls_per_1000(native)
    mt_calls, mt_units = _calls_per_1000(mt)
    findings = [f for f in api.check(native).findings if f.category.value == "untranslated"]
    found, eligible = _german_recall()
    figures = {
        "check_mb_s_langid_on": round(on, 3),
        "check_mb_s_langid_off": round(off, 3),
        "untranslated_rules_only_mb_s": round(rules_only, 3),
        "langdetect_calls_per_1000_sentences_native_en": round(native_calls, 2),
        "langdetect_calls_per_1000_sentences_mt_de_en": round(mt_calls, 2),
        "native_en_sentences": native_units,
        "mt_de_en_sentences": mt_units,
        "untranslated_findings_native_en": len(findings),
        "german_sentence_recall": round(found / eligible, 4) if eligible else 0.0,
        "german_sentences_eligible": eligible,
    }
    for key, value in figures.items():
        print(f"{key:50} {value}")
    return figures


if __name__ == "__main__":
    main()
