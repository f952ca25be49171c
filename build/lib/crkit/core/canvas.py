"""The customer side of a Business Model Canvas, as plain Python objects.

Field names are the canvas file format's contract (``crkit: 1``), shared by examples, the
canvas builder and instructors' scripts. Objects here are always valid and use ids; turning
untrusted data into them is :mod:`crkit.core.validation`'s job.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1


@dataclass
class ValueProposition:
    """What the company offers a segment; relationships exist to deliver it."""

    id: str
    text: str


@dataclass
class Segment:
    """A group of customers the relationships serve."""

    id: str
    name: str
    customers: float | None = None
    value_per_customer: float | None = None
    need_complexity: str = "medium"
    expects: list[str] = field(default_factory=list)
    value_propositions: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass
class Channel:
    """A way the company reaches segments (shop, app, call centre...)."""

    id: str
    name: str
    segments: list[str] = field(default_factory=list)


@dataclass
class Relationship:
    """How the company relates to one segment: the block this kit is about."""

    segment: str
    type: str
    motivations: list[str] = field(default_factory=list)
    bond: str | None = None
    channels: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    cost_per_customer: float | None = None
    metrics: list[str] = field(default_factory=list)
    notes: str | None = None


@dataclass
class Canvas:
    """A learner's canvas: value propositions, segments, channels and relationships."""

    title: str
    language: str = "en"
    market: str | None = None
    description: str | None = None
    author: str | None = None
    value_propositions: list[ValueProposition] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    crkit: int = FORMAT_VERSION

    # --- lookups used by scoring, the builder and reports -------------------------------
    def segment(self, id_: str) -> Segment | None:
        """The segment with this id, if any."""
        return next((s for s in self.segments if s.id == id_), None)

    def relationships_of(self, segment_id: str) -> list[Relationship]:
        """The relationships that serve one segment."""
        return [r for r in self.relationships if r.segment == segment_id]

    def channels_of(self, segment_id: str) -> list[Channel]:
        """The channels that reach one segment."""
        return [c for c in self.channels if segment_id in c.segments]

    def copy(self) -> Canvas:
        """An independent deep copy (what-if edits never touch the original)."""
        return copy.deepcopy(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the file format's field order, without empty optional fields."""
        out: dict[str, Any] = {"crkit": self.crkit, "title": self.title, "language": self.language}
        for key in ("market", "description", "author"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["value_propositions"] = [_compact(v) for v in self.value_propositions]
        out["segments"] = [_compact(s) for s in self.segments]
        out["channels"] = [_compact(c) for c in self.channels]
        out["relationships"] = [_compact(r) for r in self.relationships]
        return out


def _compact(item: Any) -> dict[str, Any]:
    """A dataclass as a dict, leaving out fields that are None."""
    return {
        key: (list(value) if isinstance(value, list) else value)
        for key, value in vars(item).items()
        if value is not None
    }
