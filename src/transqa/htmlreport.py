"""``transqa eval --html``: one self-contained page an editor can open anywhere.

No JavaScript and no external resources (fonts, stylesheets, images): the page is mailed around
and archived next to the corpus, so it must render the same offline and in ten years. Every piece
of corpus text goes through :func:`html.escape`: MT output is untrusted input.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from html import escape

from .evaluate import Detection, DocResult, EvalReport

_CSS = """
body{font:15px/1.5 Georgia,'DejaVu Serif',serif;color:#222;background:#fbfaf7;margin:0}
main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}
h1{font:600 26px/1.2 system-ui,'DejaVu Sans',sans-serif;margin:8px 0 4px}
h2{font:600 19px/1.3 system-ui,'DejaVu Sans',sans-serif;margin:32px 0 8px;
   border-bottom:2px solid #e4e0d6;padding-bottom:4px}
h3{font:600 15px system-ui,'DejaVu Sans',sans-serif;margin:18px 0 6px}
.sig,code{font:12px/1.4 'DejaVu Sans Mono',monospace;color:#555;word-break:break-all}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{background:#fff;border:1px solid #e4e0d6;border-radius:8px;padding:10px 16px;min-width:130px}
.card b{display:block;font:600 22px system-ui,sans-serif}
.card span{font:12px system-ui,sans-serif;color:#666;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;margin:6px 0 12px;background:#fff;font:13px system-ui,sans-serif}
th,td{border:1px solid #e4e0d6;padding:4px 10px;text-align:right}
th{background:#f1eee6}
td.k,th.k{text-align:left}
tr.harm td{background:#fde8e6}
tr.help td.v{color:#17623a}
.charts{display:flex;gap:24px;flex-wrap:wrap}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:14px;margin:6px 0 4px}
.pair div{background:#fff;border:1px solid #e4e0d6;border-radius:6px;padding:8px 12px;
          white-space:pre-wrap;overflow-wrap:anywhere}
.pair div::before{display:block;font:600 11px system-ui,sans-serif;color:#888;
                  text-transform:uppercase;margin-bottom:4px}
.pair .mt::before{content:'machine translation'}
.pair .fx::before{content:'after transqa fix'}
del{background:#f9d4d0;color:#8a1c12;text-decoration:line-through}
ins{background:#cdeed8;color:#0f5230;text-decoration:none}
ul.log{font:12px system-ui,sans-serif;color:#555;margin:2px 0 14px}
.bad{color:#a32015;font-weight:600}.good{color:#17623a;font-weight:600}
.muted{color:#777;font:13px system-ui,sans-serif}
"""


def render_html(report: EvalReport, *, max_docs: int = 60) -> str:
    """The whole page as one string; ``max_docs`` caps the side-by-side section."""
    e = escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>transqa eval: {e(report.corpus)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>transqa eval · {e(report.corpus)}</h1>",
        f'<div class="sig">{e(report.signature)}</div>',
        _cards(report),
        _metrics(report),
        '<h2>Findings and rule effects</h2><div class="charts">',
        _bar_chart("Findings per category", report.findings_per_category()),
        _rule_chart(report),
        "</div>",
        _rules(report),
        _detection(report),
        _documents(report.documents, max_docs),
    ]
    if report.warnings:
        parts.append("<h2>Warnings</h2><ul class='log'>"
                     + "".join(f"<li>{e(w)}</li>" for w in report.warnings[:50]) + "</ul>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _cards(report: EvalReport) -> str:
    cards = [("documents", str(len(report.documents))),
             ("findings", str(sum(len(d.findings) for d in report.documents))),
             ("fixes applied", str(report.fixes))]
    if report.docs_exact[1]:
        cards.append(("equal to gold", f"{report.docs_exact[0]}/{report.docs_exact[1]}"))
    if report.metrics:
        row = report.metrics[-1]
        for metric, label in (("bleu", "BLEU"), ("chrf", "chrF")):
            cards.append((f"{label} ({row.group})", f"{row.before.get(metric).formatted} → "
                                                     f"{row.after.get(metric).formatted}"))
    return '<div class="cards">' + "".join(
        f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in cards
    ) + "</div>"


def _signed(value: float, lower_is_better: bool = False) -> str:
    good = value < 0 if lower_is_better else value > 0
    cls = "" if abs(value) < 1e-9 else ("good" if good else "bad")
    return f"<span class='{cls}'>{value:+.2f}</span>"


def _metrics(report: EvalReport) -> str:
    if not report.metrics:
        return "<h2>Metrics</h2><p class='muted'>No references: no BLEU, chrF or TER.</p>"
    head = "".join(f"<th colspan=3>{n}</th>" for n in ("BLEU", "chrF", "TER"))
    sub = "<th>before</th><th>after</th><th>Δ</th>" * 3
    rows = []
    for row in report.metrics:
        cells = "".join(
            f"<td>{row.before.get(m).formatted}</td><td>{row.after.get(m).formatted}</td>"
            f"<td>{_signed(row.delta(m), m == 'ter')}</td>" for m in ("bleu", "chrf", "ter"))
        rows.append(f"<tr><td class='k'>{escape(row.group)}</td>"
                    f"<td>{row.before.n_segments}</td>{cells}</tr>")
    sigs = "".join(f"<div class='sig'>{escape(s.name)}|{escape(s.signature)}</div>"
                   for s in report.metrics[0].after.scores)
    return (f"<h2>Metrics before → after fixing</h2><table><tr><th class='k' rowspan=2>group</th>"
            f"<th rowspan=2>segments</th>{head}</tr><tr>{sub}</tr>{''.join(rows)}</table>{sigs}")


def _rules(report: EvalReport) -> str:
    if not report.rules:
        return "<p class='muted'>No rule fired.</p>"
    rows = []
    for eff in report.rules:
        change = dict(eff.change)
        cls = "harm" if eff.harmful else ("help" if eff.benefit > 1e-9 else "")
        verdict = "harmful" if eff.harmful else ("helps" if eff.benefit > 1e-9 else "neutral")
        rows.append(
            f"<tr class='{cls}'><td class='k'><code>{escape(eff.rule_id)}</code></td>"
            f"<td class='k'>{escape(eff.category)}</td><td>{eff.findings}</td><td>{eff.fixes}</td>"
            + "".join(f"<td class='v'>{_signed(change.get(m, 0.0), m == 'ter')}</td>"
                      for m in ("bleu", "chrf", "ter"))
            + f"<td>{eff.unchanged_count}</td><td class='k'>{verdict}</td></tr>")
    suspects = []
    for eff in report.rules:
        for x in eff.unchanged_in_ref:
            suspects.append(f"<li><code>{escape(eff.rule_id)}</code> in {escape(x.doc_id)}: "
                            f"…{escape(x.before)}<del>{escape(x.match)}</del>{escape(x.after)}… "
                            f"<span class='muted'>({escape(x.reason)})</span></li>")
    fp = ("<h3>Likely false positives: the reference kept the flagged text</h3><ul class='log'>"
          + "".join(suspects) + "</ul>") if suspects else ""
    return ("<h3>Each rule's own effect (score with all rules − score with this rule off)</h3>"
            "<table><tr><th class='k'>rule</th><th class='k'>category</th><th>findings</th>"
            "<th>fixes</th><th>ΔBLEU</th><th>ΔchrF</th><th>ΔTER</th><th>kept by ref</th>"
            f"<th class='k'>verdict</th></tr>{''.join(rows)}</table>{fp}")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _detection(report: EvalReport) -> str:
    if not report.by_category:
        return ""

    def table(title: str, rows: Sequence[Detection]) -> str:
        body = "".join(
            f"<tr><td class='k'><code>{escape(d.key)}</code></td><td>{d.findings}</td>"
            f"<td>{d.true_positives}</td><td>{_pct(d.precision)}</td><td>{d.artifacts}</td>"
            f"<td>{d.caught}</td><td>{_pct(d.recall)}</td></tr>" for d in rows)
        return (f"<h3>By {title}</h3><table><tr><th class='k'>{title}</th><th>findings</th>"
                "<th>right</th><th>precision</th><th>annotated</th><th>caught</th>"
                f"<th>recall</th></tr>{body}</table>")

    docs, arts = report.docs_exact, report.artifacts_fixed
    return ("<h2>Detection against the annotations</h2>"
            + table("category", report.by_category) + table("rule", report.by_rule)
            + f"<p class='muted'>Fix accuracy: {docs[0]}/{docs[1]} documents equal the gold "
            f"post-edit; {arts[0]}/{arts[1]} annotated spans read as in the gold.</p>")


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def side_by_side(before: str, after: str) -> tuple[str, str]:
    """Both texts escaped, with word-level deletions and insertions marked (difflib)."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    return "".join(left), "".join(right)


def _documents(docs: Sequence[DocResult], max_docs: int) -> str:
    changed = [d for d in docs if d.mt != d.fixed]
    parts = [f"<h2>Documents changed by fixing ({len(changed)} of {len(docs)})</h2>"]
    for doc in changed[:max_docs]:
        left, right = side_by_side(doc.mt, doc.fixed)
        gold = "" if doc.exact is None else (
            " · <span class='good'>equals gold</span>" if doc.exact else
            " · <span class='bad'>differs from gold</span>")
        log = "".join(f"<li><code>{escape(a.rule_id)}</code> {escape(repr(a.before))} → "
                      f"{escape(repr(a.after))}</li>" for a in doc.applied)
        parts.append(f"<h3>{escape(doc.id)}{gold}</h3><div class='pair'><div class='mt'>{left}"
                     f"</div><div class='fx'>{right}</div></div><ul class='log'>{log}</ul>")
    if len(changed) > max_docs:
        parts.append(f"<p class='muted'>… {len(changed) - max_docs} more changed documents "
                     "not shown.</p>")
    return "\n".join(parts)


def _bar_chart(title: str, items: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per item, labelled with the count."""
    if not items:
        return ""
    top, row, label_w, bar_w = max(v for _, v in items) or 1, 22, 150, 260
    height = 30 + row * len(items)
    bars = [f"<text x='0' y='16' font-weight='600'>{escape(title)}</text>"]
    for k, (name, value) in enumerate(items):
        y = 28 + k * row
        w = max(1.0, bar_w * value / top)
        bars.append(f"<text x='{label_w - 6}' y='{y + 13}' text-anchor='end'>{escape(name)}</text>"
                    f"<rect x='{label_w}' y='{y}' width='{w:.1f}' height='16' fill='#6b8fb8'/>"
                    f"<text x='{label_w + w + 4:.1f}' y='{y + 13}'>{value}</text>")
    return _svg(label_w + bar_w + 50, height, bars)


def _rule_chart(report: EvalReport) -> str:
    """Diverging bars of ΔBLEU and ΔchrF per rule: green helps, red hurts, zero in the middle."""
    if not report.rules or not report.rules[0].change:
        return ""
    values = [(e.rule_id, dict(e.change)) for e in report.rules]
    label_w, half, row = 12 + 7 * max(len(name) for name, _ in values), 150, 30  # ~7 px a char
    top = max(abs(c.get(m, 0.0)) for _, c in values for m in ("bleu", "chrf")) or 1.0
    zero = label_w + half
    height = 44 + row * len(values)
    out = ["<text x='0' y='16' font-weight='600'>Each rule's effect: ΔBLEU (dark), ΔchrF (light)"
           "</text>", f"<line x1='{zero}' y1='24' x2='{zero}' y2='{height}' stroke='#999'/>"]
    for k, (name, change) in enumerate(values):
        y = 30 + k * row
        out.append(f"<text x='{label_w - 6}' y='{y + 15}' text-anchor='end' "
                   f"font-size='11'>{escape(name)}</text>")
        for j, (metric, shade) in enumerate((("bleu", 0), ("chrf", 1))):
            v = change.get(metric, 0.0)
            w = half * abs(v) / top
            colour = ("#2e7d4f", "#8cc9a3")[shade] if v >= 0 else ("#b3261e", "#e8998f")[shade]
            x = zero if v >= 0 else zero - w
            out.append(f"<rect x='{x:.1f}' y='{y + j * 11}' width='{max(w, 0.5):.1f}' "
                       f"height='10' fill='{colour}'/>")
        out.append(f"<text x='{zero + half + 6}' y='{y + 15}' font-size='11'>"
                   f"{change.get('bleu', 0.0):+.2f} / {change.get('chrf', 0.0):+.2f}</text>")
    return _svg(label_w + 2 * half + 90, height, out)


def _svg(width: float, height: float, body: Sequence[str]) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
            f"viewBox='0 0 {width:.0f} {height:.0f}' font-family='system-ui,DejaVu Sans,sans-serif' "
            f"font-size='12' role='img'>{''.join(body)}</svg>")


__all__ = ["render_html", "side_by_side"]
