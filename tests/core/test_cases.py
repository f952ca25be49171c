"""The case-study library: data quality, scoring claims, drop-in cases, figures and pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import crkit
from crkit.core import knowledge
from crkit.core.cases import Fact, cases_for, list_cases, load_case, load_case_file
from crkit.core.errors import CanvasError

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "casestudies"
CASES = list_cases(CASES_DIR)
IDS = [c.id for c in CASES]
CANVASES = [(case, cc) for case in CASES for cc in case.canvases]
CANVAS_IDS = [f"{case.id}/{cc.id}" for case, cc in CANVASES]


# --- the data --------------------------------------------------------------------------
def test_every_case_file_validates_and_is_listed():
    stems = sorted(p.stem for p in CASES_DIR.glob("*.yaml"))
    assert IDS == stems
    assert len(IDS) >= 11
    for path in CASES_DIR.glob("*.yaml"):
        case = load_case_file(path)
        assert case.id == path.stem
        assert case.questions and case.canvases and case.facts


@pytest.mark.parametrize("kind", ["types", "motivations", "bonds", "stages"])
def test_every_name_of_the_block_is_illustrated_by_two_cases(kind):
    def named(case):
        return {"types": set(case.types), "motivations": set(case.motivations),
                "bonds": {case.bond}, "stages": set(case.stages)}[kind]

    counts = {id_: [c.id for c in CASES if id_ in named(c)] for id_ in knowledge.ids(kind)}
    thin = {id_: cases for id_, cases in counts.items() if len(cases) < 2}
    assert not thin, f"{kind} illustrated by fewer than two cases: {thin}"


def test_cases_for_finds_cases_by_names_in_any_language():
    assert "private-banking" in [c.id for c in cases_for(type="asistencia personal exclusiva")]
    assert "mobile-operators" in [c.id for c in cases_for(stage="reativação")]
    assert all(c.bond == "transactional" for c in cases_for(bond="transaccional"))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_main_types_appear_on_the_case_canvases(case):
    drawn = {r.type for cc in case.canvases for r in cc.canvas.relationships}
    assert set(case.types_main) <= drawn


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_fact_has_a_source_and_a_year(case):
    for fact in case.facts:
        assert fact.source.strip()
        assert isinstance(fact.year, int) and 1990 <= fact.year <= 2030
        assert fact.status in ("confirmed", "reported")
        for lang in ("en", "es", "pt"):
            assert fact.say(lang).strip()


# The research notes' [check] items (../shared/research/case-facts.md): each may appear in
# the kit only as "reported, not confirmed". Matched on the English text, the source, the
# value and the unit of every fact.
CHECK_ITEMS = {
    "Western European churn peak 2009 (GSMA)":
        lambda f, text: "gsma" in text or ("churn" in text and "2009" in text)
        or ("western europe" in text and "churn" in text),
    "private-banking US$1m threshold":
        lambda f, text: bool(re.search(r"(us)?\$\s?1\s?(m\b|million)", text))
        and bool(re.search(r"threshold|minimum|investable|entry", text)),
    "50-100 clients per banker (American Banker)":
        lambda f, text: "american banker" in text
        or bool(re.search(r"\b50\s*(-|–|to)\s*100\b", text))
        or ("clients" in text and "banker" in text and re.search(r"\b200\b", text)),
    "Threadless AIGA 2008 figures":
        lambda f, text: "aiga" in text or "700 designs" in text or "six winners" in text
        or "6 winners" in text or "us$2,000" in text or "$2,000 prize" in text
        or bool(re.search(r"90,000|100,000 shirts", text))
        or ("threadless" in text and f.value in (700, 6, 2000, 90000, 100000)),
}


def _check_items(fact: Fact, case_id: str = "") -> list[str]:
    text = " ".join([case_id, fact.say("en"), fact.source, str(fact.unit or "")]).lower()
    return [name for name, matches in CHECK_ITEMS.items() if matches(fact, text)]


def test_check_items_are_never_shown_as_confirmed():
    flagged = []
    for case in CASES:
        for fact in case.facts:
            items = _check_items(fact, case.id)
            if items:
                flagged.append((case.id, items))
                assert fact.status == "reported", (case.id, fact.say("en"), items)
    # the Threadless AIGA figures are in the kit, so the detector must have found them
    assert sum(case_id == "threadless" for case_id, _ in flagged) >= 3


def test_check_item_detector_catches_each_item():
    samples = [
        "Churn in Western Europe peaked in 2009 and fell in 2010 (GSMA Intelligence).",
        "Private banks usually ask for about US$1m of investable assets.",
        "Relationships work at 50-100 clients per banker and break down above 200.",
        "Threadless received about 700 designs a week and picked six winners.",
    ]
    for text, item in zip(samples, CHECK_ITEMS):
        fact = Fact(text={"en": text, "es": text, "pt": text}, source="X", year=2010)
        assert item in _check_items(fact), text


# --- the canvases and their scores ------------------------------------------------------------
@pytest.mark.parametrize(("case", "cc"), CANVASES, ids=CANVAS_IDS)
def test_every_case_canvas_validates_and_scores(case, cc):
    again = crkit.loads(crkit.dumps(cc.canvas), name=f"{case.id}/{cc.id}")
    assert again.to_dict() == cc.canvas.to_dict()
    for lang in ("en", "es", "pt"):
        report = crkit.score(cc.canvas, lang=lang)
        assert 0 <= report.total <= 100
        assert len(report.criteria) == 6
        assert all(0 <= c.score <= 4 and c.explanation and c.suggestion
                   for c in report.criteria)


@pytest.mark.parametrize(("case", "cc"), CANVASES, ids=CANVAS_IDS)
def test_a_case_built_around_a_type_fits_expectations(case, cc):
    if not {r.type for r in cc.canvas.relationships} & set(case.types_main):
        pytest.skip("this canvas does not use the case's main types")
    assert crkit.score(cc.canvas).scores["expectation-fit"] >= 2


@pytest.mark.parametrize("case", [c for c in CASES if c.claims],
                         ids=[c.id for c in CASES if c.claims])
def test_claims_hold(case):
    reports = {cc.id: crkit.score(cc.canvas) for cc in case.canvases}
    for claim in case.claims:
        high = reports[claim["higher"]].scores[claim["criterion"]]
        low = reports[claim["lower"]].scores[claim["criterion"]]
        assert high > low, claim


def test_mobile_operators_retention_era_beats_acquisition_era_on_lifecycle():
    case = load_case("mobile-operators")
    assert {"criterion": "lifecycle", "higher": "retention-era",
            "lower": "acquisition-era"} in case.claims
    retention = crkit.score(case.canvas("retention-era")).scores["lifecycle"]
    acquisition = crkit.score(case.canvas("acquisition-era")).scores["lifecycle"]
    assert retention > acquisition


# --- an instructor's own case -----------------------------------------------------------------
NEW_CASE = """\
crkit-case: 1
id: corner-bakery
company: Corner bakery
title: {en: A corner bakery, es: Una panadería de barrio, pt: Uma padaria de bairro}
industry: {en: Food retail, es: Alimentación, pt: Alimentação}
region: {en: Anywhere, es: Cualquier lugar, pt: Qualquer lugar}
years: "2024"
summary:
  en: Staff know regulars by name.
  es: El personal conoce a los clientes.
  pt: A equipe conhece os clientes.
