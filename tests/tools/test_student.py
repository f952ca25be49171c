"""The student version keeps every notebook and case page, minus the solutions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import student_edition as student

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in student.FOLDERS for p in sorted((ROOT / folder).glob("*.ipynb"))]


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student")
    student.build(out, ROOT)
    return out


def test_every_notebook_and_case_page_is_copied(built):
    copied = sorted(p.relative_to(built) for p in built.rglob("*.ipynb"))
    assert copied == sorted(p.relative_to(ROOT) for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_solutions_and_everything_else_kept(built, path):
    original = _load(path)
    copy = _load(built / path.relative_to(ROOT))
    for cell in copy["cells"]:
        assert "solution" not in (cell.get("metadata", {}).get("tags") or [])
        assert "{solution}" not in _source(cell)
        assert "{solution-start}" not in _source(cell)
    kept = [c for c in original["cells"]
            if "solution" not in (c.get("metadata", {}).get("tags") or [])
            and "{solution}" not in _source(c)]
    copied = {c["id"]: c for c in copy["cells"]}
    for cell in kept:  # every cell without a solution is there, unchanged
        assert copied.get(cell["id"]) == cell
    assert copy["metadata"] == original["metadata"]
    # exercises stay: only their solutions go
    assert _source_count(copy, "{exercise}") == _source_count(original, "{exercise}")


def _source_count(nb: dict, needle: str) -> int:
    return sum(_source(c).count(needle) for c in nb["cells"])


def test_solution_blocks_inside_other_text_are_cut_out():
    nb = {"cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source":
            "Intro\n\n```{exercise}\n:label: ex-x\nWhy?\n```\n\n```{solution} ex-x\n:class: "
            "dropdown\nBecause.\n```\n\nAfter"},
        {"cell_type": "markdown", "id": "b", "metadata": {}, "source":
            ":::{solution} ex-y\nColon fence.\n:::\n"},
        {"cell_type": "markdown", "id": "c", "metadata": {},
         "source": "```{solution-start} ex-z\n```"},
        {"cell_type": "code", "id": "d", "metadata": {}, "source": "answer = 42",
         "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "id": "e", "metadata": {}, "source": "```{solution-end}\n```"},
        {"cell_type": "code", "id": "f", "metadata": {"tags": ["solution"]}, "source": "x = 1",
         "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "id": "g", "metadata": {}, "source": "Kept."},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    result = student.Result()
    out = student.student_notebook(nb, result)
    assert [c["id"] for c in out["cells"]] == ["a", "g"]
    assert out["cells"][0]["source"].startswith("Intro")
    assert "Because" not in out["cells"][0]["source"] and "After" in out["cells"][0]["source"]
    assert "{exercise}" in out["cells"][0]["source"]
    assert result.blocks_removed == 2 and result.cells_removed == 5
    assert len(nb["cells"]) == 7  # the source is not changed


def test_command_line(tmp_path):
    out = tmp_path / "class"
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "notebooks written" in done.stdout
    assert (out / "notebooks").is_dir()


def test_refuses_to_overwrite_the_sources():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "student_edition.py"), str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "overwrite" in done.stderr


@pytest.mark.notebooks
def test_a_student_notebook_still_runs(built):
    from notebook_runner import run_notebook

    path = built / "notebooks" / "10-lifecycle.ipynb"
    if not path.exists():
        pytest.skip("needs notebooks/10-lifecycle.ipynb")
    with run_notebook(path) as nb:
        assert not nb.errors and nb.images()
