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
    "Canvas": "crkit.core.canvas",
    "Segment": "crkit.core.canvas",
    "Channel": "crkit.core.canvas",
    "Relationship": "crkit.core.canvas",
    "ValueProposition": "crkit.core.canvas",
    "CanvasError": "crkit.core.errors",
    "CrkitError": "crkit.core.errors",
    "load": "crkit.core.storage",
    "loads": "crkit.core.storage",
    "save": "crkit.core.storage",
    "dumps": "crkit.core.storage",
    "validate": "crkit.api",
    "explain": "crkit.api",
    "score": "crkit.scoring.engine",
    "ScoreReport": "crkit.scoring.engine",
    "load_rubric": "crkit.scoring.rubric",
    "default_rubric": "crkit.scoring.rubric",
    "starter_canvas": "crkit.core.starter",
    "blank_canvas": "crkit.core.starter",
    "render_text": "crkit.scoring.report",
    "render_markdown": "crkit.scoring.report",
}

# public namespaces -> module (``crkit.metrics.simple_ltv(...)``, ``crkit.exercises.check(...)``)
_NAMESPACES = {
    "knowledge": "crkit.core.knowledge",
    "metrics": "crkit.core.metrics",
    "cases": "crkit.core.cases",
    "exercises": "crkit.lessons.exercises",
    "builder": "crkit.builder",
    "grading": "crkit.grading",
}

#: the subpackages, lowest layer first (docs/architecture.md)
_LAYERS = ("core", "scoring", "views", "lessons", "builder", "grading")

__all__ = sorted(_EXPORTS) + sorted(_NAMESPACES) + ["__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from crkit.api import explain, validate
    from crkit.core.canvas import Canvas, Channel, Relationship, Segment, ValueProposition
    from crkit.core.errors import CanvasError, CrkitError
    from crkit.core.starter import blank_canvas, starter_canvas
    from crkit.core.storage import dumps, load, loads, save
    from crkit.scoring.engine import ScoreReport, score
    from crkit.scoring.report import render_markdown, render_text
    from crkit.scoring.rubric import default_rubric, load_rubric


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _NAMESPACES:
        module = import_module(_NAMESPACES[name])
        globals()[name] = module
        return module
    if name in _LAYERS:  # crkit.core, crkit.scoring, ... as attributes once imported
        return import_module(f"crkit.{name}")
    raise AttributeError(f"module 'crkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
