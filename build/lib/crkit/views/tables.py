"""How the kit's tables look in a notebook: whole sentences, never cut to '...'.

pandas shortens text to 50 characters by default, which hides the explanations lesson tables
exist for. Instead of changing that option for the whole session, the kit's tables are a
small DataFrame subclass that shows its own text in full (and keeps dollar signs away from
MathJax), so a learner's own tables behave as pandas always does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import cache
from typing import Any


@cache
def _table_class() -> type:
    import pandas as pd

    class Table(pd.DataFrame):
        """A DataFrame whose notebook view shows every cell's text in full."""

        @property
        def _constructor(self):
            return Table

        def _repr_html_(self):
            with pd.option_context("display.max_colwidth", None,
                                   "display.html.use_mathjax", False):
                return super()._repr_html_()

    return Table


def table(*args: Any, **kwargs: Any) -> Any:
    """A full-text table (a pandas DataFrame), numbered from 1 when no index is given."""
    import pandas as pd

    frame = _table_class()(*args, **kwargs)
    if isinstance(frame.index, pd.RangeIndex) and "index" not in kwargs:
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def readable(frame: Any, index: bool = True) -> Any:
    """An existing DataFrame as a full-text table; with ``index``, its first column names
    the rows instead of 0, 1, 2..."""
    if index and len(frame.columns) > 1:
        frame = frame.set_index(frame.columns[0])
    out = _table_class()(frame)
    out.attrs.update(frame.attrs)
    return out


def lesson_table(index: bool = True) -> Callable:
    """Decorator: what a lesson's table function returns is shown through :func:`readable`."""
    def wrap(function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return readable(function(*args, **kwargs), index)
        return wrapped
    return wrap
