"""Figures describe themselves, in the reader's language, from the numbers they draw.

Each lesson figure function attaches its alt text (:func:`crkit.views.charts.describe`), so
a notebook calls ``charts.show(lessons.x_figure(..., LANG))`` with nothing typed by hand; the
description follows the data (a changed score or churn changes it) and writes numbers the way
``lang`` does. The lesson views that replaced bare Python values are checked here as well.
"""

from __future__ import annotations

import html
import re

import pytest
from test_outputs import ENGLISH_NUMBER

import crkit
from crkit.core import evidence, knowledge, metrics
from crkit.core.i18n import LANGUAGES, t
from crkit.core.numbers import number, percent
from crkit.lessons import block, bonds, economics, lifecycle, practices, scorecard
from crkit.views import charts, tables


def _starter_report(lang):
    return crkit.score(crkit.starter_canvas(lang), lang=lang)


def _cohorts(lang):
    return lifecycle.retention_table(lifecycle.cohorts(), lang)


#: name -> function(lang) returning a lesson figure, one per figure the notebooks show
FIGURES = {
    "types-map": lambda lang: charts.types_map(lang),
    "eras": lambda lang: block.era_figure(lang),
    "value": lambda lang: bonds.value_figure(lang),
    "funnel": lambda lang: lifecycle.funnel_figure(lifecycle.funnel(), lang),
    "cohort": lambda lang: lifecycle.cohort_figure(_cohorts(lang), lang,
                                                   lifecycle.COHORT_RETENTION),
    "contacts": lambda lang: economics.contact_cost_figure(lang),
    "clv": lambda lang: economics.clv_figure(lang),
    "statistics": lambda lang: practices.statistics_figure(lang),
    "points": lambda lang: scorecard.points_figure(_starter_report(lang), lang),
}


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", FIGURES)
def test_lesson_figures_describe_themselves(name, lang):
    alt = charts.description(FIGURES[name](lang))
    assert alt and len(alt) > 60, f"{name} ({lang}) has no description"
    assert re.search(r"\d", alt), f"{name} ({lang}): a description without its numbers"
    if lang != "en":
        assert not ENGLISH_NUMBER.search(alt), f"{name} ({lang}): English numbers in {alt!r}"
        assert alt != charts.description(FIGURES[name]("en"))


def test_descriptions_follow_the_data():
    # every type with its own intimacy and scalability, named in the reader's language
    alt = charts.description(charts.types_map("pt"))
    for entry in knowledge.relationship_types():
        assert t("lesson.alt.types-map-item", "pt", type=knowledge.name("types", entry["id"], "pt"),
                 intimacy=entry["intimacy"], scalability=entry["scalability"],
                 cost=entry["cost_to_serve"]) in alt
    # the sourced churn, written the Spanish way, and the lifetime it implies
    verizon = bonds.churn_statistic(bonds.SUBSCRIBER)["monthly_churn"]
    alt = charts.description(bonds.value_figure("es"))
    assert percent(verizon, "es", digits=2) in alt
    assert number(metrics.simple_ltv(1, verizon), "es", digits=0) in alt
    # another churn gives another description
    other = charts.value_curves({"A": 0.05}, lang="es")
    assert percent(0.05, "es", digits=2) in charts.description(other)
    # the cohort table's own last value, and the scores of the report drawn
    table = _cohorts("es")
    kept = percent(float(table.iloc[0].dropna().iloc[-1]), "es")
    assert kept in charts.description(lifecycle.cohort_figure(table, "es"))
    report = _starter_report("es")
    alt = charts.description(scorecard.points_figure(report, "es"))
    assert number(report.total, "es", digits=1) in alt
    assert all(c.name in alt for c in report.criteria)
    # the contact costs from the evidence file, in Spanish money format
    live = evidence.contact_costs()["live"]["cost_per_contact"]
    assert crkit.core.numbers.money(live, "es", digits=2) in charts.description(
        economics.contact_cost_figure("es"))


