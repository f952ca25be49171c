"""The six checks behind the rubric, each reading a canvas and returning an outcome.

A check returns a fraction between 0 and 1 (how much of what it looks for is there), the
findings that explain that fraction, the serious flaws that cap its score, and the fixes
that would raise it, most useful first. Weights, score levels, caps and every number
marked as the kit's own choice come from the rubric file (``data/rubric.yaml``); what a
relationship costs comes from the one cost model (:mod:`crkit.core.costs`). This module
holds only the logic.

Every check is split in two, so that "what would help most" can try a fix by recomputing
only the segments the fix touches:

* ``part`` reads one segment (its relationships, the channels that reach it) and returns
  its :class:`Part`: a value between 0 and 1, the flaws and fixes found there, and a
  small tally (stages covered, channels used...) that adds up across segments;
* ``whole`` turns the parts' value-weighted mean and summed tallies into the outcome,
  adding what only the whole canvas shows (orphan channels, lifecycle coverage...).

Segments weigh by the value at stake in them, customers times value per customer
(:func:`stakes`), wherever a check averages over segments.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crkit.core import costs, knowledge
from crkit.core.canvas import Canvas, Channel, Relationship, Segment


@dataclass
class Finding:
    """One observation, rendered later from message ``finding.<key>``."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fix:
    """One concrete change: message ``fix.<key>``, and how to apply it to a canvas copy.

    ``apply`` is None where the kit cannot make the change for the learner (it needs a
    figure or a text only they know); such fixes are suggested but not tried. ``touches``
    names the segments whose part the change can alter, ``affects`` the checks.
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    apply: Callable[[Canvas], None] | None = None
    touches: tuple[str, ...] = ()
    serious: bool = False
    #: the checks whose result the change can alter (None: all of them)
    affects: tuple[str, ...] | None = None
    #: the relationship the change edits, where two could share the same text
    target: int | None = None

    def same(self) -> tuple:
        """What makes two fixes the same change."""
        return (self.key, self.target,
                tuple(sorted((k, str(v)) for k, v in self.values.items())))


@dataclass
class Outcome:
    """What one check found.

    ``caps`` lists the serious flaws found (each may cap the score, per the rubric);
    ``empty`` is True when there is nothing to check (a blank canvas); ``fix_count`` is
    how many fixes there are, also when ``fixes`` was not built.
    """

    fraction: float
    findings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)
    empty: bool = False
    fix_count: int | None = None

    def __post_init__(self) -> None:
        if self.fix_count is None:
            self.fix_count = len(self.fixes)


@dataclass
class Part:
    """What one check found in one segment."""

    value: float = 1.0
    counts: bool = True
    findings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)


# --- reading a canvas once --------------------------------------------------------------
def stakes(segments: list[Segment]) -> dict[str, float]:
    """Each segment's share (0-1) of the value on the canvas: customers x value per customer.

    A segment missing either number is taken at the mean of the others; when no segment
    has both, segments weigh by customers, and equally when no counts are given either.
    """
    if not segments:
        return {}
    for measure in (
        lambda s: None if s.customers is None or s.value_per_customer is None
        else s.customers * s.value_per_customer,
        lambda s: s.customers,
    ):
        raw = {s.id: measure(s) for s in segments}
        known = [v for v in raw.values() if v is not None]
        if known and sum(known) > 0:
            fill = sum(known) / len(known)
            values = {k: fill if v is None else v for k, v in raw.items()}
            total = sum(values.values())
            return {k: v / total for k, v in values.items()}
    return {s.id: 1 / len(segments) for s in segments}


class Context:
    """A canvas with what the checks look up indexed: each segment's relationships (with
    their positions), the channels that reach it and its share of the value."""

    def __init__(self, canvas: Canvas, base: Context | None = None,
                 touched: tuple[str, ...] = ()) -> None:
        self.canvas = canvas
        self.channel = {c.id: c for c in canvas.channels}
        self.base = base
        self.rels_of: dict[str, list[tuple[int, Relationship]]] = {}
        self.channels_of: dict[str, list[Channel]] = {}
        if base is None:
            self.weight = stakes(canvas.segments)
            for i, r in enumerate(canvas.relationships):
                self.rels_of.setdefault(r.segment, []).append((i, r))
            for c in canvas.channels:
                for s in c.segments:
                    self.channels_of.setdefault(s, []).append(c)
            self.order = sorted(canvas.segments, key=lambda s: -self.weight[s.id])
            self.segment = {s.id: s for s in canvas.segments}
            self.index = {s.id: i for i, s in enumerate(canvas.segments)}
            self.length = len(canvas.relationships)
        else:  # a trial copy: only the touched segments are looked up again
            self.weight, self.order, self.index = base.weight, base.order, base.index
            self.length = base.length
            self.segment = {}
            rels = canvas.relationships
            for sid in touched:
                self.segment[sid] = canvas.segments[base.index[sid]]
                self.rels_of[sid] = [(i, rels[i]) for i, _ in base.rels(sid)] + [
                    (i, rels[i]) for i in range(base.length, len(rels))
                    if rels[i].segment == sid]
            self.touched = set(touched)
        self.several = len(canvas.segments) > 1

    def rels(self, segment_id: str) -> list[tuple[int, Relationship]]:
        found = self.rels_of.get(segment_id)
        if found is None:
            return self.base.rels(segment_id) if self.base else []
        return found

    def channels(self, segment_id: str) -> list[Channel]:
        found = self.channels_of.get(segment_id)
        if found is None:
            if self.base is None:
                return []
            if segment_id not in self.touched:
                return self.base.channels(segment_id)
            found = self.channels_of[segment_id] = [
                c for c in self.canvas.channels if segment_id in c.segments]
        return found

    def share(self, segment: Segment) -> dict[str, Any]:
        """``{"share": percent}`` for a finding about one of several segments."""
        if not self.several:
            return {}
        return {"share": _percent(self.weight[segment.id])}

    def biggest_served(self) -> Segment | None:
        return next((s for s in self.order if self.rels(s.id)), None)


def _percent(share: float) -> int | float:
    value = 100 * share
    return round(value) if value >= 1 or value == 0 else round(value, 1)


# --- shared helpers ---------------------------------------------------------------------
#: the checks each kind of change can alter (a new relationship can alter all of them)
ECONOMICS = ("economics",)
INTEGRATION = ("integration",)
MOTIVES = ("lifecycle", "measurement")


_TYPES: dict[str, dict[str, Any]] = {}


def _type(id_: str) -> dict[str, Any]:
    if not _TYPES:
        _TYPES.update({t["id"]: t for t in knowledge.relationship_types()})
    return _TYPES[id_] if id_ in _TYPES else knowledge.get("types", id_)


def _types() -> list[dict[str, Any]]:
    _type(knowledge.ids("types")[0])
    return list(_TYPES.values())


def required_intimacy(segment: Segment, params: dict[str, Any]) -> int:
    """Personal contact a segment's needs call for (0-4), more for valuable customers."""
    needed = params["required_intimacy"][segment.need_complexity]
    if (segment.value_per_customer or 0) >= params["valuable_from"]:
        needed = max(needed, params["valuable_intimacy"])
    return needed


