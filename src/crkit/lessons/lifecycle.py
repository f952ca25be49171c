"""The customer lifecycle: stages, a funnel and cohort retention, for notebook 10.

The stages come from the knowledge files (*Relación con los clientes*). No source gives a
real funnel or cohort table, so both are generated with a fixed seed by
:mod:`crkit.core.illustrative` and measured with the standard formulas of
:mod:`crkit.core.metrics`, exactly as a learner would measure their own data. The funnel
chains the stages up to the purchase; after it, staying and buying more are shown as
shares of the paying customers.
"""

from __future__ import annotations

import html
from typing import Any

from crkit.core import cases as case_library
from crkit.core import illustrative, knowledge, metrics
from crkit.core.cases import cases_for
from crkit.core.i18n import localized, t
from crkit.core.numbers import number, percent
from crkit.views import charts
from crkit.views.labs import lab
from crkit.views.tables import lesson_table, readable

#: the stages a funnel chains, up to the purchase; after it the customers fork (below)
FUNNEL_STAGES = ("awareness", "acquisition", "conversion")
#: step conversion rates the illustrative funnel is drawn around (awareness -> acquisition ...)
FUNNEL_RATES = (0.3, 0.4)
#: after conversion: the shares of the paying customers who stay a year (retention) and who
#: buy more (growth), two overlapping groups of the same customers, not further steps
AFTER_CONVERSION = {"retention": 0.6, "growth": 0.3}
FUNNEL_SEED = 2024
COHORT_SEED = 10
#: monthly retention of the illustrative cohorts (the learner's slider starts here)
COHORT_RETENTION = 0.95


@lesson_table()
def stages_table(lang: str | None = None) -> Any:
    """Each stage with its goal, tactics, metrics and the library's cases that show it."""
    import pandas as pd

    rows = []
    for stage in knowledge.stages():
        rows.append({
            t("lesson.label.stage", lang): localized(stage["name"], lang),
            t("label.goal", lang): localized(stage["goal"], lang),
            t("label.tactics", lang): "; ".join(localized(stage["tactics"], lang)),
            t("label.metrics", lang): ", ".join(localized(stage["metrics"], lang)),
            t("lesson.label.cases", lang): ", ".join(c.company_name(lang) for c in
                                                     cases_for(stage=stage["id"])),
        })
    return pd.DataFrame(rows)


@lesson_table()
def frameworks_table(lang: str | None = None) -> Any:
    """Each stage beside its match in get/keep/grow, AARRR and the canvas's channel phases."""
    import pandas as pd

    return pd.DataFrame([{
        t("lesson.label.stage", lang): localized(stage["name"], lang),
        t("lesson.label.related", lang): localized(stage["related"], lang),
    } for stage in knowledge.stages()])


def funnel(seed: int = FUNNEL_SEED, start: int = 100_000) -> Any:
    """Illustrative customers reaching each funnel stage (a Series indexed by stage id)."""
    return illustrative.funnel_counts(seed, FUNNEL_STAGES, start=start, rates=FUNNEL_RATES)


def after_conversion(counts: Any, seed: int = FUNNEL_SEED) -> Any:
    """Of the paying customers (the funnel's last stage): how many stay and how many grow.

    A Series indexed by stage id (``retention``, ``growth``); each is a share of the same
    paying customers, so the two may overlap and do not add up.
    """
    return illustrative.funnel_branches(seed, int(counts.iloc[-1]), AFTER_CONVERSION)


def _named(counts: Any, lang: str | None) -> Any:
    named = counts.copy()
    named.index = [knowledge.name("stages", s, lang) for s in counts.index]
    return named


def funnel_rates(counts: Any) -> Any:
    """Step conversion rates (reaching the next stage / at this stage), by stage id pair."""
    return metrics.funnel_conversion(counts)


@lesson_table()
def rates_table(rates: Any, lang: str | None = None) -> Any:
    """Step conversion rates as a reader sees them: each step named in ``lang``, in %."""
    import pandas as pd

    steps = [" → ".join(knowledge.name("stages", s.strip(), lang) for s in str(i).split("→"))
             for i in rates.index]
    return pd.DataFrame({
        t("lesson.label.funnel-step", lang): steps,
        t("lesson.label.step-conversion", lang): [round(100 * float(r), 1) for r in rates],
    })


def cases_by_stage(lang: str | None = None) -> Any:
    """The library's cases against the stages they show (ticks), in ``lang``."""
    return readable(case_library.stages_table(lang), index=False, lang=lang)


