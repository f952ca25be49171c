"""The notebooks on the six types (03-08) and the module they share, crkit.lessons.type_profiles.

The unit tests pin what the notebooks rely on: the comparison table in three languages, a
"choose the type" ranking that is deterministic and agrees with ``crkit.score``, the cost
figures with their sources, and widgets that update in place. The notebook tests run each
of the six notebooks once in a fresh kernel and check what it teaches through ``nb.value``.
"""

from __future__ import annotations

import re

import pytest

import crkit
from crkit.core import knowledge
from crkit.core.i18n import LANGUAGES, t
from crkit.core.numbers import number
from crkit.lessons import exercises, type_profiles

TYPES = knowledge.ids("types")
#: segments spanning the three complexities, small to mass, and every participation level
SEGMENTS = [
    ("low", 60, 1_000_000, "none"), ("low", 60, 2_000, "none"), ("low", 80, 200_000, "create"),
    ("medium", 600, 1_500, "none"), ("medium", 500, 50_000, "none"),
    ("medium", 350, 1_000_000, "share"), ("medium", 100, 10_000_000, "none"),
    ("high", 50_000, 1_500, "none"), ("high", 2_000, 1_500, "none"),
    ("high", 60, 1_000_000, "none"), ("high", 0, 100, "create"),
]


# --- the comparison table -------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_types_table_has_the_six_types_in_each_language(lang):
    table = type_profiles.types_table(lang)
    assert len(table) == 6
    assert list(table[t("label.name", lang)]) == [knowledge.name("types", i, lang) for i in TYPES]
    for dim in type_profiles.DIMENSIONS:
        assert list(table[t(f"label.{dim}", lang)]) == [knowledge.get("types", i)[dim]
                                                        for i in TYPES]
    assert not table.isna().any().any()
    assert all(table[t("label.examples", lang)])  # every type has cases in the library


def test_table_headers_follow_the_language():
    headers = {lang: list(type_profiles.types_table(lang).columns) for lang in LANGUAGES}
    assert headers["en"] != headers["es"] != headers["pt"]
    assert "Asistencia personal" in type_profiles.ratings_table("es").index


def test_tables_show_their_text_in_full():
    table = type_profiles.types_table("en")
    html = table._repr_html_()
    longest = max(table[t("label.suits", "en")], key=len)
    assert len(longest) > 50 and longest in html.replace("&#x27;", "'")
    assert "tex2jax_ignore" in html  # dollar signs never turn into maths in JupyterLab


@pytest.mark.parametrize("type_", TYPES)
def test_every_type_has_at_least_two_cases_and_case_uses(type_):
    cases_table = type_profiles.cases_table(type_, "en")
    assert len(cases_table) >= 2
    assert list(cases_table["Role of the type"])[0] == "main"
    uses = type_profiles.case_uses(type_, "pt")
    assert len(uses) >= 1


def test_case_card_shows_every_fact_with_its_source():
    case = crkit.core.cases.load_case("private-banking")
    card = type_profiles.case_card(case, "es")
    facts = card.facts()
    assert len(facts) == len(case.facts)
    assert list(facts[t("label.source", "es")]) == [f.source for f in case.facts]
    assert "298 US$m" in " ".join(facts[t("label.value", "es")])
    assert case.title("es") in card._repr_html_()


# --- the cost figures -----------------------------------------------------------------
def test_cost_figures_come_from_gartner():
    assert type_profiles.LIVE_CONTACT_COST == 8.01
    assert type_profiles.SELF_SERVICE_CONTACT_COST == 0.10
    assert type_profiles.SELF_SERVICE_RESOLVED == 0.09
    assert type_profiles.self_service_cost(0.09) == pytest.approx(0.10 + 0.91 * 8.01)
    assert type_profiles.self_service_cost(0) == pytest.approx(8.11)
    assert type_profiles.self_service_cost(1) == pytest.approx(0.10)
    # personal assistance: every contact is live
    assert type_profiles.cost_per_customer("personal-assistance", "medium", 123) == \
        pytest.approx(4 * 8.01)


def test_cost_model_table_names_its_sources_and_its_assumptions():
    table = type_profiles.cost_model_table("en")
    sources = list(table["Source"])
    assert sources[:2] == [type_profiles.GARTNER] * 2
    assert all("illustrative" in s for s in sources[2:])
    assert len(table) == 3 + 6


