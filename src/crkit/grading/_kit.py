"""The kit's modules this package needs, imported here and nowhere else in it.

Grading sits beside the lessons and the builder, above scoring: it reads canvases (core),
scores them (scoring) and writes files atomically (core), as ``crkit score`` does.
"""

from __future__ import annotations

from crkit.core.errors import CanvasError, CrkitError
from crkit.core.i18n import LANGUAGES, check_language, messages, t
from crkit.core.numbers import number
from crkit.core.storage import loads, write_atomic
from crkit.scoring.engine import score
from crkit.scoring.report import best_line, render_markdown
from crkit.scoring.rubric import load_rubric

__all__ = ["LANGUAGES", "CanvasError", "CrkitError", "best_line", "check_language",
           "html_page", "load_rubric", "loads", "messages", "number", "render_markdown",
           "score", "t", "write_atomic"]


def html_page(title: str, body: list[str], lang: str, style: str) -> str:
    """A self-contained HTML page: no request to any host, not even for a favicon."""
    from html import escape

    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
