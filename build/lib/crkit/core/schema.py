"""The JSON Schema of the canvas format, generated from the kit's own vocabularies.

The published copy is ``schema/crkit-canvas.schema.json``; editors such as VS Code use it
to check canvas files while they are typed. A test regenerates it and compares, so it
never drifts from what ``crkit validate`` accepts. Regenerate with
``python -m crkit.core.schema > schema/crkit-canvas.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from crkit.core import knowledge
from crkit.core.i18n import LANGUAGES

SCHEMA_ID = "https://crkit.example/schema/crkit-canvas-1.schema.json"


def _spellings(kind: str) -> list[str]:
    """Ids first, then every name and alias in every language (what crkit folds)."""
    out: list[str] = []
    for entry in knowledge.entries(kind):
        out.append(entry["id"])
    for entry in knowledge.entries(kind):
        for field in ("name", "aliases"):
            value = entry.get(field) or {}
            for lang in LANGUAGES:
                found = value.get(lang, [])
                for spelling in [found] if isinstance(found, str) else found:
                    if spelling not in out:
                        out.append(spelling)
    return out


def _names(kind: str) -> dict[str, Any]:
    return {"type": "string", "enum": _spellings(kind)}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def canvas_schema() -> dict[str, Any]:
    """The schema as a dict (draft 2020-12)."""
    text = {"type": "string", "minLength": 1}
    amount = {"type": "number", "minimum": 0}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Customer Relationships Kit canvas (crkit: 1)",
        "description": "The customer side of a Business Model Canvas: value propositions, "
        "segments, channels and customer relationships. Names of types, motivations, "
        "bonds and stages may be written in English, Spanish or Portuguese.",
        "type": "object",
        "additionalProperties": False,
        "required": ["crkit", "title"],
        "properties": {
            "crkit": {"const": 1, "description": "format version"},
            "title": text,
            "language": _names("language"),
            "market": _names("market"),
            "description": {"type": "string"},
            "author": {"type": "string"},
            "value_propositions": _list_of({
                "type": "object", "additionalProperties": False, "required": ["id", "text"],
                "properties": {"id": text, "text": text},
            }),
            "segments": _list_of({
                "type": "object", "additionalProperties": False, "required": ["id", "name"],
                "properties": {
                    "id": text, "name": text,
                    "customers": amount, "value_per_customer": amount,
                    "need_complexity": _names("need_complexity"),
                    "expects": _list_of(_names("types")),
                    "value_propositions": _list_of(text),
                    "notes": {"type": "string"},
                },
            }),
            "channels": _list_of({
                "type": "object", "additionalProperties": False, "required": ["id", "name"],
                "properties": {"id": text, "name": text, "segments": _list_of(text)},
            }),
            "relationships": _list_of({
                "type": "object", "additionalProperties": False,
                "required": ["segment", "type"],
                "properties": {
                    "segment": text,
                    "type": _names("types"),
                    "motivations": _list_of(_names("motivations")),
                    "bond": _names("bonds"),
                    "channels": _list_of(text),
                    "stages": _list_of(_names("stages")),
                    "cost_per_customer": amount,
                    "metrics": _list_of(text),
                    "notes": {"type": "string"},
                },
            }),
        },
    }


def main() -> None:
    """Print the schema (used to refresh the published copy)."""
    print(json.dumps(canvas_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
