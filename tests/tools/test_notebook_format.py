"""Notebooks are stored clean and follow the template (docs/notebook-template.md).

If a test here says a notebook has outputs, execution counts, missing cell ids or another
kernel, run, from the repository folder::

    python tools/notebook_format.py

which strips outputs and fixes the metadata in place (``--check`` only lists problems).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import notebook_format
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIX = "run 'python tools/notebook_format.py' to store it clean"
ALL = [p for folder in notebook_format.FOLDERS for p in sorted((ROOT / folder).glob("*.ipynb"))]
LESSONS = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
           if re.match(r"\d\d-", p.name)]

#: the template's sections, in order
HEADINGS = ["## The idea", "## Cases", "## In a table", "## In a figure", "## Try it",
            "## Exercises", "## Summary", "## Further reading"]
OVERVIEW = ["Learning objectives", "Time to complete", "Prerequisites", "Language"]
#: notebooks allowed to adapt the template, and how:
#: 01-welcome adds orientation (how to use the kit, running cells, the crkit command) before
#: the idea, so it need not keep the template's order; 13-build-your-canvas puts the canvas
#: builder in "Try it" and may leave out the case and table sections. Both keep the overview,
#: something to try, exercises, a summary and further reading, plus their own sections.
ADAPTED = {
    "01-welcome": ["## How to use this kit", "## Try it", "## Exercises", "## Summary",
                   "## Further reading"],
    "13-build-your-canvas": ["## The idea", "## Try it", "## Exercises", "## Summary",
                             "## Further reading"],
}
#: pages in notebooks/ that are not lessons at all (stored clean, but no template)
NOT_LESSONS = {"99-site-smoke": "a temporary page that exercises the site build"}
MAX_CODE_LINES = 12  # "a few lines that call crkit": logic belongs in src/crkit


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _markdown(nb: dict) -> str:
    return "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL, ids=_name)
def test_stored_without_outputs_with_ids_and_python3(path):
    nb = _load(path)
    problems = notebook_format.problems(nb)
    assert not problems, f"{_name(path)}: {'; '.join(problems)}; {FIX}"
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))


@pytest.mark.parametrize("path", [p for p in LESSONS if p.stem not in NOT_LESSONS], ids=_name)
def test_follows_the_template(path):
    nb = _load(path)
    cells = nb["cells"]
    first = _source(cells[0])
    assert cells[0]["cell_type"] == "markdown" and first.startswith(f"# {path.stem[:2]}. "), \
        f"{path.name}: must open with '# {path.stem[:2]}. Title'"
    for word in OVERVIEW:
        assert word in first, f"{path.name}: the overview needs '{word}'"
    assert '"es"' in first and '"pt"' in first, f"{path.name}: say LANG can be 'es' or 'pt'"
    setup = next(c for c in cells if c["cell_type"] == "code")
    lines = [x.split("#")[0].strip() for x in _source(setup).splitlines()]
    lines = [x for x in lines if x]  # comments are fine
    assert "import crkit" in lines and 'LANG = "en"' in lines, f"{path.name}: setup cell"
    assert all(x.startswith(("import ", "from crkit import", "from crkit.")) or x == 'LANG = "en"'
               for x in lines), f"{path.name}: the setup cell holds imports and LANG only"
    headings = [line.strip() for line in _markdown(nb).splitlines() if line.startswith("## ")]
    required = ADAPTED.get(path.stem, HEADINGS)
    for heading in required:
        assert heading in headings, f"{path.name}: missing '{heading}'"
    if path.stem not in ADAPTED:
        order = [h for h in headings if h in HEADINGS]
        assert order == HEADINGS, f"{path.name}: sections out of the template's order: {order}"


@pytest.mark.parametrize("path", [p for p in LESSONS if p.stem not in NOT_LESSONS], ids=_name)
def test_code_cells_are_short(path):
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            lines = [x for x in _source(cell).splitlines() if x.strip()]
            assert len(lines) <= MAX_CODE_LINES, \
                f"{path.name}: a code cell of {len(lines)} lines; move the logic to src/crkit"


@pytest.mark.parametrize("path", [p for p in LESSONS if p.stem not in NOT_LESSONS], ids=_name)
def test_exercises_follow_the_template(path):
    nb = _load(path)
    number = path.stem[:2]
    cells = nb["cells"]
    labels = []
    for index, cell in enumerate(cells):
        text = _source(cell)
        tags = cell.get("metadata", {}).get("tags") or []
        if "{exercise}" in text:
            label = re.search(r":label:\s*(\S+)", text)
            assert label, f"{path.name}: an exercise without a label"
            labels.append(label.group(1))
            assert label.group(1).startswith(f"ex-{number}-"), \
                f"{path.name}: exercise labels start with 'ex-{number}-' ({label.group(1)})"
            check = _source(cells[index + 1])
            assert cells[index + 1]["cell_type"] == "code" and "answer = None" in check \
                and "crkit.exercises.check(" in check and "lang=LANG" in check, \
                f"{path.name}: after {label.group(1)} comes the answer cell"
        if "{solution}" in text:
            assert "solution" in tags, f"{path.name}: solution blocks go in cells tagged solution"
            target = re.search(r"\{solution\}\s+(\S+)", text).group(1)
            assert target in labels, f"{path.name}: a solution for unknown {target}"
            assert ":class: dropdown" in text, f"{path.name}: solutions use :class: dropdown"
        if "solution" in tags:
            assert cell["cell_type"] == "markdown" and "{solution}" in text
    if path.stem not in NOT_LESSONS:
        assert 2 <= len(labels) <= 3, f"{path.name}: {len(labels)} exercises (2-3 expected)"
        solved = {re.search(r"\{solution\}\s+(\S+)", _source(c)).group(1)
                  for c in cells if "{solution}" in _source(c)}
        assert solved == set(labels), f"{path.name}: every exercise needs its solution"


def test_exercise_labels_are_unique_across_the_book():
    seen: dict[str, str] = {}
    pages = [*ALL, *sorted((ROOT / "book").glob("*.md"))]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(_source(c) for c in _load(path)["cells"])
        for label in re.findall(r":label:\s*(\S+)", text):
            assert label not in seen, f"label {label} is used in {seen[label]} and {_name(path)}"
            seen[label] = _name(path)


@pytest.mark.parametrize("path", ALL, ids=_name)
def test_relative_links_point_to_existing_pages(path):
    text = _markdown(_load(path))
    for target in re.findall(r"\]\(([^)\s#]+?\.(?:ipynb|md))(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (path.parent / target).resolve().exists(), f"{_name(path)}: broken link {target}"


def test_the_formatter_strips_outputs_in_place(tmp_path):
    source = ROOT / "notebooks" / "10-lifecycle.ipynb"
    if not source.exists():
        pytest.skip("needs notebooks/10-lifecycle.ipynb")
    nb = _load(source)
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}]
    code["execution_count"] = 3
    del nb["cells"][0]["id"]
    nb["metadata"]["kernelspec"] = {"name": "other", "display_name": "Other", "language": "x"}
    copy = tmp_path / "dirty.ipynb"
    copy.write_text(json.dumps(nb), encoding="utf-8")
    tool = str(ROOT / "tools" / "notebook_format.py")
    check = subprocess.run([sys.executable, tool, "--check", str(copy)],
                           capture_output=True, text=True)
    assert check.returncode == 1 and "has outputs" in check.stdout
    fixed = subprocess.run([sys.executable, str(ROOT / "tools" / "notebook_format.py"), str(copy)],
                           capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stderr
    assert notebook_format.problems(_load(copy)) == []
    cleaned = _load(copy)
    assert [_source(c) for c in cleaned["cells"]] == [_source(c) for c in nb["cells"]]