def test_era_figure_says_each_canvas_score():
    from crkit.scoring.rubric import default_rubric

    alt = charts.description(block.era_figure("es"))
    names = {c.id: c.label("es") for c in default_rubric().criteria}
    for scores in block.era_scores().values():
        assert ", ".join(f"{names[c]} {s}" for c, s in scores.items()) in alt


def test_show_uses_the_figure_description(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, **kw: shown.append((data, kw)))
    charts.show(charts.types_map("es"))
    data, kw = shown[-1]
    alt = charts.description(charts.types_map("es"))
    assert kw["metadata"]["image/png"]["alt"] == alt == data["text/plain"]
    assert f'alt="{html.escape(alt, quote=True)}"' in data["text/html"]
    charts.show(charts.types_map("es"), alt="Mi propio texto alternativo")  # alt= still wins
    assert shown[-1][1]["metadata"]["image/png"]["alt"] == "Mi propio texto alternativo"


def test_a_figure_without_alt_text_is_refused():
    fig, _ = charts.figure()
    with pytest.raises(ValueError, match="alt text"):
        charts.show(fig)
    with pytest.raises(ValueError, match="alt text"):
        charts.img_tag(fig, alt="  ")


def test_img_tag_and_illustrative_stamp():
    fig, _ = charts.figure()
    assert charts.mark_illustrative(fig, "pt") is fig
    assert fig.texts[-1].get_text() == t("chart.illustrative", "pt")
    charts.mark_illustrative(fig, "es", text="Ilustrativo: supuestos del kit")
    assert fig.texts[-1].get_text() == "Ilustrativo: supuestos del kit"
    charts.describe(fig, 'Un gráfico "de prueba"  con\n espacios')
    tag = charts.img_tag(fig)
    assert tag.startswith('<img src="data:image/png;base64,')
    assert 'alt="Un gráfico &quot;de prueba&quot; con espacios"' in tag


def test_tables_show_years_as_years_and_count_rows_from_one():
    shown = tables.shown(bonds.churn_table("en"))
    assert list(shown.index[:2]) == [1, 2]
    assert set(shown[t("label.year", "en")]) == {"2019", "2023"}
    es = tables.shown(bonds.churn_table("es"))
    assert es[t("lesson.label.monthly-churn", "es")].iloc[0] == "0,82"
    ticks = tables.shown(lifecycle.cases_by_stage("es"))
    assert set(ticks.to_numpy().ravel()) <= {tables.TRUE_MARK, tables.FALSE_MARK}


def test_lesson_views_write_numbers_in_the_readers_language():
    survey = economics.nps_survey()
    text = economics.survey_view(survey, "es").data
    assert number(survey["nps"], "es", digits=1) in text
    assert percent(survey["promoters"], "es", digits=1) in text
    business = economics.example_business()
    table = tables.shown(economics.business_table(business, "pt"))
    assert len(table) == len(business) == len(economics.BUSINESS_KINDS)
    assert number(business["customers_at_start"], "pt") in table.iloc[:, 0].tolist()
    rates = lifecycle.funnel_rates(lifecycle.funnel())
    view = tables.shown(lifecycle.rates_table(rates, "es"))
    assert view.iloc[0, 0] == number(round(100 * rates.iloc[0], 1), "es")
    assert "→" in view.index[0] and knowledge.name("stages", "awareness", "es") in view.index[0]
    retention = _cohorts("es")
    shown = lifecycle.retention_view(retention, "es")
    assert shown.iloc[0, 0] == percent(1.0, "es") and shown.iloc[-1, -1] == ""
    assert percent(0.0082, "es", digits=2) in bonds.lifetime_view(0.0082, "es").data
    assert f"{percent(0.2, 'es')} → 1" in scorecard.levels_view("es").data
    change = block.criterion_change("lifecycle", "pt").data
    assert all(f"{s['lifecycle']} de 4" in change for s in block.era_scores().values())
