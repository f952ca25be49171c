"""The starter canvas a learner begins from, in their language."""

from __future__ import annotations

from typing import Any

from crkit.core._resources import data_file
from crkit.core.canvas import Canvas
from crkit.core.i18n import check_language, localized, t
from crkit.core.validation import canvas_from_data


def starter_canvas(lang: str | None = None) -> Canvas:
    """A small, complete canvas (a neighbourhood bakery) with texts in ``lang``."""
    lang = check_language(lang)
    data = _pick(data_file("starter.yaml"), lang)
    data["language"] = lang
    return canvas_from_data(data, name="starter")


def blank_canvas(lang: str | None = None, title: str = "") -> Canvas:
    """An empty canvas: no segments, channels or relationships yet."""
    lang = check_language(lang)
    return Canvas(title=title or t("canvas.untitled", lang), language=lang)


def _pick(value: Any, lang: str) -> Any:
    """Choose ``lang`` in every ``{en, es, pt}`` mapping, recursively."""
    if isinstance(value, dict):
        if "en" in value and set(value) <= {"en", "es", "pt"}:
            return localized(value, lang)
        return {k: _pick(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_pick(v, lang) for v in value]
    return value
