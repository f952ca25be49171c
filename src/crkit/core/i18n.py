"""Every label and message the kit shows, in English, Spanish and Portuguese.

The strings live in ``data/messages.yaml``; this module only looks them up. Missing
translations fall back to English so a gap never breaks a report, and a test checks that
there are no gaps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crkit.core._resources import data_file
from crkit.core.numbers import number

LANGUAGES = ("en", "es", "pt")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português"}


def check_language(lang: str | None) -> str:
    """Return a supported language code; raise ``ValueError`` naming the choices otherwise."""
    if lang is None:
        return DEFAULT_LANGUAGE
    code = str(lang).strip().lower()[:2]
    if code not in LANGUAGES:
        raise ValueError(
            f"unsupported language {lang!r}; choose one of: {', '.join(LANGUAGES)}"
        )
    return code


def messages() -> dict[str, dict[str, str]]:
    """All message templates, keyed by message id."""
    return data_file("messages.yaml")


def t(key: str, lang: str | None = None, /, **values: Any) -> str:
    """Translate message ``key`` into ``lang`` and fill its ``{placeholders}``.

    Parameters
    ----------
    key : str
        Message id from ``data/messages.yaml``.
    lang : str, optional
        ``en``, ``es`` or ``pt``; English when omitted.
    **values
        Values for the template's placeholders. Floats are written with the language's
        separators (96,2 in Spanish); format other numbers with :mod:`crkit.core.numbers`
        (integers pass through, so years and line numbers stay as they are).
    """
    lang = check_language(lang)
    entry = messages()[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if not values:
        return template
    shown = {k: number(v, lang) if isinstance(v, float) else v for k, v in values.items()}
    return template.format(**shown)


def localized(value: Any, lang: str | None = None) -> Any:
    """Pick one language out of a ``{en, es, pt}`` mapping; other values pass through."""
    lang = check_language(lang)
    if isinstance(value, Mapping) and DEFAULT_LANGUAGE in value:
        chosen = value.get(lang)
        return chosen if chosen not in (None, "", []) else value[DEFAULT_LANGUAGE]
    return value
