"""How the kit's tables look in a notebook: whole sentences, numbers in the reader's language.

pandas shortens text to 50 characters by default, which hides the explanations lesson tables
exist for, and writes 1800000 and 8.01 whatever the language. Instead of changing options for
the whole session, the kit's tables are a small DataFrame subclass that shows its own text in
full, its numbers with the language's separators (1.800.000 and 8,01 in Spanish), ticks
instead of True/False, and keeps dollar signs away from MathJax; the data underneath stays
numeric, and a learner's own tables behave as pandas always does.
"""

from __future__ import annotations

import functools
import inspect
import numbers as _numbers
from collections.abc import Callable
from functools import cache
from typing import Any

from crkit.core.i18n import LANGUAGES, t
from crkit.core.numbers import number

#: how a table shows a true or false cell
TRUE_MARK, FALSE_MARK = "✓", ""


def _cell(value: Any, lang: str | None) -> Any:
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return TRUE_MARK if value else FALSE_MARK
    if isinstance(value, _numbers.Number):
        return number(value, lang)
    return value


@cache
def _year_headers() -> frozenset[str]:
    return frozenset(t("label.year", lang) for lang in LANGUAGES)


def verbatim_columns(frame: Any) -> set:
    """Columns shown as they are, not as amounts: years (2019, not 2,019) and any listed
    in ``frame.attrs["verbatim"]``."""
    return {c for c in frame.columns if c in _year_headers()} | set(
        frame.attrs.get("verbatim", ()))


def shown(frame: Any, lang: str | None = None) -> Any:
    """A copy of ``frame`` as a reader sees it: numbers as text in ``lang``, ticks for True."""
    import pandas as pd

    lang = lang or frame.attrs.get("lang")
    verbatim = verbatim_columns(frame)
    out = pd.DataFrame(frame).copy()
    for column in out.columns:
        out[column] = [str(v) if column in verbatim and isinstance(v, _numbers.Number)
                       and not isinstance(v, bool) else _cell(v, lang) for v in out[column]]
    if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0:
        out.index = pd.RangeIndex(1, len(out) + 1)  # rows are counted from 1 for a reader
    else:
        out.index = [_cell(v, lang) if not isinstance(v, int) else v for v in out.index]
    out.index.name = frame.index.name
    return out


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
                return pd.DataFrame._repr_html_(shown(self))

        def __repr__(self):
            with pd.option_context("display.max_colwidth", None):
                return pd.DataFrame.__repr__(shown(self))

    return Table


def table(*args: Any, **kwargs: Any) -> Any:
    """A full-text table (a pandas DataFrame), numbered from 1 when no index is given."""
    import pandas as pd

    frame = _table_class()(*args, **kwargs)
    if isinstance(frame.index, pd.RangeIndex) and "index" not in kwargs:
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def readable(frame: Any, index: bool = True, *, lang: str | None = None) -> Any:
    """An existing DataFrame as a full-text table in ``lang``; with ``index``, its first
    column names the rows instead of 0, 1, 2..."""
    if index and len(frame.columns) > 1:
        frame = frame.set_index(frame.columns[0])
    out = _table_class()(frame)
    out.attrs.update(frame.attrs)
    if lang is not None:
        out.attrs["lang"] = lang
    return out


def lesson_table(index: bool = True) -> Callable:
    """Decorator: what a lesson's table function returns is shown through :func:`readable`."""
    def wrap(function: Callable) -> Callable:
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            bound = signature.bind_partial(*args, **kwargs)
            return readable(function(*args, **kwargs), index, lang=bound.arguments.get("lang"))
        return wrapped
    return wrap
