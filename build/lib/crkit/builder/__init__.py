"""The canvas builder: edit the customer side of a canvas and watch its score change.

Use it in a notebook::

    from crkit.builder import CanvasBuilder
    CanvasBuilder().show()

or as a web app with ``python3 kit.py app``. ipywidgets is imported by the view only
(:mod:`crkit.builder.widgets`, loaded on first use), so the model in
:mod:`crkit.builder.state` works, and is tested, without it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["BuilderState", "CanvasBuilder"]

if TYPE_CHECKING:  # pragma: no cover
    from crkit.builder.state import BuilderState
    from crkit.builder.widgets import CanvasBuilder


def __getattr__(name: str) -> Any:
    modules = {"CanvasBuilder": "crkit.builder.widgets", "BuilderState": "crkit.builder.state"}
    if name in modules:
        return getattr(import_module(modules[name]), name)
    raise AttributeError(f"module 'crkit.builder' has no attribute {name!r}")
