"""The Spanish and Portuguese editions: written from the one English source, kept in step.

``tools/translate.py`` writes each edition's sources (notebooks with translated prose,
``LANG`` set and exercises in the edition's language; case pages; book pages; its own
``_config.yml`` and ``_toc.yml``). These tests need no site build; the built editions are
checked in ``test_site.py`` and ``test_site_browser.py``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import case_pages
import exercise_cells
import pytest
import translate
import yaml

from crkit.core.cases import list_cases
from crkit.core.i18n import localized, t

ROOT = Path(__file__).resolve().parents[2]
LANGS = translate.LANGUAGES
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: a notebook with exercises of every kind (vocabulary choice, number)
SAMPLE = "05-self-service"


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _copy_repository(target: Path) -> Path:
    """The parts of the repository an edition is written from, copied into ``target``."""
    for name in ("notebooks", "book", "locale", "casestudies"):
        shutil.copytree(ROOT / name, target / name, symlinks=True)
    shutil.copytree(ROOT / "src" / "crkit" / "data", target / "src" / "crkit" / "data",
                    ignore=shutil.ignore_patterns("cases"))
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, target / name)
    return target


def _fill(po: Path, lang: str, prefix: str) -> int:
    """Translate every message of one catalogue as ``prefix + English`` (a stand-in)."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    count = 0
    for message in catalog:
        if message.id:
            message.string = prefix + message.id
            count += 1
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)
    return count


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    """Each edition's sources written from this checkout into a temporary folder."""
    base = tmp_path_factory.mktemp("editions")
    out = {}
    for lang in LANGS:
        out[lang] = base / lang
        translate.write_edition(lang, out[lang], ROOT)
    return out


# --- exercise cells in three languages ---------------------------------------------------


def test_exercise_cells_in_english_are_still_the_notebooks_cells():
    for path in NOTEBOOKS:
        assert exercise_cells.differences(path) == [], path.name


@pytest.mark.parametrize("lang", ("en", *LANGS))
def test_exercise_cells_speak_the_language(lang):
    items = exercise_cells.load_exercises(SAMPLE)
    assert items
    phrases = {key: t(f"exercise.cell.{key}", lang) for key in
               ("number", "options", "one-name", "multi-names", "one-id", "multi-ids", "answer")}
    for item in items.values():
        cell = exercise_cells.exercise_markdown(item, lang=lang)
        solution = exercise_cells.solution_markdown(item, lang=lang)
        assert item["prompt"][lang].strip() in cell
        assert item["explanation"][lang].strip() in solution
        assert solution.split("\n")[3].startswith(phrases["answer"] + " ")
        assert any(phrase in cell for phrase in phrases.values())
        if lang != "en":
            assert "Answer with" not in cell and "**Answer:**" not in solution
            assert item["prompt"]["en"].strip() not in cell


def test_the_fixed_phrases_live_in_the_messages_file():
    source = (ROOT / "tools" / "exercise_cells.py").read_text(encoding="utf-8")
    for english in ("Answer with a number.", "Options:", "**Answer:**", "Answer with one option"):
        assert english not in source


# --- the edition's notebooks --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_edition_notebooks_keep_the_english_structure_and_code(editions, lang):
    for path in NOTEBOOKS:
        english = json.loads(path.read_text(encoding="utf-8"))
        edition = json.loads((editions[lang] / "notebooks" / path.name).read_text("utf-8"))
        assert [(c["cell_type"], c.get("id")) for c in edition["cells"]] == \
            [(c["cell_type"], c.get("id")) for c in english["cells"]], path.name
        lang_lines = []
        for mine, theirs in zip(edition["cells"], english["cells"]):
            if mine["cell_type"] != "code":
                continue
            ours, source = _source(mine), _source(theirs)
            if ours != source:  # only the LANG line may differ
                lang_lines += [line for line in ours.split("\n") if line.startswith("LANG = ")]
                assert re.sub(r'^LANG = .*$', "", ours, flags=re.M) == \
                    re.sub(r'^LANG = .*$', "", source, flags=re.M), path.name
        assert lang_lines and all(line.startswith(f'LANG = "{lang}"') for line in lang_lines), \
            f"{path.name}: the edition's notebook must run in {lang}"
        assert not any('"en" (English)' not in line and "#" in line for line in lang_lines)


@pytest.mark.parametrize("lang", LANGS)
def test_edition_notebooks_have_their_exercises_in_the_language(editions, lang):
    nb = json.loads((editions[lang] / "notebooks" / f"{SAMPLE}.ipynb").read_text("utf-8"))
    items = exercise_cells.load_exercises(SAMPLE)
    shown = "\n".join(_source(c) for c in nb["cells"] if translate.is_generated_cell(c))
    for item in items.values():
        assert exercise_cells.exercise_markdown(item, lang=lang) in shown
        assert exercise_cells.solution_markdown(item, lang=lang) in shown
    assert exercise_cells.expected_cells(nb, SAMPLE, lang=lang)[0] == {}


