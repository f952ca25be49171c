"""Long-term and transactional bonds, and what churn does to a customer's value.

Notebook 09 contrasts a subscriber, bound by a contract and switching costs, with a customer
who simply may or may not come back. Sourced churn figures of mobile operators give the
long-term side its numbers; the repeat-purchase customer is illustrative, its churn
estimated from a seeded cohort so that every run shows the same thing.
"""

from __future__ import annotations

import html
from typing import Any

from crkit.core import evidence, illustrative, knowledge, metrics
from crkit.core.cases import list_cases
from crkit.core.i18n import localized, t
from crkit.core.numbers import number, percent
from crkit.views import charts
from crkit.views.labs import lab
from crkit.views.tables import lesson_table

#: seed of the illustrative repeat-purchase cohort
REPEAT_SEED = 9
#: the sourced churn figure the subscriber curve uses by default (Verizon, Q4 2018)
SUBSCRIBER = "verizon-2018"
#: the sourced prepaid figure (T-Mobile, Q3 2023): a weaker bond inside the same company
PREPAID = "t-mobile-prepaid-2023"


@lesson_table()
def bonds_table(lang: str | None = None) -> Any:
    """The two bonds: what each means, the signals that reveal it, and cases that show it."""
    import pandas as pd

    companies = {c.id: c.company_name(lang) for c in list_cases()}
    return pd.DataFrame([{
        t("lesson.label.bond", lang): localized(b["name"], lang),
        t("label.description", lang): localized(b["description"], lang),
        t("lesson.label.signals", lang): "; ".join(localized(b["signals"], lang)),
        t("label.examples", lang): ", ".join(companies[i] for i in b.get("examples", [])
                                             if i in companies),
    } for b in knowledge.bonds()])


def churn_statistic(id_: str) -> dict[str, Any]:
    """One sourced churn figure by id (see ``data/evidence.yaml``)."""
    for row in evidence.churn_statistics():
        if row["id"] == id_:
            return row
    raise KeyError(f"no churn figure {id_!r}")


@lesson_table(index=False)
def churn_table(lang: str | None = None) -> Any:
    """Sourced monthly churn of mobile operators, with the yearly churn and lifetime it implies.

    Yearly churn is ``1 - (1 - c)**12``; the expected lifetime in months is the simple
    lifetime value with a margin of 1, ``1 / c`` (Market Realist 2019; Mobile World Live 2023).
    """
    import pandas as pd

    rows = []
    for row in evidence.churn_statistics():
        c = row["monthly_churn"]
        rows.append({
            t("lesson.label.company", lang): row["company"],
            t("lesson.label.customers", lang): localized(row["customers"], lang),
            t("lesson.label.period", lang): row["period"],
            t("lesson.label.monthly-churn", lang): round(100 * c, 2),
            t("lesson.label.yearly-churn", lang): round(100 * metrics.annual_churn(c), 1),
            t("lesson.label.lifetime-months", lang): round(metrics.simple_ltv(1, c)),
            t("label.source", lang): row["source"],
            t("label.year", lang): row["year"],
        })
    return pd.DataFrame(rows)


def repeat_purchase_churn(seed: int = REPEAT_SEED) -> float:
    """Monthly churn of an illustrative shop's repeat buyers, measured on a seeded cohort.

    A cohort of 1,000 first-time buyers is generated with about 70% coming back each month
    (:func:`crkit.core.illustrative.cohort_counts`); its churn is the average share lost per
    month, measured as a learner would measure it on real data.
    """
    counts = illustrative.cohort_counts(seed, cohorts=1, periods=13, start=1000,
                                        retention=0.7, noise=0.03)
    active = counts.iloc[0].to_numpy(dtype=float)
    lost = [metrics.churn_rate(a - b, a) for a, b in zip(active[:-1], active[1:])]
    return round(float(sum(lost) / len(lost)), 3)


def lifetime_view(monthly_churn: float, lang: str | None = None) -> Any:
    """What a monthly churn means, in one sentence: the simple lifetime in months and the
    share of customers lost in a year (Markdown, numbers written in ``lang``)."""
    from IPython.display import Markdown

    return Markdown(t("lesson.bonds.lifetime-view", lang,
                      churn=percent(monthly_churn, lang, digits=2),
                      months=number(metrics.simple_ltv(1, monthly_churn), lang, digits=0),
                      year=percent(metrics.annual_churn(monthly_churn), lang, digits=1)))


def repeat_view(repeat: float, lang: str | None = None) -> Any:
    """The illustrative repeat buyers' monthly churn, in one sentence (Markdown)."""
    from IPython.display import Markdown

    return Markdown(t("lesson.bonds.repeat-view", lang, churn=percent(repeat, lang, digits=1),
                      months=number(metrics.simple_ltv(1, repeat), lang, digits=1)))


def churns(lang: str | None = None, subscriber: float | None = None,
           repeat: float | None = None) -> dict[str, float]:
    """Label -> monthly churn for the three customers notebook 09 compares."""
    sub = churn_statistic(SUBSCRIBER)
    pre = churn_statistic(PREPAID)
    return {
        t("lesson.bonds.subscriber", lang, company=sub["company"], period=sub["period"]):
            sub["monthly_churn"] if subscriber is None else subscriber,
        t("lesson.bonds.prepaid", lang, company=pre["company"], period=pre["period"]):
            pre["monthly_churn"],
        t("lesson.bonds.repeat", lang):
            repeat_purchase_churn() if repeat is None else repeat,
    }


def value_figure(lang: str | None = None) -> Any:
    """Expected margin over ten years for a subscriber, a prepaid user and a repeat buyer."""

    fig = charts.value_curves(churns(lang), months=120, lang=lang)
    charts.mark_illustrative(fig, lang)
    return fig


def bond_lab(lang: str | None = None) -> Any:
    """Sliders for the subscriber's and the repeat buyer's monthly churn, and a margin.

    The chart and the lifetime values (margin / churn) update as the sliders move; a
    headless run shows the sourced and illustrative starting values.
    """
    import ipywidgets as w
    from IPython.display import HTML, display


    start = churns(lang)
    sub_label, _, repeat_label = start
    style = {"description_width": "initial"}
    sub = w.FloatSlider(value=100 * start[sub_label], min=0.2, max=5, step=0.05,
                        readout_format=".2f", description=t("lesson.widget.sub-churn", lang),
                        style=style, layout={"width": "480px"})
    rep = w.FloatSlider(value=100 * start[repeat_label], min=5, max=80, step=1,
                        readout_format=".0f", description=t("lesson.widget.repeat-churn", lang),
                        style=style, layout={"width": "480px"})
    margin = w.FloatSlider(value=20, min=1, max=100, step=1, readout_format=".0f",
                           description=t("lesson.widget.margin-month", lang), style=style,
                           layout={"width": "480px"})

    def draw() -> None:
        values = churns(lang, subscriber=sub.value / 100, repeat=rep.value / 100)
        items = []
        for label, c in values.items():
            ltv = number(metrics.simple_ltv(margin.value, c), lang, digits=0)
            items.append(f"<li>{html.escape(label)}: {t('lesson.bonds.ltv', lang, ltv=ltv)}</li>")
        display(HTML(f"<ul>{''.join(items)}</ul>"))
        fig = charts.value_curves(values, months=120, lang=lang)
        charts.mark_illustrative(fig, lang)
        charts.show(fig, alt=t("lesson.alt.bond-lab", lang,
                               sub=number(sub.value, lang, digits=2),
                               repeat=number(rep.value, lang, digits=0)))

    return lab([sub, rep, margin], draw)
