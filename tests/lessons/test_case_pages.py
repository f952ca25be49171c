"""Every case page runs top to bottom in a fresh kernel and shows what the case computes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notebook_runner import run_notebook

import crkit
from crkit.core.cases import list_cases

pytestmark = pytest.mark.notebooks

ROOT = Path(__file__).resolve().parents[2]
CASES = list_cases(ROOT / "casestudies")


def _check_page(nb, case, lang="en"):
    assert not nb.errors, nb.errors
    assert not nb.warnings, nb.warnings
    images = nb.images()
    expected = len(case.canvases) + 2 + len(case.illustrative)  # + scores chart + case map
    assert len(images) >= max(2, expected)
    assert all(o.get("metadata", {}).get("image/png", {}).get("alt") for o in images)
    assert nb.value("LANG") == lang and nb.value("CASE_ID") == case.id
    totals = nb.value("{k: r.total for k, r in reports.items()}")
    assert totals == {cc.id: crkit.score(cc.canvas).total for cc in case.canvases}
    assert nb.value("report.total") == crkit.score(case.canvas()).total
    html = json.dumps(nb.outputs(), ensure_ascii=False)
    # the story, the facts and the questions come from the case file, in LANG
    assert case.text("narrative", lang).split("\n")[0][:40] in html
    assert case.facts[0].say(lang)[:30] in html
    for q in case.questions:
        assert json.dumps(q["question"][lang][:30], ensure_ascii=False)[1:-1] in html
    if any(f.status == "reported" for f in case.facts):
        assert "reported" in html or "reportado" in html or "relatado" in html


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_page_runs_and_shows_the_case(case):
    with run_notebook(f"casestudies/{case.id}.ipynb") as nb:
        _check_page(nb, case)
        if case.id == "mobile-operators":
            lifecycle = nb.value("{k: r.scores['lifecycle'] for k, r in reports.items()}")
            assert lifecycle["retention-era"] > lifecycle["acquisition-era"]
            assert "higher than" in json.dumps(nb.outputs())


def test_a_case_page_switches_language(tmp_path):
    import nbformat

    case = next(c for c in CASES if c.id == "mobile-operators")
    nb = nbformat.read(ROOT / "casestudies" / "mobile-operators.ipynb", as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    first.source = first.source.replace('LANG = "en"', 'LANG = "es"')
    path = tmp_path / "mobile-operators.ipynb"
    nbformat.write(nb, path)
    with run_notebook(path) as run:
        _check_page(run, case, lang="es")
        assert "Relaciones con clientes" in run.value("canvas_alt_text(case.canvas(), LANG)")
        assert run.value("report.criteria[0].name") == "Ajuste a las expectativas"
