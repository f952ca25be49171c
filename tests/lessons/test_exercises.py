"""Every exercise answers back in three languages, with a hint for every wrong option.

Exercises live in ``src/crkit/data/exercises/<notebook stem>.yaml`` and are checked with
``crkit.exercises.check``. These tests hold for every exercise file, whoever wrote it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from crkit.core import knowledge
from crkit.core.i18n import LANGUAGES, t
from crkit.lessons import exercises

ROOT = Path(__file__).resolve().parents[2]
IDS = exercises.exercise_ids()
USED = re.compile(r"crkit\.exercises\.(?:check|widget)\(\s*[\"']([^\"']+)[\"']")


def _texts(value) -> dict:
    assert isinstance(value, dict), f"expected an {{en, es, pt}} mapping, found {value!r}"
    return value


def _wrong_options(item: dict) -> list[str]:
    answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
    return [str(o["id"]) for o in item.get("options", []) if str(o["id"]) not in answers]


def test_there_are_exercises():
    assert IDS


@pytest.mark.parametrize("id_", IDS)
def test_texts_exist_in_three_languages(id_):
    item = exercises.get(id_)
    assert item["kind"] in exercises.KINDS
    texts = [item["prompt"], item["explanation"], *(item.get("hints") or {}).values()]
    texts += [o["text"] for o in item.get("options", []) if "text" in o]
    for value in texts:
        for lang in LANGUAGES:
            assert str(_texts(value).get(lang, "")).strip(), f"{id_}: missing {lang} text"


@pytest.mark.parametrize("id_", IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_answer_is_right_in_every_language(id_, lang):
    item = exercises.get(id_)
    feedback = exercises.check(id_, item["answer"], lang=lang)
    assert feedback.correct is True, feedback.message
    assert feedback.message.startswith(t("exercise.correct", lang))


@pytest.mark.parametrize("id_", IDS)
def test_every_wrong_answer_gets_its_own_hint(id_):
    item = exercises.get(id_)
    hints = item.get("hints") or {}
    generic = t("exercise.try-again", "en")
    if item["kind"] == "number":
        answer = float(item["answer"])
        tolerance = float(item.get("tolerance", 0.01))
        for key, wrong in (("too-high", answer * 2 + 10 * tolerance + 1),
                           ("too-low", answer / 2 - 10 * tolerance - 1)):
            assert key in hints, f"{id_}: no '{key}' hint"
            feedback = exercises.check(id_, wrong, lang="en")
            assert feedback.correct is False
            assert _texts(hints[key])["en"] in feedback.message
            assert generic not in feedback.message
        return
    wrong_options = _wrong_options(item)
    assert wrong_options, f"{id_}: a choice needs wrong options"
    for option in wrong_options:
        assert option in hints, f"{id_}: no hint for the wrong option {option!r}"
        given = [option] if item["kind"] == "multi" else option
        for lang in LANGUAGES:
            feedback = exercises.check(id_, given, lang=lang)
            assert feedback.correct is False
            assert _texts(hints[option])[lang] in feedback.message
            assert t("exercise.try-again", lang) not in feedback.message


@pytest.mark.parametrize("id_", IDS)
@pytest.mark.parametrize("lang", ["es", "pt"])
def test_answers_in_spanish_and_portuguese_are_understood(id_, lang):
    item = exercises.get(id_)
    if item["kind"] == "number":
        written = f"{float(item['answer']):g}".replace(".", ",")  # '266,67'
        assert exercises.check(id_, written, lang=lang).correct, written
        return
    vocabulary = item.get("vocabulary")
    if not vocabulary:
        pytest.skip("options are ids, not names of the kit's vocabulary")
    answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
    names = [knowledge.name(vocabulary, a, lang) for a in answers]
    given = names if item["kind"] == "multi" else names[0]
    assert exercises.check(id_, given, lang=lang).correct, given
    # and typed carelessly: upper case, no accents
    careless = knowledge.normalise(names[0]).replace("-", " ").upper()
    given = [careless, *names[1:]] if item["kind"] == "multi" else careless
    assert exercises.check(id_, given, lang=lang).correct, careless


@pytest.mark.parametrize("id_", IDS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_answer_yet(id_, lang):
    for empty in (None, "", []):
        feedback = exercises.check(id_, empty, lang=lang)
        assert feedback.correct is None
        assert feedback.message == t("exercise.no-answer", lang)


def _notebook_texts() -> dict[str, str]:
    texts = {}
    for folder in ("notebooks", "casestudies"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            texts[f"{folder}/{path.stem}"] = "\n".join(
                "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in cells)
    return texts


def test_every_exercise_a_notebook_uses_exists():
    for name, text in _notebook_texts().items():
        for id_ in USED.findall(text):
            assert id_ in IDS, f"{name} uses the exercise {id_!r}, which no data file defines"


@pytest.mark.parametrize("id_", IDS)
def test_every_exercise_is_used_by_its_notebook(id_):
    stem = exercises.get(id_)["notebook"]
    texts = _notebook_texts()
    name = f"notebooks/{stem}"
    assert name in texts, f"{id_}: its notebook notebooks/{stem}.ipynb does not exist"
    assert id_ in USED.findall(texts[name]), f"{id_} is not used in notebooks/{stem}.ipynb"
    assert f":label: ex-{id_}" in texts[name], f"{id_}: no exercise block labelled ex-{id_}"


def test_exercise_ids_start_with_their_notebook_number():
    for id_ in IDS:
        stem = exercises.get(id_)["notebook"]
        assert id_.split("-")[0] == stem.split("-")[0], f"{id_} is in {stem}.yaml"
