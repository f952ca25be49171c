"""The knowledge files are complete in English, Spanish and Portuguese, and consistent."""

from __future__ import annotations

import pytest

from crkit.core import knowledge
from crkit.core.i18n import LANGUAGES

EXPECTED_IDS = {
    "types": ["personal-assistance", "dedicated-personal-assistance", "self-service",
              "automated-services", "communities", "co-creation"],
    "motivations": ["acquisition", "retention", "upselling"],
    "bonds": ["long-term", "transactional"],
    "stages": ["awareness", "acquisition", "conversion", "growth", "retention", "reactivation"],
}
TEXT_FIELDS = {"name", "summary", "description", "goal", "text", "why", "suits", "not_for",
               "example", "formula", "related"}
LIST_FIELDS = {"channels", "risks", "tactics", "metrics", "typical_metrics", "signals", "aliases"}


@pytest.mark.parametrize("kind,ids", EXPECTED_IDS.items())
def test_ids_are_the_stable_english_slugs(kind, ids):
    assert knowledge.ids(kind) == ids


@pytest.mark.parametrize("kind", list(knowledge.FILES))
def test_every_text_exists_in_three_languages(kind):
    for entry in knowledge.entries(kind):
        for field, value in entry.items():
            if field in TEXT_FIELDS and isinstance(value, dict):
                assert set(value) == set(LANGUAGES), (kind, entry["id"], field)
                assert all(isinstance(v, str) and v.strip() for v in value.values()), (
                    kind, entry["id"], field)
            if field in LIST_FIELDS and isinstance(value, dict):
                assert set(value) == set(LANGUAGES), (kind, entry["id"], field)
                if field != "aliases":
                    sizes = {len(v) for v in value.values()}
                    assert len(sizes) == 1 and sizes != {0}, (kind, entry["id"], field)


def test_types_carry_the_properties_scoring_uses():
    for entry in knowledge.relationship_types():
        for field in ("human_involvement", "intimacy", "cost_to_serve", "scalability"):
            assert entry[field] in range(5), (entry["id"], field)
        assert entry["examples"], entry["id"]
    by_id = {e["id"]: e for e in knowledge.relationship_types()}
    assert by_id["dedicated-personal-assistance"]["intimacy"] > by_id["self-service"]["intimacy"]
    assert by_id["self-service"]["scalability"] > by_id["dedicated-personal-assistance"][
        "scalability"]


@pytest.mark.parametrize("kind", list(knowledge.FILES))
def test_cited_sources_exist(kind):
    known = set(knowledge.ids("sources"))
    for entry in knowledge.entries(kind):
        assert set(entry.get("sources", [])) <= known, (kind, entry["id"])


def test_each_motivation_has_a_metric_to_track_it():
    for motivation in EXPECTED_IDS["motivations"]:
        assert knowledge.metrics_for(motivation), motivation


@pytest.mark.parametrize("text,kind,expected", [
    ("autoservicio", "types", "self-service"),
    ("Autosserviço", "types", "self-service"),
    ("comunidades", "types", "communities"),
    ("creación colectiva", "types", "co-creation"),
    ("Cocriação", "types", "co-creation"),
    ("asistencia personal exclusiva", "types", "dedicated-personal-assistance"),
    ("Servicios automatizados", "types", "automated-services"),
    ("fidelización", "motivations", "retention"),
    ("captación de clientes", "motivations", "acquisition"),
    ("estimulación de las ventas", "motivations", "upselling"),
    ("reactivación", "stages", "reactivation"),
    ("conscientização", "stages", "awareness"),
    ("a largo plazo", "bonds", "long-term"),
    ("transacional", "bonds", "transactional"),
])
def test_spanish_and_portuguese_names_fold_to_ids(text, kind, expected):
    assert knowledge.fold(kind, text) == expected


def test_near_misses_get_a_suggestion():
    assert knowledge.nearest("types", "self servce") == "self-service"
    assert knowledge.nearest("stages", "retencion") == "retention"
    assert knowledge.fold("types", "self servce") is None


@pytest.mark.parametrize("text,expected", [
    ("NPS", "nps"), ("monthly churn rate", "churn-rate"), ("CAC", "cac"),
    ("repeat purchase rate", "repeat-purchase-rate"), ("ARPU", "arpu"),
])
def test_free_text_metrics_are_recognised(text, expected):
    assert knowledge.metric_id(text) == expected


def test_questions_cover_the_four_of_the_block_and_measurement():
    assert {"expects", "established", "cost", "integration", "measure"} <= set(
        knowledge.ids("questions"))


def test_practices_from_the_seeds_are_present():
    assert {"trained-team", "listen-and-solve", "short-waits", "personal-replies",
            "loyalty-programme", "measure-constantly"} <= set(knowledge.ids("practices"))