def test_fixed_costs_fall_per_customer_and_people_costs_do_not():
    small, large = 1_000, 1_000_000
    for type_ in ("personal-assistance", "dedicated-personal-assistance"):
        assert type_profiles.cost_per_customer(type_, "high", small) == \
            type_profiles.cost_per_customer(type_, "high", large)
    for type_ in ("self-service", "automated-services", "communities", "co-creation"):
        assert type_profiles.cost_per_customer(type_, "low", small) > \
            type_profiles.cost_per_customer(type_, "low", large)


# --- choose the type ------------------------------------------------------------------
@pytest.mark.parametrize("segment", SEGMENTS, ids=str)
def test_fit_agrees_with_crkit_score(segment):
    result = type_profiles.fit(*segment, lang="en")
    assert sorted(result.order) == sorted(TYPES)
    assert [r.rank for r in result.rows] == list(range(1, 7))
    for row in result.rows:
        canvas = crkit.loads(crkit.dumps(row.canvas))  # a valid canvas in the file format
        assert crkit.score(canvas).total == row.total
        assert len(canvas.relationships) == 1 and canvas.relationships[0].type == row.type
    allowed = [r for r in result.rows if r.allowed]
    assert all(r.allowed for r in result.rows[:len(allowed)])
    # among allowed types, those a customer can pay for come first, each group by total
    paid = [r.total for r in allowed if type_profiles.affordable(r)]
    ruinous = [r.total for r in allowed if not type_profiles.affordable(r)]
    assert [r.total for r in allowed] == paid + ruinous
    assert paid == sorted(paid, reverse=True) and ruinous == sorted(ruinous, reverse=True)
    for row in result.rows:  # every rank comes with its reason
        assert row.reasons[0] and row.reasons[0] not in row.reasons[1:]


def test_fit_follows_an_instructors_rubric(tmp_path):
    path = tmp_path / "rubric.yaml"
    path.write_text("crkit-rubric: 1\ncriteria:\n  - {id: economics, weight: 60}\n"
                    "  - {id: expectation-fit, weight: 40}\n", encoding="utf-8")
    rubric = crkit.load_rubric(path)
    result = type_profiles.fit("medium", 500, 50_000, rubric=rubric)
    for row in result.rows:
        assert crkit.score(row.canvas, rubric=rubric).total == row.total
    assert result.totals() != type_profiles.fit("medium", 500, 50_000).totals()


@pytest.mark.parametrize("segment", SEGMENTS, ids=str)
def test_fit_is_deterministic(segment):
    first = type_profiles.fit(*segment)
    second = type_profiles.fit(*segment)
    assert first.order == second.order and first.totals() == second.totals()
    assert first.table().equals(second.table())


def test_a_complex_valuable_segment_gets_dedicated_assistance():
    result = type_profiles.fit("high", 50_000, 1_500)
    assert result.best == "dedicated-personal-assistance"
    assert result.row("personal-assistance").rank == 2


def test_a_simple_mass_segment_gets_a_scalable_type():
    for value, customers in ((60, 1_000_000), (20, 5_000_000), (35, 300_000)):
        best = type_profiles.fit("low", value, customers).best
        assert knowledge.get("types", best)["scalability"] >= 3
    assert type_profiles.fit("low", 60, 1_000_000).best == "self-service"


def test_scale_decides_between_people_and_automation():
    assert type_profiles.fit("medium", 600, 1_500).best == "personal-assistance"
    assert type_profiles.fit("medium", 600, 100_000).best == "automated-services"


def test_communities_and_cocreation_need_customers_who_take_part():
    result = type_profiles.fit("medium", 350, 1_000_000, participation="none")
    assert set(result.order[-2:]) == {"communities", "co-creation"}
    assert not result.row("communities").allowed
    assert type_profiles.fit("medium", 350, 1_000_000, "share").best == "communities"
    assert type_profiles.fit("low", 80, 200_000, "create").best == "co-creation"


def test_a_cost_the_customer_cannot_bear_never_wins_a_tie():
    result = type_profiles.fit("high", 60, 1_000_000)
    assert result.order.index("personal-assistance") < \
        result.order.index("dedicated-personal-assistance")


def test_fit_reasons_are_written_in_the_language():
    for lang in LANGUAGES:
        row = type_profiles.fit("high", 50_000, 1_500, lang=lang).rows[0]
        assert row.name == knowledge.name("types", "dedicated-personal-assistance", lang)
        assert t("fit.expected", lang) in row.reasons
        high = knowledge.name("need_complexity", "high", lang).lower()
        assert t("fit.intimacy-ok", lang, complexity=high) in row.reasons
    assert "∞" in type_profiles.fit("high", 0, 100).table().iloc[0, 4]


