"""One cost model: every number sourced (read from evidence.yaml by id) or the kit's choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from crkit.core import costs, evidence
from crkit.core._resources import data_file

SRC = Path(__file__).resolve().parents[2] / "src" / "crkit"


def test_every_number_is_sourced_or_the_kits_choice():
    raw = data_file("costs.yaml")
    assert raw["crkit-costs"] == 1
    for key, entry in raw.items():
        if key == "crkit-costs":
            continue
        if entry.get("kit_choice") is True:
            assert "value" in entry, key
        elif "evidence" in entry:
            assert costs.sources()[key]["source"]
        else:  # a group of sourced numbers
            for name, item in entry.items():
                assert "evidence" in item, (key, name)
    assert set(costs.kit_choices()) == {"contacts_per_year", "types"}


def test_sourced_numbers_are_read_from_evidence_not_copied():
    rows = evidence.contact_costs()
    assert costs.live_contact_cost() == rows["live"]["cost_per_contact"]
    assert costs.self_service_contact_cost() == rows["self-service"]["cost_per_contact"]
    assert costs.self_service_resolved() == evidence.self_service_resolution()["share"]
    for path in (SRC / "data" / "costs.yaml", SRC / "data" / "rubric.yaml"):
        assert "8.01" not in path.read_text(encoding="utf-8"), path
    for path in (SRC / "lessons" / "type_profiles.py", SRC / "lessons" / "economics.py"):
        text = path.read_text(encoding="utf-8")
        assert "= 8.01" not in text and "= 0.10" not in text and "= 0.09" not in text, path
    assert "typical_cost_share" not in (SRC / "data" / "rubric.yaml").read_text()


def test_self_service_first_is_computed_in_one_place():
    from crkit.lessons import economics, type_profiles

    assert economics.self_service_first_cost() == round(costs.self_service_first_cost(), 2)
    assert type_profiles.self_service_cost(costs.self_service_resolved()) == \
        costs.self_service_first_cost()
    assert round(costs.self_service_first_cost(), 2) == 7.39


def test_the_cost_of_a_type():
    # a live contact at US$8.01, four a year
    assert costs.cost_per_customer("personal-assistance", "medium", 1_500) == 32.04
    # 200,000 fixed over 100,000 customers, plus 30% of 4 contacts live, 70% unassisted
    assert costs.cost_per_customer("automated-services", "medium", 100_000) == \
        round(2 + 4 * (0.7 * 0.10 + 0.3 * 8.01), 2)
    with pytest.raises(ValueError):
        costs.cost_per_customer("self-service", "low", 0)
