"""``transqa eval``: does fixing help? Detection, fix accuracy, metrics and each rule's own effect.

The corpus is read into :class:`EvalDoc` values, each of which is one metric segment: a whole
document for annotated and paired corpora (so that removing a teaser line cannot shift every
later line), one line for line-aligned system outputs such as WMT. ``check`` and ``fix`` run once
per document; each rule that fired is then switched off alone (``Config(ignore=(rule,))``) and
only the documents it touched are fixed again, which is what makes the per-rule table cheap.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from .api import check as run_check
from .api import fix, get_ruleset, signature
from .config import Config
from .corpus import Artifact, Corpus, EvalDoc, load_corpus
from .errors import TransqaError
from .model import Applicability, AppliedFix, Finding
from .scoring import LOWER_IS_BETTER, METRICS, Scorer, ScoreReport, document_segment

Opcodes = Sequence[tuple[str, int, int, int, int]]


@dataclass(frozen=True)
class Detection:
    """Precision/recall for one category or rule; ``None`` where the denominator is zero."""

    key: str
    findings: int
    true_positives: int
    artifacts: int
    caught: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.caught / self.artifacts if self.artifacts else None


@dataclass(frozen=True)
class MetricsRow:
    group: str
    before: ScoreReport
    after: ScoreReport

    def delta(self, metric: str) -> float:
        return self.after.value(metric) - self.before.value(metric)


@dataclass(frozen=True)
class Example:
    doc_id: str
    reason: str
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class RuleEffect:
    """``change[m]`` = score with every rule minus score with this rule off (its own effect);
    ``benefit`` averages the changes with TER's sign flipped, so negative means it hurts."""

    rule_id: str
    category: str
    findings: int
    fixes: int
    docs: int
    without: ScoreReport
    change: tuple[tuple[str, float], ...]
    unchanged_in_ref: tuple[Example, ...] = ()
    unchanged_count: int = 0

    @property
    def benefit(self) -> float:
        signed = [-v if m in LOWER_IS_BETTER else v for m, v in self.change]
        return sum(signed) / len(signed) if signed else 0.0

    @property
    def harmful(self) -> bool:
        return self.benefit < -1e-9


@dataclass(frozen=True)
class DocResult:
    id: str
    group: str
    mt: str
    fixed: str
    findings: tuple[Finding, ...]
    applied: tuple[AppliedFix, ...]
    exact: bool | None  # fixed == gold; None without a gold post-edit
    error: str = ""


