"""The scoring rubric: principles, weights, score levels, caps and parameters, from a file.

The kit ships ``data/rubric.yaml``. An instructor may pass their own file in the same
format; anything it leaves out is taken from the kit's rubric, so a file that only
changes one weight is enough. An instructor's file is checked as strictly as a canvas:
every unknown or misspelt field, wrong type, impossible number, repeated criterion or
unknown version is a :class:`~crkit.core.errors.CanvasError` naming the file, the field
and its line, with a "did you mean" where a known name is close.
"""

from __future__ import annotations

import copy
import difflib
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crkit.core import knowledge
from crkit.core._resources import data_file
from crkit.core.errors import CanvasError
from crkit.core.i18n import localized
from crkit.core.reading import Document, read_file
from crkit.scoring.criteria import CHECKS

#: the rubric format this kit reads
RUBRIC_VERSION = 1
TOP_LEVEL = ("crkit-rubric", "name", "principles", "levels", "shared", "kit_choice", "criteria")
#: top-level names people reach for that belong somewhere else
HINTS = {"weights": "criteria[].weight", "weight": "criteria[].weight",
         "caps": "criteria[].caps", "params": "criteria[].params or shared"}
CRITERION_FIELDS = ("id", "weight", "name", "asks", "source", "levels", "params", "caps",
                    "kit_choice")


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
    caps: dict[str, int] = field(default_factory=dict)

    def label(self, lang: str | None = None) -> str:
        """The criterion's name in ``lang``."""
        return localized(self.name, lang)


@dataclass
class Rubric:
    """A set of criteria whose weights give a total out of 100."""

    name: dict[str, str]
    criteria: list[Criterion]
    origin: str
    principles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)

    def principle(self, id_: str, lang: str | None = None) -> str:
        """One principle's text in ``lang``."""
        return localized(next(p for p in self.principles if p["id"] == id_)["text"], lang)


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    """The kit's own rubric (built once; scoring never changes it)."""
    data = copy.deepcopy(data_file("rubric.yaml"))
    _Checker(Document(data), "crkit", data).check_all()
    return _build(data, "crkit")


def load_rubric(path: str | os.PathLike | None = None) -> Rubric:
    """The kit's rubric, or an instructor's file merged over it.

    Raises
    ------
    CanvasError
        When the file cannot be read or does not follow the rubric format; the message
        names the file, the field and its line.
    """
    if path is None:
        return default_rubric()
    doc = read_file(path)
    base = copy.deepcopy(data_file("rubric.yaml"))
    try:
        text = open(path, encoding="utf-8-sig", errors="replace").read().splitlines()
    except OSError:  # pragma: no cover - read_file has just read it
        text = []
    _Checker(doc, str(path), base, text).check_all()
    return _build(_merge(base, doc.data), str(path))


# --- checking a rubric file -------------------------------------------------------------
def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "nothing"


