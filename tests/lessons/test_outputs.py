"""What a learner sees in the executed notebooks and case pages is the kit's finished output.

Every notebook in ``notebooks/`` and every case page in ``casestudies/`` is executed once in
English: no output may be a bare Python value (a dict, list, tuple, quoted string, True or
False, a bare number, a pandas Series or an ``<... object at ...>``) that only has a
``text/plain`` form; tables, Markdown and figures carry richer forms. Then each is executed
again with ``LANG = "es"``: every figure's alt text must write its numbers the Spanish way
(no 1,200 or 8.01), which fails when a notebook passes hand-typed English alt text.

Run only these with ``pytest -m notebooks tests/lessons/test_outputs.py``.
"""

from __future__ import annotations

import re

import pytest
from notebook_runner import ROOT, ExecutedNotebook, run_notebook

pytestmark = pytest.mark.notebooks

PAGES = sorted(str(p.relative_to(ROOT)) for folder in ("notebooks", "casestudies")
               for p in (ROOT / folder).glob("*.ipynb"))

#: a text/plain output that is a Python value, not something written for a reader
REPR = re.compile(
    r"""^\s*(?:[{\[('"]"""  # a dict, list, tuple or quoted string
    r"|<[\w.]+(?: object)? at 0x|<IPython\.|<[\w.]+ object>"  # an object's repr
    r"|(?:True|False|None)\s*$"  # a boolean
    r"|-?\d[\d.,_]*(?:e[-+]?\d+)?\s*$)"  # a bare number
    r"|\bdtype: \w+\s*$",  # a pandas Series
    re.DOTALL)
#: numbers written the English way: a comma between thousands, a point before decimals, a
#: dollar sign before the amount ($32; Spanish writes 32 US$, Portuguese US$ 32)
ENGLISH_NUMBER = re.compile(r"(?<![\d.,])(?:[1-9]\d{0,2}(?:,\d{3})+(?![\d,])"
                            r"|\d+\.\d{1,2}(?![\d.]))|(?<![A-Za-z])\$\s?\d")
def bare_values(nb: ExecutedNotebook) -> list[str]:
    """'cell N: text' for each output that only has a text/plain form and looks like a repr."""
    found = []
    for index, cell in enumerate(nb.nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") in ("execute_result", "display_data") \
                    and set(data) == {"text/plain"} and REPR.search(data["text/plain"]):
                found.append(f"cell {index}: {data['text/plain'][:120]}")
    return found


def figure_alts(nb: ExecutedNotebook) -> list[tuple[int, str]]:
    """(cell index, alt text) of every figure the notebook shows."""
    return [(index, out.get("metadata", {}).get("image/png", {}).get("alt", ""))
            for index, cell in enumerate(nb.nb.cells) if cell.cell_type == "code"
            for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]


def test_patterns_catch_what_they_are_for():
    assert all(REPR.search(text) for text in [
        "{'answers': 200, 'nps': 32.0}", "(2, 3)", "[1, 2]", "'Score levels: ...'",
        "True", "False", "0.301", "<IPython.core.display.Markdown object>",
        "<crkit.core.canvas.Canvas object at 0x7f00>",
        "awareness → acquisition    0.321\nName: conversion, dtype: float64"])
    assert not any(REPR.search(text) for text in [
        "Scatter chart of the six types", "Customers help to create the value"])
    assert ENGLISH_NUMBER.findall("US$8.01, 1,200 and 100,000 people, 0.82%, $32") == [
        "8.01", "1,200", "100,000", "0.82", "$3"]
    assert not ENGLISH_NUMBER.findall(
        "8,01 US$, US$ 8,01, 1.200, 1.800.000, 0,825 y 32,1 %, 1995-2008")


@pytest.mark.parametrize("page", PAGES)
def test_no_python_values_shown(page):
    with run_notebook(page) as nb:
        assert not nb.errors, f"{page}: {nb.errors}"
        bare = bare_values(nb)
    assert not bare, f"{page} shows Python values instead of tables or text: {bare}"


@pytest.mark.parametrize("page", PAGES)
def test_spanish_figures_write_spanish_numbers(page):
    with run_notebook(page, lang="es") as nb:
        assert not nb.errors, f"{page} (es): {nb.errors}"
        alts = figure_alts(nb)
    assert alts, f"{page} (es) shows no figure"
    wrong = [(index, ENGLISH_NUMBER.findall(alt), alt[:100]) for index, alt in alts
             if ENGLISH_NUMBER.search(alt)]
    assert not wrong, f"{page} (es): alt text with English number formats: {wrong}"
