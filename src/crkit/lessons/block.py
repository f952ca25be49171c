"""The customer relationships block as a whole: its types, questions and motivations.

Notebooks 01 and 02 use these views to introduce the block before the lessons on each type:
a table and a card per relationship type, the block's questions, the three motivations,
and the mobile operators' two canvases scored side by side (the book's running example of
a shift from acquisition to retention).
"""

from __future__ import annotations

import html
from typing import Any

from crkit.core import knowledge
from crkit.core.cases import list_cases, load_case
from crkit.core.i18n import localized, t
from crkit.core.numbers import number
from crkit.lessons.type_profiles import DIMENSIONS
from crkit.lessons.type_profiles import types_table as full_table
from crkit.scoring.engine import score
from crkit.scoring.rubric import default_rubric
from crkit.views import charts
from crkit.views.labs import lab
from crkit.views.tables import lesson_table, readable

#: the case the block's motivations are taught with, and its two canvases in time order
RUNNING_CASE = "mobile-operators"


def _companies(case_ids: list[str], lang: str | None = None) -> str:
    known = {c.id: c.company_name(lang) for c in list_cases()}
    return ", ".join(known[i] for i in case_ids if i in known)


def types_table(lang: str | None = None) -> Any:
    """The six types at a glance: summary, the kit's 0-4 profile and cases.

    The first columns of :func:`crkit.lessons.type_profiles.types_table`, which notebooks 03-08
    show in full, so the two views never disagree.
    """

    table = full_table(lang)
    keep = [t("label.name", lang), t("label.summary", lang),
            *(t(f"label.{d}", lang) for d in DIMENSIONS), t("label.examples", lang)]
    return readable(table[keep])


def type_card(type_id: str, lang: str | None = None) -> str:
    """One type as HTML: what it is, what it suits, what it does not, risks, examples."""
    entry = knowledge.get("types", knowledge.fold("types", type_id) or type_id)

    def item(label: str, text: str) -> str:
        return f"<p><b>{html.escape(label)}.</b> {html.escape(text)}</p>"

    risks = "".join(f"<li>{html.escape(r)}</li>" for r in localized(entry["risks"], lang))
    return (
        f"<h4>{html.escape(localized(entry['name'], lang))}</h4>"
        + item(t("label.description", lang), localized(entry["description"], lang))
        + item(t("label.suits", lang), localized(entry["suits"], lang))
        + item(t("lesson.label.not-for", lang), localized(entry["not_for"], lang))
        + f"<p><b>{html.escape(t('label.risks', lang))}.</b></p><ul>{risks}</ul>"
        + item(t("label.channels", lang), ", ".join(localized(entry["channels"], lang)))
        + item(t("label.examples", lang), _companies(entry.get("examples", []), lang))
    )


def type_explorer(lang: str | None = None, start: str = "personal-assistance") -> Any:
    """A dropdown of the six types and the chosen type's card (headless: the first type)."""
    import ipywidgets as w

    choose = w.Dropdown(
        options=[(knowledge.name("types", i, lang), i) for i in knowledge.ids("types")],
        value=start, description=t("lesson.widget.type", lang),
        style={"description_width": "initial"})
    card = w.HTML(type_card(start, lang))

    def changed(change: dict) -> None:
        card.value = type_card(change["new"], lang)

    choose.observe(changed, names="value")
    return w.VBox([choose, card])


@lesson_table()
def questions_table(lang: str | None = None) -> Any:
    """The block's questions, why each matters and the rubric criterion it feeds."""
    import pandas as pd


    names = {c.id: c.label(lang) for c in default_rubric().criteria}
    return pd.DataFrame([{
        t("lesson.label.question", lang): localized(q["text"], lang),
        t("lesson.label.why", lang): localized(q["why"], lang),
        t("lesson.label.criterion", lang): names.get(q.get("rubric_criterion"), ""),
        t("label.sources", lang): ", ".join(q.get("sources", [])),
    } for q in knowledge.questions()])


@lesson_table()
def motivations_table(lang: str | None = None) -> Any:
    """The three motivations: what each means, how to measure it, the operators' example."""
    import pandas as pd

    return pd.DataFrame([{
        t("lesson.label.motivation", lang): localized(m["name"], lang),
        t("label.description", lang): localized(m["description"], lang),
        t("label.metrics", lang): ", ".join(localized(m["typical_metrics"], lang)),
        t("lesson.label.example", lang): localized(m["example"], lang),
    } for m in knowledge.motivations()])


@lesson_table(index=False)
def motivations_by_case(lang: str | None = None) -> Any:
    """Cases x motivations: which motivations each case in the library pursues."""
    import pandas as pd

    cols = {m: knowledge.name("motivations", m, lang) for m in knowledge.ids("motivations")}
    rows = {c.company_name(lang): {cols[m]: "✓" if m in c.motivations else "" for m in cols}
            for c in list_cases()}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(cols.values()))