class _Checker:
    """Checks a rubric document against the kit's rubric, raising at the first problem."""

    def __init__(self, doc: Document, origin: str, base: dict,
                 text: list[str] | None = None) -> None:
        self.doc = doc
        self.text = text or []
        self.file = origin
        self.base = base
        self.defaults = {c["id"]: c for c in base["criteria"]}

    def fail(self, code: str, path: tuple, **values: Any) -> None:
        raise CanvasError(code, file=self.file, path=path, line=self.doc.line(path), **values)

    def key_line(self, path: tuple) -> int | None:
        """The line of a key itself: the reader keeps the line of its value, which for a
        block mapping or list is the line after the key."""
        line = self.doc.line(path)
        key = str(path[-1])
        if line and self.text:
            for n in range(min(line, len(self.text)), max(0, line - 3), -1):
                stripped = self.text[n - 1].lstrip(" -{,")
                if stripped.startswith((f"{key}:", f"'{key}':", f'"{key}":')) or \
                        f" {key}:" in self.text[n - 1] or f"{{{key}:" in self.text[n - 1]:
                    return n
        return line

    def keys(self, data: dict, allowed: tuple | list, path: tuple) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), [str(a) for a in allowed], n=1)
                hint = close[0] if close else (HINTS.get(str(key)) if not path else None)
                here = (*path, key)
                raise CanvasError("unknown-field", file=self.file, path=here,
                                  line=self.key_line(here), field=key, suggestion=hint,
                                  allowed=", ".join(map(str, allowed)))

    def kind(self, value: Any, expected: str, path: tuple) -> None:
        if _kind(value) != expected:
            self.fail("wrong-type", path, expected=expected, got=_kind(value))

    def number(self, value: Any, path: tuple, low: float = 0.0, high: float | None = None,
               above: bool = False, whole: bool = False) -> None:
        self.kind(value, "number", path)
        if (not math.isfinite(value) or value < low or (above and value <= low)
                or (high is not None and value > high)
                or (whole and not float(value).is_integer())):
            self.fail("rubric-number", path, value=value,
                      low=low, high="∞" if high is None else high)

    def texts(self, value: Any, path: tuple) -> None:
        """A text, or a mapping of language -> text."""
        if isinstance(value, str):
            return
        self.kind(value, "mapping", path)
        self.keys(value, ("en", "es", "pt"), path)
        for lang, text in value.items():
            self.kind(text, "text", (*path, lang))

    def levels(self, value: Any, path: tuple) -> None:
        self.kind(value, "list", path)
        for i, x in enumerate(value):
            self.number(x, (*path, i), high=1.0)
        if len(value) != 4 or sorted(value) != value or len(set(value)) != 4 or value[0] <= 0:
            self.fail("rubric-levels", path, value=value)

    def names(self, value: Any, path: tuple, kind: str) -> None:
        self.kind(value, "list", path)
        for i, item in enumerate(value):
            self.kind(item, "text", (*path, i))
            if item not in knowledge.ids(kind):
                self.id_value(item, (*path, i), knowledge.ids(kind))

    def id_value(self, value: Any, path: tuple, known: list[str]) -> None:
        close = difflib.get_close_matches(str(value), known, n=1)
        self.fail("rubric-value", path, value=value, known=", ".join(known),
                  suggestion=close[0] if close else None)

    def like(self, value: Any, default: Any, path: tuple) -> None:
        """``value`` has the shape of the kit's ``default`` for the same parameter."""
        name = path[-1]
        if name == "bands":
            return self.bands(value, path)
        if name == "suggested_type":
            self.kind(value, "mapping", path)
            self.keys(value, list(default), path)
            for key, type_ in value.items():
                self.kind(type_, "text", (*path, key))
                if type_ not in knowledge.ids("types"):
                    self.id_value(type_, (*path, key), knowledge.ids("types"))
            return None
        if name == "market_needs":
            self.kind(value, "mapping", path)
            self.keys(value, list(default), path)
            for key, items in value.items():
                self.names(items, (*path, key), "motivations")
            return None
        if isinstance(default, dict):
            self.kind(value, "mapping", path)
            self.keys(value, list(default), path)
            for key, item in value.items():
                self.like(item, default[key], (*path, key))
            return None
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            high = 4 if name in ("required_intimacy", "valuable_intimacy", "scalable_from",
                                 "far_below") or (len(path) > 1 and path[-2] ==
                                                  "required_intimacy") else None
            high = 1.0 if name in ("coverage_weight", "unstated_expectations", "share_weight",
                                   "orphan_weight") else high
            return self.number(value, path, high=high)
        return self.kind(value, _kind(default), path)

    def bands(self, value: Any, path: tuple) -> None:
        self.kind(value, "list", path)
        if not value:
            self.fail("rubric-bands", path, value=value)
        last = (-1.0, 2.0)
        for i, band in enumerate(value):
            self.kind(band, "list", (*path, i))
            if len(band) != 2:
                self.fail("rubric-bands", (*path, i), value=band)
            self.number(band[0], (*path, i, 0))
            self.number(band[1], (*path, i, 1), high=1.0)
            if band[0] <= last[0] or band[1] >= last[1]:
                self.fail("rubric-bands", (*path, i), value=band)
            last = (band[0], band[1])

    def caps(self, value: Any, known: tuple[str, ...], path: tuple) -> None:
        self.kind(value, "mapping", path)
        self.keys(value, known, path)
        for key, cap in value.items():
            self.number(cap, (*path, key), high=4, whole=True)

    def check_all(self) -> None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.fail("wrong-type", (), expected="mapping", got=_kind(data))
        self.keys(data, TOP_LEVEL, ())
        version = data.get("crkit-rubric")
        if version is None:
            self.fail("rubric-version", ("crkit-rubric",), value="", version=RUBRIC_VERSION)
        if isinstance(version, bool) or version != RUBRIC_VERSION:
            self.fail("rubric-version", ("crkit-rubric",), value=version,
                      version=RUBRIC_VERSION)
        if "name" in data:
            self.texts(data["name"], ("name",))
        if "principles" in data:
            self.principles(data["principles"])
        if "levels" in data:
            self.levels(data["levels"], ("levels",))
        if "shared" in data:
            self.kind(data["shared"], "mapping", ("shared",))
            self.keys(data["shared"], list(self.base["shared"]), ("shared",))
            for key, value in data["shared"].items():
                self.like(value, self.base["shared"][key], ("shared", key))
        if "kit_choice" in data:
            self.strings(data["kit_choice"], ("kit_choice",))
        if "criteria" in data:
            self.criteria(data["criteria"])

    def strings(self, value: Any, path: tuple) -> None:
        self.kind(value, "list", path)
        for i, item in enumerate(value):
            self.kind(item, "text", (*path, i))

    def principles(self, value: Any) -> None:
        path = ("principles",)
        self.kind(value, "list", path)
        seen: set[str] = set()
        for i, item in enumerate(value):
            here = (*path, i)
            self.kind(item, "mapping", here)
            self.keys(item, ("id", "text"), here)
            for key in ("id", "text"):
                if key not in item:
                    self.fail("missing-field", (*here, key), field=key)
            self.kind(item["id"], "text", (*here, "id"))
            if item["id"] in seen:
                self.fail("rubric-duplicate", (*here, "id"), value=item["id"])
            seen.add(item["id"])
            self.texts(item["text"], (*here, "text"))

    def criteria(self, value: Any) -> None:
        self.kind(value, "list", ("criteria",))
        seen: set[str] = set()
        for i, item in enumerate(value):
            path = ("criteria", i)
            self.kind(item, "mapping", path)
            self.keys(item, CRITERION_FIELDS, path)
            id_ = item.get("id")
            if id_ not in CHECKS:
                close = difflib.get_close_matches(str(id_), list(CHECKS), n=1)
                raise CanvasError("rubric-criterion", file=self.file, path=(*path, "id"),
                                  value=id_, suggestion=close[0] if close else None,
                                  known=", ".join(CHECKS), line=self.doc.line((*path, "id")))
            if id_ in seen:
                self.fail("rubric-duplicate", (*path, "id"), value=id_)
            seen.add(id_)
            default = self.defaults[id_]
            if "weight" in item:
                self.number(item["weight"], (*path, "weight"), above=True)
                if not math.isfinite(item["weight"]) or item["weight"] <= 0:
                    self.fail("rubric-weight", (*path, "weight"), value=item["weight"])
            for key in ("name", "asks"):
                if key in item:
                    self.texts(item[key], (*path, key))
            if "source" in item:
                self.kind(item["source"], "text", (*path, "source"))
            if "levels" in item:
                self.levels(item["levels"], (*path, "levels"))
            if "params" in item:
                self.kind(item["params"], "mapping", (*path, "params"))
                known = default.get("params") or {}
                self.keys(item["params"], list(known), (*path, "params"))
                for key, param in item["params"].items():
                    self.like(param, known[key], (*path, "params", key))
            if "caps" in item:
                self.caps(item["caps"], CHECKS[id_].caps, (*path, "caps"))
            if "kit_choice" in item:
                self.strings(item["kit_choice"], (*path, "kit_choice"))


