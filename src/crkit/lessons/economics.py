"""Relationship economics for notebook 11: cost to serve, CAC, churn, lifetime value, NPS.

Sourced numbers (cost per contact, Gartner 2019 via destinationCRM) come from
:mod:`crkit.core.evidence`; the example business is illustrative and generated from a seed. Every
figure is computed with :mod:`crkit.core.metrics`, so the notebook shows the formulas at work,
and the what-if widget recomputes them as the learner moves churn, margin and cost to serve.
"""

from __future__ import annotations

import html
from typing import Any

from crkit.core import costs, evidence, illustrative, metrics
from crkit.core.i18n import localized, t
from crkit.core.numbers import money, number, percent
from crkit.views import charts
from crkit.views.labs import lab
from crkit.views.tables import lesson_table

BUSINESS_SEED = 11
NPS_SEED = 12
#: Gupta & Lehmann's worked example: retention 0.8 and a 10% discount rate give 2.67 x margin
EXAMPLE_RETENTION = 0.8
DISCOUNT_RATE = 0.1
#: rules of thumb (Skok, SaaS Metrics 2.0)
LTV_CAC_RULE = 3
PAYBACK_RULE_MONTHS = 12


def self_service_first_cost() -> float:
    """Expected cost of one issue when customers try self-service first, to the cent.

    Every issue costs a self-service contact; the share that self-service does not fully
    resolve (91%, Gartner 2019) is assumed to reach a live agent as well. The assumption is
    the kit's: some customers give up instead, which costs no contact but may cost the
    customer. Computed by the kit's one cost model (:mod:`crkit.core.costs`).
    """
    return round(costs.self_service_first_cost(), 2)


@lesson_table()
def contact_cost_table(lang: str | None = None) -> Any:
    """Cost of one contact: live, self-service (sourced) and self-service first (computed)."""
    import pandas as pd


    rows = [{
        t("lesson.label.channel", lang): localized(row["channel"], lang),
        t("lesson.label.cost-per-contact", lang): row["cost_per_contact"],
        t("label.source", lang): f"{row['source']}, {row['year']}",
    } for row in evidence.contact_costs().values()]
    share = evidence.self_service_resolution()
    rows.append({
        t("lesson.label.channel", lang): t("lesson.economics.first", lang),
        t("lesson.label.cost-per-contact", lang): self_service_first_cost(),
        t("label.source", lang): t("lesson.economics.first-source", lang,
                                   percent=percent(share["share"], lang), source=share["source"],
                                   year=share["year"]),
    })
    return pd.DataFrame(rows)


def contact_cost_figure(lang: str | None = None) -> Any:
    """Bars of the three per-contact costs, with the source under the chart."""

    costs = evidence.contact_costs()
    return charts.labelled_bars(
        [t("lesson.economics.live", lang), t("lesson.economics.self", lang),
         t("lesson.economics.first", lang)],
        [costs["live"]["cost_per_contact"], costs["self-service"]["cost_per_contact"],
         self_service_first_cost()],
        title=t("lesson.chart.contacts.title", lang), xlabel=t("lesson.chart.contacts.x", lang),
        kind="money", note=t("lesson.chart.contacts.note", lang),
        colours=[charts.PALETTE[0], charts.PALETTE[1], charts.PALETTE[5]], lang=lang)


def example_business(seed: int = BUSINESS_SEED) -> dict[str, float]:
    """An illustrative subscription business, generated from a seed (yearly figures).

    Keys: ``acquisition_spend`` and ``new_customers`` (one year), ``customers_at_start`` and
    ``customers_lost`` (one year), ``margin`` (yearly gross margin per customer before
    serving them), ``cost_to_serve`` (yearly, per customer), ``contacts`` (contacts per
    customer per year) and ``discount_rate``.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    new = int(rng.integers(30, 60)) * 10
    start = int(rng.integers(20, 50)) * 100
    return {
        "acquisition_spend": float(round(new * rng.uniform(150, 300), -3)),
        "new_customers": new,
        "customers_at_start": start,
        "customers_lost": int(round(start * rng.uniform(0.15, 0.3), -1)),
        "margin": float(round(rng.uniform(250, 400), -1)),
        "cost_to_serve": float(round(rng.uniform(20, 60))),
        "contacts": int(rng.integers(3, 9)),
        "discount_rate": DISCOUNT_RATE,
    }


#: how each figure of :func:`example_business` is written: money, number or percent
BUSINESS_KINDS = {"acquisition_spend": "money", "new_customers": "number",
                  "customers_at_start": "number", "customers_lost": "number", "margin": "money",
                  "cost_to_serve": "money", "contacts": "number", "discount_rate": "percent"}


@lesson_table()
def business_table(business: dict[str, float], lang: str | None = None) -> Any:
    """The example business's figures, each named in ``lang`` and written as it reads."""
    import pandas as pd

    write = {"money": lambda v: money(v, lang, digits=0), "number": lambda v: number(v, lang),
             "percent": lambda v: percent(v, lang)}
    return pd.DataFrame([{
        t("lesson.label.business-figure", lang): t(f"lesson.business.{key}", lang),
        t("label.value", lang): write[BUSINESS_KINDS[key]](value),
    } for key, value in business.items()])