def test_a_translated_paragraph_replaces_the_english_one(tmp_path):
    root = _copy_repository(tmp_path / "repo")
    po = translate.catalogue_path(root / "notebooks" / f"{SAMPLE}.ipynb", "es", root)
    assert _fill(po, "es", "[es] ") > 10
    untranslated = root / "notebooks" / NOTEBOOKS[0].name
    translate.catalogue_path(untranslated, "es", root).unlink(missing_ok=True)
    out = tmp_path / "es"
    translate.write_edition("es", out, root)
    nb = json.loads((out / "notebooks" / f"{SAMPLE}.ipynb").read_text("utf-8"))
    prose = [_source(c) for c in nb["cells"]
             if c["cell_type"] == "markdown" and not translate.is_generated_cell(c)]
    assert prose and all("[es] " in text for text in prose)
    assert translate.untranslated_paragraphs(out / "notebooks" / f"{SAMPLE}.ipynb", "es",
                                             root) == []
    # an untranslated notebook of the same edition falls back to English, and is named
    other = out / "notebooks" / NOTEBOOKS[0].name
    assert translate.untranslated_paragraphs(other, "es", root)


def test_the_check_names_a_changed_english_paragraph(tmp_path):
    root = _copy_repository(tmp_path / "repo")
    notebook = root / "notebooks" / f"{SAMPLE}.ipynb"
    po = translate.catalogue_path(notebook, "es", root)
    _fill(po, "es", "[es] ")

    def mine(found: list[str]) -> list[str]:
        return [line for line in found if f"notebooks/{SAMPLE}.ipynb (es," in line]

    assert mine(translate.problems(root, ("es",))) == []
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown"
                and not translate.is_generated_cell(c) and len(_source(c)) > 80)
    old = _source(cell)
    new = old.replace(old.split()[-1], "changed-by-the-test.", 1) if old.split() else old + "x"
    cell["source"] = new
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    # before the catalogues are updated, the changed paragraph has no translation
    assert any(f"cell {cell['id']}" in line for line in mine(translate.problems(root, ("es",))))
    translate.update(root, ("es",))
    found = mine(translate.problems(root, ("es",)))
    assert len(found) == 1 and f"cell {cell['id']}" in found[0]
    assert "the English changed" in found[0]
    # the stale translation is not shown: the edition falls back to the new English
    out = tmp_path / "es"
    translate.write_edition("es", out, root)
    edition = json.loads((out / "notebooks" / notebook.name).read_text("utf-8"))
    shown = _source(edition["cells"][nb["cells"].index(cell)])
    assert "changed-by-the-test." in shown


def test_the_translation_check_passes():
    """Every paragraph of every notebook and book page is translated and up to date."""
    found = translate.problems()
    assert not found, (f"{len(found)} paragraph(s) untranslated or out of date "
                       "(python tools/translate.py check):\n" + "\n".join(found[:20]))


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_paragraph_left_in_the_edition_notebooks(editions, lang):
    found = []
    for path in sorted((editions[lang] / "notebooks").glob("*.ipynb")):
        found += translate.untranslated_paragraphs(path, lang, ROOT)
    assert not found, f"{len(found)} English paragraph(s) in the {lang} notebooks:\n" + \
        "\n".join(found[:20])