def _merge(base: dict, data: dict) -> dict:
    for key in ("name", "levels", "kit_choice", "principles", "crkit-rubric"):
        if key in data:
            base[key] = data[key]
    for key, value in (data.get("shared") or {}).items():
        base["shared"][key] = _merged(base["shared"][key], value)
    if "criteria" in data:
        defaults = {c["id"]: c for c in base["criteria"]}
        chosen = []
        for item in data["criteria"]:
            merged = copy.deepcopy(defaults[item["id"]])
            params = merged.get("params") or {}
            for key, value in (item.get("params") or {}).items():
                params[key] = _merged(params.get(key), value)
            caps = {**(merged.get("caps") or {}), **(item.get("caps") or {})}
            merged.update(item)
            merged["params"], merged["caps"] = params, caps
            chosen.append(merged)
        base["criteria"] = chosen
    return base


def _merged(default: Any, value: Any) -> Any:
    """A mapping parameter changed in part keeps the kit's other keys."""
    if isinstance(default, dict) and isinstance(value, dict) and not (
            set(default) and all(isinstance(v, list) for v in default.values())):
        return {**default, **value}
    return value


def _build(data: dict, origin: str) -> Rubric:
    levels = data["levels"]
    criteria = []
    for raw in data["criteria"]:
        criteria.append(Criterion(
            id=raw["id"], weight=float(raw["weight"]), name=raw.get("name") or {"en": raw["id"]},
            asks=raw.get("asks") or {"en": ""}, source=str(raw.get("source", "")),
            levels=list(raw.get("levels") or levels),
            params={**data.get("shared", {}), **(raw.get("params") or {})},
            kit_choice=list(data.get("kit_choice", [])) + list(raw.get("kit_choice", [])),
            caps={k: int(v) for k, v in (raw.get("caps") or {}).items()},
        ))
    if not criteria:
        raise CanvasError("rubric-empty", file=origin)
    return Rubric(name=data.get("name") or {"en": origin}, criteria=criteria, origin=origin,
                  principles=list(data.get("principles") or []))
