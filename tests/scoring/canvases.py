"""Canvases built for the scoring tests: a well-designed one, and random ones."""

from __future__ import annotations

import random

import crkit
from crkit.core import knowledge


def well_designed() -> crkit.Canvas:
    """Two segments a teacher would accept: key accounts with a person of their own, and
    a mass segment with self-service and a community; every link and metric in place."""
    return crkit.loads("""
crkit: 1
title: Office supplies
market: growing
value_propositions:
  - {id: supply, text: Office supplies delivered next day}
segments:
  - {id: key, name: Key accounts, customers: 40, value_per_customer: 24000,
     need_complexity: high, expects: [dedicated-personal-assistance],
     value_propositions: [supply]}
  - {id: small, name: Small offices, customers: 20000, value_per_customer: 240,
     need_complexity: low, expects: [self-service, communities],
     value_propositions: [supply]}
channels:
  - {id: reps, name: Account managers, segments: [key]}
  - {id: web, name: Web shop, segments: [small, key]}
relationships:
  - {segment: key, type: dedicated-personal-assistance, channels: [reps],
     motivations: [retention, upselling], stages: [conversion, growth, retention, reactivation],
     cost_per_customer: 1200, metrics: [churn rate, ARPU]}
  - {segment: small, type: self-service, channels: [web], motivations: [acquisition, retention],
     stages: [awareness, acquisition, conversion, retention], cost_per_customer: 3,
     metrics: [CAC, churn rate]}
  - {segment: small, type: communities, channels: [web], motivations: [retention],
     stages: [retention, growth], cost_per_customer: 5, metrics: [churn rate]}
""")


TYPES = knowledge.ids("types")
MOTIVATIONS = knowledge.ids("motivations")
STAGES = knowledge.ids("stages")
METRICS = [knowledge.name("metrics", m, "en") for m in knowledge.ids("metrics")]


def random_canvas(seed: int, segments: int | None = None) -> crkit.Canvas:
    """A valid canvas with random segments, channels and relationships (some flawed)."""
    rng = random.Random(seed)
    n = segments or rng.randint(1, 5)
    vps = [crkit.ValueProposition(f"v{i}", f"Offer {i}") for i in range(rng.randint(1, 3))]
    segs = []
    for i in range(n):
        segs.append(crkit.Segment(
            id=f"s{i}", name=f"Segment {i}",
            customers=rng.choice([None, 10, 500, 20_000, 1_000_000]),
            value_per_customer=rng.choice([None, 0, 20, 300, 5_000, 40_000]),
            need_complexity=rng.choice(["low", "medium", "high"]),
            expects=rng.sample(TYPES, rng.randint(0, 2)),
            value_propositions=[v.id for v in rng.sample(vps, rng.randint(0, len(vps)))]))
    channels = [crkit.Channel(f"c{i}", f"Channel {i}",
                              [s.id for s in segs if rng.random() < 0.5])
                for i in range(rng.randint(1, 3))]
    rels = []
    for s in segs:
        for _ in range(rng.choice([0, 1, 1, 2])):
            rels.append(crkit.Relationship(
                segment=s.id, type=rng.choice(TYPES),
                motivations=rng.sample(MOTIVATIONS, rng.randint(0, 2)),
                channels=[c.id for c in rng.sample(channels, rng.randint(0, len(channels)))],
                stages=rng.sample(STAGES, rng.randint(0, 3)),
                cost_per_customer=rng.choice([None, 1, 30, 400, 3_000]),
                metrics=rng.sample(METRICS, rng.randint(0, 2))))
    return crkit.Canvas(title=f"Random {seed}", market=rng.choice([None, "saturated", "growing"]),
                        value_propositions=vps, segments=segs, channels=channels,
                        relationships=rels)