def estimated_cost(type_id: str, segment: Segment, params: dict[str, Any] | None = None
                   ) -> float | None:
    """The cost model's yearly cost of a type for the segment (None without customers)."""
    return costs.estimate(type_id, segment)


def first_metric(motivation: str, lang: str) -> str:
    """The catalogue's first metric for a motivation, named in the canvas language."""
    return knowledge.name("metrics", knowledge.metrics_for(motivation)[0], lang)


def new_relationship(canvas: Canvas, segment: Segment, type_id: str,
                     params: dict | None = None) -> Relationship:
    """A complete relationship a fix can add: the segment's channels, motivations and metrics,
    priced by the cost model."""
    siblings = canvas.relationships_of(segment.id)
    motivations = sorted({m for r in siblings for m in r.motivations}) or ["retention"]
    stages = sorted({s for r in siblings for s in r.stages}, key=knowledge.ids("stages").index)
    return Relationship(
        segment=segment.id,
        type=type_id,
        motivations=motivations,
        bond=next((r.bond for r in siblings if r.bond), None),
        channels=[c.id for c in canvas.channels_of(segment.id)],
        stages=stages or ["retention"],
        cost_per_customer=estimated_cost(type_id, segment),
        metrics=[first_metric(m, canvas.language) for m in motivations],
    )


