"""The one pattern of the kit's interactive labs: controls above, a drawing that follows them.

A lesson gives its controls (sliders, dropdowns...) and a ``draw`` function that displays
what the controls' current values mean (text, a table, a figure). :func:`lab` draws once
at the start, so a static page (the course site, a headless run) shows the starting state,
and again whenever a control changes. Each control keeps its visible description as its
accessible name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def lab(controls: Sequence[Any], draw: Callable[[], None]) -> Any:
    """A box of ``controls`` and an output area that ``draw`` fills on every change."""
    import ipywidgets as w

    out = w.Output()

    def redraw(*_: Any) -> None:
        with out:
            out.clear_output(wait=True)
            draw()

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return w.VBox([*controls, out])