@dataclass(frozen=True)
class EvalReport:
    corpus: str
    kind: str
    signature: str
    documents: tuple[DocResult, ...]
    by_category: tuple[Detection, ...]
    by_rule: tuple[Detection, ...]
    docs_exact: tuple[int, int]
    artifacts_fixed: tuple[int, int]
    metrics: tuple[MetricsRow, ...]
    rules: tuple[RuleEffect, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def fixes(self) -> int:
        return sum(len(d.applied) for d in self.documents)

    def findings_per_category(self) -> list[tuple[str, int]]:
        counts = Counter(f.category.value for d in self.documents for f in d.findings)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------- reading corpora


# ---------------------------------------------------------------- evaluation


def evaluate(
    corpus: Corpus | Path | str,
    *,
    config: Config | None = None,
    min_applicability: Applicability = Applicability.SAFE,
    max_examples: int = 3,
) -> EvalReport:
    """Check and fix every document, then measure what the fixes did (see the module doc)."""
    config = config or Config()
    corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    ruleset = get_ruleset(config)
    configs = [_doc_config(config, d) for d in corpus.docs]
    results: list[DocResult] = []
    packs: set[str] = set()
    for doc, cfg in zip(corpus.docs, configs, strict=True):
        found = run_check(doc.mt, config=cfg, ruleset=ruleset)
        packs.update(found.packs)
        fixed, applied, error = _fix(doc.mt, cfg, min_applicability)
        exact = None if doc.gold is None else fixed.rstrip() == doc.gold.rstrip()
        results.append(DocResult(doc.id, doc.group, doc.mt, fixed, found.findings, applied,
                                 exact, error))

    by_category, by_rule, arts_fixed = _detection(corpus.docs, results)
    with_gold = [r.exact for r in results if r.exact is not None]
    scored = [i for i, d in enumerate(corpus.docs) if d.refs]
    scorer = _scorer([corpus.docs[i] for i in scored]) if scored else None
    metrics = () if scorer is None else _metric_rows(
        corpus, scorer, [document_segment(results[i].mt) for i in scored],
        [document_segment(results[i].fixed) for i in scored])
    effects = _rule_effects(corpus.docs, configs, results, scorer, min_applicability, max_examples)
    order = ["common", *sorted(packs - {"common"})]
    return EvalReport(
        corpus=corpus.name, kind=corpus.kind,
        signature=signature(ruleset, [p for p in order if p in packs], min_applicability),
        documents=tuple(results), by_category=by_category, by_rule=by_rule,
        docs_exact=(sum(with_gold), len(with_gold)), artifacts_fixed=arts_fixed,
        metrics=metrics, rules=effects,
        warnings=corpus.warnings + tuple(f"{r.id}: {r.error}" for r in results if r.error),
    )


def _doc_config(config: Config, doc: EvalDoc) -> Config:
    """The corpus's own source language is used unless one was given explicitly."""
    if config.source_lang == "auto" and doc.source_lang:
        return config.with_(source_lang=doc.source_lang)
    return config


def _fix(text: str, config: Config, level: Applicability) -> tuple[str, tuple[AppliedFix, ...], str]:
    """A rule pair that never converges is reported for that document; the rest still count."""
    try:
        out = fix(text, config=config, min_applicability=level)
    except TransqaError as exc:
        return text, (), str(exc)
    return out.text, out.result.applied, ""


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # an insertion point counts when it touches the span
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _detection(
    docs: Sequence[EvalDoc], results: Sequence[DocResult]
) -> tuple[tuple[Detection, ...], tuple[Detection, ...], tuple[int, int]]:
    """A finding is right when it overlaps an annotated artifact of the same category."""
    cat: dict[str, Counter[str]] = defaultdict(Counter)
    rule: dict[str, Counter[str]] = defaultdict(Counter)
    rule_cat: dict[str, str] = {}
    art_total: Counter[str] = Counter()
    fixed_ok = fixed_n = 0
    for doc, res in zip(docs, results, strict=True):
        if not doc.annotated:
            continue
        for f in res.findings:
            hit = any(a.category == f.category and _overlap((f.span.start, f.span.end),
                                                            (a.start, a.end)) for a in doc.artifacts)
            for table, key in ((cat, f.category.value), (rule, f.rule_id)):
                table[key]["findings"] += 1
                table[key]["tp"] += hit
            rule_cat[f.rule_id] = f.category.value
        for a in doc.artifacts:
            art_total[a.category.value] += 1
            by = {f.rule_id for f in res.findings
                  if f.category == a.category and _overlap((f.span.start, f.span.end), (a.start, a.end))}
            cat[a.category.value]["caught"] += bool(by)
            for rule_id in by:
                rule[rule_id]["caught"] += 1
        if doc.gold is not None and doc.artifacts:
            ok = _artifacts_reproduced(doc, res.fixed)
            fixed_ok, fixed_n = fixed_ok + sum(ok), fixed_n + len(ok)
    by_category = tuple(Detection(k, c["findings"], c["tp"], art_total[k], c["caught"])
                        for k, c in sorted(cat.items()))
    by_rule = tuple(Detection(k, c["findings"], c["tp"], art_total[rule_cat[k]], c["caught"])
                    for k, c in sorted(rule.items()))
    return by_category, by_rule, (fixed_ok, fixed_n)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@lru_cache(maxsize=4096)
def _opcodes(a: str, b: str) -> Opcodes:
    """difflib opcodes in character offsets, aligned on words: character-level matching of two
    5 KB documents takes over a second and pairs up letters of unrelated words."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    pa, pb = _offsets(ta), _offsets(tb)
    return [(tag, pa[i1], pa[i2], pb[j1], pb[j2]) for tag, i1, i2, j1, j2
            in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes()]


def _offsets(tokens: Sequence[str]) -> list[int]:
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out


def _map(pos: int, ops: Opcodes, *, left: bool) -> int:
    """Position in ``a`` → position in ``b``; at a change boundary take the outer side."""
    found = []
    for tag, i1, i2, j1, j2 in ops:
        if i1 <= pos <= i2:
            found.append(j1 + pos - i1 if tag == "equal" else
                         j1 if pos == i1 or (left and pos < i2) else j2)
    return min(found) if left else max(found)


def _artifacts_reproduced(doc: EvalDoc, fixed: str) -> list[bool]:
    """For each artifact, is the gold text of its region exactly what the fixed text has there?

    The region is the artifact widened until neither alignment (mt→gold, mt→fixed) has a change
    that crosses its edges; then both sides are cut at the same, unambiguous, points.
    """
    assert doc.gold is not None
    to_gold, to_fixed = _opcodes(doc.mt, doc.gold), _opcodes(doc.mt, fixed)
    changes = [(i1, i2) for ops in (to_gold, to_fixed) for tag, i1, i2, _, _ in ops if tag != "equal"]
    out = []
    for a in doc.artifacts:
        s, e, moved = a.start, a.end, True
        while moved:
            moved = False
            for i1, i2 in changes:
                if i1 <= e and s <= i2 and (i1 < s or i2 > e):
                    s, e, moved = min(s, i1), max(e, i2), True
        gold = doc.gold[_map(s, to_gold, left=True):_map(e, to_gold, left=False)]
        out.append(gold == fixed[_map(s, to_fixed, left=True):_map(e, to_fixed, left=False)])
    return out


def _scorer(docs: Sequence[EvalDoc]) -> Scorer:
    """One scorer over every document that has a reference; missing references are ``None``."""
    width = max(len(d.refs) for d in docs)
    return Scorer([[document_segment(d.refs[k]) if k < len(d.refs) else None for d in docs]
                   for k in range(width)], METRICS)


def _metric_rows(corpus: Corpus, scorer: Scorer, before: list[str],
                 after: list[str]) -> tuple[MetricsRow, ...]:
    """Before/after per group (system, or source language); the pool too unless the groups are
    different systems translating the same text, whose pool means nothing."""
    scored = [d for d in corpus.docs if d.refs]
    groups: dict[str, list[int]] = defaultdict(list)
    for k, doc in enumerate(scored):
        groups[doc.group].append(k)
    if len(groups) > 1 and corpus.kind != "systems":
        groups["all"] = list(range(len(scored)))
    return tuple(MetricsRow(name, scorer(before, idx), scorer(after, idx))
                 for name, idx in groups.items())


def _rule_effects(
    docs: Sequence[EvalDoc], configs: Sequence[Config], results: Sequence[DocResult],
    scorer: Scorer | None, level: Applicability, max_examples: int,
) -> tuple[RuleEffect, ...]:
    """Each rule that fired, switched off alone; only documents it touched are fixed again."""
    touched: dict[str, set[int]] = defaultdict(set)
    for i, r in enumerate(results):
        for rule_id in {f.rule_id for f in r.findings} | {a.rule_id for a in r.applied}:
            touched[rule_id].add(i)
    scored = [i for i, d in enumerate(docs) if d.refs]
    slot = {i: k for k, i in enumerate(scored)}
    after = [document_segment(results[i].fixed) for i in scored]
    pooled = scorer(after) if scorer else None
    effects = []
    for rule_id, where in sorted(touched.items()):
        hyps = list(after)
        for i in where:
            if i in slot:
                cfg = configs[i].with_(ignore=(*configs[i].ignore, rule_id))
                hyps[slot[i]] = document_segment(_fix(docs[i].mt, cfg, level)[0])
        without = scorer(hyps) if scorer else ScoreReport((), 0, 0)
        change = tuple((m.metric, pooled.value(m.metric) - m.score)
                       for m in without.scores) if pooled else ()
        findings = [f for i in sorted(where) for f in results[i].findings if f.rule_id == rule_id]
        applied = [a for i in sorted(where) for a in results[i].applied if a.rule_id == rule_id]
        examples = _unchanged_in_ref(rule_id, [(docs[i], results[i]) for i in sorted(where)])
        category = (findings[0].category if findings else applied[0].category).value
        effects.append(RuleEffect(rule_id, category, len(findings), len(applied), len(where),
                                  without, change, tuple(examples[:max_examples]), len(examples)))
    return tuple(sorted(effects, key=lambda e: (-e.benefit, e.rule_id)))


def _unchanged_in_ref(rule_id: str, pairs: Sequence[tuple[EvalDoc, DocResult]]) -> list[Example]:
    """Findings the reference did not touch: the whole segment equals a reference, or the
    finding's span lies inside a stretch the reference kept verbatim. Likely false positives."""
    out = []
    for doc, res in pairs:
        if not doc.refs:
            continue
        same = any(document_segment(doc.mt) == document_segment(r) for r in doc.refs)
        alignments = [] if same else [_opcodes(doc.mt, r) for r in doc.refs]
        for f in res.findings:
            if f.rule_id != rule_id:
                continue
            s, e = f.span.start, f.span.end
            kept = same or any(tag == "equal" and i1 <= s and e <= i2 and (s < e or i1 < s < i2)
                               for ops in alignments for tag, i1, i2, _, _ in ops)
            if kept:
                reason = "segment equals the reference" if same else "span kept by the reference"
                out.append(Example(doc.id, reason, doc.mt[max(0, s - 40):s], doc.mt[s:e],
                                   doc.mt[e:e + 40]))
    return out


__all__ = ["Artifact", "Corpus", "Detection", "EvalDoc", "EvalReport", "MetricsRow", "RuleEffect",
           "evaluate", "load_corpus"]
