"""The case library as the builder sees it: case canvases to start from or compare with.

The builder must work with no case library at all (a fresh checkout, a missing folder):
every failure here means "no cases", never an error in the learner's face. A broken file
in the folder leaves out that case only; :func:`left_out` names it for the builder's note.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crkit.core import cases
from crkit.core.canvas import Canvas
from crkit.core.validation import canvas_from_data


def library(lang: str | None = None) -> list[tuple[str, str, Callable[[], Canvas]]]:
    """Case canvases to start from or compare with: (key, label, loader).

    Empty when the case library is missing or cannot be read: the builder works without it.
    """
    out = []
    try:
        with warnings.catch_warnings():  # the builder names left-out files in its own note
            warnings.simplefilter("ignore", cases.CaseFileLeftOut)
            found = cases.list_cases()
        for case in found:
            for entry in case.canvases:
                label = f"{case.company_name(lang)} — {entry.label(lang)}"
                out.append((f"case:{case.id}:{entry.id}", label, _canvas_getter(entry)))
    except Exception:  # a broken case file must not take the builder down with it
        return out
    return out


def left_out() -> list[Any]:
    """The case files the library could not read (each a CrkitError naming file and why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cases.CaseFileLeftOut)
            return cases.problems()
    except Exception:  # noqa: BLE001 - no library at all: nothing to report here
        return []


def _canvas_getter(entry: Any) -> Callable[[], Canvas]:
    def get() -> Canvas:
        canvas = entry.canvas
        if isinstance(canvas, dict):
            canvas = canvas_from_data(canvas)
        return canvas.copy()

    return get


def case_from_bytes(data: bytes, name: str) -> tuple[str, Any] | None:
    """``(name, case)`` when ``data`` is a case file (``crkit-case:`` at its top) with
    canvases to start from; None for anything else (a canvas file, a broken file...)."""
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not any(line.startswith("crkit-case:") for line in text.splitlines()[:20]):
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(bytes(data))
        try:
            case = cases.load_case_file(path)
        except Exception:  # a broken case file is handled by the canvas loader's messages
            return None
    return (name, case) if case.canvases else None
