"""Make a student version of the notebooks and case pages: everything but the solutions.

Instructors hand these copies out (or put them on a JupyterHub) when students must not find
the answers one click away. Run from the repository folder::

    python tools/student_edition.py OUT_DIR

It copies ``notebooks/*.ipynb`` and ``casestudies/*.ipynb`` into ``OUT_DIR/notebooks`` and
``OUT_DIR/casestudies``, leaving out every cell tagged ``solution``, every
```` ```{solution} ```` block (backtick or colon fences) and every gated solution
(``{solution-start}`` ... ``{solution-end}``). All other cells, ids and metadata are kept
as they are. The sources are never changed.

Cells tagged ``solution`` are dropped by nbconvert's ``TagRemovePreprocessor`` (the same
tag rule jupyter-book and nbconvert users know); what no library does is kept here: MyST
``{solution}`` blocks inside a markdown cell, and gated solutions across cells.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: folders copied, relative to the repository root
FOLDERS = ("notebooks", "casestudies")
SOLUTION_TAG = "solution"
_FENCE_OPEN = re.compile(r"^\s*(`{3,}|:{3,})\s*\{(solution|solution-start|solution-end)\}")


@dataclass
class Result:
    """What a student build wrote: notebooks copied and solutions left out."""

    notebooks: int = 0
    cells_removed: int = 0
    blocks_removed: int = 0


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_solution_cell(cell: dict[str, Any]) -> bool:
    """A cell tagged ``solution`` (markdown or code)."""
    return SOLUTION_TAG in (cell.get("metadata", {}).get("tags") or [])


def strip_solution_blocks(markdown: str) -> tuple[str, int]:
    """Markdown without its ``{solution}`` blocks, and how many were removed."""
    out: list[str] = []
    fence: str | None = None
    removed = 0
    for line in markdown.splitlines(keepends=True):
        if fence is None:
            match = _FENCE_OPEN.match(line)
            if match and match.group(2) == "solution":
                fence, removed = match.group(1), removed + 1
                continue
            out.append(line)
        else:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = None
    return "".join(out), removed


def _without_tagged_cells(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook without cells tagged ``solution`` (nbconvert's TagRemovePreprocessor)."""
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

    node = nbformat.from_dict(json.loads(json.dumps(nb)))
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}, enabled=True)
    node, _ = remover.preprocess(node, {})
    return json.loads(json.dumps(node))


def student_notebook(nb: dict[str, Any], result: Result | None = None) -> dict[str, Any]:
    """A copy of a notebook (parsed JSON) without solutions; counts go into ``result``."""
    result = result or Result()
    before = len(nb.get("cells", []))
    nb = _without_tagged_cells(nb)
    result.cells_removed += before - len(nb["cells"])
    kept = []
    gated = False
    for cell in nb.get("cells", []):
        text = _source(cell)
        if cell.get("cell_type") == "markdown" and re.search(r"\{solution-start\}", text):
            gated = True
        if gated:
            result.cells_removed += 1
            if cell.get("cell_type") == "markdown" and re.search(r"\{solution-end\}", text):
                gated = False
            continue
        if cell.get("cell_type") == "markdown" and "{solution}" in text:
            stripped, count = strip_solution_blocks(text)
            result.blocks_removed += count
            if not stripped.strip():
                result.cells_removed += 1
                continue
            cell = {**cell, "source": stripped}
        kept.append(cell)
    return {**nb, "cells": kept}


def build(out_dir: str | Path, root: str | Path | None = None) -> Result:
    """Write the student version of every notebook and case page into ``out_dir``."""
    root = Path(root) if root else Path(__file__).resolve().parents[1]
    out = Path(out_dir)
    if out.resolve() == root.resolve() or any(
            out.resolve() == (root / f).resolve() for f in FOLDERS):
        raise ValueError(f"{out} would overwrite the sources: choose another folder")
    result = Result()
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = json.loads(path.read_text(encoding="utf-8"))
            target = out / folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(student_notebook(nb, result), indent=1,
                                         ensure_ascii=False, sort_keys=True) + "\n",
                              encoding="utf-8")
            result.notebooks += 1
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python tools/student_edition.py OUT_DIR [--root REPO]``."""
    parser = argparse.ArgumentParser(
        prog="python tools/student_edition.py",
        description="Copy the notebooks and case pages without their solutions.")
    parser.add_argument("out_dir", help="folder to write the student version into")
    parser.add_argument("--root", help="repository folder (default: this checkout)")
    args = parser.parse_args(argv)
    try:
        result = build(args.out_dir, args.root)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{result.notebooks} notebooks written to {args.out_dir}; left out "
          f"{result.cells_removed} solution cells and {result.blocks_removed} solution blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