@lesson_table()
def funnel_table(counts: Any, lang: str | None = None) -> Any:
    """Customers at each stage, the conversion from the stage before and from the top."""
    import pandas as pd

    values = counts.to_numpy(dtype=float)
    steps = [None, *(100 * funnel_rates(counts).to_numpy())]
    return pd.DataFrame({
        t("lesson.label.stage", lang): [knowledge.name("stages", s, lang) for s in counts.index],
        t("lesson.label.customers", lang): counts.to_numpy(),
        t("lesson.label.step-conversion", lang): [None if s is None else round(s, 1)
                                                  for s in steps],
        t("lesson.label.from-top", lang): [round(100 * v / values[0], 2) for v in values],
    })


def funnel_figure(counts: Any, lang: str | None = None, branches: Any = None) -> Any:
    """The funnel drawn with stage names in ``lang``, then the two groups of paying
    customers (retention, growth) as shares of them (illustrative data, stamped)."""
    branches = after_conversion(counts) if branches is None else branches
    fig = charts.funnel_chart(_named(counts, lang), lang, branches=_named(branches, lang))
    return charts.describe(fig, funnel_alt(counts, lang, branches))


def funnel_alt(counts: Any, lang: str | None = None, branches: Any = None) -> str:
    """Words for :func:`funnel_figure`: every bar's count and rate."""
    branches = after_conversion(counts) if branches is None else branches
    rates = funnel_rates(counts).to_numpy()
    steps = [t("lesson.alt.funnel-first", lang, stage=knowledge.name("stages", counts.index[0],
                                                                       lang),
               count=number(int(counts.iloc[0]), lang))]
    steps += [t("lesson.alt.funnel-step", lang, stage=knowledge.name("stages", s, lang),
                count=number(int(counts.iloc[k + 1]), lang), percent=percent(rates[k], lang,
                                                                             digits=1))
              for k, s in enumerate(counts.index[1:])]
    paying = float(counts.iloc[-1])
    steps += [t("lesson.alt.funnel-branch", lang, stage=knowledge.name("stages", s, lang),
                count=number(int(v), lang), percent=percent(v / paying, lang, digits=1))
              for s, v in branches.items()]
    return t("lesson.alt.funnel", lang, steps="; ".join(steps))


def cohorts(seed: int = COHORT_SEED, retention: float = COHORT_RETENTION) -> Any:
    """Illustrative active customers: six monthly cohorts followed for up to 12 months."""
    return illustrative.cohort_counts(seed, cohorts=6, periods=13, start=1000,
                                      retention=retention)


def retention_table(counts: Any, lang: str | None = None) -> Any:
    """Share of each cohort still active by month since joining (cohort retention)."""
    table = metrics.cohort_retention(counts)
    table.index = [t("lesson.label.cohort", lang, number=i + 1) for i in range(len(table))]
    table.index.name = t("lesson.label.cohort-column", lang)
    table.columns.name = t("lesson.chart.cohort.x", lang)
    return table


def retention_view(table: Any, lang: str | None = None) -> Any:
    """A cohort-retention table as a reader sees it: shares in %, blank where a cohort has
    not yet been observed (the table itself stays numeric)."""
    import pandas as pd

    shown = pd.DataFrame({column: ["" if pd.isna(v) else percent(float(v), lang)
                                   for v in table[column]] for column in table.columns},
                         index=table.index)
    shown.columns.name = table.columns.name
    return readable(shown, index=False, lang=lang)


def cohort_figure(table: Any, lang: str | None = None, retention: float | None = None) -> Any:
    """The cohort-retention curves (illustrative data, stamped)."""

    return charts.cohort_chart(table, lang, highlight=retention)


def retention_lab(lang: str | None = None, seed: int = COHORT_SEED,
                  retention: float = COHORT_RETENTION) -> Any:
    """A slider for monthly retention; the cohorts are regenerated and the chart redrawn.

    Beside the chart: the share of the first cohort left after 12 months and the yearly
    churn that monthly retention implies (1 - r^12). Headless runs show the default.
    """
    import ipywidgets as w
    from IPython.display import HTML, display

    slider = w.FloatSlider(value=100 * retention, min=80, max=99.5, step=0.5,
                           readout_format=".1f", description=t("lesson.widget.retention", lang),
                           style={"description_width": "initial"}, layout={"width": "480px"})

    def draw() -> None:
        r = slider.value / 100
        table = retention_table(cohorts(seed, r), lang)
        kept = table.iloc[0].iloc[-1]
        text = t("lesson.lifecycle.lab", lang, kept=percent(kept, lang),
                 churn=percent(metrics.annual_churn(1 - r), lang))
        display(HTML(f"<p>{html.escape(text)}</p>"))
        charts.show(cohort_figure(table, lang, r),
                    alt=t("lesson.alt.cohort", lang, percent=percent(r, lang, digits=1),
                          kept=percent(kept, lang)))

    return lab([slider], draw)
