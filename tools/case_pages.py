"""Write one page per case study from one template (a checkout tool, not part of the package).

Each ``casestudies/<id>.yaml`` gets a notebook ``casestudies/<id>.ipynb`` (stored without
outputs). The page's text comes from the case file when the page runs (through
:mod:`crkit.lessons.case_page`), so learners can switch ``LANG``; only the title and the
model answers (collapsed dropdowns in cells tagged ``solution``, which the student edition
drops) are written into the page here, in the page's language only. A test checks every
page is what this tool writes. The Spanish and Portuguese editions of the site get their pages
from :func:`render` with ``lang`` (``tools/translate.py edition``); only English pages are
stored in ``casestudies/``.

Usage::

    python tools/case_pages.py            # write pages for case files that have none
    python tools/case_pages.py --force    # rewrite every page
    python tools/case_pages.py --check    # exit 1 when a page is missing or out of date
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from crkit.core.cases import Case, cases_dir, list_cases
from crkit.core.errors import CrkitError
from crkit.core.i18n import localized, t
from crkit.core.storage import write_atomic

#: tag of cells holding model answers (a student version drops them)
SOLUTION_TAG = "solution"
#: tags for the course site: fold a code cell's source away, drop it, or widen the output
HIDE_INPUT = "hide-input"
REMOVE_INPUT = "remove-input"
FULL_WIDTH = "full-width"


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


def _answer(case: Case, index: int, lang: str = "en") -> str:
    """One model answer, in the page's language only."""
    answer = localized(case.questions[index]["answer"], lang).strip()
    return f"````{{dropdown}} {t('casepage.answer-title', lang)}\n{answer}\n````"


def _section(id_: str, lang: str) -> str:
    """A heading and its introduction (``casepage.page.<id>-title`` and ``-intro``)."""
    return f"## {t(f'casepage.page.{id_}-title', lang)}\n\n{t(f'casepage.page.{id_}-intro', lang)}"


def notebook(case: Case, lang: str = "en") -> Any:
    """The page of one case in one language, as an nbformat notebook without outputs.

    Every heading and sentence comes from ``casepage.*`` in messages.yaml; the page's code
    starts with ``LANG = "<lang>"``, so the case's own texts come out in that language too.
    """
    import nbformat

    cells = [
        _md("title", f"# {case.title(lang)}"),
        _md("generated", t("casepage.page.lang-note", lang)),
        _code("settings", (
            f"# {t('casepage.page.lang-comment', lang)}\n"
            f"LANG = \"{lang}\"\nCASE_ID = \"{case.id}\""), tags=()),
        _code("setup", (
            "import crkit\n"
            "from crkit.lessons import case_page as page\n"
            "from crkit.views.canvas_figure import canvas_alt_text, draw_canvas\n"
            "from crkit.views.case_charts import (case_map, case_map_alt, claim_text, "
            "illustrative_alt,\n"
            "                               illustrative_chart, scores_alt, scores_chart)\n"
            "from crkit.core.cases import load_case\n"
            "from crkit.views.charts import show\n"
            "from IPython.display import Markdown, display\n\n"
            "case = load_case(CASE_ID)\n"
            "reports = {c.id: crkit.score(c.canvas, lang=LANG) for c in case.canvases}\n"
            "report = reports[case.canvases[0].id]\n"
            "display(Markdown(page.header(case, LANG)))")),
        _md("story-heading", f"## {t('casepage.page.story', lang)}"),
        _code("story", "display(Markdown(case.text(\"narrative\", LANG)))",
              tags=(REMOVE_INPUT,)),
        _md("facts-heading", _section("facts", lang)),
        _code("facts", ("display(page.facts(case, LANG))\n"
                        "if note := page.reported_note(case, LANG):\n"
                        "    display(Markdown(note))"),
              tags=(REMOVE_INPUT,)),
        _md("canvas-heading", _section("canvas", lang)),
        _code("canvas", (
            "for c in case.canvases:\n"
            "    display(Markdown(f\"### {c.label(LANG)}\"))\n"
            "    show(draw_canvas(c.canvas, LANG, reports[c.id]),\n"
            "         alt=canvas_alt_text(c.canvas, LANG, reports[c.id]))"),
              tags=(HIDE_INPUT, FULL_WIDTH)),
        _md("score-heading", _section("score", lang)),
        _code("score", (
            "for c in case.canvases:\n"
            "    display(Markdown(page.score_heading(c.label(LANG), reports[c.id])))\n"
            "    display(page.score_table(reports[c.id]))")),
        _md("charts-heading", f"## {t('casepage.page.charts', lang)}"),
        _code("scores-chart", (
            "show(scores_chart(case, LANG), alt=scores_alt(case, LANG))\n"
            "if case.claims:\n"
            "    display(Markdown(claim_text(case, LANG)))")),
        _code("illustrative", (
            "for spec in case.illustrative:\n"
            "    show(illustrative_chart(case, spec, LANG), "
            "alt=illustrative_alt(case, spec, LANG))")),
        _code("case-map", "show(case_map(LANG, highlight=CASE_ID), alt=case_map_alt(LANG))"),
        _md("questions-heading", _section("questions", lang)),
    ]
    for i in range(len(case.questions)):
        cells.append(_code(f"question-{i + 1}",
                           f"display(Markdown(page.question(case, {i}, LANG)))",
                           tags=(REMOVE_INPUT,)))
        cells.append(_md(f"answer-{i + 1}", _answer(case, i, lang), tags=(SOLUTION_TAG,)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(case: Case, lang: str = "en") -> str:
    """The page of one case as the exact text the generator writes."""
    import nbformat

    text = nbformat.writes(notebook(case, lang))
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
        prog="python tools/case_pages.py",
        description="Write one notebook page per case study file.")
    parser.add_argument("ids", nargs="*", help="only these case ids")
    parser.add_argument("--force", action="store_true", help="rewrite existing pages")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a page is missing or out of date")
    parser.add_argument("--folder", help="cases folder (default: $CRKIT_CASES or casestudies/)")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = [p for p in outdated(args.folder)
                     if not args.ids or p.stem in args.ids]
            for path in stale:
                print(f"out of date: {path}")
            if stale:
                print("run: python tools/case_pages.py --force")
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
