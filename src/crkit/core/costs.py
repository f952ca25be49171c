"""The kit's one cost model: what a relationship type costs to serve one customer a year.

The numbers live in ``data/costs.yaml``. Two of them have a source, the cost of one
contact through a live channel and through self-service (a 2019 Gartner poll reported by
destinationCRM); they are read from ``data/evidence.yaml`` by id, never copied. The rest
are the kit's illustrative assumptions, marked ``kit_choice`` in the file.

The rubric's suggestions, its criteria and the type explorer all price relationships here,
so a what-if in a notebook and ``crkit score`` never disagree on a cost.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from crkit.core import evidence
from crkit.core._resources import data_file
from crkit.core.metrics import cost_to_serve


def _evidence(ref: str) -> dict[str, Any]:
    section, _, id_ = ref.partition(".")
    if section == "contact_costs":
        return evidence.contact_costs()[id_]
    if section == "self_service_resolution":
        return evidence.self_service_resolution()
    raise KeyError(f"costs.yaml cites an unknown evidence entry {ref!r}")


@cache
def model() -> dict[str, Any]:
    """The cost model with every sourced number resolved (built once)."""
    raw = data_file("costs.yaml")
    contact = {k: float(_evidence(v["evidence"])["cost_per_contact"])
               for k, v in raw["contact_cost"].items()}
    resolved = float(_evidence(raw["self_service_resolution"]["evidence"])["share"])
    return {"contact_cost": contact, "self_service_resolution": resolved,
            "contacts_per_year": dict(raw["contacts_per_year"]["value"]),
            "types": {k: dict(v) for k, v in raw["types"]["value"].items()}}


def sources() -> dict[str, dict[str, Any]]:
    """Where each sourced number comes from: item -> its evidence row."""
    raw = data_file("costs.yaml")
    out = {f"contact_cost.{k}": _evidence(v["evidence"]) for k, v in raw["contact_cost"].items()}
    out["self_service_resolution"] = _evidence(raw["self_service_resolution"]["evidence"])
    return out


def kit_choices() -> list[str]:
    """The parts of the model no source gives (the kit's illustrative assumptions)."""
    raw = data_file("costs.yaml")
    return [k for k, v in raw.items() if isinstance(v, dict) and v.get("kit_choice")]


def live_contact_cost() -> float:
    """Cost of one contact through a live channel, US$ (Gartner 2019)."""
    return model()["contact_cost"]["live"]


def self_service_contact_cost() -> float:
    """Cost of one contact through self-service, US$ (Gartner 2019)."""
    return model()["contact_cost"]["self-service"]


def self_service_resolved() -> float:
    """Share of customers who fully resolve an issue in self-service (Gartner 2019)."""
    return model()["self_service_resolution"]


def contacts_per_year() -> dict[str, float]:
    """Contacts one customer makes in a year, by need complexity (the kit's assumption)."""
    return dict(model()["contacts_per_year"])


def type_costs() -> dict[str, dict[str, Any]]:
    """Per type: fixed cost, cost per customer and share of contacts settled unassisted."""
    return {k: dict(v) for k, v in model()["types"].items()}


def self_service_first_cost(resolved: float | None = None, live: float | None = None,
                            self_service: float | None = None) -> float:
    """Cost of one issue when the customer tries self-service first, unrounded.

    Every issue costs one self-service contact; those not fully resolved (1 - resolved)
    also cost a live contact. With Gartner's 2019 figures that is about US$7.39.
    """
    resolved = self_service_resolved() if resolved is None else resolved
    if not 0 <= resolved <= 1:
        raise ValueError("resolved must be between 0 and 1")
    live = live_contact_cost() if live is None else live
    self_service = self_service_contact_cost() if self_service is None else self_service
    return cost_to_serve({"self-service": 1, "live": 1 - resolved},
                         {"self-service": self_service, "live": live})


def cost_per_customer(type_id: str, need_complexity: str, customers: float) -> float:
    """Yearly cost to serve one customer with a type, rounded to cents.

    fixed / customers + per customer + contacts x (share settled unassisted x self-service
    contact cost + the rest x live contact cost).
    """
    if not customers or customers <= 0:
        raise ValueError("customers must be above 0")
    entry = model()["types"][type_id]
    cost = entry["fixed"] / customers + entry["per_customer"]
    if entry["solved"] is not None:
        solved = entry["solved"][need_complexity]
        contacts = model()["contacts_per_year"][need_complexity]
        cost += cost_to_serve(
            {"self-service": contacts * solved, "live": contacts * (1 - solved)},
            model()["contact_cost"])
    return round(cost, 2)


def estimate(type_id: str, segment: Any) -> float | None:
    """The model's yearly cost of a type for a canvas segment; None without a customer count."""
    if not segment.customers or segment.customers <= 0 or type_id not in model()["types"]:
        return None
    return cost_per_customer(type_id, segment.need_complexity, segment.customers)


def people_cost(segment: Any) -> float:
    """What serving the segment with people only would cost per customer a year."""
    return cost_per_customer("personal-assistance", segment.need_complexity,
                             segment.customers or 1)