def _adder(segment_id: str, type_id: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        segment = canvas.segment(segment_id)
        canvas.relationships.append(new_relationship(canvas, segment, type_id))

    return apply


def _add_fix(segment: Segment, type_id: str, serious: bool = False) -> Fix:
    cost = estimated_cost(type_id, segment)
    return Fix(
        "add-relationship" if cost is None else "add-relationship-cost",
        {"type": type_id, "segment": segment.name, "cost": cost},
        _adder(segment.id, type_id), (segment.id,), serious,
    )


def _fitting_type(segment: Segment, params: dict) -> str:
    """The cheapest type personal enough for the segment's needs."""
    needed = required_intimacy(segment, params)
    fitting = [t for t in _types() if t["intimacy"] >= needed]
    return min(fitting, key=lambda t: (t["cost_to_serve"], -t["scalability"]))["id"]


# --- expectation fit --------------------------------------------------------------------
def _expectation_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    part = Part()
    offered = {r.type for _, r in ctx.rels(segment.id)}
    share = ctx.share(segment)
    if not offered:
        part.value = 0.0
        part.caps.append("no-relationship")
        part.findings.append(Finding("segment-no-relationship", {"segment": segment.name,
                                                                 **share}))
        wanted = segment.expects[0] if segment.expects else _fitting_type(segment, params)
        part.fixes.append(_add_fix(segment, wanted, serious=True))
        return part
    if segment.expects:
        missing = [t for t in segment.expects if t not in offered]
        cover = 1 - len(missing) / len(segment.expects)
        if missing:
            none = len(missing) == len(segment.expects)
            if none:
                part.caps.append("no-expected-type")
            part.findings.append(Finding("segment-missing-types", {
                "segment": segment.name, "met": len(segment.expects) - len(missing),
                "expected": len(segment.expects), "types": missing, **share}))
            part.fixes.extend(_add_fix(segment, t, serious=none) for t in missing)
        else:
            part.findings.append(Finding("segment-all-types", {
                "segment": segment.name, "expected": len(segment.expects)}))
    else:
        cover = params["unstated_expectations"]
        part.findings.append(Finding("segment-expectations-unstated", {"segment": segment.name}))
        part.fixes.append(Fix("state-expectations", {"segment": segment.name},
                              _stater(segment.id, sorted(offered)), (segment.id,),
                              affects=("expectation-fit", "leverage")))
    needed = required_intimacy(segment, params)
    closest = max(_type(t)["intimacy"] for t in offered)
    fit = 1.0 if closest >= needed else closest / needed
    if fit < 1:
        far = needed - closest >= params["far_below"]
        if far:
            part.caps.append("intimacy-far-below")
        part.findings.append(Finding("segment-intimacy-low", {
            "segment": segment.name, "complexity": segment.need_complexity, **share}))
        better = _fitting_type(segment, params)
        if all(f.values.get("type") != better for f in part.fixes):
            part.fixes.append(_add_fix(segment, better, serious=far))
    w = params["coverage_weight"]
    part.value = w * cover + (1 - w) * fit
    return part


def _expectation_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    if not ctx.canvas.segments:
        return _empty("no-segments", "add-segment")
    return total.outcome(total.mean(), ctx, detail)


def _stater(segment_id: str, types: list[str]) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.segment(segment_id).expects = list(types)

    return apply


# --- economics --------------------------------------------------------------------------
def _economics_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    rels = ctx.rels(segment.id)
    part = Part()
    if not rels:
        part.counts = False  # no relationship: the other criteria say so
        return part
    share = ctx.share(segment)
    stated = [(i, r) for i, r in rels if r.cost_per_customer is not None]
    for i, r in rels:
        if r.cost_per_customer is None:
            estimate = estimated_cost(r.type, segment)
            part.fixes.append(Fix(
                "state-cost" if estimate is None else "state-cost-estimate",
                {"segment": segment.name, "type": r.type, "estimate": estimate},
                None if estimate is None else _coster(i, estimate), (segment.id,),
                affects=ECONOMICS, target=i))
    if len(stated) < len(rels):
        part.findings.append(Finding("economics-unstated", {
            "segment": segment.name, "count": len(rels) - len(stated)}))
    if segment.value_per_customer is None:
        part.value = 0.0
        part.findings.append(Finding("economics-no-value", {"segment": segment.name}))
        part.fixes.append(Fix("state-value", {"segment": segment.name}))
        return part
    cost = sum(r.cost_per_customer for _, r in stated)
    value = segment.value_per_customer
    ratio = cost / value if value else (0.0 if cost == 0 else float("inf"))
    bands = params["bands"]
    band = next((v for limit, v in bands if ratio <= limit), 0.0)
    serious = False
    if ratio > 1:
        part.caps.append("served-at-a-loss")
        serious = True
    elif ratio > bands[-1][0]:
        part.caps.append("unsustainable")
        serious = True
    part.findings.append(Finding(
        "economics-loss" if ratio > 1 else "economics-ratio", {
            "segment": segment.name, "cost": _num(cost), "value": _num(value),
            "percent": round(100 * ratio) if math.isfinite(100 * ratio) else "∞",
            **(share if band < 1 else {})}))
    if band < 1 and stated:
        i, dearest = max(stated, key=lambda ir: ir[1].cost_per_customer)
        target = max(0.0, bands[0][0] * value - (cost - dearest.cost_per_customer))
        part.fixes.insert(0, Fix("lower-cost", {
            "segment": segment.name, "type": dearest.type, "target": _num(target)},
            _coster(i, round(target, 2)), (segment.id,), serious, ECONOMICS, i))
    part.value = band * (len(stated) / len(rels))
    return part


def _economics_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    if total.den <= 1e-12:
        return _empty("no-relationships", "add-first-relationship")
    return total.outcome(total.mean(), ctx, detail)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _coster(index: int, cost: float) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].cost_per_customer = cost

    return apply


