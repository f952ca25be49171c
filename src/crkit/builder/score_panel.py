"""The builder's score panel, built once and updated in place after every edit.

Updating existing widgets (never appending new output) keeps the page still while the
learner types, and sends only what changed: an edit usually moves one bar and one text.
"""

from __future__ import annotations

import html

import ipywidgets as w

from crkit.builder.state import Comparison
from crkit.core.i18n import t
from crkit.core.numbers import number
from crkit.scoring.engine import ScoreReport


class ScorePanel:
    """Total, one bar per criterion with why and what to try, and "what would help most"."""

    def __init__(self, criteria: list[str]) -> None:
        self.total = w.HTML()
        self.total_bar = w.FloatProgress(min=0, max=100, layout=w.Layout(width="100%"))
        self.names: dict[str, w.HTML] = {}
        self.bars: dict[str, w.FloatProgress] = {}
        self.texts: dict[str, w.HTML] = {}
        for id_ in criteria:
            self.names[id_] = w.HTML()
            self.bars[id_] = w.FloatProgress(min=0, max=4,
                                             layout=w.Layout(width="100%", height="1.1em"))
            self.texts[id_] = w.HTML()
        self.best = w.HTML()

    @property
    def widgets(self) -> list[w.Widget]:
        rows: list[w.Widget] = [self.total, self.total_bar]
        for id_ in self.names:
            rows += [self.names[id_], self.bars[id_], self.texts[id_]]
        return [*rows, self.best]

    def show(self, report: ScoreReport, lang: str) -> None:
        """Show ``report`` in ``lang``; widgets whose text is unchanged send nothing."""
        e = html.escape
        self.total.value = (
            f'<div class="crkit-total" aria-live="polite">{e(t("report.total", lang))}: '
            f'<span class="crkit-total-number">{number(report.total, lang)}</span> / 100</div>'
        )
        self.total_bar.value = report.total
        why, try_ = e(t("report.why", lang)), e(t("report.try", lang))
        for c in report.criteria:
            self.names[c.id].value = (
                f'<div class="crkit-criterion"><b>{e(c.name)}</b>'
                f'<span class="crkit-criterion-score">{c.score}/4</span></div>')
            bar = self.bars[c.id]
            bar.value = c.score
            bar.bar_style = "success" if c.score >= 3 else "warning" if c.score == 2 else "danger"
            self.texts[c.id].value = (
                f'<div class="crkit-explain"><b>{why}:</b> {e(c.explanation)}<br>'
                f"<b>{try_}:</b> {e(c.suggestion)}</div>"
            )
        best = None if report.blank else report.best_change()
        if best is None:
            line = report.no_change_line(lang)
        else:
            line = t("report.best-gain", lang, text=best.text, total=number(report.total, lang),
                     new_total=number(best.new_total, lang))
        self.best.value = (f'<div class="crkit-best"><b>{e(t("report.best", lang))}:</b>'
                           f" {e(line)}</div>")


def comparison_table(result: Comparison, lang: str) -> str:
    """Criterion scores of two canvases side by side, with both totals, as an HTML table."""
    e = html.escape
    rows = "".join(
        f'<tr><td>{e(name)}</td><td class="num">{mine}/4</td><td class="num">{theirs}/4</td>'
        f"</tr>" for name, mine, theirs in result.rows
    )
    return (
        f'<table class="crkit-compare"><thead><tr><th>{e(t("report.criterion", lang))}</th>'
        f'<th>{e(t("builder.compare-this", lang))}</th><th>{e(result.label)}</th></tr></thead>'
        f"<tbody>{rows}<tr class=\"total\"><td>{e(t('report.total', lang))}</td>"
        f'<td class="num">{number(result.total, lang)}</td>'
        f'<td class="num">{number(result.other_total, lang)}</td>'
        f"</tr></tbody></table>"
    )
