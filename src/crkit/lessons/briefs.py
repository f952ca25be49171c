"""Short views of the case library for the lessons' "Cases" sections.

A lesson needs a case in a few lines: what the company is, which relationships it shows, and
one fact with its source. These helpers give that as Markdown or as a small table, so the
notebook cell stays one line and every fact keeps its source and status.
"""

from __future__ import annotations

from typing import Any

from crkit.core import knowledge
from crkit.core.cases import Case, Fact, load_case
from crkit.core.i18n import t
from crkit.views.tables import lesson_table, readable  # noqa: F401  (lessons import them here)


def _case(case: Case | str) -> Case:
    return load_case(case) if isinstance(case, str) else case


def _names(kind: str, ids: list[str], lang: str | None) -> str:
    return ", ".join(knowledge.name(kind, i, lang) for i in ids) or t("word.none", lang)


def fact_line(fact: Fact, lang: str | None = None) -> str:
    """A fact with its source and year, flagged when it is reported but not confirmed."""
    status = "" if fact.status == "confirmed" else f"; {t('case.status-reported', lang)}"
    return f"{fact.say(lang).rstrip('.')} ({fact.source}, {fact.year}{status})."


def pick_facts(case: Case, source: str | None = None, count: int = 1) -> list[Fact]:
    """Facts to show: those whose source contains ``source``, confirmed ones first."""
    facts = [f for f in case.facts if source is None or source.lower() in f.source.lower()]
    return sorted(facts, key=lambda f: f.status != "confirmed")[:count]


def case_brief(case: Case | str, lang: str | None = None, source: str | None = None,
               facts: int = 1) -> Any:
    """A case in a few lines (title, summary, types, bond, stages, sourced facts).

    Parameters
    ----------
    case : Case or str
        A loaded case or its id.
    lang : str, optional
        Language of the texts.
    source : str, optional
        Show facts from this source (e.g. ``"Market Realist"``); any source otherwise.
    facts : int
        How many facts to show.
    """
    from IPython.display import Markdown

    case = _case(case)
    lines = [
        f"**{case.title(lang)}** ({case.company_name(lang)}, {case.years})",
        "",
        case.text("summary", lang),
        "",
        f"- {t('lesson.label.main-types', lang)}: {_names('types', case.types_main, lang)}",
        f"- {t('lesson.label.secondary-types', lang)}: "
        f"{_names('types', case.types_secondary, lang)}",
        f"- {t('lesson.label.motivations', lang)}: "
        f"{_names('motivations', case.motivations, lang)}",
        f"- {t('lesson.label.bond', lang)}: {knowledge.name('bonds', case.bond, lang)}",
        f"- {t('lesson.label.stages', lang)}: {_names('stages', case.stages, lang)}",
    ]
    for fact in pick_facts(case, source, facts):
        lines += ["", f"> {fact_line(fact, lang)}"]
    return Markdown("\n".join(lines))


@lesson_table()
def cases_table(cases: list[Case], lang: str | None = None) -> Any:
    """Companies with their main types, bond, lifecycle stages and one sourced fact."""
    import pandas as pd

    rows = []
    for case in cases:
        fact = pick_facts(case)
        rows.append({
            t("lesson.label.case", lang): case.company_name(lang),
            t("lesson.label.main-types", lang): _names("types", case.types_main, lang),
            t("lesson.label.bond", lang): knowledge.name("bonds", case.bond, lang),
            t("lesson.label.stages", lang): _names("stages", case.stages, lang),
            t("label.fact", lang): fact_line(fact[0], lang) if fact else "",
        })
    return pd.DataFrame(rows)