def clv_view(clv: float, margin: float, lang: str | None = None) -> Any:
    """A lifetime value and what it is as a multiple of the margin, in one sentence."""
    from IPython.display import Markdown

    return Markdown(t("lesson.economics.clv-view", lang, clv=number(clv, lang, digits=2),
                      margin=number(margin, lang), multiple=number(clv / margin, lang,
                                                                   digits=2)))


def survey_view(survey: dict[str, float], lang: str | None = None) -> Any:
    """An NPS survey in one sentence: answers, promoters, detractors and the score."""
    from IPython.display import Markdown

    return Markdown(t("lesson.economics.survey-view", lang,
                      answers=number(survey["answers"], lang),
                      promoters=percent(survey["promoters"], lang, digits=1),
                      detractors=percent(survey["detractors"], lang, digits=1),
                      nps=number(survey["nps"], lang, digits=1)))


def unit_values(business: dict[str, float], churn: float | None = None,
                margin: float | None = None, cost_to_serve: float | None = None
                ) -> dict[str, float]:
    """Every unit-economics number of a business, computed with :mod:`crkit.core.metrics`.

    ``churn``, ``margin`` and ``cost_to_serve`` override the business's own values (the
    what-if widget uses them).
    """
    acquisition = metrics.cac(business["acquisition_spend"], business["new_customers"])
    c = metrics.churn_rate(business["customers_lost"], business["customers_at_start"]) \
        if churn is None else churn
    r = metrics.retention_rate(c)
    net = (business["margin"] if margin is None else margin) - (
        business["cost_to_serve"] if cost_to_serve is None else cost_to_serve)
    clv = metrics.discounted_ltv(net, r, business["discount_rate"])
    return {
        "cac": acquisition, "churn": c, "retention": r, "net_margin": net,
        "simple_ltv": metrics.simple_ltv(net, c), "clv": clv,
        "ltv_cac": metrics.ltv_to_cac(clv, acquisition),
        "payback_months": metrics.cac_payback_months(acquisition, net / 12) if net > 0
        else float("inf"),
    }


#: sources of the unit-economics formulas, as the table cites them
SKOK, GUPTA = "Skok, SaaS Metrics 2.0", "Gupta & Lehmann 2003"


@lesson_table()
def unit_economics(business: dict[str, float], lang: str | None = None) -> Any:
    """The business's metrics as a table: formula, value, rule of thumb and source."""
    import pandas as pd

    v = unit_values(business)
    rows = [
        ("cac", "cac", money(v["cac"], lang, digits=2), "", SKOK),
        ("churn", "churn", percent(v["churn"], lang, digits=1), "",
         "Skok; Reichheld & Sasser 1990"),
        ("retention", "retention", number(v["retention"], lang, digits=3), "", GUPTA),
        ("net-margin", "net-margin", money(v["net_margin"], lang, digits=2), "",
         t("lesson.source.kit", lang)),
        ("simple-ltv", "simple-ltv", money(v["simple_ltv"], lang, digits=2), "", SKOK),
        ("clv", "clv", money(v["clv"], lang, digits=2), "", GUPTA),
        ("ltv-cac", "ltv-cac", number(v["ltv_cac"], lang, digits=2),
         t("lesson.rule.ltv-cac", lang, value=LTV_CAC_RULE), SKOK),
        ("payback", "payback", number(v["payback_months"], lang, digits=2),
         t("lesson.rule.payback", lang, value=PAYBACK_RULE_MONTHS), SKOK),
    ]
    return pd.DataFrame([{
        t("lesson.label.metric", lang): t(f"lesson.metric.{name}", lang),
        t("lesson.label.formula", lang): t(f"lesson.formula.{formula}", lang),
        t("label.value", lang): value,
        t("lesson.label.rule", lang): rule,
        t("label.source", lang): source,
    } for name, formula, value, rule, source in rows])


