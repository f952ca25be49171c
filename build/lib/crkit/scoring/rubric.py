"""The scoring rubric: weights, score levels and parameters, from a data file.

The kit ships ``data/rubric.yaml``. An instructor may pass their own file in the same
format; anything it leaves out is taken from the kit's rubric, so a file that only
changes one weight is enough.
"""

from __future__ import annotations

import copy
import difflib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crkit.core._resources import data_file
from crkit.core.errors import CanvasError
from crkit.core.i18n import localized
from crkit.core.reading import Document, read_file
from crkit.scoring.criteria import CHECKS


@dataclass
class Criterion:
    """One rubric line: which check, how much it weighs, where it comes from."""

    id: str
    weight: float
    name: dict[str, str]
    asks: dict[str, str]
    source: str
    levels: list[float]
    params: dict[str, Any]
    kit_choice: list[str]

    def label(self, lang: str | None = None) -> str:
        """The criterion's name in ``lang``."""
        return localized(self.name, lang)


@dataclass
class Rubric:
    """A set of criteria whose weights give a total out of 100."""

    name: dict[str, str]
    criteria: list[Criterion]
    origin: str

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The kit's own rubric (built once; scoring never changes it)."""
    return _build(copy.deepcopy(data_file("rubric.yaml")), "crkit")


def load_rubric(path: str | os.PathLike | None = None) -> Rubric:
    """The kit's rubric, or an instructor's file merged over it.

    Raises
    ------
    CanvasError
        When the file cannot be read or names a criterion the kit has no check for.
    """
    if path is None:
        return default_rubric()
    doc = read_file(path)
    base = copy.deepcopy(data_file("rubric.yaml"))
    return _build(_merge(base, doc), str(path))


def _merge(base: dict, doc: Document) -> dict:
    data = doc.data
    where = {"file": doc.name}
    if not isinstance(data, dict):
        raise CanvasError("wrong-type", expected="mapping", got=type(data).__name__, **where)
    allowed = {"crkit-rubric", "name", "levels", "shared", "kit_choice", "criteria"}
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            raise CanvasError("unknown-field", path=(key,), line=doc.line((key,)), field=key,
                              suggestion=close[0] if close else None, **where)
    for key in ("name", "levels", "kit_choice"):
        if key in data:
            base[key] = data[key]
    if isinstance(data.get("shared"), dict):
        base["shared"].update(data["shared"])
    if "criteria" in data:
        if not isinstance(data["criteria"], list):
            raise CanvasError("wrong-type", path=("criteria",), expected="list",
                              got=type(data["criteria"]).__name__, line=doc.line(("criteria",)),
                              **where)
        defaults = {c["id"]: c for c in base["criteria"]}
        chosen = []
        for i, item in enumerate(data["criteria"]):
            path = ("criteria", i)
            if not isinstance(item, dict) or item.get("id") not in CHECKS:
                value = item.get("id") if isinstance(item, dict) else item
                close = difflib.get_close_matches(str(value), list(CHECKS), n=1)
                raise CanvasError("rubric-criterion", path=(*path, "id"), value=value,
                                  suggestion=close[0] if close else None,
                                  known=", ".join(CHECKS), line=doc.line(path), **where)
            merged = copy.deepcopy(defaults[item["id"]])
            params = {**merged.get("params", {}), **(item.get("params") or {})}
            merged.update(item)
            merged["params"] = params
            chosen.append(merged)
        base["criteria"] = chosen
    return base


def _build(data: dict, origin: str) -> Rubric:
    levels = data.get("levels")
    if (
        not isinstance(levels, list) or len(levels) != 4
        or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in levels)
        or sorted(levels) != levels or not 0 < levels[0] <= levels[-1] <= 1
    ):
        raise CanvasError("rubric-levels", file=origin, path=("levels",), value=levels)
    criteria = []
    for i, raw in enumerate(data["criteria"]):
        weight = raw.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise CanvasError("rubric-weight", file=origin, path=("criteria", i, "weight"),
                              value=weight)
        criteria.append(Criterion(
            id=raw["id"], weight=float(weight), name=raw.get("name") or {"en": raw["id"]},
            asks=raw.get("asks") or {"en": ""}, source=str(raw.get("source", "")),
            levels=list(raw.get("levels") or levels),
            params={**data.get("shared", {}), **(raw.get("params") or {})},
            kit_choice=list(data.get("kit_choice", [])) + list(raw.get("kit_choice", [])),
        ))
    if not criteria or sum(c.weight for c in criteria) <= 0:
        raise CanvasError("rubric-empty", file=origin)
    return Rubric(name=data.get("name") or {"en": origin}, criteria=criteria, origin=origin)
