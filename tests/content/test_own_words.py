"""Every sentence is the kit's own: no run of 8+ words copied from the four source articles.

The kit's texts in English, Spanish and Portuguese (all YAML strings of ``src/crkit/data`` and
``casestudies``, the markdown cells of the notebooks and case pages, the book pages) are
compared with the articles in ``shared/seeds`` (beside the repository: ``<root>/../shared``).
Words are compared in lower case with accents kept and punctuation dropped; text in quotation
marks, code, placeholders and the titles of cited works is left out, so a marked quotation is
allowed and an unmarked copy is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from kit_texts import ROOT, all_files, seeds_dir, segments, texts_of

RUN = 8
WORD = re.compile(r"\w+")


def words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) for every word of ``text``."""
    return [(m.group(0).lower(), m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=1)
def seed_runs() -> dict[tuple[str, ...], str]:
    """Every run of RUN consecutive words of the articles -> the article it is in."""
    folder = seeds_dir()
    runs: dict[tuple[str, ...], str] = {}
    for path in sorted(folder.glob("*.txt")):
        tokens = [w for w, _, _ in words(path.read_text(encoding="utf-8"))]
        for i in range(len(tokens) - RUN + 1):
            runs.setdefault(tuple(tokens[i:i + RUN]), path.name)
    return runs


def copied_runs(text: str, runs: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """(copied passage, article) for each maximal run of RUN+ words shared with an article."""
    out = []
    for offset, part in segments(text):
        tokens = words(part)
        hit = [tuple(w for w, _, _ in tokens[i:i + RUN]) in runs
               for i in range(len(tokens) - RUN + 1)]
        i = 0
        while i < len(hit):
            if not hit[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(hit) and hit[j + 1]:
                j += 1
            start, end = tokens[i][1], tokens[j + RUN - 1][2]
            article = runs[tuple(w for w, _, _ in tokens[i:i + RUN])]
            out.append((" ".join(part[start:end].split()), article))
            i = j + 1
        del offset
    return out


def _need_seeds():
    if seeds_dir() is None:
        pytest.skip("the source articles are not here: expected shared/seeds beside the "
                    "repository (<repo root>/../shared/seeds) or $CRKIT_SEEDS")


def test_the_comparison_finds_a_copy_and_spares_a_quotation():
    _need_seeds()
    runs = seed_runs()
    assert runs, "no article text found in the seeds folder"
    copy = ("Como dice el artículo, los mejores servicios automáticos pueden simular una "
            "relación personal, por ejemplo, recomendando un libro.")
    found = copied_runs(copy, runs)
    assert found and "simular una relación personal" in found[0][0]
    # case and punctuation do not hide a copy
    assert copied_runs(copy.upper().replace(",", ";"), runs)
    # the same words inside quotation marks are a quotation, not a copy
    quoted = ("El libro lo resume así: «los mejores servicios automáticos pueden simular una "
              "relación personal, por ejemplo, recomendando un libro».")
    assert not copied_runs(quoted, runs)
    # seven words in common are not a run
    assert not copied_runs("pueden simular una relación personal, por ejemplo", runs)


@pytest.mark.parametrize("path", all_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_kit_texts_are_the_kits_own_words(path):
    _need_seeds()
    runs = seed_runs()
    found = []
    for text in texts_of(path):
        for passage, article in copied_runs(text.text, runs):
            found.append(f"{text.label()} [{text.lang or '-'}] shares {len(passage.split())} "
                         f"words with {article}: \"{passage}\"")
    assert not found, (f"{len(found)} passage(s) of {RUN}+ words copied from the source "
                       "articles (rewrite them, or quote and cite them):\n" + "\n".join(found))
