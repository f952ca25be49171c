"""Execute a notebook top to bottom in a fresh kernel, then ask the kernel questions.

Tests use it to check what a notebook teaches, not only that it runs::

    with run_notebook("notebooks/06-economics.ipynb") as nb:
        assert nb.value("round(clv, 2)") == 266.67
        assert not nb.errors and not nb.warnings
"""

from __future__ import annotations

import ast
import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180
#: the line of a notebook that sets the reader's language
LANG_LINE = 'LANG = "en"'

#: the course's editions: English notebooks are notebooks/, the others are generated
EDITIONS = ("en", "es", "pt")  # crkit.core.i18n.LANGUAGES


def notebook_path(stem: str, lang: str = "en") -> Path:
    """A notebook of one edition: ``notebooks/<stem>.ipynb`` for English, the generated
    ``_build/editions/<lang>/notebooks/<stem>.ipynb`` (written when out of date) otherwise."""
    if lang == "en":
        return ROOT / "notebooks" / f"{stem}.ipynb"
    return _edition(lang) / "notebooks" / f"{stem}.ipynb"


@functools.cache
def _edition(lang: str) -> Path:
    import translate

    out = ROOT / translate.EDITIONS / lang
    translate.write_edition(lang, out, ROOT)
    return out


@dataclass
class ExecutedNotebook:
    """The executed notebook plus a live kernel to evaluate expressions in."""

    path: Path
    nb: Any
    client: Any
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def value(self, expression: str) -> Any:
        """Evaluate ``expression`` in the notebook's namespace; return it as Python data.

        The value travels as ``repr`` and comes back through ``ast.literal_eval``, so
        use expressions that give numbers, strings, lists, dicts, booleans or None.
        """
        cell = nbformat.v4.new_code_cell(f"print(repr({expression}))")
        self.nb.cells.append(cell)
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        finally:
            self.nb.cells.pop()
        text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        if errors:
            raise AssertionError(f"{expression!r} failed: {errors[0].get('evalue')}")
        return ast.literal_eval(text.strip())

    def outputs(self, output_type: str | None = None) -> list[dict]:
        """Every output of the notebook's own cells."""
        return [o for c in self.nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                if output_type is None or o.get("output_type") == output_type]

    def images(self) -> list[dict]:
        """PNG outputs (figures), with their metadata."""
        return [o for o in self.outputs() if "image/png" in o.get("data", {})]


@contextlib.contextmanager
def run_notebook(path: str | Path, lang: str | None = None) -> Iterator[ExecutedNotebook]:
    """Run the notebook in a fresh kernel from its own folder; keep the kernel for questions.

    With ``lang``, the notebook's ``LANG = "en"`` line is changed first (in memory, the file
    is untouched), as a learner reading in Spanish or Portuguese does.
    """
    path = ROOT / path if not Path(path).is_absolute() else Path(path)
    nb = nbformat.read(path, as_version=4)
    if lang is not None:
        lines = [c for c in nb.cells if c.cell_type == "code" and LANG_LINE in c.source]
        if not lines:
            raise AssertionError(f"{path.name} has no line {LANG_LINE!r} to change")
        for cell in lines:
            cell.source = cell.source.replace(LANG_LINE, f'LANG = "{lang}"')
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            allow_errors=True)
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        done = ExecutedNotebook(path, nb, client)
        for cell in nb.cells:
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                if out.get("output_type") == "error":
                    done.errors.append(f"{out.get('ename')}: {out.get('evalue')}")
                if out.get("name") == "stderr" and out.get("text", "").strip():
                    done.warnings.append(out["text"].strip())
        yield done