@lesson_table()
def yearly_cost_to_serve(business: dict[str, float], lang: str | None = None) -> Any:
    """Yearly cost to serve one customer of the business through each route (per contact)."""
    import pandas as pd

    costs = {k: row["cost_per_contact"] for k, row in evidence.contact_costs().items()}
    costs["first"] = self_service_first_cost()
    contacts = business["contacts"]
    labels = {"live": "lesson.economics.live", "self-service": "lesson.economics.self",
              "first": "lesson.economics.first"}
    return pd.DataFrame([{
        t("lesson.label.channel", lang): t(labels[route], lang),
        t("lesson.label.contacts", lang): contacts,
        t("lesson.label.yearly-cost", lang): round(
            metrics.cost_to_serve({route: contacts}, costs), 2),
    } for route in labels])


def clv_figure(lang: str | None = None) -> Any:
    """Simple versus discounted lifetime value across retention, Gupta & Lehmann's point marked."""

    return charts.clv_multiples(DISCOUNT_RATE, EXAMPLE_RETENTION, lang)


def nps_survey(seed: int = NPS_SEED, n: int = 200) -> dict[str, float]:
    """An illustrative survey of 0-10 answers and its Net Promoter Score (Reichheld 2003)."""
    answers = illustrative.nps_answers(seed, n=n)
    promoters = sum(a >= 9 for a in answers) / n
    detractors = sum(a <= 6 for a in answers) / n
    return {"answers": n, "promoters": promoters, "detractors": detractors,
            "nps": metrics.nps(answers)}


def what_if(lang: str | None = None, business: dict[str, float] | None = None) -> Any:
    """Sliders for yearly churn, margin and cost to serve; the numbers and chart follow.

    The chart is replaced in place (an Output cleared with ``wait=True``), so moving a slider
    never stacks figures; a headless run shows the example business as generated.
    """
    import ipywidgets as w
    import numpy as np
    from IPython.display import HTML, display

    business = business or example_business()
    base = unit_values(business)
    style = {"description_width": "initial"}
    layout = {"width": "480px"}
    churn = w.FloatSlider(value=round(100 * base["churn"], 1), min=2, max=60, step=0.1,
                          readout_format=".1f", description=t("lesson.widget.churn-year", lang),
                          style=style, layout=layout)
    margin = w.FloatSlider(value=business["margin"], min=50, max=800, step=10,
                           readout_format=".0f", description=t("lesson.widget.margin-year", lang),
                           style=style, layout=layout)
    serve = w.FloatSlider(value=business["cost_to_serve"], min=0, max=300, step=1,
                          readout_format=".0f", description=t("lesson.widget.serve-year", lang),
                          style=style, layout=layout)

    def draw() -> None:
        now = unit_values(business, churn=churn.value / 100, margin=margin.value,
                          cost_to_serve=serve.value)
        grid = np.linspace(0.02, 0.6, 59)
        curve = [unit_values(business, churn=c, margin=margin.value,
                             cost_to_serve=serve.value)["clv"] for c in grid]
        verdict = "ok" if now["ltv_cac"] >= LTV_CAC_RULE else "low"
        payback = "-" if not np.isfinite(now["payback_months"]) \
            else number(now["payback_months"], lang, digits=2)
        text = t("lesson.economics.what-if", lang, clv=money(now["clv"], lang),
                 ratio=number(now["ltv_cac"], lang, digits=2), payback=payback) + " " + t(
            f"lesson.economics.verdict-{verdict}", lang, rule=LTV_CAC_RULE)
        display(HTML(f"<p>{html.escape(text)}</p>"))
        fig = charts.what_if_chart(grid, curve, (now["churn"], now["clv"]), now["cac"], lang)
        charts.show(fig, alt=t("lesson.alt.what-if", lang,
                               churn=number(churn.value, lang, digits=1),
                               clv=money(now["clv"], lang),
                               ratio=number(now["ltv_cac"], lang, digits=2)))

    return lab([churn, margin, serve], draw)
