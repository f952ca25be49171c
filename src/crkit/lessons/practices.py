"""Practices that make relationships work, tied to the metrics that show them working.

Notebook 12 takes the practices the seeds recommend (``data/knowledge/practices.yaml``) and
the customer-service figures seed 001 cites (``data/evidence.yaml``) and connects both to the
metrics catalogue, so every piece of advice comes with a way to check it.
"""

from __future__ import annotations

import html
from typing import Any

from crkit.core import evidence, knowledge
from crkit.core.i18n import localized, t
from crkit.views import charts
from crkit.views.tables import lesson_table


def _metric_ids(practice: dict[str, Any]) -> list[str]:
    """Catalogue ids of the metrics a practice names (its English names are canonical)."""
    found = [knowledge.metric_id(name) for name in practice["metrics"]["en"]]
    return [m for m in found if m]


@lesson_table()
def practices_table(lang: str | None = None) -> Any:
    """Each practice: what it asks for, the metrics that show it works, the seeds behind it."""
    import pandas as pd

    return pd.DataFrame([{
        t("lesson.label.practice", lang): localized(p["name"], lang),
        t("label.description", lang): localized(p["description"], lang),
        t("label.metrics", lang): ", ".join(localized(p["metrics"], lang)),
        t("label.sources", lang): ", ".join(p.get("sources", [])),
    } for p in knowledge.practices()])


@lesson_table(index=False)
def practice_metric_matrix(lang: str | None = None) -> Any:
    """Practices x metrics: a tick where a metric shows whether the practice works."""
    import pandas as pd

    used: list[str] = []
    for p in knowledge.practices():
        used += [m for m in _metric_ids(p) if m not in used]
    rows = {localized(p["name"], lang): {knowledge.name("metrics", m, lang):
                                         "✓" if m in _metric_ids(p) else "" for m in used}
            for p in knowledge.practices()}
    return pd.DataFrame.from_dict(rows, orient="index")


@lesson_table(index=False)
def statistics_table(lang: str | None = None) -> Any:
    """The statistics da Silva (Zendesk blog, 2020) quotes, each with its attribution, its
    status (reported when nothing traceable confirms it) and the practice it backs."""
    import pandas as pd

    return pd.DataFrame([{
        t("lesson.label.figure", lang): evidence.statistic_text(row, lang),
        t("lesson.label.statement", lang): localized(row["text"], lang),
        t("label.source", lang): evidence.cite(row, lang),
        t("label.status", lang): t(f"case.status-{row.get('status', 'confirmed')}", lang),
        t("lesson.label.practice", lang): ", ".join(knowledge.name("practices", p, lang)
                                                    for p in row.get("practices", [])),
    } for row in evidence.service_statistics()])


def statistics_figure(lang: str | None = None) -> Any:
    """The shares seed 001 cites as bars (growth figures are left to the table)."""

    rows = [r for r in evidence.service_statistics() if r.get("kind", "share") == "share"]
    rows.sort(key=lambda r: -r["value"])
    labels = [t(f"lesson.stat.{r['id']}", lang) for r in rows]
    return charts.labelled_bars(
        labels, [r["value"] for r in rows], title=t("lesson.chart.stats.title", lang),
        xlabel=t("lesson.chart.stats.x", lang), kind="percent",
        note=t("lesson.chart.stats.note", lang), colours=charts.PALETTE[0], lang=lang)


def practice_card(practice_id: str, lang: str | None = None) -> str:
    """One practice as HTML: what to do, the metrics with formulas, and the seed's figures."""
    practice = knowledge.get("practices", practice_id)
    metrics_html = "".join(
        f"<li><b>{html.escape(knowledge.name('metrics', m, lang))}</b>: "
        f"{html.escape(localized(knowledge.get('metrics', m)['formula'], lang))} "
        f"({html.escape(t('lesson.direction.' + knowledge.get('metrics', m)['direction'], lang))})"
        f"</li>" for m in _metric_ids(practice))
    figures = [evidence.sentence(r, lang) for r in evidence.service_statistics()
               if practice_id in r.get("practices", [])]
    figures_html = "".join(f"<li>{html.escape(f)}</li>" for f in figures) or \
        f"<li>{html.escape(t('lesson.practices.no-figure', lang))}</li>"
    return (
        f"<h4>{html.escape(localized(practice['name'], lang))}</h4>"
        f"<p>{html.escape(localized(practice['description'], lang))}</p>"
        f"<p><b>{html.escape(t('lesson.practices.measure', lang))}</b></p><ul>{metrics_html}</ul>"
        f"<p><b>{html.escape(t('lesson.practices.figures', lang))}</b></p><ul>{figures_html}</ul>"
    )


def practice_explorer(lang: str | None = None, start: str = "short-waits") -> Any:
    """A dropdown of practices and the chosen one's card (headless: ``start``)."""
    import ipywidgets as w

    choose = w.Dropdown(
        options=[(knowledge.name("practices", i, lang), i) for i in knowledge.ids("practices")],
        value=start, description=t("lesson.widget.practice", lang),
        style={"description_width": "initial"}, layout={"width": "480px"})
    card = w.HTML(practice_card(start, lang))

    def changed(change: dict) -> None:
        card.value = practice_card(change["new"], lang)

    choose.observe(changed, names="value")
    return w.VBox([choose, card])
