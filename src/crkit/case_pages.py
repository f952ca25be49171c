"""One page per case study, generated from one template: ``python -m crkit.case_pages``.

Each ``casestudies/<id>.yaml`` gets a notebook ``casestudies/<id>.ipynb`` (stored without
outputs). The page's text comes from the case file when the page runs, so learners can
switch ``LANG`` to ``"es"`` or ``"pt"``; only the title and the model answers (hidden in
collapsed MyST dropdowns, in cells tagged ``solution`` so a student version can strip
them) are written into the page when it is generated. A test checks that every page is
what the generator would write today.

Usage::

    python -m crkit.case_pages            # write pages for case files that have none
    python -m crkit.case_pages --force    # rewrite every page
    python -m crkit.case_pages --check    # exit 1 when a page is missing or out of date

The helpers below (:func:`header`, :func:`facts`, :func:`score_table`, :func:`question`)
are what the pages call, so a page holds no logic of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from crkit.cases import Case, cases_dir, facts_table, list_cases
from crkit.i18n import LANGUAGE_NAMES, LANGUAGES, check_language, localized, t

#: tag of cells holding model answers (a student version drops them)
SOLUTION_TAG = "solution"
#: tags for the course site: fold a code cell's source away, drop it, or widen the output
HIDE_INPUT = "hide-input"
REMOVE_INPUT = "remove-input"
FULL_WIDTH = "full-width"
REPORTED_FILL = "#FFF1CC"


# --- helpers the pages call ----------------------------------------------------------
def header(case: Case, lang: str | None = None) -> str:
    """Industry, region, years and summary, as Markdown."""
    lang = check_language(lang)
    return (f"*{case.text('industry', lang)} · {case.text('region', lang)} · {case.years}*"
            f"\n\n**{case.text('summary', lang)}**")


def facts(case: Case, lang: str | None = None) -> Any:
    """The facts table with reported (not confirmed) facts shaded and labelled."""
    from crkit.canvas_figure import format_number

    lang = check_language(lang)
    table = facts_table(case, lang)
    table[t("label.value", lang)] = [_value(f, lang, format_number) for f in case.facts]
    status = t("label.status", lang)
    reported = t("case.status-reported", lang)

    def shade(row: Any) -> list[str]:
        style = f"background-color: {REPORTED_FILL}; font-style: italic" \
            if row[status] == reported else ""
        return [style] * len(row)

    return (table.style.apply(shade, axis=1).hide(axis="index")
            .set_properties(**{"text-align": "left", "vertical-align": "top"})
            .set_table_styles([{"selector": "th", "props": "text-align: left"}]))


def _value(fact: Any, lang: str, number: Any) -> str:
    if fact.value is None:
        return ""
    unit = str(fact.unit or "")
    joiner = "" if not unit or unit.startswith("%") else " "
    return f"{number(fact.value, lang)}{joiner}{unit}"


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
                      total=f"{report.total:g}")


def question(case: Case, index: int, lang: str | None = None) -> str:
    """Discussion question ``index`` (from 0) as Markdown."""
    text = localized(case.questions[index]["question"], lang)
    return f"**{t('casepage.question', lang, n=index + 1)}** {text}"


# --- the template ----------------------------------------------------------------------
def _md(id_: str, text: str, tags: tuple[str, ...] = ()) -> Any:
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = id_
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _code(id_: str, source: str, tags: tuple[str, ...] = (HIDE_INPUT,)) -> Any:
    import nbformat

    cell = nbformat.v4.new_code_cell(source)
    cell.id = id_
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _answer(case: Case, index: int) -> str:
    answer = case.questions[index]["answer"]
    body = "\n\n".join(f"**{LANGUAGE_NAMES[lang]}.** {localized(answer, lang).strip()}"
                       for lang in LANGUAGES)
    return f"````{{dropdown}} {t('casepage.answer-title', 'en')}\n{body}\n````"


def notebook(case: Case) -> Any:
    """The page of one case, as an nbformat notebook without outputs."""
    import nbformat

    file = f"casestudies/{case.id}.yaml"
    cells = [
        _md("title", f"# {case.title('en')}"),
        _md("generated", (
            f"*This page is generated from `{file}` by `python -m crkit.case_pages`, and a "
            "test checks that it matches the case file: to change it, edit the case file "
            "and run the generator again. Set `LANG` below to `\"es\"` or `\"pt\"` and run "
            "all cells to read the case in Spanish or Portuguese.*")),
        _code("settings", (
            "# Learners: set LANG = \"es\" (español) or \"pt\" (português), then run all cells.\n"
            f"LANG = \"en\"\nCASE_ID = \"{case.id}\""), tags=()),
        _code("setup", (
            "import crkit\n"
            "from crkit import case_pages as page\n"
            "from crkit.canvas_figure import canvas_alt_text, draw_canvas\n"
            "from crkit.case_charts import (case_map, case_map_alt, claim_text, "
            "illustrative_alt,\n"
            "                               illustrative_chart, scores_alt, scores_chart)\n"
            "from crkit.cases import load_case\n"
            "from crkit.charts import show\n"
            "from IPython.display import Markdown, display\n\n"
            "case = load_case(CASE_ID)\n"
            "reports = {c.id: crkit.score(c.canvas, lang=LANG) for c in case.canvases}\n"
            "report = reports[case.canvases[0].id]\n"
            "display(Markdown(page.header(case, LANG)))")),
        _md("story-heading", "## The story"),
        _code("story", "display(Markdown(case.text(\"narrative\", LANG)))",
              tags=(REMOVE_INPUT,)),
        _md("facts-heading", (
            "## Facts and sources\n\n"
            "Every fact names who published it and when. Facts shaded and marked *reported, "
            "not confirmed* come from a secondary summary: use them with care.")),
        _code("facts", ("display(page.facts(case, LANG))\n"
                        "display(Markdown(page.reported_note(case, LANG)))"),
              tags=(REMOVE_INPUT,)),
        _md("canvas-heading", (
            "## The canvas\n\n"
            "The customer side of the business model, drawn as a Business Model Canvas: each "
            "relationship is a note in its type's colour.")),
        _code("canvas", (
            "for c in case.canvases:\n"
            "    display(Markdown(f\"### {c.label(LANG)}\"))\n"
            "    show(draw_canvas(c.canvas, LANG, reports[c.id]),\n"
            "         alt=canvas_alt_text(c.canvas, LANG, reports[c.id]))"),
              tags=(HIDE_INPUT, FULL_WIDTH)),
        _md("score-heading", (
            "## The score\n\n"
            "The kit's rubric scores each canvas on six criteria from 0 to 4, says why, and "
            "suggests one change for each.")),
        _code("score", (
            "for c in case.canvases:\n"
            "    display(Markdown(page.score_heading(c.label(LANG), reports[c.id])))\n"
            "    display(page.score_table(reports[c.id]))")),
        _md("charts-heading", "## Charts"),
        _code("scores-chart", (
            "show(scores_chart(case, LANG), alt=scores_alt(case, LANG))\n"
            "if case.claims:\n"
            "    display(Markdown(claim_text(case, LANG)))")),
        _code("illustrative", (
            "for spec in case.illustrative:\n"
            "    show(illustrative_chart(case, spec, LANG), "
            "alt=illustrative_alt(case, spec, LANG))")),
        _code("case-map", "show(case_map(LANG, highlight=CASE_ID), alt=case_map_alt(LANG))"),
        _md("questions-heading", (
            "## Discussion questions\n\n"
            "Discuss each question before opening the model answer.")),
    ]
    for i in range(len(case.questions)):
        cells.append(_code(f"question-{i + 1}",
                           f"display(Markdown(page.question(case, {i}, LANG)))",
                           tags=(REMOVE_INPUT,)))
        cells.append(_md(f"answer-{i + 1}", _answer(case, i), tags=(SOLUTION_TAG,)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(case: Case) -> str:
    """The page of one case as the exact text the generator writes."""
    import nbformat

    text = nbformat.writes(notebook(case))
    return text if text.endswith("\n") else text + "\n"


def page_path(case: Case) -> Path:
    """Where a case's page lives: beside its case file."""
    folder = case.path.parent if case.path else cases_dir()
    return folder / f"{case.id}.ipynb"


