"""The canvas file format: validation messages, round trips, atomic saves, the schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crkit
from crkit.core import knowledge
from crkit.core.schema import canvas_schema

ROOT = Path(__file__).resolve().parents[2]

BROKEN_TYPE = """\
crkit: 1
title: Typo
segments:
  - id: s
    name: S
relationships:
  - segment: s
    type: personal-assistance
  - segment: s
    type: self servce
"""


def test_a_typo_names_file_field_line_and_nearest_name(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(BROKEN_TYPE)
    with pytest.raises(crkit.CanvasError) as info:
        crkit.load(path)
    message = str(info.value)
    assert message == (
        f"{path}: unknown relationship type 'self servce' at relationships[1].type (line 10); "
        "did you mean 'self-service'?"
    )
    assert info.value.line == 10 and info.value.field == "relationships[1].type"


def test_messages_come_in_spanish_and_portuguese(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(BROKEN_TYPE)
    with pytest.raises(crkit.CanvasError) as info:
        crkit.load(path)
    assert "tipo de relación desconocido" in info.value.message("es")
    assert "(línea 10)" in info.value.message("es")
    assert "você quis dizer 'self-service'?" in info.value.message("pt")


def test_every_problem_is_collected():
    text = BROKEN_TYPE.replace("name: S", "name: S\n    customers: -3")
    with pytest.raises(crkit.CanvasError) as info:
        crkit.loads(text)
    codes = [p.code for p in info.value.problems]
    assert codes == ["negative", "unknown-name"]
    assert "(+1 more problems)" in str(info.value)


def test_spanish_and_portuguese_names_are_folded_to_ids():
    canvas = crkit.loads("""
crkit: 1
title: Lienzo
language: español
market: saturado
segments: [{id: s, name: S, need_complexity: alta, expects: [comunidades, Cocriação]}]
relationships:
  - {segment: s, type: autoservicio, motivations: [fidelización, captación],
     stages: [reactivación], bond: a largo plazo}
""")
    r = canvas.relationships[0]
    assert (canvas.language, canvas.market) == ("es", "saturated")
    assert canvas.segments[0].expects == ["communities", "co-creation"]
    assert (r.type, r.motivations, r.stages, r.bond) == (
        "self-service", ["retention", "acquisition"], ["reactivation"], "long-term")


def test_references_must_exist_with_a_hint():
    with pytest.raises(crkit.CanvasError) as info:
        crkit.loads("""
