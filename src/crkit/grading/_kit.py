"""The kit's modules this package needs, imported here and nowhere else in it.

Grading sits beside the lessons and the builder, above scoring: it reads canvases (core),
scores them (scoring) and writes files atomically (core), as ``crkit score`` does.
"""

from __future__ import annotations

from crkit.core.errors import CanvasError, CrkitError
from crkit.core.i18n import LANGUAGES, check_language, messages, t
from crkit.core.storage import loads, write_atomic
from crkit.scoring.engine import score
from crkit.scoring.report import render_markdown
from crkit.scoring.rubric import load_rubric

__all__ = ["LANGUAGES", "CanvasError", "CrkitError", "check_language", "load_rubric", "loads",
           "messages", "render_markdown", "score", "t", "write_atomic"]