def outdated(folder: str | os.PathLike | None = None) -> list[Path]:
    """Pages that are missing or differ from what the generator would write."""
    out = []
    for case in list_cases(folder):
        path = page_path(case)
        if not path.is_file() or path.read_text(encoding="utf-8") != render(case):
            out.append(path)
    return out


def write_pages(folder: str | os.PathLike | None = None, force: bool = False,
                ids: list[str] | None = None) -> list[Path]:
    """Write the page of every case that has none (every case with ``force``)."""
    from crkit.storage import write_atomic

    written = []
    for case in list_cases(folder):
        if ids and case.id not in ids:
            continue
        path = page_path(case)
        if path.exists() and not force:
            continue
        write_atomic(path, render(case))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crkit.case_pages",
        description="Write one notebook page per case study file.")
    parser.add_argument("ids", nargs="*", help="only these case ids")
    parser.add_argument("--force", action="store_true", help="rewrite existing pages")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a page is missing or out of date")
    parser.add_argument("--folder", help="cases folder (default: $CRKIT_CASES or casestudies/)")
    args = parser.parse_args(argv)
    from crkit.errors import CrkitError

    try:
        if args.check:
            stale = [p for p in outdated(args.folder)
                     if not args.ids or p.stem in args.ids]
            for path in stale:
                print(f"out of date: {path}")
            if stale:
                print("run: python -m crkit.case_pages --force")
            return 1 if stale else 0
        written = write_pages(args.folder, force=args.force, ids=args.ids or None)
    except CrkitError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("every case already has a page (use --force to rewrite them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
