"""The rubric scores what it claims to, explains why, and suggests changes that work."""

from __future__ import annotations

import pytest

import crkit
from crkit.scoring.rubric import default_rubric


def _starter():
    return crkit.starter_canvas()


def test_rubric_has_the_six_criteria_with_sources_and_weights_to_100():
    rubric = default_rubric()
    assert [c.id for c in rubric.criteria] == [
        "expectation-fit", "economics", "integration", "lifecycle", "measurement", "leverage"]
    assert rubric.total_weight == 100
    for c in rubric.criteria:
        assert c.source and c.asks["es"] and c.asks["pt"]
    assert "levels" in rubric.criteria[0].kit_choice  # thresholds no source gives are marked


def test_each_criterion_has_score_explanation_and_suggestion():
    report = crkit.score(_starter())
    for c in report.criteria:
        assert 0 <= c.score <= 4
        assert len(c.explanation) > 60
        assert c.suggestion


def test_missing_expected_type_lowers_expectation_fit_and_adding_it_restores():
    canvas = _starter()
    before = crkit.score(canvas).criterion("expectation-fit")
    assert "Communities" in before.explanation or "communities" in before.explanation
    canvas.relationships.append(crkit.Relationship(segment="neighbours", type="communities",
                                                   channels=["shop"], motivations=["retention"]))
    after = crkit.score(canvas).criterion("expectation-fit")
    assert after.score > before.score


def test_high_complexity_segment_needs_personal_contact():
    canvas = crkit.loads("""
crkit: 1
title: Advisory
segments: [{id: rich, name: Wealthy clients, need_complexity: high,
            expects: [self-service], customers: 10, value_per_customer: 10000}]
relationships: [{segment: rich, type: self-service, cost_per_customer: 10}]
""")
    low = crkit.score(canvas).criterion("expectation-fit")
    canvas.relationships.append(crkit.Relationship(segment="rich",
                                                   type="dedicated-personal-assistance"))
    assert crkit.score(canvas).criterion("expectation-fit").score > low.score
    assert "complexity" in low.explanation


def test_expensive_relationships_score_low_on_economics():
    canvas = _starter()
    canvas.relationships[0].cost_per_customer = 170  # almost all of the 180 yearly value
    result = crkit.score(canvas).criterion("economics")
    assert result.score < 4
    assert "down to" in result.suggestion


def test_orphans_lower_integration():
    canvas = _starter()
    canvas.channels.append(crkit.Channel(id="radio", name="Radio ads"))
    result = crkit.score(canvas).criterion("integration")
    assert "Radio ads" in result.explanation
    assert result.fraction < 1


def test_saturated_market_without_retention_is_flagged():
    canvas = _starter()
    for r in canvas.relationships:
        r.motivations = [m for m in r.motivations if m != "retention"] or ["acquisition"]
    result = crkit.score(canvas).criterion("lifecycle")
    assert "saturated market" in result.explanation
    assert "retention" in result.suggestion


def test_measurement_counts_metrics_that_fit_the_motivation():
    canvas = _starter()
    canvas.relationships[1].metrics = ["CAC"]
    canvas.relationships[0].metrics += ["ARPU"]
    assert crkit.score(canvas).criterion("measurement").score == 4


def test_leverage_rewards_scalable_types_that_fit():
    canvas = _starter()
    before = crkit.score(canvas).criterion("leverage").score
    canvas.relationships.append(crkit.Relationship(segment="neighbours", type="communities",
                                                   channels=["shop"]))
    assert crkit.score(canvas).criterion("leverage").score > before


def test_best_change_is_the_fix_that_raises_the_total_most():
    canvas = _starter()
    report = crkit.score(canvas)
    best = report.best_change()
    assert best is not None and best.gain > 0
    # applying every single fix by hand never beats the chosen one
    from crkit.scoring.engine import best_change, evaluate, total_of

    rubric = default_rubric()
    gains = []
    for _, outcome, _ in evaluate(canvas, rubric):
        for fix in outcome.fixes:
            if fix.apply:
                trial = canvas.copy()
                fix.apply(trial)
                gains.append(total_of(evaluate(trial, rubric), rubric) - report.total)
    assert best.gain == pytest.approx(max(gains), abs=0.05)
    assert best_change(canvas, rubric, "en", report.total) == best


def test_a_complete_canvas_scores_high_and_has_nothing_left_to_fix():
    canvas = _starter()
    while (best := crkit.score(canvas).best_change()) is not None:
        from crkit.scoring.engine import evaluate

        fixes = [f for _, o, _ in evaluate(canvas, default_rubric()) for f in o.fixes
                 if f.apply and crkit.scoring.engine.render_fix(f, "en") == best.text]
        fixes[0].apply(canvas)
    assert crkit.score(canvas).total >= 90


def test_instructor_rubric_changes_weights_and_keeps_the_rest(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("crkit-rubric: 1\ncriteria:\n  - {id: measurement, weight: 1}\n"
                    "  - {id: economics, weight: 1}\n")
    rubric = crkit.load_rubric(path)
    assert [c.id for c in rubric.criteria] == ["measurement", "economics"]
    report = crkit.score(_starter(), rubric)
    assert len(report.criteria) == 2
    expected = (report.criteria[0].score + report.criteria[1].score) / 8 * 100
    assert report.total == pytest.approx(expected, abs=0.05)


@pytest.mark.parametrize("lang,word", [("es", "Ajuste a las expectativas"),
                                       ("pt", "Ajuste às expectativas")])
def test_reports_in_spanish_and_portuguese(lang, word):
    report = crkit.score(_starter(), lang=lang)
    assert report.criteria[0].name == word
    text = crkit.render_text(report)
    assert "Traceback" not in text and word in text


def test_scoring_is_deterministic():
    a = crkit.score(_starter()).to_dict()
    b = crkit.score(_starter()).to_dict()
    assert a == b


def test_rubric_questions_are_whole_sentences_in_three_languages():
    for c in default_rubric().criteria:
        assert set(c.asks) == {"en", "es", "pt"}
        assert c.asks["en"].endswith("?") and c.asks["es"].startswith("¿"), c.id
