"""The kit's knowledge of the customer relationships block, read from data files.

Types, motivations, bonds, lifecycle stages, the block's questions, practices, metrics and
sources all live in ``data/knowledge/*.yaml``; this module gives them a small, plain API and
folds the names learners type (in English, Spanish or Portuguese) to the stable ids.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from crkit.core._resources import data_file
from crkit.core.i18n import LANGUAGES, localized

#: knowledge kind -> data file under ``data/knowledge/``
FILES = {
    "types": "relationship_types.yaml",
    "motivations": "motivations.yaml",
    "bonds": "bonds.yaml",
    "stages": "stages.yaml",
    "questions": "questions.yaml",
    "practices": "practices.yaml",
    "metrics": "metrics.yaml",
    "sources": "sources.yaml",
}
#: small closed vocabularies of the canvas format (market, need complexity, language)
VOCABULARY_KINDS = ("market", "need_complexity", "language")


def entries(kind: str) -> list[dict[str, Any]]:
    """All entries of one kind of knowledge, in the order the data file gives."""
    if kind in VOCABULARY_KINDS:
        return data_file("vocabulary.yaml")[kind]
    try:
        return data_file(f"knowledge/{FILES[kind]}")
    except KeyError:
        known = ", ".join([*FILES, *VOCABULARY_KINDS])
        raise ValueError(f"unknown knowledge kind {kind!r}; choose one of: {known}") from None


def ids(kind: str) -> list[str]:
    """The stable ids of one kind, in order."""
    return [entry["id"] for entry in entries(kind)]


def get(kind: str, id_: str) -> dict[str, Any]:
    """One entry by id (``KeyError`` if there is none)."""
    for entry in entries(kind):
        if entry["id"] == id_:
            return entry
    raise KeyError(f"no {kind} entry with id {id_!r}")


def name(kind: str, id_: str, lang: str | None = None) -> str:
    """The display name of an entry in ``lang``."""
    return localized(get(kind, id_)["name"], lang)


def relationship_types() -> list[dict[str, Any]]:
    """The six relationship types, from most personal to most collaborative."""
    return entries("types")


def motivations() -> list[dict[str, Any]]:
    """The three motivations: acquisition, retention, upselling (boosting sales)."""
    return entries("motivations")


def bonds() -> list[dict[str, Any]]:
    """The two bonds: long-term and transactional."""
    return entries("bonds")


def stages() -> list[dict[str, Any]]:
    """The six lifecycle stages, in order."""
    return entries("stages")


def questions() -> list[dict[str, Any]]:
    """The block's questions (Business Model Generation p.29, and the seeds)."""
    return entries("questions")


def practices() -> list[dict[str, Any]]:
    """The practices the seeds recommend."""
    return entries("practices")


def metrics_catalogue() -> list[dict[str, Any]]:
    """Relationship metrics, each with the motivations and stages it shows progress on."""
    return entries("metrics")


def sources() -> list[dict[str, Any]]:
    """Every source the knowledge files cite."""
    return entries("sources")


def normalise(text: str) -> str:
    """Fold case, accents and punctuation: 'Creación  colectiva' -> 'creacion-colectiva'."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9:]+", "-", plain).strip("-")


@cache
def _index(kind: str) -> dict[str, str]:
    """Normalised id, names and aliases (all languages) -> id."""
    index: dict[str, str] = {}
    for entry in entries(kind):
        spellings = [entry["id"]]
        for field in ("name", "aliases"):
            value = entry.get(field) or {}
            for lang in LANGUAGES:
                found = value.get(lang, []) if isinstance(value, dict) else []
                spellings.extend([found] if isinstance(found, str) else found)
        for spelling in spellings:
            index.setdefault(normalise(spelling), entry["id"])
    return index


def fold(kind: str, text: Any) -> str | None:
    """The id that ``text`` names (an id, a name or an alias in any language), else None."""
    if not isinstance(text, str):
        return None
    return _index(kind).get(normalise(text))


def nearest(kind: str, text: Any) -> str | None:
    """The id whose spelling is closest to ``text``, for 'did you mean' hints."""
    if not isinstance(text, str) or not text.strip():
        return None
    index = _index(kind)
    match = difflib.get_close_matches(normalise(text), list(index), n=1, cutoff=0.6)
    return index[match[0]] if match else None


@lru_cache(maxsize=4096)
def metric_id(text: str) -> str | None:
    """Recognise a free-text metric ('monthly churn rate', 'NPS') as a catalogue id.

    An exact name or alias wins; otherwise the longest catalogue spelling found inside
    the text as whole words.
    """
    exact = fold("metrics", text)
    if exact:
        return exact
    padded = f"-{normalise(text)}-"
    best: tuple[int, str] | None = None
    for spelling, id_ in _index("metrics").items():
        if len(spelling) >= 3 and f"-{spelling}-" in padded:
            if best is None or len(spelling) > best[0]:
                best = (len(spelling), id_)
    return best[1] if best else None


def metrics_for(motivation: str) -> list[str]:
    """Catalogue ids of the metrics that show progress on one motivation.

    Metrics that serve this motivation alone come first: they are the clearest signal.
    """
    fitting = [m for m in metrics_catalogue() if motivation in m.get("motivations", [])]
    return [m["id"] for m in sorted(fitting, key=lambda m: len(m["motivations"]) > 1)]
