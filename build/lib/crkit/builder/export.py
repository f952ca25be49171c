"""Export a canvas from the builder: a PNG picture of the canvas and a Markdown score report.

Both are written atomically, so an export interrupted half-way never leaves a broken file.
The picture is drawn by :func:`crkit.views.canvas_figure.draw_canvas`, the same drawing the case
pages use, so learners see their canvas laid out like the ones they study.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from crkit.core.canvas import Canvas
from crkit.core.storage import write_atomic
from crkit.scoring.engine import score
from crkit.scoring.report import render_markdown
from crkit.views.canvas_figure import draw_canvas


def png_bytes(canvas: Canvas, lang: str | None = None, rubric=None, dpi: int = 150) -> bytes:
    """The canvas drawn in the familiar block layout, with its total, as PNG bytes."""

    lang = lang or canvas.language
    figure = draw_canvas(canvas, lang, report=score(canvas, rubric, lang=lang))
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi)
    finally:
        # a figure left open would pop up again below the next notebook cell
        import matplotlib.pyplot as plt

        plt.close(figure)
    return buffer.getvalue()


def export_png(
    canvas: Canvas, path: str | os.PathLike, lang: str | None = None, rubric=None
) -> Path:
    """Write the canvas picture to ``path`` (atomically); return the path."""
    return write_atomic(path, png_bytes(canvas, lang, rubric))


def markdown(canvas: Canvas, lang: str | None = None, rubric=None) -> str:
    """The score report, with every criterion's reason and suggestion, as Markdown."""
    return render_markdown(score(canvas, rubric, lang=lang or canvas.language))


def export_markdown(
    canvas: Canvas, path: str | os.PathLike, lang: str | None = None, rubric=None
) -> Path:
    """Write the Markdown score report to ``path`` (atomically); return the path."""
    path = Path(path)
    write_atomic(path, markdown(canvas, lang, rubric))
    return path
