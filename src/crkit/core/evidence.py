"""Sourced figures the lessons quote: churn benchmarks, contact costs, service statistics.

They live in ``data/evidence.yaml`` with who published them and when, so a notebook never
types a number without its source, and a test can check each table against the data.
"""

from __future__ import annotations

from typing import Any

from crkit.core._resources import data_file
from crkit.core.i18n import localized, t
from crkit.core.numbers import quantity


def _data() -> dict[str, Any]:
    return data_file("evidence.yaml")


def churn_statistics() -> list[dict[str, Any]]:
    """Monthly churn of mobile operators (Market Realist 2019; Mobile World Live 2023)."""
    return _data()["churn"]


def contact_costs() -> dict[str, dict[str, Any]]:
    """Cost of one contact by channel, keyed ``live`` and ``self-service`` (Gartner 2019)."""
    return {row["id"]: row for row in _data()["contact_costs"]}


def self_service_resolution() -> dict[str, Any]:
    """Share of customers who fully resolve an issue in self-service (Gartner 2019)."""
    return _data()["self_service_resolution"]


def service_statistics() -> list[dict[str, Any]]:
    """The customer-service statistics seed 001 cites, each with its attribution."""
    return _data()["service_statistics"]


def statistic(id_: str) -> dict[str, Any]:
    """One service statistic by id (``KeyError`` if there is none)."""
    for row in service_statistics():
        if row["id"] == id_:
            return row
    raise KeyError(f"no service statistic {id_!r}")


def cite(row: dict[str, Any], lang: str | None = None) -> str:
    """'Source, year', plus who quotes it when the figure is second-hand."""
    if row.get("via"):
        return t("lesson.evidence.cited-via", lang, source=row["source"],
                 via=localized(row["via"], lang), year=row["year"])
    return t("lesson.evidence.cited", lang, source=row["source"], year=row["year"])


def statistic_text(row: dict[str, Any], lang: str | None = None) -> str:
    """A statistic's number as a learner reads it: '71%' or 'more than 63%'."""
    number = quantity(row["value"], row.get("unit", ""), lang)
    return t("lesson.evidence.more-than", lang, value=number) if row.get("more_than") else number


def sentence(row: dict[str, Any], lang: str | None = None) -> str:
    """The statistic as one sentence with its source: '71% of people ... (Zendesk, 2020)'."""
    text = localized(row["text"], lang).rstrip(".")
    return f"{statistic_text(row, lang)} {text} ({cite(row, lang)})."