def entry_card(entry: dict[str, Any], lang: str | None = None) -> Any:
    """An entry of :func:`crkit.explain` as the reader sees it: its name and summary."""
    from IPython.display import Markdown

    return Markdown(t("lesson.block.entry", lang, name=entry["name"], summary=entry["summary"]))


def era_reports(lang: str | None = None, case_id: str = RUNNING_CASE) -> dict[str, Any]:
    """Canvas id -> score report, for every canvas of a case (the operators' two eras)."""

    case = load_case(case_id)
    return {c.id: score(c.canvas, lang=lang) for c in case.canvases}


def era_scores(case_id: str = RUNNING_CASE) -> dict[str, dict[str, int]]:
    """Canvas id -> {criterion id: 0-4}: what tests and exercises compare."""
    return {cid: report.scores for cid, report in era_reports(None, case_id).items()}


@lesson_table(index=False)
def era_table(lang: str | None = None, case_id: str = RUNNING_CASE) -> Any:
    """Criteria x canvases of a case: each canvas's score 0-4, and the totals out of 100."""
    import pandas as pd

    case = load_case(case_id)
    reports = era_reports(lang, case_id)
    labels = {c.id: c.label(lang) for c in case.canvases}
    first = next(iter(reports.values()))
    table = pd.DataFrame(
        {labels[cid]: [float(c.score) for c in r.criteria] + [r.total]
         for cid, r in reports.items()},
        index=[c.name for c in first.criteria] + [t("report.total", lang)])
    table.index.name = t("report.criterion", lang)
    return table


def era_figure(lang: str | None = None, case_id: str = RUNNING_CASE) -> Any:
    """The case's canvases scored criterion by criterion, as grouped bars."""

    case = load_case(case_id)
    labels = {c.id: c.label(lang) for c in case.canvases}
    scores = {labels[cid]: r.scores for cid, r in era_reports(lang, case_id).items()}
    return charts.criteria_bars(scores, t("lesson.chart.eras.title", lang), lang)


def criterion_change(criterion: str = "lifecycle", lang: str | None = None,
                     case_id: str = RUNNING_CASE) -> Any:
    """One criterion's score in each of a case's canvases, in one sentence (Markdown)."""
    from IPython.display import Markdown

    case = load_case(case_id)
    reports = era_reports(lang, case_id)
    items = [t("lesson.block.criterion-item", lang, label=item.label(lang),
               score=number(reports[item.id].criterion(criterion).score, lang))
             for item in case.canvases]
    name = next(iter(reports.values())).criterion(criterion).name
    return Markdown(t("lesson.block.criterion-change", lang, criterion=name,
                      items="\n".join(items)))


def rescored(market: str, motivations: list[str], lang: str | None = None,
             case_id: str = RUNNING_CASE) -> Any:
    """The case's first canvas scored again with another market and motivations.

    Every relationship is given ``motivations``; the copy is scored, the case is untouched.
    """

    canvas = load_case(case_id).canvases[0].canvas.copy()
    canvas.market = market
    for relationship in canvas.relationships:
        relationship.motivations = list(motivations)
    return score(canvas, lang=lang)


def era_lab(lang: str | None = None, case_id: str = RUNNING_CASE) -> Any:
    """Try the shift yourself: give the acquisition-era canvas other motivations or market.

    The learner picks the market and the motivations every relationship pursues; the
    canvas is rescored and the lifecycle criterion's explanation shows why the score moved.
    Headless runs show the canvas as the case gives it.
    """
    import ipywidgets as w
    from IPython.display import HTML, display

    case = load_case(case_id)
    base = case.canvases[0].canvas
    market = w.Dropdown(
        options=[(knowledge.name("market", m, lang), m) for m in knowledge.ids("market")],
        value=base.market or "growing", description=t("lesson.widget.market", lang),
        style={"description_width": "initial"}, layout={"width": "520px"})
    motives = w.SelectMultiple(
        options=[(knowledge.name("motivations", m, lang), m) for m in knowledge.ids("motivations")],
        value=tuple(sorted({m for r in base.relationships for m in r.motivations})),
        description=t("lesson.widget.motivations", lang), rows=3,
        style={"description_width": "initial"}, layout={"width": "520px"})

    def draw() -> None:
        report = rescored(market.value, list(motives.value), lang, case_id)
        lifecycle = report.criterion("lifecycle")
        total = number(report.total, lang)
        display(HTML(f"<p><b>{html.escape(t('report.total', lang))}: {total} / 100"
                     f"</b> · {html.escape(lifecycle.name)}: {lifecycle.score}/4</p>"
                     f"<p>{html.escape(lifecycle.explanation)}</p>"))
        fig = charts.criteria_bars({case.canvases[0].label(lang): report.scores},
                                   t("lesson.chart.era-lab.title", lang), lang)
        charts.show(fig, alt=t("lesson.alt.era-lab", lang, total=report.total,
                               score=lifecycle.score))

    return lab([market, motives], draw)
