"""Turn untrusted canvas data into a :class:`~crkit.core.canvas.Canvas`, or say what is wrong.

Names of types, motivations, bonds and stages are accepted in English, Spanish and
Portuguese and folded to the stable ids. Every problem found is reported with its field
path, its line (for YAML) and, where a near miss is likely, the nearest valid name.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import (
    FORMAT_VERSION,
    Canvas,
    Channel,
    Relationship,
    Segment,
    ValueProposition,
)
from crkit.core.errors import CanvasError, CrkitError, Listing
from crkit.core.limits import MAX_ITEMS, MAX_LIST, MAX_NUMBER, MAX_PROBLEMS
from crkit.core.reading import Document

TOP_FIELDS = (
    "crkit", "title", "language", "market", "description", "author",
    "value_propositions", "segments", "channels", "relationships",
)
VP_FIELDS = ("id", "text")
SEGMENT_FIELDS = (
    "id", "name", "customers", "value_per_customer", "need_complexity", "expects",
    "value_propositions", "notes",
)
CHANNEL_FIELDS = ("id", "name", "segments")
RELATIONSHIP_FIELDS = (
    "segment", "type", "motivations", "bond", "channels", "stages", "cost_per_customer",
    "metrics", "notes",
)
_MISSING = object()


class _Checker:
    """Collects problems while reading one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[CrkitError] = []

    def problem(self, code: str, path: tuple, **values: Any) -> None:
        self.problems.append(
            CrkitError(code, file=self.doc.name, path=path, line=self.doc.line(path), **values)
        )
        if len(self.problems) >= MAX_PROBLEMS:  # enough to fix first; stop reading
            raise _TooMany

    # --- field readers -------------------------------------------------------------------
    def mapping(self, value: Any, path: tuple, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.problem("wrong-type", path, expected="mapping", got=_type_name(value))
            return None
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                self.problem(
                    "unknown-field", (*path, key), field=key,
                    suggestion=close[0] if close else None, allowed=Listing(allowed, 20),
                )
        return value

    def text(self, data: dict, key: str, path: tuple, required: bool = True) -> str | None:
        value = data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem("missing-field", (*path, key), field=key)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem("wrong-type", (*path, key), expected="text", got=_type_name(value))
            return None
        value = str(value).strip()
        if required and not value:
            self.problem("empty-field", (*path, key), field=key)
            return None
        return value or None

    def texts(self, data: dict, key: str, path: tuple) -> list[str]:
        """A list of short texts (metrics): every entry text or a number."""
        out = []
        for i, item in enumerate(self.items(data, key, path)):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.problem("wrong-type", (*path, key, i), expected="text",
                             got=_type_name(item))
            elif str(item).strip():
                out.append(str(item).strip())
        return out

    def number(self, data: dict, key: str, path: tuple) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem("wrong-type", (*path, key), expected="number", got=_type_name(value))
            return None
        if not math.isfinite(value):
            self.problem("not-finite", (*path, key), field=key)
            return None
        if value < 0:
            self.problem("negative", (*path, key), field=key, value=value)
            return None
        if value > MAX_NUMBER:
            self.problem("number-too-large", (*path, key), field=key, value=f"{value:.3g}",
                         limit=f"{MAX_NUMBER:.0e}")
            return None
        return value

    def items(self, data: dict, key: str, path: tuple, promote: bool = True) -> list:
        value = data.get(key)
        if value is None:
            return []
        if promote and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [value]  # a single name is accepted where a list is expected
        if not isinstance(value, list):
            self.problem("wrong-type", (*path, key), expected="list", got=_type_name(value))
            return []
        limit = MAX_ITEMS.get(key, MAX_LIST) if not path else MAX_LIST
        if len(value) > limit:
            self.problem("too-many", (*path, key), section=key, count=len(value), limit=limit)
            raise _TooMany
        return value

    def names(self, data: dict, key: str, path: tuple, kind: str) -> list[str]:
        """A list of knowledge names folded to ids, without repeats."""
        out: list[str] = []
        for i, item in enumerate(self.items(data, key, path)):
            folded = self.name(item, (*path, key, i), kind)
            if folded and folded not in out:
                out.append(folded)
        return out

    def name(self, value: Any, path: tuple, kind: str) -> str | None:
        folded = knowledge.fold(kind, value)
        if folded is None:
            self.problem(
                "unknown-name", path, kind=kind, value=value,
                suggestion=knowledge.nearest(kind, value),
                choices=Listing(knowledge.ids(kind)),
            )
        return folded

    def optional_name(self, data: dict, key: str, path: tuple, kind: str) -> str | None:
        value = data.get(key)
        return None if value is None else self.name(value, (*path, key), kind)

    def refs(self, data: dict, key: str, path: tuple, known: list[str], what: str) -> list[str]:
        out: list[str] = []
        for i, item in enumerate(self.items(data, key, path)):
            ref = str(item).strip()
            if ref not in known:
                close = difflib.get_close_matches(ref, known, n=1, cutoff=0.6)
                self.problem(
                    "unknown-ref", (*path, key, i), kind=what, value=ref,
                    suggestion=close[0] if close else None, known=Listing(known),
                )
            elif ref not in out:
                out.append(ref)
        return out

    def unique(self, ids: list[tuple[str | None, tuple]], what: str) -> None:
        seen: set[str] = set()
        for id_, path in ids:
            if id_ is None:
                continue
            if id_ in seen:
                self.problem("duplicate-id", path, kind=what, value=id_)
            seen.add(id_)


class _TooMany(Exception):
    """A list over its limit: stop reading at once (the problem is already recorded)."""


def _type_name(value: Any) -> str:
    return {
        dict: "mapping", list: "list", str: "text", bool: "true/false", type(None): "nothing",
        int: "number", float: "number",
    }.get(type(value), type(value).__name__)


def _section(ck: _Checker, data: dict, key: str, fields: tuple, read: Callable) -> list:
    out = []
    for i, raw in enumerate(ck.items(data, key, (), promote=False)):
        path = (key, i)
        item = ck.mapping(raw, path, fields)
        if item is not None:
            out.append(read(item, path))
    return out


def canvas_from_document(doc: Document) -> Canvas:
    """Build a canvas from parsed data, raising :class:`CanvasError` with every problem."""
    ck = _Checker(doc)
    try:
        return _canvas(ck, doc)
    except _TooMany:
        raise _raise(ck) from None


def _canvas(ck: _Checker, doc: Document) -> Canvas:
    data = ck.mapping(doc.data, (), TOP_FIELDS)
    if data is None:
        raise _raise(ck)
    version = data.get("crkit", _MISSING)
    if version is _MISSING:
        ck.problem("missing-field", ("crkit",), field="crkit")
    elif version != FORMAT_VERSION:
        ck.problem("bad-version", ("crkit",), value=version, supported=FORMAT_VERSION)
    title = ck.text(data, "title", ())
    language = ck.optional_name(data, "language", (), "language") or "en"
    market = ck.optional_name(data, "market", (), "market")
    description = ck.text(data, "description", (), required=False)
    author = ck.text(data, "author", (), required=False)

    vps = _section(ck, data, "value_propositions", VP_FIELDS, lambda d, p: ValueProposition(
        id=ck.text(d, "id", p) or "", text=ck.text(d, "text", p) or ""))
    ck.unique([(v.id or None, ("value_propositions", i, "id")) for i, v in enumerate(vps)],
              "value-proposition")
    vp_ids = [v.id for v in vps]

    def read_segment(d: dict, p: tuple) -> Segment:
        return Segment(
            id=ck.text(d, "id", p) or "",
            name=ck.text(d, "name", p) or "",
            customers=ck.number(d, "customers", p),
            value_per_customer=ck.number(d, "value_per_customer", p),
            need_complexity=ck.optional_name(d, "need_complexity", p, "need_complexity")
            or "medium",
            expects=ck.names(d, "expects", p, "types"),
            value_propositions=ck.refs(d, "value_propositions", p, vp_ids, "value-proposition"),
            notes=ck.text(d, "notes", p, required=False),
        )

    segments = _section(ck, data, "segments", SEGMENT_FIELDS, read_segment)
    ck.unique([(s.id or None, ("segments", i, "id")) for i, s in enumerate(segments)], "segment")
    segment_ids = [s.id for s in segments]

    channels = _section(ck, data, "channels", CHANNEL_FIELDS, lambda d, p: Channel(
        id=ck.text(d, "id", p) or "", name=ck.text(d, "name", p) or "",
        segments=ck.refs(d, "segments", p, segment_ids, "segment")))
    ck.unique([(c.id or None, ("channels", i, "id")) for i, c in enumerate(channels)], "channel")
    channel_ids = [c.id for c in channels]

    def read_relationship(d: dict, p: tuple) -> Relationship:
        segment = ck.text(d, "segment", p)
        if segment is not None and segment not in segment_ids:
            close = difflib.get_close_matches(segment, segment_ids, n=1, cutoff=0.6)
            ck.problem(
                "unknown-ref", (*p, "segment"), kind="segment", value=segment,
                suggestion=close[0] if close else None, known=Listing(segment_ids),
            )
        kind = d.get("type")
        if kind is None:
            ck.problem("missing-field", (*p, "type"), field="type")
        return Relationship(
            segment=segment or "",
            type=(ck.name(kind, (*p, "type"), "types") if kind is not None else None) or "",
            motivations=ck.names(d, "motivations", p, "motivations"),
            bond=ck.optional_name(d, "bond", p, "bonds"),
            channels=ck.refs(d, "channels", p, channel_ids, "channel"),
            stages=ck.names(d, "stages", p, "stages"),
            cost_per_customer=ck.number(d, "cost_per_customer", p),
            metrics=ck.texts(d, "metrics", p),
            notes=ck.text(d, "notes", p, required=False),
        )

    relationships = _section(ck, data, "relationships", RELATIONSHIP_FIELDS, read_relationship)
    if ck.problems:
        raise _raise(ck)
    return Canvas(
        title=title or "", language=language, market=market,
        description=description, author=author,
        value_propositions=vps, segments=segments, channels=channels,
        relationships=relationships,
    )


def _raise(ck: _Checker) -> CanvasError:
    first = ck.problems[0]
    error = CanvasError(
        first.code, file=first.file, path=first.path, line=first.line, problems=ck.problems,
        **first.values,
    )
    error.problems[0] = error
    return error


def canvas_from_data(data: Any, *, name: str | None = None) -> Canvas:
    """Validate plain data (a dict, e.g. from JSON or a notebook) into a canvas."""
    return canvas_from_document(Document(data, name=name))
