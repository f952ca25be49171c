"""One term per concept per language: the kit's texts use the terms of data/terminology.yaml.

Every YAML string under an ``es``/``pt`` (and ``en``) key of ``src/crkit/data`` and
``casestudies``, every markdown cell of the notebooks and case pages and every book page
(English) is searched for the variants the terminology file lists under ``avoid``: whole
words, case-insensitive, accents respected; quotations, code spans, placeholders and titles
of cited works are not checked.
"""

from __future__ import annotations

import re

import pytest
from kit_texts import LANGS, ROOT, all_files, segments, terminology, texts_of

TERMS = terminology()["terms"]


def _pattern(variant: str) -> re.Pattern:
    body = r"\s+".join(re.escape(word) for word in variant.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


AVOID = {lang: [(entry["id"], variant, entry[lang], _pattern(variant))
                for entry in TERMS for variant in (entry.get("avoid") or {}).get(lang) or []]
         for lang in LANGS}


def hits(text: str, lang: str | None) -> list[tuple[str, str, str, str]]:
    """(concept, variant found, term to use, context) for every banned variant in ``text``."""
    if lang not in AVOID:
        return []
    out = []
    for _, part in segments(text):
        for concept, _variant, term, pattern in AVOID[lang]:
            for m in pattern.finditer(part):
                context = " ".join(part[max(0, m.start() - 40):m.end() + 40].split())
                out.append((concept, m.group(0), term, context))
    return out


def test_terminology_file_is_well_formed():
    ids = [entry["id"] for entry in TERMS]
    assert len(ids) == len(set(ids)), "duplicate concept ids"
    for entry in TERMS:
        for lang in LANGS:
            assert isinstance(entry.get(lang), str) and entry[lang].strip(), (entry["id"], lang)
        avoid = entry.get("avoid") or {}
        assert set(avoid) <= set(LANGS), entry["id"]
        for lang, variants in avoid.items():
            for variant in variants:
                # the term to use must not itself be banned, in its own language
                assert not _pattern(variant).search(entry[lang]), (entry["id"], lang, variant)
    # the concepts the issue names are all there
    needed = {"canvas", "value-proposition", "customer-segment", "channel",
              "customer-relationships", "personal-assistance", "dedicated-personal-assistance",
              "self-service", "automated-services", "communities", "co-creation",
              "motivation-acquisition", "motivation-retention", "motivation-upselling",
              "long-term", "transactional", "stage-awareness", "stage-acquisition",
              "stage-conversion", "stage-growth", "stage-retention", "stage-reactivation",
              "subscriber", "mobile-phone", "mobile-operator", "lifetime-value", "churn", "nps",
              "cost-to-serve"}
    assert needed <= set(ids), sorted(needed - set(ids))


def test_the_check_finds_a_banned_variant_and_spares_quotes_and_titles():
    assert hits("Complete a tela do seu modelo.", "pt")
    assert hits("Los clientes hacen parte del trabajo.", "es")
    assert hits("captar suscriptores", "es")
    assert not hits("Complete o canvas do seu modelo.", "pt")
    assert not hits("el artículo dice «hacen parte del trabajo»", "es")
    assert not hits("un diagrama del Business Model Canvas", "es")
    assert not hits("{churn}% de abandono", "es")
    # accents are respected: 'movil' without its accent is not the banned 'móvil'
    assert hits("un teléfono móvil", "es") and not hits("un telefono movil", "es")


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_texts_use_the_kit_terms(path):
    found = []
    for text in texts_of(path):
        for concept, variant, term, context in hits(text.text, text.lang):
            found.append(f"{text.label()} [{text.lang}] '{variant}' -> use '{term}' "
                         f"({concept}): ...{context}...")
    assert not found, f"{len(found)} terminology hit(s):\n" + "\n".join(found)