def test_fit_rejects_bad_segments():
    with pytest.raises(ValueError, match="need complexity"):
        type_profiles.fit("huge", 10, 10)
    with pytest.raises(ValueError, match="customers"):
        type_profiles.fit("low", 10, 0)
    with pytest.raises(ValueError, match="participation"):
        type_profiles.fit("low", 10, 10, participation="maybe")
    with pytest.raises(ValueError, match="did you mean"):
        type_profiles.profile("self servce")
    assert type_profiles.fit("alta", 50_000, 1_500).segment.need_complexity == "high"


#: each notebook's "choose the type" exercise, and the segment its prompt describes
CHOOSE = {
    "03-choose-type": ("medium", 400, 2_000, "none"),
    "04-choose-type": ("high", 40_000, 800, "none"),
    "05-choose-type": ("low", 35, 300_000, "none"),
    "06-choose-type": ("medium", 300, 2_000_000, "none"),
    "07-choose-type": ("medium", 250, 400_000, "share"),
    "08-choose-type": ("low", 80, 200_000, "create"),
}


@pytest.mark.parametrize("id_", sorted(CHOOSE))
def test_choose_type_exercises_agree_with_the_explorer(id_):
    """The answer the exercise expects is the type the explorer ranks first."""
    item = exercises.get(id_)
    assert item["vocabulary"] == "types"
    assert type_profiles.fit(*CHOOSE[id_]).best == item["answer"]
    assert {o["id"] for o in item["options"]} == set(TYPES)


