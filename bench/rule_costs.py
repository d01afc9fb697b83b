"""Per-rule cost on real English news: which rules make a full check slow, and why.

Usage: .venv/bin/python bench/rule_costs.py [PACK ...]   (default: every pack)
Prints the slowest rules with their trigger (see src/transqa/prefilter.py): a rule with no
trigger, or a trigger that occurs on most lines, is run over most of the text.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from transqa import api
from transqa.document import Document
from transqa.engine import build_scanner

SHARED = Path(os.environ.get("TRANSQA_SHARED", Path(__file__).resolve().parents[2] / "shared"))
NATIVE = SHARED / "external" / "native-en" / "newstest2019.en-de.src.en"


def main(packs: list[str]) -> None:
    text = NATIVE.read_text(encoding="utf-8") * 4
    from transqa import lexicon
    lexicon.frequency("the")  # loaded once per process, not a cost of the first rule using it
    ruleset = api.get_ruleset()
    rules = tuple(
        r for r in ruleset.rules if r.kind != "untranslated" and (not packs or r.pack in packs)
    )
    scanner = build_scanner(rules)
    doc = Document(text)
    started = time.perf_counter()
    _ = doc.folded, doc.words, doc.line_starts
    print(f"document preparation: {time.perf_counter() - started:.3f} s for {len(text) / 1e6:.1f} MB")
    doc.index_words(scanner.vocabulary)
    literal = scanner.literal_occurrences(doc)  # one automaton pass, shared as in a real run
    print(f"literal triggers (Aho-Corasick): {time.perf_counter() - started:.3f} s with the above")
    for _ in scanner.run(Document(text + " ")):  # warm: regexes compiled on first use
        pass
    costs = []
    for rule, plan in zip(scanner.rules, scanner.plans, strict=True):
        single = type(scanner)((rule,), (plan,), scanner.triggers)
        single.__dict__["automata"] = scanner.automata
        single.__dict__["literal_occurrences"] = lambda _doc: literal
        started = time.perf_counter()
        found = sum(1 for _ in single.run(doc))
        elapsed = time.perf_counter() - started
        if plan:
            trig = scanner.triggers[plan[0]].source[:50]
        else:
            trig = "(scan)" if rule.matcher.source is None else "NONE"
        costs.append((elapsed, rule.id, found, trig))
    costs.sort(reverse=True)
    total = sum(c[0] for c in costs)
    rate = len(text.encode()) / 1e6 / total
    print(f"{len(rules)} rules, {total:.2f} s in rules → {rate:.2f} MB/s (rules only)")
    for elapsed, rule_id, found, trig in costs[:25]:
        print(f"{elapsed * 1000:8.1f} ms  {rule_id:<40} hits={found:<4} trigger={trig}")


if __name__ == "__main__":
    main(sys.argv[1:])