def test_a_formula_is_no_english_paragraph(tmp_path):
    notebook = {"cells": [{"cell_type": "markdown", "id": "a", "metadata": {},
                           "source": "$$\\mathrm{CLV} = m / c$$\n\n`crkit.score(canvas)`"}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    for folder in ("notebooks", "edition"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert translate.untranslated_paragraphs(tmp_path / "edition" / "x.ipynb", "es",
                                             tmp_path) == []
    notebook["cells"][0]["source"] = "The value of a customer."
    for folder in ("notebooks", "edition"):
        (tmp_path / folder / "x.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    assert translate.untranslated_paragraphs(tmp_path / "edition" / "x.ipynb", "es", tmp_path)


# --- written only when something changes ---------------------------------------------------


def test_an_edition_is_rewritten_only_where_its_content_changes(tmp_path):
    root = _copy_repository(tmp_path / "repo")
    out = tmp_path / "es"
    first = translate.write_edition("es", out, root)
    assert len(first) > len(NOTEBOOKS)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert translate.write_edition("es", out, root) == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    # one notebook changes: only its edition file is written; a removed one goes
    _fill(translate.catalogue_path(root / "notebooks" / f"{SAMPLE}.ipynb", "es", root), "es", "!")
    (root / "notebooks" / NOTEBOOKS[-1].name).unlink()
    changed = translate.write_edition("es", out, root)
    assert sorted(p.name for p in changed) == sorted([f"{SAMPLE}.ipynb", NOTEBOOKS[-1].name])
    assert not (out / "notebooks" / NOTEBOOKS[-1].name).exists()


def test_the_edition_command_refuses_to_write_over_the_source():
    assert translate.main(["edition", "es", str(ROOT / "notebooks")]) == 2


# --- case pages, book pages, configuration ---------------------------------------------------


@pytest.mark.parametrize("lang", ("en", *LANGS))
def test_a_case_page_shows_one_language(lang):
    others = [x for x in ("en", *LANGS) if x != lang]
    for case in list_cases(ROOT / "casestudies"):
        nb = case_pages.notebook(case, lang)
        assert nb.cells[0].source == f"# {case.title(lang)}"
        assert f'LANG = "{lang}"' in nb.cells[2].source
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for key in ("story", "charts", "facts-title", "canvas-title", "score-title",
                    "questions-title"):
            assert f"## {t(f'casepage.page.{key}', lang)}" in text
        answers = [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        assert len(answers) == len(case.questions)
        for answer, question in zip(answers, case.questions):
            assert answer.startswith(f"````{{dropdown}} {t('casepage.answer-title', lang)}")
            assert localized(question["answer"], lang).strip() in answer
            for other in others:
                if question["answer"][other].strip() != question["answer"][lang].strip():
                    assert question["answer"][other].strip()[:40] not in answer
        if lang != "en":
            assert "## The story" not in text and "Model answer" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_edition_config_and_toc_are_in_the_language(editions, lang):
    config = yaml.safe_load((editions[lang] / "_config.yml").read_text("utf-8"))
    english = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    assert config["title"] == t("site.title", lang) != english["title"]
    assert config["sphinx"]["config"]["language"] == lang
    assert Path(config["execute"]["cache"]).name == f".jupyter_cache-{lang}"
    for folder in config["sphinx"]["local_extensions"].values():
        assert Path(folder).is_absolute() and (Path(folder) / "course_site.py").is_file()
    toc = yaml.safe_load((editions[lang] / "_toc.yml").read_text("utf-8"))
    assert [p["caption"] for p in toc["parts"]] == \
        [t(f"site.toc.{k}", lang) for k in ("notebooks", "cases", "reference")]
    assert (editions[lang] / english["html"]["favicon"]).is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_edition_glossary_and_references_include_their_own_part(editions, lang):
    import course_site

    for page in ("glossary", "references"):
        text = (editions[lang] / "book" / f"{page}.md").read_text("utf-8")
        target = re.search(r"```\{include\}\s+(\S+)", text).group(1)
        resolved = (editions[lang] / "book" / target).resolve()
        assert resolved == (course_site.generated_dir(ROOT, lang) / f"{page}.md").resolve()
    glossary = course_site.glossary_markdown(lang=lang)
    assert f"## {t('site.glossary.types', lang)}" in glossary


@pytest.mark.parametrize("lang", LANGS)
def test_edition_has_every_page_of_the_english_course(editions, lang):
    def pages(base: Path) -> set[str]:
        return {p.relative_to(base).as_posix() for folder in ("notebooks", "casestudies", "book")
                for p in (base / folder).glob("*") if p.suffix in (".ipynb", ".md")}

    assert pages(editions[lang]) == pages(ROOT)


# --- notebooks a learner opens in their language ----------------------------------------------


def test_lab_notebooks_are_written_and_a_learners_edit_is_kept(tmp_path):
    out = tmp_path / "notebooks-es"
    written = translate.write_lab_notebooks("es", out, ROOT)
    assert sorted(p.name for p in written) == [p.name for p in NOTEBOOKS]
    nb = out / f"{SAMPLE}.ipynb"
    assert 'LANG = \\"es\\"' in nb.read_text("utf-8")
    nb.write_text(nb.read_text("utf-8").replace("LANG = \\\"es\\\"", "LANG = \\\"pt\\\""),
                  encoding="utf-8")
    edited = nb.read_text("utf-8")
    assert translate.write_lab_notebooks("es", out, ROOT) == []
    assert nb.read_text("utf-8") == edited  # the learner's work stays
    (out / NOTEBOOKS[0].name).unlink()
    assert [p.name for p in translate.write_lab_notebooks("es", out, ROOT)] == [NOTEBOOKS[0].name]


def test_lab_folder_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "notebooks-*/" in ignored.split()
