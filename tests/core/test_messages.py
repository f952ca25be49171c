"""Every label and message exists in three languages with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from crkit.core.i18n import LANGUAGES, messages, t

SRC = Path(__file__).resolve().parents[2] / "src" / "crkit"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_message_has_three_languages_and_the_same_placeholders():
    for key, entry in messages().items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert len({frozenset(_fields(entry[lang])) for lang in LANGUAGES}) == 1, key


def test_message_keys_named_in_code_exist():
    keys = set(messages())
    named = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        errors = re.findall(r'(?:CanvasError|CrkitError|problem)\(\s*"([a-z-]+)"', text)
        named |= {f"error.{c}" for c in errors}
        named |= {f"finding.{c}" for c in re.findall(r'Finding\(\s*"([a-z-]+)"', text)}
        named |= {f"fix.{c}" for c in re.findall(r'Fix\(\s*"([a-z-]+)"', text)}
        named |= set(re.findall(r'\bt\(\s*"([a-z.-]+)"', text))
    missing = sorted(k for k in named if k not in keys)
    assert not missing


def test_translation_fills_placeholders():
    assert t("error.where-line", "es", line=3) == "(línea 3)"
    assert t("error.where-line", "pt", line=3) == "(linha 3)"
