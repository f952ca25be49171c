"""Small entry points that combine modules: validate anything, explain any name."""

from __future__ import annotations

import os
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.errors import CrkitError
from crkit.core.i18n import check_language, localized
from crkit.core.storage import load
from crkit.core.validation import canvas_from_data

#: where :func:`explain` looks a name up, in this order
EXPLAINABLE = ("types", "stages", "motivations", "bonds", "practices", "metrics", "questions")


def validate(source: str | os.PathLike | dict[str, Any] | Canvas) -> Canvas:
    """Validate a canvas given as a path, plain data or a :class:`Canvas`; return the canvas.

    Raises :class:`CanvasError` naming the field, line and fix of every problem.
    """
    if isinstance(source, Canvas):
        return canvas_from_data(source.to_dict(), name=source.title)
    if isinstance(source, dict):
        return canvas_from_data(source)
    return load(source)


def explain(name: str, lang: str | None = None) -> dict[str, Any]:
    """Everything the kit knows about a type, stage, motivation, bond, practice or metric.

    ``name`` may be an id, a name or an alias in English, Spanish or Portuguese
    ("autoservicio", "cocriação", "win-back"). Texts come back in ``lang``.
    """
    lang = check_language(lang)
    for kind in EXPLAINABLE:
        id_ = knowledge.fold(kind, name)
        if id_:
            entry = knowledge.get(kind, id_)
            out = {key: localized(value, lang) for key, value in entry.items() if key != "aliases"}
            out["kind"] = kind
            return out
    suggestion = next(
        (knowledge.nearest(kind, name) for kind in EXPLAINABLE if knowledge.nearest(kind, name)),
        None,
    )
    raise CrkitError("unknown-entry", value=name, suggestion=suggestion)
