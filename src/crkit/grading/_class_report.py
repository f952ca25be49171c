"""``class-report.html``: one self-contained page an instructor can project in the next lesson.

Charts are inline SVG drawn here (no script, no font, no image from anywhere), each with a
``<title>`` and a ``<desc>`` that gives its numbers in words, and a table beside the
charts for the flaws and the suggestions. Colours pass WCAG AA contrast on white.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from ._kit import html_page, messages, t, write_atomic

BAR = "#1f5f99"      # 6.6:1 on white
TEXT = "#111111"
GRID = "#767676"     # 4.5:1 on white
TOP_FLAWS = 12
TOP_CHANGES = 10

STYLE = f"""
body {{ font: 20px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: {TEXT}; background: #fff; max-width: 66rem; margin: 1.5rem auto; padding: 0 1rem; }}
h1 {{ font-size: 2rem; }} h2 {{ font-size: 1.5rem; margin-top: 2.5rem; }}
h3 {{ font-size: 1.15rem; margin: 1rem 0 .2rem; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid {GRID}; padding: .35rem .6rem; vertical-align: top; }}
th {{ background: #e8eef5; text-align: left; }}
td.n {{ text-align: right; white-space: nowrap; }}
.bar {{ display: inline-block; height: .8em; background: {BAR}; vertical-align: middle; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(19rem, 1fr)); gap: 1rem; }}
svg {{ max-width: 100%; height: auto; }} svg text {{ fill: {TEXT}; }}
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def bar_chart(labels: list[str], counts: list[int], title: str, desc: str, chart_id: str,
              width: int = 760, height: int = 300) -> str:
    """A vertical bar chart as inline SVG, with ``<title>`` and ``<desc>`` for screen readers."""
    left, right, top, bottom = 48, 12, 28, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(counts, default=0), 1)
    step = plot_w / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_e(title)}</title>',
        f'<desc id="{chart_id}-desc">{_e(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{GRID}" stroke-width="2"/>',
        f'<text x="{left - 8}" y="{top + plot_h}" text-anchor="end" font-size="16">0</text>',
        f'<text x="{left - 8}" y="{top + 6}" text-anchor="end" font-size="16">{peak}</text>',
        f'<line x1="{left}" y1="{top}" x2="{width - right}" y2="{top}" stroke="{GRID}" '
        f'stroke-dasharray="4 4"/>',
    ]
    for i, (label, count) in enumerate(zip(labels, counts)):
        bar_h = plot_h * count / peak
        x = left + i * step + step * 0.12
        w = step * 0.76
        y = top + plot_h - bar_h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h:.1f}" '
                     f'fill="{BAR}"/>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle" '
                     f'font-size="17" font-weight="bold">{count}</text>')
        parts.append(f'<text x="{x + w / 2:.1f}" y="{top + plot_h + 24}" text-anchor="middle" '
                     f'font-size="16">{_e(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def total_bands(totals: list[float]) -> tuple[list[str], list[int]]:
    """Counts of totals in ten bands of 10 points (100 goes with 90-100)."""
    labels = [f"{lo}–{lo + 9}" if lo < 90 else "90–100" for lo in range(0, 100, 10)]
    counts = [0] * 10
    for total in totals:
        counts[min(int(total // 10), 9)] += 1
    return labels, counts


def flaws(rows: list[Any]) -> Counter:
    """(criterion id, flaw key) -> how many students' reports carry it."""
    counter: Counter = Counter()
    for row in rows:
        seen = set()
        for c in row.report.criteria:
            if c.fraction >= 1:
                continue
            keys = {f.key for f in c.fixes} or {"other"}
            seen |= {(c.id, key) for key in keys}
        counter.update(seen)
    return counter


def _flaw_label(key: str, criterion: str, lang: str) -> str:
    if key != "other" and f"grading.flaw.{key}" in messages():
        return t(f"grading.flaw.{key}", lang)
    return t("grading.flaw.other", lang, criterion=criterion)


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
                        for i, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render(run: Any) -> str:
    from . import duplicates

    lang = run.lang or "en"
    scored = run.scored
    names = dict(run.criteria)
    totals = [r.total for r in scored]
    out = [f"<h1>{_e(t('grading.report-title', lang))}</h1>"]
    counts = Counter(r.status for r in run.rows)
    out.append("<p>" + _e(t("grading.report-summary", lang, found=len(run.rows),
                            scored=counts["scored"], invalid=counts["invalid"],
                            other=counts["not a canvas"])) + "</p>")
    if totals:
        q1, median, q3 = (statistics.quantiles(totals, n=4, method="inclusive")
                          if len(totals) > 1 else (totals[0],) * 3)
        out.append("<p>" + _e(t("grading.report-centre", lang, median=f"{median:.1f}",
                                q1=f"{q1:.1f}", q3=f"{q3:.1f}")) + "</p>")

    labels, band_counts = total_bands(totals)
    detail = "; ".join(t("grading.report-band", lang, band=b, count=c)
                       for b, c in zip(labels, band_counts))
    title = t("grading.report-totals", lang)
    out += [f"<h2>{_e(title)}</h2>",
            bar_chart(labels, band_counts, title,
                      t("grading.report-totals-desc", lang, detail=detail), "totals")]

    out.append(f"<h2>{_e(t('grading.report-criteria', lang))}</h2>")
    out.append('<div class="grid">')
    for i, (cid, name) in enumerate(run.criteria):
        scores = [r.scores[cid] for r in scored]
        level_counts = [scores.count(v) for v in range(5)]
        detail = "; ".join(t("grading.report-band", lang, band=f"{v}/4", count=c)
                           for v, c in enumerate(level_counts))
        chart = bar_chart([f"{v}/4" for v in range(5)], level_counts, name,
                          t("grading.report-criterion-desc", lang, name=name, detail=detail),
                          f"criterion-{i + 1}", width=400, height=240)
        out.append(f"<figure><h3>{_e(name)}</h3>{chart}</figure>")
    out.append("</div>")

    out += [f"<h2>{_e(t('grading.report-flaws', lang))}</h2>",
            f"<p>{_e(t('grading.report-flaws-intro', lang))}</p>"]
    found = flaws(scored)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FLAWS]
    if ranked:
        rows = []
        for (cid, key), n in ranked:
            share = n / len(scored)
            rows.append([_e(_flaw_label(key, names.get(cid, cid), lang)),
                         _e(names.get(cid, cid)), str(n),
                         f'<span class="bar" style="width:{share * 8:.2f}em"></span> '
                         f"{share:.0%}"])
        out.append(_table([t("grading.report-flaw", lang), t("report.criterion", lang),
                           t("grading.students", lang), t("grading.share", lang)], rows, {2}))
    else:
        out.append(f"<p>{_e(t('grading.report-none', lang))}</p>")

    out += [f"<h2>{_e(t('grading.report-best', lang))}</h2>",
            f"<p>{_e(t('grading.report-best-intro', lang))}</p>"]
    changes = Counter(r.report.best_change().text for r in scored
                      if r.report.best_change() is not None)
    top = sorted(changes.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CHANGES]
    if top:
        out.append(_table([t("grading.report-change", lang), t("grading.students", lang)],
                          [[_e(text), str(n)] for text, n in top], {1}))
    else:
        out.append(f"<p>{_e(t('grading.report-none', lang))}</p>")

    out.append(f"<h2>{_e(t('grading.report-unscored', lang))}</h2>")
    if run.unscored:
        from ._feedback import _status

        out.append(_table(
            [t("grading.file", lang), t("grading.student", lang), t("grading.status", lang),
             t("grading.reason", lang)],
            [[_e(r.file), _e(r.student_id), _e(_status(r.status, lang)), _e(r.message)]
             for r in run.unscored]))
    else:
        out.append(f"<p>{_e(t('grading.report-none', lang))}</p>")

    dupes = duplicates(run.rows)
    if dupes:
        out += [f"<h2>{_e(t('grading.report-duplicates', lang))}</h2>",
                f"<p>{_e(t('grading.report-duplicates-intro', lang))}</p>",
                _table([t("grading.student", lang), t("grading.file", lang)],
                       [[_e(s), _e(", ".join(files))] for s, files in dupes.items()])]

    out += [f"<h2>{_e(t('grading.report-discuss', lang))}</h2>",
            f"<p>{_e(t('grading.report-discuss-text', lang))}</p>"]
    title = t("grading.report-title", lang)
    return html_page(title, out, lang, STYLE)


def class_report(run: Any) -> Path:
    return write_atomic(run.out / "class-report.html", render(run))