crkit: 1
title: T
segments: [{id: families, name: F}]
relationships: [{segment: familes, type: communities}]
""")
    assert "'familes' is not a segment of this canvas" in str(info.value)
    assert "did you mean 'families'?" in str(info.value)


def test_unknown_fields_are_refused_with_the_nearest_field():
    with pytest.raises(crkit.CanvasError) as info:
        crkit.loads("crkit: 1\ntitle: T\nsegmnets: []\n")
    assert "unknown field 'segmnets'" in str(info.value)
    assert "did you mean 'segments'?" in str(info.value)


def test_json_canvases_load(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(crkit.dumps(crkit.starter_canvas(), "json"))
    assert crkit.load(path) == crkit.starter_canvas()


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_load_save_load_gives_the_same_canvas(tmp_path, lang):
    canvas = crkit.starter_canvas(lang)
    for name in ("c.yaml", "c.json"):
        path = crkit.save(canvas, tmp_path / name)
        assert crkit.load(path) == canvas


def test_save_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    crkit.save(crkit.starter_canvas(), path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    changed = crkit.starter_canvas()
    changed.title = "Changed"
    with pytest.raises(OSError):
        crkit.save(changed, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]  # no temp file left


def test_published_schema_is_current_and_accepts_the_starter():
    import jsonschema

    published = json.loads((ROOT / "schema" / "crkit-canvas.schema.json").read_text())
    refresh = "run: python -m crkit.core.schema > schema/crkit-canvas.schema.json"
    assert published == canvas_schema(), refresh
    jsonschema.validate(crkit.starter_canvas().to_dict(), published)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"crkit": 1, "title": "T", "segmnets": []}, published)


# --- property tests -----------------------------------------------------------------------
ids = st.text(alphabet="abcdefghij-", min_size=1, max_size=8).filter(lambda s: s.strip("-"))
texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() == s and s.strip())
amounts = st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e6, allow_nan=False))


@st.composite
def canvases(draw):
    seg_ids = draw(st.lists(ids, min_size=0, max_size=4, unique=True))
    vp_ids = draw(st.lists(ids, max_size=3, unique=True))
    ch_ids = draw(st.lists(ids, max_size=3, unique=True))
    pick = lambda pool: draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []  # noqa: E731
    segments = [crkit.Segment(
        id=s, name=draw(texts), customers=draw(amounts), value_per_customer=draw(amounts),
        need_complexity=draw(st.sampled_from(["low", "medium", "high"])),
        expects=pick(knowledge.ids("types")), value_propositions=pick(vp_ids)) for s in seg_ids]
    relationships = [crkit.Relationship(
        segment=draw(st.sampled_from(seg_ids)), type=draw(st.sampled_from(knowledge.ids("types"))),
        motivations=pick(knowledge.ids("motivations")), stages=pick(knowledge.ids("stages")),
        bond=draw(st.one_of(st.none(), st.sampled_from(knowledge.ids("bonds")))),
        channels=pick(ch_ids), cost_per_customer=draw(amounts),
        metrics=draw(st.lists(st.sampled_from(["NPS", "CAC", "churn rate", "ARPU", "reviews"]),
                              unique=True)),
    ) for _ in range(draw(st.integers(0, 5)))] if seg_ids else []
    return crkit.Canvas(
        title=draw(texts), language=draw(st.sampled_from(["en", "es", "pt"])),
        market=draw(st.one_of(st.none(), st.sampled_from(["emerging", "growing", "saturated"]))),
        value_propositions=[crkit.ValueProposition(v, draw(texts)) for v in vp_ids],
        segments=segments,
        channels=[crkit.Channel(c, draw(texts), pick(seg_ids)) for c in ch_ids],
        relationships=relationships,
    )


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(canvases())
def test_round_trip_property(canvas):
    text = crkit.dumps(canvas)
    again = crkit.loads(text)
    assert again == canvas
    assert crkit.dumps(again) == text
    assert crkit.loads(crkit.dumps(canvas, "json"), json_hint=True) == canvas


@FAST
@given(canvases())
def test_total_is_within_0_and_100_and_deterministic(canvas):
    first = crkit.score(canvas)
    assert 0 <= first.total <= 100
    assert all(0 <= c.score <= 4 for c in first.criteria)
    assert crkit.score(canvas).to_dict(with_best=False) == first.to_dict(with_best=False)


@FAST
@given(canvases(), st.data())
def test_adding_a_fitting_metric_never_lowers_measurement(canvas, data):
    if not canvas.relationships:
        return
    before = crkit.score(canvas).criterion("measurement")
    i = data.draw(st.integers(0, len(canvas.relationships) - 1))
    motivation = data.draw(st.sampled_from(knowledge.ids("motivations")))
    canvas.relationships[i].metrics.append(knowledge.name("metrics",
                                                          knowledge.metrics_for(motivation)[0]))
    after = crkit.score(canvas).criterion("measurement")
    assert after.fraction >= before.fraction and after.score >= before.score


@FAST
@given(canvases())
def test_best_change_really_raises_the_score(canvas):
    report = crkit.score(canvas)
    best = report.best_change()
    if best is not None:
        assert best.new_total >= report.total
        assert best.gain == pytest.approx(best.new_total - report.total, abs=0.051)


def test_yaml_written_by_the_kit_is_plain(tmp_path):
    data = yaml.safe_load(crkit.dumps(crkit.starter_canvas()))
    assert list(data)[:3] == ["crkit", "title", "language"]
