"""The six checks behind the rubric, each reading a canvas and returning an outcome.

A check returns a fraction between 0 and 1 (how much of what it looks for is there), the
findings that explain that fraction, and the fixes that would raise it, most useful first.
Weights, score levels and every number marked as the kit's own choice come from the rubric
file (``data/rubric.yaml``); this module holds only the logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas, Relationship, Segment


@dataclass
class Finding:
    """One observation, rendered later from message ``finding.<key>``."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fix:
    """One concrete change: message ``fix.<key>``, and how to apply it to a canvas copy.

    ``apply`` is None where the kit cannot make the change for the learner (it needs a
    figure or a text only they know); such fixes are suggested but not tried.
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    apply: Callable[[Canvas], None] | None = None


@dataclass
class Outcome:
    """What one check found."""

    fraction: float
    findings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


# --- shared helpers ---------------------------------------------------------------------
def _type(id_: str) -> dict[str, Any]:
    return knowledge.get("types", id_)


def _weights(segments: list[Segment]) -> list[float]:
    """Weight segments by customers; equally when no counts are given."""
    counts = [s.customers or 0 for s in segments]
    total = sum(counts)
    return [c / total for c in counts] if total else [1 / len(segments)] * len(segments)


def _biggest_first(canvas: Canvas) -> list[Segment]:
    return sorted(canvas.segments, key=lambda s: -(s.customers or 0))


def estimated_cost(type_id: str, segment: Segment, params: dict[str, Any]) -> float | None:
    """The kit's rough yearly cost for a type, as a share of the segment's value."""
    if segment.value_per_customer is None:
        return None
    share = params["typical_cost_share"][_type(type_id)["cost_to_serve"]]
    return round(segment.value_per_customer * share, 2)


def first_metric(motivation: str, lang: str) -> str:
    """The catalogue's first metric for a motivation, named in the canvas language."""
    return knowledge.name("metrics", knowledge.metrics_for(motivation)[0], lang)


def new_relationship(canvas: Canvas, segment: Segment, type_id: str, params: dict) -> Relationship:
    """A complete relationship a fix can add: the segment's channels, motivations and metrics."""
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
        cost_per_customer=estimated_cost(type_id, segment, params),
        metrics=[first_metric(m, canvas.language) for m in motivations],
    )


def _adder(segment_id: str, type_id: str, params: dict) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        segment = canvas.segment(segment_id)
        canvas.relationships.append(new_relationship(canvas, segment, type_id, params))

    return apply


def _add_fix(canvas: Canvas, segment: Segment, type_id: str, params: dict) -> Fix:
    cost = estimated_cost(type_id, segment, params)
    return Fix(
        "add-relationship" if cost is None else "add-relationship-cost",
        {"type": type_id, "segment": segment.name, "cost": cost},
        _adder(segment.id, type_id, params),
    )


