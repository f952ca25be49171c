"""What a case-study page shows: its header, facts table, score table and questions.

The pages in ``casestudies/<id>.ipynb`` are written from one template by the checkout tool
``tools/case_pages.py``; the functions here are what those pages call when they run, so a
page holds no logic of its own and follows ``LANG``.
"""


from __future__ import annotations

from typing import Any

from crkit.core.cases import Case, facts_table
from crkit.core.i18n import check_language, localized, t
from crkit.core.numbers import number, quantity

REPORTED_FILL = "#FFF1CC"


# --- helpers the pages call ----------------------------------------------------------
def header(case: Case, lang: str | None = None) -> str:
    """Industry, region, years and summary, as Markdown."""
    lang = check_language(lang)
    return (f"*{case.text('industry', lang)} · {case.text('region', lang)} · {case.years}*"
            f"\n\n**{case.text('summary', lang)}**")


def facts(case: Case, lang: str | None = None) -> Any:
    """The facts table with reported (not confirmed) facts shaded and labelled."""

    lang = check_language(lang)
    table = facts_table(case, lang)
    table[t("label.value", lang)] = [_value(f, lang) for f in case.facts]
    status = t("label.status", lang)
    reported = t("case.status-reported", lang)

    def shade(row: Any) -> list[str]:
        style = f"background-color: {REPORTED_FILL}; font-style: italic" \
            if row[status] == reported else ""
        return [style] * len(row)

    return (table.style.apply(shade, axis=1).hide(axis="index")
            .set_properties(**{"text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": "text-align: left"}]))


def _value(fact: Any, lang: str) -> str:
    return quantity(fact.value, fact.unit, lang)


def reported_note(case: Case, lang: str | None = None) -> str:
    """A sentence saying how many facts are reported, not confirmed (empty if none)."""
    count = sum(f.status == "reported" for f in case.facts)
    if not count:
        return ""
    return t("casepage.reported-note", lang, count=count, total=len(case.facts))


def score_table(report: Any) -> Any:
    """Criterion, score, explanation and suggestion of a :class:`ScoreReport`."""
    import pandas as pd

    lang = report.language
    table = pd.DataFrame([{
        t("report.criterion", lang): c.name,
        t("report.score", lang): f"{c.score}/4",
        t("casepage.explanation", lang): c.explanation,
        t("casepage.suggestion", lang): c.suggestion,
    } for c in report.criteria])
    return (table.style.hide(axis="index")
            .set_properties(**{"text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": "text-align: left"}]))


def score_heading(label: str, report: Any) -> str:
    """'### <canvas label>: total 88.8/100' in the report's language."""
    return "### " + t("casepage.score-heading", report.language, label=label,
                      total=number(report.total, report.language))


def question(case: Case, index: int, lang: str | None = None) -> str:
    """Discussion question ``index`` (from 0) as Markdown."""
    text = localized(case.questions[index]["question"], lang)
    return f"**{t('casepage.question', lang, n=index + 1)}** {text}"
