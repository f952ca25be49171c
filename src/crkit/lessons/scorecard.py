"""Notebook 13's guide to scoring: the rubric laid open, reports, and the canvas builder.

Learners see what each criterion checks, how much it weighs, where it comes from and which
thresholds are the kit's own choice; then a scored canvas, "what would help most", and the
builder. The builder is another module (:mod:`crkit.builder`): :func:`builder` shows it when
it is importable and a clear note otherwise, so the notebook runs either way.
"""

from __future__ import annotations

from typing import Any

from crkit.core.cases import list_cases
from crkit.core.i18n import t
from crkit.core.numbers import percent
from crkit.scoring.engine import score
from crkit.scoring.report import kit_choice_text, render_markdown
from crkit.scoring.rubric import default_rubric
from crkit.views import charts
from crkit.views.tables import lesson_table


@lesson_table()
def rubric_table(lang: str | None = None, rubric: Any = None) -> Any:
    """Each criterion: weight out of 100, what it checks, its source and the kit's choices."""
    import pandas as pd


    rubric = rubric or default_rubric()
    total = rubric.total_weight
    return pd.DataFrame([{
        t("report.criterion", lang): c.label(lang),
        t("lesson.label.weight", lang): round(100 * c.weight / total, 1),
        t("lesson.label.checks", lang): t(f"explain.{c.id}", lang),
        t("report.source", lang): c.source,
        t("lesson.label.kit-choice", lang): kit_choice_text(c.kit_choice, lang)
        or t("word.none", lang),
    } for c in rubric.criteria])


def levels_text(lang: str | None = None, rubric: Any = None) -> str:
    """The score levels in words: which share of a check gives 1, 2, 3 or 4 points."""

    rubric = rubric or default_rubric()
    levels = rubric.criteria[0].levels
    return t("lesson.scorecard.levels", lang,
             levels=", ".join(f"{percent(x, lang)} → {i + 1}" for i, x in enumerate(levels)))


def levels_view(lang: str | None = None, rubric: Any = None) -> Any:
    """:func:`levels_text` as Markdown, for a notebook to show."""
    from IPython.display import Markdown

    return Markdown(levels_text(lang, rubric))


@lesson_table(index=False)
def case_scores(lang: str | None = None) -> Any:
    """Every canvas of every case, scored: total and each criterion, highest total first."""
    import pandas as pd


    rows = []
    for case in list_cases():
        for item in case.canvases:
            report = score(item.canvas, lang=lang)
            row = {t("lesson.label.case", lang): case.company_name(lang),
                   t("lesson.label.canvas", lang): item.label(lang),
                   t("report.total", lang): report.total}
            row.update({c.name: c.score for c in report.criteria})
            rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values(t("report.total", lang), ascending=False, ignore_index=True)


def report_view(report: Any) -> Any:
    """A score report as Markdown (the text ``crkit score --markdown`` prints)."""
    from IPython.display import Markdown


    text = render_markdown(report)
    # the report's own headings would become page sections of the course site
    text = "\n".join(("**" + line.lstrip("# ") + "**") if line.startswith("#") else line
                     for line in text.splitlines())
    return Markdown(text)


def best_change_view(report: Any, lang: str | None = None) -> Any:
    """'What would help most', in one sentence: the change, its criterion and the new total."""
    from IPython.display import Markdown

    best = None if report.blank else report.best_change()
    if best is None:
        return Markdown(report.no_change_line(lang))
    name = report.criterion(best.criterion).name
    return Markdown(t("lesson.scorecard.best", lang, text=best.text, criterion=name,
                      total=report.total, new_total=best.new_total))


def points_figure(report: Any, lang: str | None = None) -> Any:
    """Where a canvas earns and loses its points, criterion by criterion."""

    return charts.criteria_points(report, lang)