# --- figures and widgets --------------------------------------------------------------
def _texts(fig) -> list[str]:
    ax = fig.axes[0]
    return [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_charts_have_titles_and_axis_labels_in_each_language(lang):
    import matplotlib.pyplot as plt

    from crkit.views.charts import png_bytes

    figures = [
        type_profiles.profile_chart("communities", lang),
        type_profiles.cost_curve_chart("automated-services", "low", lang),
        type_profiles.fit("high", 50_000, 1_500, lang=lang).chart(),
        type_profiles.self_service_chart(0.3, lang),
    ]
    try:
        for fig in figures:
            texts = _texts(fig)
            assert all(x.strip() for x in texts), texts
            assert png_bytes(fig)[:4] == b"\x89PNG"  # dollar signs do not break mathtext
        assert knowledge.name("types", "communities", lang) in _texts(figures[0])[0]
    finally:
        for fig in figures:
            plt.close(fig)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_alt_texts_describe_the_numbers(lang):
    assert "0" in type_profiles.profile_alt("self-service", lang)
    assert number(7.39, lang) in type_profiles.self_service_alt(0.09, lang)  # 7,39 in es, pt
    result = type_profiles.fit("high", 50_000, 1_500, lang=lang)
    alt = result.alt()
    assert knowledge.name("types", "dedicated-personal-assistance", lang) in alt
    assert number(result.rows[0].total, lang) in alt
    assert number(result.rows[1].total, lang) in alt


def test_explorer_updates_in_place():
    box = type_profiles.explorer("es", need_complexity="high", value_per_customer=50_000,
                                 customers=1_500)
    assert box.result.best == "dedicated-personal-assistance"
    picture = box.children[-1].value
    assert picture.startswith('<img src="data:image/png;base64,') and 'alt="' in picture
    box.controls["value_per_customer"].value = 2_000
    assert box.result.best == "personal-assistance"
    assert box.children[-1].value != picture
    box.controls["need_complexity"].value = "low"
    box.controls["customers"].value = 1_000_000
    box.controls["value_per_customer"].value = 60
    assert box.result.best == "self-service"
    assert "Autoservicio" in box.children[-2].value  # the table, in Spanish


def test_self_service_what_if_updates_in_place():
    box = type_profiles.self_service_what_if("pt")
    assert box.cost == 7.39
    box.slider.value = 50
    assert box.cost == round(0.10 + 0.5 * 8.01, 2)
    assert "50%" in box.children[1].value


# --- the notebooks --------------------------------------------------------------------
def _common(nb, stem: str, lang: str = "en") -> None:
    assert not nb.errors, f"{stem}: {nb.errors}"
    assert not nb.warnings, f"{stem}: {nb.warnings}"
    images = nb.images()
    assert len(images) >= 2, f"{stem}: expected the profile chart and a second figure"
    for image in images:
        assert len(image["metadata"]["image/png"]["alt"]) > 40
    assert nb.value("LANG") == lang
    assert nb.value("ranking.best") == nb.value("explorer.result.best")


def _type_of(stem: str) -> str:
    return stem[3:]


NOTEBOOK_STEMS = ["03-personal-assistance", "04-dedicated-personal-assistance",
                  "05-self-service", "06-automated-services", "07-communities",
                  "08-co-creation"]


@pytest.mark.notebooks
@pytest.mark.parametrize("lang", ("en", "es", "pt"))
@pytest.mark.parametrize("stem", NOTEBOOK_STEMS)
def test_notebook_teaches_its_type(stem, lang):
    from notebook_runner import ROOT, notebook_path, run_notebook

    source = (ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8")
    type_ = _type_of(stem)
    assert f'profile_chart(\\"{type_}\\"' in source
    assert f'cases_table(\\"{type_}\\"' in source
    assert len(re.findall(r"cases\.load_case\(", source)) >= 2
    with run_notebook(notebook_path(stem, lang)) as nb:
        _common(nb, stem, lang)
        # the segment typical of the type ranks the type first, by the rubric
        assert nb.value("ranking.best") == type_
        assert nb.value("[r.total for r in ranking.rows]") == \
            [crkit.score(r.canvas).total for r in type_profiles.fit(
                *_segment(nb), lang="en").rows]
        CHECKS[stem](nb)


def _segment(nb) -> tuple:
    spec = nb.value("(ranking.segment.need_complexity, ranking.segment.value_per_customer, "
                    "ranking.segment.customers, ranking.segment.participation)")
    return tuple(spec)


def _check_03(nb) -> None:
    assert nb.value("ranking.segment.customers") == 1_500
    # a live contact costs US$8.01: four a year cost 32.04
    assert nb.value("type_profiles.cost_per_customer('personal-assistance', 'medium', 1500)") \
        == 32.04
    assert nb.value("ranking.row('automated-services').rank") == 2
    assert nb.value("operators.id") == "mobile-operators" and nb.value("bots.id") == "chatbots"


def _check_04(nb) -> None:
    # dedicated first for a complex, valuable segment; tied with personal assistance on the
    # rounded total and ahead on the rubric's unrounded progress
    assert nb.value("ranking.order[:2]") == ["dedicated-personal-assistance",
                                             "personal-assistance"]
    assert nb.value("ranking.rows[0].total == ranking.rows[1].total") is True
    assert nb.value("ranking.rows[0].progress > ranking.rows[1].progress") is True
    assert nb.value("ranking.row('dedicated-personal-assistance').cost") == 1200
    assert nb.value("bank.id") == "private-banking"


def _check_05(nb) -> None:
    # the cost comparison uses Gartner's US$8.01 and US$0.10 and the 9% resolved
    assert nb.value("(type_profiles.LIVE_CONTACT_COST, type_profiles.SELF_SERVICE_CONTACT_COST)") \
        == (8.01, 0.1)
    assert nb.value("float(costs.iloc[0, 1])") == 7.39
    assert nb.value("costs.iloc[0, 0]") == "9%"  # the table writes shares as 9% in every language
    assert nb.value("what_if.cost") == 7.39
    assert nb.value("crkit.knowledge.get('types', ranking.best)['scalability']") == 4


def _check_06(nb) -> None:
    assert nb.value("ranking.segment.customers") == 50_000
    assert nb.value("ranking.row('personal-assistance').rank") == 2
    # at 2,000 customers automation's fixed cost lets people back in front
    assert nb.value("type_profiles.fit('medium', 500, 2000).best") == "personal-assistance"
    assert nb.value("bots.id") == "chatbots"


def _check_07(nb) -> None:
    assert nb.value("ranking.segment.participation") == "share"
    assert nb.value("type_profiles.fit('medium', 350, 1_000_000).order[-2:]") == \
        ["communities", "co-creation"]
    assert nb.value("alli.id") == "gsk-alli" and nb.value("sephora.id") == "sephora"


def _check_08(nb) -> None:
    assert nb.value("ranking.segment.participation") == "create"
    assert nb.value("ranking.order[:2]") == ["co-creation", "self-service"]
    assert nb.value("fiat.id") == "fiat-mio" and nb.value("threadless.id") == "threadless"


CHECKS = {
    "03-personal-assistance": _check_03, "04-dedicated-personal-assistance": _check_04,
    "05-self-service": _check_05, "06-automated-services": _check_06,
    "07-communities": _check_07, "08-co-creation": _check_08,
}