# --- integration ------------------------------------------------------------------------
def _integration_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    part = Part()
    canvas = ctx.canvas
    share = ctx.share(segment)
    checks = 3

    def fail(key: str, fix: Fix | None, cap: str | None = None, **values: Any) -> None:
        part.findings.append(Finding(key, {**values, **(share if cap else {})}))
        if cap:
            part.caps.append(cap)
        if fix:
            part.fixes.append(fix)

    if not segment.value_propositions:
        vp = canvas.value_propositions[0] if canvas.value_propositions else None
        fail("segment-no-vp", Fix(
            "link-vp" if vp else "add-vp", {"segment": segment.name, "vp": vp.text if vp else ""},
            _link_vp(segment.id, vp.id) if vp else None, (segment.id,), affects=INTEGRATION),
            segment=segment.name)
    reach = ctx.channels(segment.id)
    if not reach:
        channel = canvas.channels[0] if canvas.channels else None
        fail("segment-no-channel", Fix(
            "link-channel" if channel else "add-channel",
            {"segment": segment.name, "channel": channel.name if channel else ""},
            _link_channel(channel.id, segment.id) if channel else None, (segment.id,),
            affects=INTEGRATION), segment=segment.name)
    rels = ctx.rels(segment.id)
    if not rels:
        wanted = segment.expects[0] if segment.expects else _fitting_type(segment, params)
        fail("segment-no-relationship", _add_fix(segment, wanted, serious=True),
             "no-relationship", segment=segment.name)
    for i, r in rels:
        checks += 1
        if not r.channels:
            ids = [c.id for c in reach]
            fail("relationship-no-channel", Fix(
                "give-channels" if ids else "add-channel",
                {"segment": segment.name, "type": r.type, "channel": ""},
                _set_channels(i, ids) if ids else None, (segment.id,), affects=INTEGRATION,
                target=i),
                segment=segment.name, type=r.type)
        for channel_id in r.channels:
            checks += 1
            channel = ctx.channel[channel_id]
            if segment.id not in channel.segments:
                fail("channel-mismatch", Fix(
                    "link-channel", {"segment": segment.name, "channel": channel.name},
                    _link_channel(channel.id, segment.id), (segment.id,), True, INTEGRATION),
                    "channel-mismatch", segment=segment.name, channel=channel.name,
                    type=r.type)
    part.value = (checks - len(part.findings)) / checks
    part.tally["checks", ""] = checks
    part.tally["passed", ""] = checks - len(part.findings)
    for vp in set(segment.value_propositions):
        part.tally["vp", vp] = 1
    for c in reach:
        part.tally["ch", c.id] = 1
    return part