types: {main: [personal-assistance], secondary: [communities]}
motivations: [retention]
bond: long-term
stages: [retention]
narrative: {en: A small story., es: Una pequeña historia., pt: Uma pequena história.}
facts:
  - text: {en: A made-up fact., es: Un dato inventado., pt: Um fato inventado.}
    source: The instructor
    year: 2024
questions:
  - question: {en: Why?, es: ¿Por qué?, pt: Por quê?}
    answer: {en: Because., es: Porque., pt: Porque.}
canvases:
  - id: today
    label: {en: Today, es: Hoy, pt: Hoje}
    canvas:
      crkit: 1
      title: Corner bakery
      value_propositions: [{id: bread, text: Fresh bread}]
      segments:
        - {id: regulars, name: Regulars, customers: 300, value_per_customer: 400,
           need_complexity: low, expects: [personal-assistance], value_propositions: [bread]}
      channels: [{id: shop, name: Shop counter, segments: [regulars]}]
      relationships:
        - segment: regulars
          type: personal-assistance
          motivations: [retention]
          bond: long-term
          channels: [shop]
          stages: [retention]
          cost_per_customer: 10
          metrics: [repeat purchase rate]
"""


def test_a_dropped_in_case_is_listed_with_no_code_change(tmp_path, monkeypatch):
    (tmp_path / "corner-bakery.yaml").write_text(NEW_CASE, encoding="utf-8")
    assert [c.id for c in list_cases(tmp_path)] == ["corner-bakery"]
    monkeypatch.setenv("CRKIT_CASES", str(tmp_path))
    case = load_case("corner-bakery")
    assert case.title("es") == "Una panadería de barrio"
    assert [c.id for c in cases_for(type="atención personal")] == ["corner-bakery"]
    assert crkit.score(case.canvas()).total > 0

    import case_pages

    assert case_pages.main(["--check"]) == 1
    assert case_pages.write_pages() == [tmp_path / "corner-bakery.ipynb"]
    assert case_pages.outdated() == []
    assert case_pages.write_pages() == []  # an existing page is kept without --force


def _broken(tmp_path, old: str, new: str) -> tuple[Path, int]:
    text = NEW_CASE.replace(old, new)
    path = tmp_path / "corner-bakery.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 1
    return path, line


@pytest.mark.parametrize(("old", "new", "field", "says"), [
    ("type: personal-assistance", "type: personal asistance",
     "canvases[0].canvas.relationships[0].type", "did you mean 'personal-assistance'"),
    ("year: 2024", "year: last year", "facts[0].year", "whole number"),
    ("bond: long-term\nstages", "bond: forever\nstages", "bond", "unknown bond 'forever'"),
    ("narrative:", "narative:", "narative", "did you mean 'narrative'"),
])
def test_a_broken_case_file_names_file_field_and_line(tmp_path, old, new, field, says):
    path, line = _broken(tmp_path, old, new)
    with pytest.raises(CanvasError) as caught:
        load_case_file(path)
    error = caught.value
    message = str(error)
    assert str(path) in message or path.name in message
    assert error.field == field and field in message
    assert error.line == line and f"(line {line})" in message
    assert says in message


def test_a_broken_case_in_the_folder_is_left_out_and_named(tmp_path):
    """One broken file no longer stops the listing (issue 11): it is left out and named."""
    from crkit.core.cases import CaseFileLeftOut, problems

    path, _ = _broken(tmp_path, "type: personal-assistance", "type: telepathy")
    with pytest.warns(CaseFileLeftOut, match=r"corner-bakery\.yaml.*telepathy"):
        assert list_cases(tmp_path) == []
    [problem] = problems(tmp_path)
    assert isinstance(problem, CanvasError)
    assert re.search(r"corner-bakery\.yaml.*telepathy", problem.message())
    with pytest.raises(CanvasError, match=r"corner-bakery\.yaml.*telepathy"):
        load_case("corner-bakery", tmp_path)
    path.unlink()


# --- figures ------------------------------------------------------------------------------
def _eight_relationships():
    from crkit.core.canvas import Relationship

    canvas = load_case("mobile-operators").canvas("retention-era").copy()
    extra = [Relationship(segment="contract-customers", type="communities",
                          motivations=["retention", "upselling"], bond="long-term",
                          channels=["app"], stages=["retention"], cost_per_customer=1),
             Relationship(segment="prepaid-customers", type="co-creation",
                          motivations=["acquisition", "retention", "upselling"],
                          bond="transactional", channels=["app"], stages=["awareness"],
                          cost_per_customer=0.5)]
    while len(canvas.relationships) < 8:
        canvas.relationships.append(extra.pop(0))
    canvas.relationships = canvas.relationships[:8]
    return canvas


def _largest_case_canvas():
    def size(cc):
        c = cc.canvas
        return (len(c.relationships) + len(c.segments) + len(c.channels)
                + len(c.value_propositions))

    return max((cc for case in CASES for cc in case.canvases), key=size).canvas


def test_relationship_note_colours_are_readable():
    from crkit.views.canvas_figure import PAPER, contrast_ratio, text_colour
    from crkit.views.charts import TYPE_COLOURS

    for colour in [*TYPE_COLOURS.values(), *PAPER.values()]:
        assert contrast_ratio(colour, text_colour(colour)) >= 4.5, colour


@pytest.mark.parametrize("which", ["largest-case", "eight-relationships"])
@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_crowded_canvases_stay_legible(which, lang):
    import matplotlib.pyplot as plt

    from crkit.views.canvas_figure import MIN_FONT, draw_canvas, layout

    canvas = _largest_case_canvas() if which == "largest-case" else _eight_relationships()
    assert layout(canvas, lang).size >= MIN_FONT
    fig = draw_canvas(canvas, lang, crkit.score(canvas))
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        frame = fig.bbox
        boxes = []
        for text in fig.axes[0].texts:
            if not text.get_text().strip():
                continue
            assert text.get_fontsize() >= MIN_FONT - 1e-9 or text.get_fontsize() >= 9
            box = text.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, text.get_text()
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, text.get_text()
            assert not text.get_text().endswith("…"), text.get_text()
            boxes.append((box.shrunk(0.98, 0.9), text.get_text()))
        for i, (a, ta) in enumerate(boxes):
            for b, tb in boxes[i + 1:]:
                assert not a.overlaps(b), (ta, tb)
        _texts_stay_inside_their_notes(fig)
    finally:
        plt.close(fig)


def _texts_stay_inside_their_notes(fig):
    from matplotlib.patches import FancyBboxPatch

    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    notes = [p.get_window_extent(renderer) for p in ax.patches
             if isinstance(p, FancyBboxPatch)]
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        holders = [n for n in notes if n.overlaps(box)]
        for note in holders:
            assert note.x0 - 1 <= box.x0 and box.x1 <= note.x1 + 1, text.get_text()
            assert note.y0 - 1 <= box.y0 and box.y1 <= note.y1 + 1, text.get_text()


def test_canvas_figure_labels_come_in_three_languages():
    from crkit.views.canvas_figure import CUSTOMER_BLOCKS, OTHER_BLOCKS, block_label

    for block in CUSTOMER_BLOCKS + OTHER_BLOCKS:
        labels = {block_label(block, lang) for lang in ("en", "es", "pt")}
        assert len(labels) >= 2, block


def test_canvas_alt_text_describes_every_item():
    from crkit.views.canvas_figure import canvas_alt_text

    canvas = load_case("mobile-operators").canvas("retention-era")
    report = crkit.score(canvas)
    for lang in ("en", "es", "pt"):
        alt = canvas_alt_text(canvas, lang, report)
        for item in [*canvas.segments, *canvas.channels]:
            assert item.name in alt
        for rel in canvas.relationships:
            assert knowledge.name("types", rel.type, lang) in alt
        assert ("88.8" if lang == "en" else "88,8") in alt


def test_save_png_writes_atomically(tmp_path):
    from crkit.views.canvas_figure import save_png

    canvas = load_case("sephora").canvas()
    path = save_png(canvas, tmp_path / "out" / "sephora.png", "pt")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert [p.name for p in path.parent.iterdir()] == ["sephora.png"]


def test_case_charts_and_their_alt_texts():
    import matplotlib.pyplot as plt

    from crkit.views import case_charts as cc

    fig = cc.case_map("es", highlight="sephora")
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {c.company_name("es") for c in CASES} <= labels  # "Operadoras móviles" in Spanish
    plt.close(fig)
    assert all(c.company_name("pt") in cc.case_map_alt("pt") for c in CASES)

    mobile = load_case("mobile-operators")
    fig = cc.scores_chart(mobile, "en")
    assert len(fig.axes[0].patches) == 6 * 2
    plt.close(fig)
    assert "Retention era" in cc.scores_alt(mobile, "en")
    assert "3/4" in cc.claim_text(mobile, "en") and "2/4" in cc.claim_text(mobile, "en")

    from crkit.core.i18n import t

    for case in [c for c in CASES if c.illustrative]:
        for spec in case.illustrative:
            for lang in ("en", "es", "pt"):
                fig = cc.illustrative_chart(case, spec, lang)
                assert t("chart.illustrative", lang) in {x.get_text() for x in fig.texts}
                plt.close(fig)
                assert cc.illustrative_alt(case, spec, lang)


def test_personal_axis_weighs_main_types_twice():
    from crkit.views.case_charts import personal_score

    banking = load_case("private-banking")  # main: dedicated (4); secondary: personal (3), self (0)
    assert personal_score(banking) == pytest.approx((2 * 4 + 3 + 0) / 4)


# --- the pages ------------------------------------------------------------------------------
def test_case_pages_are_up_to_date_with_the_case_files():
    from case_pages import outdated

    stale = outdated(CASES_DIR)
    assert not stale, f"run: python tools/case_pages.py --force ({[p.name for p in stale]})"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_page_shape(case):
    import nbformat

    nb = nbformat.read(CASES_DIR / f"{case.id}.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert all(c.get("id") for c in nb.cells)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source == f"# {case.title('en')}"
    assert 'LANG = "en"' in code[0].source and f'CASE_ID = "{case.id}"' in code[0].source
    assert '"es"' in code[0].source and '"pt"' in code[0].source
    answers = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(answers) == len(case.questions)
    for cell, q in zip(answers, case.questions):
        assert cell.cell_type == "markdown"
        assert cell.source.startswith("````{dropdown} Model answer (for instructors)")
        # one language per page: the English page shows the English model answer only
        assert q["answer"]["en"].strip()[:40] in cell.source
        assert not any(q["answer"][lang].strip()[:40] in cell.source for lang in ("es", "pt"))
    learner_text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "python -m" not in learner_text and "generat" not in learner_text  # no maintainer notes


def test_long_texts_wrap_shrink_and_stay_inside_their_notes():
    import matplotlib.pyplot as plt

    from crkit.views.canvas_figure import draw_canvas

    canvas = crkit.starter_canvas().copy()
    canvas.value_propositions[0].text = "A fairly long value proposition " * 30
    canvas.segments[0].notes = "Supercalifragilisticexpialidocious" * 4
    canvas.channels[0].name = "A channel with a name far longer than anyone should write " * 3
    fig = draw_canvas(canvas, "pt")
    try:
        fig.canvas.draw()
        _texts_stay_inside_their_notes(fig)
    finally:
        plt.close(fig)


def test_knowledge_examples_are_cases_that_show_the_type():
    from crkit.core import cases, knowledge

    for entry in knowledge.relationship_types():
        for case_id in entry["examples"]:
            assert entry["id"] in cases.load_case(case_id).types, (entry["id"], case_id)