# --- expectation fit --------------------------------------------------------------------
def expectation_fit(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """Does each segment get the types it expects, and enough personal contact?"""
    if not canvas.segments:
        return Outcome(0.0, [Finding("no-segments")], [])
    out = Outcome(0.0)
    total = 0.0
    for segment, weight in zip(canvas.segments, _weights(canvas.segments)):
        offered = {r.type for r in canvas.relationships_of(segment.id)}
        if not offered:
            out.findings.append(Finding("segment-no-relationship", {"segment": segment.name}))
            wanted = segment.expects[0] if segment.expects else _fitting_type(segment, params)
            out.fixes.insert(0, _add_fix(canvas, segment, wanted, params))
            continue
        if segment.expects:
            missing = [t for t in segment.expects if t not in offered]
            cover = 1 - len(missing) / len(segment.expects)
            if missing:
                out.findings.append(Finding("segment-missing-types", {
                    "segment": segment.name, "met": len(segment.expects) - len(missing),
                    "expected": len(segment.expects), "types": missing}))
                out.fixes.extend(_add_fix(canvas, segment, t, params) for t in missing)
            else:
                out.findings.append(Finding("segment-all-types", {
                    "segment": segment.name, "expected": len(segment.expects)}))
        else:
            cover = params["unstated_expectations"]
            out.findings.append(Finding("segment-expectations-unstated", {"segment": segment.name}))
            out.fixes.append(Fix("state-expectations", {"segment": segment.name},
                                 _stater(segment.id, sorted(offered))))
        needed = params["required_intimacy"][segment.need_complexity]
        closest = max(_type(t)["intimacy"] for t in offered)
        fit = 1.0 if closest >= needed else closest / needed
        if fit < 1:
            better = _fitting_type(segment, params)
            out.findings.append(Finding("segment-intimacy-low", {
                "segment": segment.name, "complexity": segment.need_complexity}))
            out.fixes.append(_add_fix(canvas, segment, better, params))
        w = params["coverage_weight"]
        total += weight * (w * cover + (1 - w) * fit)
    out.fraction = total
    return out


def _fitting_type(segment: Segment, params: dict) -> str:
    """The cheapest type personal enough for the segment's needs."""
    needed = params["required_intimacy"][segment.need_complexity]
    fitting = [t for t in knowledge.relationship_types() if t["intimacy"] >= needed]
    return min(fitting, key=lambda t: (t["cost_to_serve"], -t["scalability"]))["id"]


def _stater(segment_id: str, types: list[str]) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.segment(segment_id).expects = list(types)

    return apply


# --- economics --------------------------------------------------------------------------
def economics(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """Is each segment's cost to serve sustainable against what it brings in a year?"""
    served = [s for s in canvas.segments if canvas.relationships_of(s.id)]
    if not served:
        return Outcome(0.0, [Finding("no-relationships")], [])
    out = Outcome(0.0)
    total = 0.0
    for segment, weight in zip(served, _weights(served)):
        rels = canvas.relationships_of(segment.id)
        stated = [r for r in rels if r.cost_per_customer is not None]
        for r in rels:
            if r.cost_per_customer is None:
                estimate = estimated_cost(r.type, segment, params)
                out.fixes.append(Fix(
                    "state-cost" if estimate is None else "state-cost-estimate",
                    {"segment": segment.name, "type": r.type, "estimate": estimate},
                    None if estimate is None else _coster(canvas.relationships.index(r), estimate),
                ))
        if len(stated) < len(rels):
            out.findings.append(Finding("economics-unstated", {
                "segment": segment.name, "count": len(rels) - len(stated)}))
        if segment.value_per_customer is None:
            out.findings.append(Finding("economics-no-value", {"segment": segment.name}))
            out.fixes.append(Fix("state-value", {"segment": segment.name}))
            continue
        cost = sum(r.cost_per_customer for r in stated)
        value = segment.value_per_customer
        ratio = cost / value if value else (0.0 if cost == 0 else float("inf"))
        band = next((v for limit, v in params["bands"] if ratio <= limit), 0.0)
        out.findings.append(Finding("economics-ratio", {
            "segment": segment.name, "cost": _num(cost), "value": _num(value),
            "percent": "∞" if ratio == float("inf") else round(100 * ratio)}))
        if band < 1 and stated:
            dearest = max(stated, key=lambda r: r.cost_per_customer)
            target = max(0.0, params["bands"][0][0] * value - (cost - dearest.cost_per_customer))
            out.fixes.append(Fix("lower-cost", {
                "segment": segment.name, "type": dearest.type, "target": _num(target)},
                _coster(canvas.relationships.index(dearest), round(target, 2))))
        total += weight * band * (len(stated) / len(rels))
    out.fixes.sort(key=lambda f: f.key != "lower-cost")
    out.fraction = total
    return out


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _coster(index: int, cost: float) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].cost_per_customer = cost

    return apply


# --- integration ------------------------------------------------------------------------
def integration(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """No orphans: segments, channels, value propositions and relationships all connect."""
    checks = 0
    out = Outcome(0.0)

    def fail(key: str, fix: Fix | None = None, **values: Any) -> None:
        out.findings.append(Finding(key, values))
        if fix:
            out.fixes.append(fix)

    for segment in canvas.segments:
        checks += 3
        if not segment.value_propositions:
            vp = canvas.value_propositions[0] if canvas.value_propositions else None
            fail("segment-no-vp", Fix(
                "link-vp" if vp else "add-vp",
                {"segment": segment.name, "vp": vp.text if vp else ""},
                _link_vp(segment.id, vp.id) if vp else None), segment=segment.name)
        if not canvas.channels_of(segment.id):
            channel = canvas.channels[0] if canvas.channels else None
            fail("segment-no-channel", Fix(
                "link-channel" if channel else "add-channel",
                {"segment": segment.name, "channel": channel.name if channel else ""},
                _link_channel(channel.id, segment.id) if channel else None),
                segment=segment.name)
        if not canvas.relationships_of(segment.id):
            wanted = segment.expects[0] if segment.expects else _fitting_type(
                segment, params)
            fail("segment-no-relationship",
                 _add_fix(canvas, segment, wanted, params), segment=segment.name)
    for i, r in enumerate(canvas.relationships):
        segment = canvas.segment(r.segment)
        checks += 1
        if not r.channels:
            reach = [c.id for c in canvas.channels_of(r.segment)]
            fail("relationship-no-channel", Fix(
                "give-channels" if reach else "add-channel",
                {"segment": segment.name, "type": r.type, "channel": ""},
                _set_channels(i, reach) if reach else None),
                segment=segment.name, type=r.type)
        for channel_id in r.channels:
            checks += 1
            channel = next(c for c in canvas.channels if c.id == channel_id)
            if r.segment not in channel.segments:
                fail("channel-mismatch", Fix(
                    "link-channel", {"segment": segment.name, "channel": channel.name},
                    _link_channel(channel.id, r.segment)),
                    segment=segment.name, channel=channel.name, type=r.type)
    used = {v for s in canvas.segments for v in s.value_propositions}
    for vp in canvas.value_propositions:
        checks += 1
        if vp.id not in used:
            fail("vp-unused", Fix("use-or-remove-vp", {"vp": vp.text}), vp=vp.text)
    for channel in canvas.channels:
        checks += 1
        if not channel.segments:
            fail("channel-unused", Fix("use-or-remove-channel", {"channel": channel.name}),
                 channel=channel.name)
    if not checks:
        return Outcome(0.0, [Finding("no-segments")], [])
    passed = checks - len(out.findings)
    out.findings.insert(0, Finding("integration-summary", {"passed": passed, "total": checks}))
    out.fraction = passed / checks
    return out


def _link_vp(segment_id: str, vp_id: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.segment(segment_id).value_propositions.append(vp_id)

    return apply


def _link_channel(channel_id: str, segment_id: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        next(c for c in canvas.channels if c.id == channel_id).segments.append(segment_id)

    return apply


def _set_channels(index: int, channel_ids: list[str]) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].channels = list(channel_ids)

    return apply


# --- lifecycle --------------------------------------------------------------------------
def lifecycle(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """Motivations stated, lifecycle stages covered, and retention where the market demands it."""
    rels = canvas.relationships
    if not rels:
        return Outcome(0.0, [Finding("no-relationships")], [])
    out = Outcome(0.0)
    weights = params["parts"]
    anchor = next(
        (r for s in _biggest_first(canvas) for r in canvas.relationships_of(s.id)), rels[0]
    )
    anchor_i = rels.index(anchor)
    anchor_segment = canvas.segment(anchor.segment).name

    unstated = [i for i, r in enumerate(rels) if not r.motivations]
    stated_part = 1 - len(unstated) / len(rels)
    if unstated:
        out.findings.append(Finding("motivations-unstated", {"count": len(unstated)}))
        for i in unstated:
            r = rels[i]
            out.fixes.append(Fix("state-motivation", {
                "segment": canvas.segment(r.segment).name, "type": r.type},
                _add_to(i, "motivations", "retention")))

    all_motivations = {m for r in rels for m in r.motivations}
    needed = params["market_needs"].get(canvas.market or "", [])
    missing_needed = [m for m in needed if m not in all_motivations]
    if canvas.market:
        out.findings.append(Finding(
            "market-ok" if not missing_needed else "market-missing",
            {"market": canvas.market, "motivations_needed": needed,
             "motivations_missing": missing_needed}))
        for m in missing_needed:
            out.fixes.insert(0, Fix("add-motivation-market", {
                "motivation": m, "market": canvas.market, "segment": anchor_segment,
                "type": anchor.type}, _add_to(anchor_i, "motivations", m)))
    market_part = 1 - len(missing_needed) / len(needed) if needed else 1.0

    missing_motivations = [m for m in knowledge.ids("motivations") if m not in all_motivations]
    motivation_part = 1 - len(missing_motivations) / 3
    out.findings.append(Finding("motivations-covered", {
        "motivations_covered": [m for m in knowledge.ids("motivations") if m in all_motivations],
        "motivations_missing": missing_motivations}))
    for m in missing_motivations:
        if m not in missing_needed:
            out.fixes.append(Fix("add-motivation", {
                "motivation": m, "segment": anchor_segment, "type": anchor.type},
                _add_to(anchor_i, "motivations", m)))

    covered = {s for r in rels for s in r.stages}
    order = knowledge.ids("stages")
    missing_stages = [s for s in order if s not in covered]
    stage_part = 1 - len(missing_stages) / len(order)
    out.findings.append(Finding("stages-covered", {
        "stages_covered": [s for s in order if s in covered], "stages_missing": missing_stages}))
    for s in missing_stages:
        out.fixes.append(Fix("add-stage", {
            "stage": s, "segment": anchor_segment, "type": anchor.type},
            _add_to(anchor_i, "stages", s)))

    out.fraction = (
        weights["motivations_stated"] * stated_part
        + weights["motivation_coverage"] * motivation_part
        + weights["stage_coverage"] * stage_part
        + weights["market_fit"] * market_part
    ) / sum(weights.values())
    return out


def _add_to(index: int, field_name: str, value: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        values = getattr(canvas.relationships[index], field_name)
        if value not in values:
            values.append(value)

    return apply


# --- measurement ------------------------------------------------------------------------
def measurement(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """Does every relationship track a metric that shows progress on each of its motivations?

    Adding a metric can only turn a gap into a match, so this check never goes down when
    a fitting metric is added.
    """
    rels = canvas.relationships
    if not rels:
        return Outcome(0.0, [Finding("no-relationships")], [])
    out = Outcome(0.0)
    pairs = met = 0
    for i, r in enumerate(rels):
        known = [knowledge.metric_id(m) for m in r.metrics]
        fits = {
            motivation
            for id_ in known if id_
            for motivation in knowledge.get("metrics", id_).get("motivations", [])
        }
        segment = canvas.segment(r.segment).name
        for motivation in r.motivations or [None]:
            pairs += 1
            ok = any(known) if motivation is None else motivation in fits
            met += ok
            if not ok:
                wanted = motivation or "retention"
                metric = first_metric(wanted, canvas.language)
                out.findings.append(Finding("measurement-gap", {
                    "segment": segment, "type": r.type, "motivation": wanted}))
                out.fixes.append(Fix("add-metric", {
                    "metric": metric, "segment": segment, "type": r.type,
                    "motivation": wanted}, _add_metric(i, metric)))
        unknown = [m for m, id_ in zip(r.metrics, known) if id_ is None]
        if unknown:
            out.findings.append(Finding("measurement-unknown", {"metrics": unknown}))
    out.findings.insert(0, Finding("measurement-summary", {"met": met, "total": pairs}))
    out.fraction = met / pairs
    return out


def _add_metric(index: int, metric: str) -> Callable[[Canvas], None]:
    def apply(canvas: Canvas) -> None:
        canvas.relationships[index].metrics.append(metric)

    return apply


# --- leverage ---------------------------------------------------------------------------
def leverage(canvas: Canvas, params: dict[str, Any]) -> Outcome:
    """How many customers are served by scalable types that fit them, and does anyone
    else (a community, co-creating customers) do part of the work?"""
    if not canvas.relationships:
        return Outcome(0.0, [Finding("no-relationships")], [])
    out = Outcome(0.0)
    scalable = {
        t["id"] for t in knowledge.relationship_types()
        if t["scalability"] >= params["scalable_from"]
    }
    share = 0.0
    unserved: list[Segment] = []
    for segment, weight in zip(canvas.segments, _weights(canvas.segments)):
        fitting = [
            r.type for r in canvas.relationships_of(segment.id)
            if r.type in scalable
            and (segment.need_complexity != "high" or r.type in segment.expects)
        ]
        if fitting:
            share += weight
        else:
            unserved.append(segment)
    out.findings.append(Finding("leverage-share", {"percent": round(100 * share)}))
    for segment in sorted(unserved, key=lambda s: -(s.customers or 0)):
        if segment.need_complexity == "high" and not (scalable & set(segment.expects)):
            continue  # automating a complex, personal need is not a fix
        choice = next((t for t in segment.expects if t in scalable), None) or (
            params["suggested_type"][segment.need_complexity])
        out.fixes.append(_add_fix(canvas, segment, choice, params))
    helpers = {"communities", "co-creation"} & {r.type for r in canvas.relationships}
    out.findings.append(Finding("leverage-others" if helpers else "leverage-no-others"))
    if not helpers and canvas.segments:
        biggest = _biggest_first(canvas)[0]
        out.fixes.append(_add_fix(canvas, biggest, "communities", params))
    w = params["share_weight"]
    out.fraction = w * share + (1 - w) * (1.0 if helpers else 0.0)
    return out


CHECKS: dict[str, Callable[[Canvas, dict[str, Any]], Outcome]] = {
    "expectation-fit": expectation_fit,
    "economics": economics,
    "integration": integration,
    "lifecycle": lifecycle,
    "measurement": measurement,
    "leverage": leverage,
}