def _integration_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    canvas = ctx.canvas
    if not canvas.segments:
        return _empty("no-segments", "add-segment")
    items = len(canvas.value_propositions) + len(canvas.channels)
    used = total.positive["vp"] + total.positive["ch"]
    o = params["orphan_weight"]
    fraction = (1 - o) * total.mean() + o * (used / items if items else 1.0)
    out = total.outcome(fraction, ctx, detail, extra_fixes=items - used)
    if detail:
        orphans: list[Finding] = []
        for vp in canvas.value_propositions:
            if not total.count(("vp", vp.id)):
                orphans.append(Finding("vp-unused", {"vp": vp.text}))
                out.fixes.append(Fix("use-or-remove-vp", {"vp": vp.text}))
        for channel in canvas.channels:
            if not total.count(("ch", channel.id)):
                orphans.append(Finding("channel-unused", {"channel": channel.name}))
                out.fixes.append(Fix("use-or-remove-channel", {"channel": channel.name}))
        passed = total.count(("passed", "")) + used
        checks = total.count(("checks", "")) + items
        out.findings = [Finding("integration-summary", {"passed": passed, "total": checks}),
                        *out.findings, *orphans]
    return out


def _link_vp(segment_id: str, vp_id: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.segment(segment_id).value_propositions.append(vp_id)

    return apply


def _link_channel(channel_id: str, segment_id: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        i = next(i for i, c in enumerate(canvas.channels) if c.id == channel_id)
        old = canvas.channels[i]  # replaced, not changed: a trial shares the others
        canvas.channels[i] = Channel(old.id, old.name, [*old.segments, segment_id])

    return apply


def _set_channels(index: int, channel_ids: list[str]) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].channels = list(channel_ids)

    return apply


# --- lifecycle --------------------------------------------------------------------------
def _lifecycle_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    rels = ctx.rels(segment.id)
    part = Part()
    if not rels:
        part.counts = False
        return part
    unstated = [(i, r) for i, r in rels if not r.motivations]
    part.value = 1 - len(unstated) / len(rels)
    for i, r in unstated:
        part.fixes.append(Fix("state-motivation", {"segment": segment.name, "type": r.type},
                              _add_to(i, "motivations", "retention"), (segment.id,),
                              affects=MOTIVES, target=i))
    part.tally["rels", ""] = len(rels)
    part.tally["unstated", ""] = len(unstated)
    for _, r in rels:
        for m in set(r.motivations):
            part.tally["mot", m] += 1
        for s in set(r.stages):
            part.tally["stage", s] += 1
    return part


def _lifecycle_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    if not total.count(("rels", "")):
        return _empty("no-relationships", "add-first-relationship")
    canvas = ctx.canvas
    weights = params["parts"]
    motivations = knowledge.ids("motivations")
    covered_m = [m for m in motivations if total.count(("mot", m))]
    needed = params["market_needs"].get(canvas.market or "", [])
    missing_needed = [m for m in needed if m not in covered_m]
    missing_m = [m for m in motivations if m not in covered_m]
    order = knowledge.ids("stages")
    covered_s = [s for s in order if total.count(("stage", s))]
    missing_s = [s for s in order if s not in covered_s]
    market_part = 1 - len(missing_needed) / len(needed) if needed else 1.0
    fraction = (
        weights["motivations_stated"] * total.mean()
        + weights["motivation_coverage"] * (1 - len(missing_m) / len(motivations))
        + weights["stage_coverage"] * (1 - len(missing_s) / len(order))
        + weights["market_fit"] * market_part
    ) / sum(weights.values())
    extra = len(missing_needed) + len([m for m in missing_m if m not in missing_needed]) \
        + len(missing_s)
    out = total.outcome(fraction, ctx, detail, extra_fixes=extra)
    if not detail:
        return out
    anchor_segment = ctx.biggest_served()
    anchor_i, anchor = ctx.rels(anchor_segment.id)[0]
    where = {"segment": anchor_segment.name, "type": anchor.type}
    touches = (anchor_segment.id,)
    found: list[Finding] = []
    fixes: list[Fix] = []
    if total.count(("unstated", "")):
        found.append(Finding("motivations-unstated", {"count": total.count(("unstated", ""))}))
    if canvas.market:
        found.append(Finding("market-ok" if not missing_needed else "market-missing", {
            "market": canvas.market, "motivations_needed": needed,
            "motivations_missing": missing_needed}))
        fixes.extend(Fix("add-motivation-market", {
            "motivation": m, "market": canvas.market, **where},
            _add_to(anchor_i, "motivations", m), touches, True, MOTIVES)
            for m in missing_needed)
    found.append(Finding("motivations-covered", {
        "motivations_covered": covered_m, "motivations_missing": missing_m}))
    found.append(Finding("stages-covered", {
        "stages_covered": covered_s, "stages_missing": missing_s}))
    out.findings = found
    fixes.extend(out.fixes)
    fixes.extend(Fix("add-motivation", {"motivation": m, **where},
                     _add_to(anchor_i, "motivations", m), touches, affects=MOTIVES)
                 for m in missing_m if m not in missing_needed)
    fixes.extend(Fix("add-stage", {"stage": s, **where}, _add_to(anchor_i, "stages", s),
                     touches, affects=("lifecycle",)) for s in missing_s)
    out.fixes = fixes
    return out


def _add_to(index: int, field_name: str, value: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        values = getattr(canvas.relationships[index], field_name)
        if value not in values:
            values.append(value)

    return apply


# --- measurement ------------------------------------------------------------------------
def _measurement_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    """Adding a metric can only turn a gap into a match, so a segment's value never goes
    down when a fitting metric is added."""
    rels = ctx.rels(segment.id)
    part = Part()
    if not rels:
        part.counts = False
        return part
    pairs = met = 0
    lang = ctx.canvas.language
    for i, r in rels:
        known = [knowledge.metric_id(m) for m in r.metrics]
        fits = {
            motivation
            for id_ in known if id_
            for motivation in knowledge.get("metrics", id_).get("motivations", [])
        }
        for motivation in r.motivations or [None]:
            pairs += 1
            ok = any(known) if motivation is None else motivation in fits
            met += ok
            if not ok:
                wanted = motivation or "retention"
                metric = first_metric(wanted, lang)
                part.findings.append(Finding("measurement-gap", {
                    "segment": segment.name, "type": r.type, "motivation": wanted}))
                part.fixes.append(Fix("add-metric", {
                    "metric": metric, "segment": segment.name, "type": r.type,
                    "motivation": wanted}, _add_metric(i, metric), (segment.id,),
                    affects=("measurement",), target=i))
        unknown = [m for m, id_ in zip(r.metrics, known) if id_ is None]
        if unknown:
            part.findings.append(Finding("measurement-unknown", {"metrics": unknown}))
    part.value = met / pairs
    part.tally["pairs", ""] = pairs
    part.tally["met", ""] = met
    return part


def _measurement_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    if total.den <= 1e-12:
        return _empty("no-relationships", "add-first-relationship")
    out = total.outcome(total.mean(), ctx, detail)
    if detail:
        out.findings.insert(0, Finding("measurement-summary", {
            "met": total.count(("met", "")), "total": total.count(("pairs", ""))}))
    return out


def _add_metric(index: int, metric: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].metrics.append(metric)

    return apply


# --- leverage ---------------------------------------------------------------------------
def _leverage_part(ctx: Context, segment: Segment, params: dict[str, Any]) -> Part:
    part = Part()
    rels = ctx.rels(segment.id)
    part.tally["rels", ""] = len(rels)
    part.tally["helpers", ""] = sum(r.type in ("communities", "co-creation") for _, r in rels)
    ids = {t["id"] for t in _types() if t["scalability"] >= params["scalable_from"]}
    fitting = [r.type for _, r in rels if r.type in ids
               and (segment.need_complexity != "high" or r.type in segment.expects)]
    if fitting:
        return part
    value = segment.value_per_customer
    if value and costs.people_cost(segment) < params["scale_matters_from"] * value:
        return part  # people cost so little against what a customer brings: no need to scale
    part.value = 0.0
    if segment.need_complexity == "high" and not (ids & set(segment.expects)):
        return part  # automating a complex, personal need is not a fix
    choice = next((t for t in segment.expects if t in ids), None) or (
        params["suggested_type"][segment.need_complexity])
    part.fixes.append(_add_fix(segment, choice))
    return part


def _leverage_whole(ctx: Context, total: Summary, params: dict, detail: bool) -> Outcome:
    if not total.count(("rels", "")):
        return _empty("no-relationships", "add-first-relationship")
    helpers = total.count(("helpers", "")) > 0
    share = total.mean()
    w = params["share_weight"]
    fraction = w * share + (1 - w) * (1.0 if helpers else 0.0)
    out = total.outcome(fraction, ctx, detail, extra_fixes=0 if helpers else 1)
    if detail:
        out.findings = [Finding("leverage-share", {"percent": round(100 * share)}),
                        Finding("leverage-others" if helpers else "leverage-no-others")]
        if not helpers:
            out.fixes.append(_add_fix(ctx.order[0], "communities"))
    return out


# --- adding the parts up ----------------------------------------------------------------
class Summary:
    """The parts of one check added up: value-weighted mean, caps, fixes and tallies."""

    def __init__(self, parts: dict[str, Part], ctx: Context) -> None:
        self.parts = parts
        self.num = self.den = 0.0
        self.caps: Counter = Counter()
        self.fix_count = 0
        self.tally: Counter = Counter()
        for sid, part in parts.items():
            self._add(part, ctx.weight[sid], 1)
            self.tally.update(part.tally)
        self.positive = Counter(key[0] for key, n in self.tally.items() if n > 0)
        self.delta: Counter | None = None

    def _add(self, part: Part, weight: float, sign: int) -> None:
        if part.counts:
            self.num += sign * weight * part.value
            self.den += sign * weight
        for cap in part.caps:
            self.caps[cap] += sign
        self.fix_count += sign * len(part.fixes)

    def swapped(self, new: dict[str, Part], ctx: Context) -> Summary:
        """The summary with some segments' parts replaced (a trial), in time proportional
        to what changed. Trials only need the numbers, so the parts are not merged."""
        out = object.__new__(Summary)
        out.parts = self.parts
        out.num, out.den, out.fix_count = self.num, self.den, self.fix_count
        out.caps = self.caps
        out.tally = self.tally
        delta: dict[tuple, float] = {}
        for sid, part in new.items():
            old = self.parts[sid]
            if old.caps or part.caps:
                if out.caps is self.caps:
                    out.caps = Counter(self.caps)
            out._add(old, ctx.weight[sid], -1)
            out._add(part, ctx.weight[sid], 1)
            for key, n in old.tally.items():
                delta[key] = delta.get(key, 0) - n
            for key, n in part.tally.items():
                delta[key] = delta.get(key, 0) + n
        out.positive = self.positive
        for key, change in delta.items():
            if change:
                before = self.tally.get(key, 0)
                if (before > 0) != (before + change > 0):
                    if out.positive is self.positive:
                        out.positive = Counter(self.positive)
                    out.positive[key[0]] += 1 if change > 0 else -1
        out.delta = delta
        return out

    def count(self, key: tuple) -> float:
        base = self.tally.get(key, 0)
        return base + (self.delta.get(key, 0) if self.delta else 0)

    def mean(self) -> float:
        return self.num / self.den if self.den > 1e-12 else 0.0

    def outcome(self, fraction: float, ctx: Context, detail: bool,
                extra_fixes: int = 0) -> Outcome:
        caps = sorted(c for c, n in self.caps.items() if n > 0)
        fraction = min(1.0, max(0.0, fraction))
        if not detail:
            return Outcome(fraction, caps=caps, fix_count=self.fix_count + extra_fixes)
        findings: list[Finding] = []
        serious: list[Fix] = []
        other: list[Fix] = []
        for segment in ctx.order:  # biggest stake first
            part = self.parts.get(segment.id)
            if part is None:
                continue
            findings.extend(part.findings)
            for fix in part.fixes:
                (serious if fix.serious else other).append(fix)
        findings.sort(key=lambda f: "share" not in f.values)  # flaws that weigh first
        return Outcome(fraction, findings, serious + other, caps,
                       fix_count=self.fix_count + extra_fixes)


def _empty(finding: str, fix: str) -> Outcome:
    return Outcome(0.0, [Finding(finding)], [Fix(fix)], empty=True)


@dataclass(frozen=True)
class Check:
    """One criterion's logic: a part per segment, and the whole."""

    part: Callable[[Context, Segment, dict[str, Any]], Part]
    whole: Callable[[Context, Summary, dict[str, Any], bool], Outcome]
    caps: tuple[str, ...] = ()

    def run(self, ctx: Context, params: dict[str, Any]) -> tuple[Outcome, Summary]:
        parts = {s.id: self.part(ctx, s, params) for s in ctx.canvas.segments}
        total = Summary(parts, ctx)
        return self.whole(ctx, total, params, True), total

    def __call__(self, canvas: Canvas, params: dict[str, Any]) -> Outcome:
        return self.run(Context(canvas), params)[0]


CHECKS: dict[str, Check] = {
    "expectation-fit": Check(_expectation_part, _expectation_whole,
                             ("no-relationship", "intimacy-far-below", "no-expected-type")),
    "economics": Check(_economics_part, _economics_whole, ("unsustainable", "served-at-a-loss")),
    "integration": Check(_integration_part, _integration_whole,
                         ("no-relationship", "channel-mismatch")),
    "lifecycle": Check(_lifecycle_part, _lifecycle_whole),
    "measurement": Check(_measurement_part, _measurement_whole),
    "leverage": Check(_leverage_part, _leverage_whole),
}

# the checks as plain functions, canvas -> outcome, for scripts and tests
expectation_fit = CHECKS["expectation-fit"]
economics = CHECKS["economics"]
integration = CHECKS["integration"]
lifecycle = CHECKS["lifecycle"]
measurement = CHECKS["measurement"]
leverage = CHECKS["leverage"]
