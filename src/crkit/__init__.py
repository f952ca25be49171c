"""crkit: the Customer Relationships Kit.

Learn, teach and try the customer relationships block of the Business Model Canvas.
The public API is small::

    import crkit
    canvas = crkit.load("my-canvas.yaml")     # validate a canvas file (CanvasError if not)
    report = crkit.score(canvas, lang="es")   # total /100, six criteria with reasons
    report.best_change()                      # the single change that helps most
    crkit.save(canvas, "copy.yaml")           # atomic write
    crkit.explain("autoservicio")             # what the kit knows about a name

Importing crkit is cheap: pandas and matplotlib load only when a chart or table is asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it (imported on first use)
_EXPORTS = {
    "Canvas": "crkit.canvas",
    "Segment": "crkit.canvas",
    "Channel": "crkit.canvas",
    "Relationship": "crkit.canvas",
    "ValueProposition": "crkit.canvas",
    "CanvasError": "crkit.errors",
    "CrkitError": "crkit.errors",
    "load": "crkit.storage",
    "loads": "crkit.storage",
    "save": "crkit.storage",
    "dumps": "crkit.storage",
    "validate": "crkit.api",
    "explain": "crkit.api",
    "score": "crkit.scoring",
    "ScoreReport": "crkit.scoring",
    "load_rubric": "crkit.rubric",
    "default_rubric": "crkit.rubric",
    "starter_canvas": "crkit.starter",
    "blank_canvas": "crkit.starter",
    "render_text": "crkit.report",
    "render_markdown": "crkit.report",
}

__all__ = sorted(_EXPORTS) + ["knowledge", "metrics", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from crkit.api import explain, validate
    from crkit.canvas import Canvas, Channel, Relationship, Segment, ValueProposition
    from crkit.errors import CanvasError, CrkitError
    from crkit.report import render_markdown, render_text
    from crkit.rubric import default_rubric, load_rubric
    from crkit.scoring import ScoreReport, score
    from crkit.starter import blank_canvas, starter_canvas
    from crkit.storage import dumps, load, loads, save


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        from importlib.util import find_spec

        if find_spec(f"crkit.{name}") is not None:  # submodules load on first use
            return import_module(f"crkit.{name}")
    raise AttributeError(f"module 'crkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
