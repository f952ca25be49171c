"""Every concept the kit knows is taught somewhere: found by its English name in a notebook.

The lists come from crkit.core.knowledge, so a new type, stage or practice added to the data
files fails here until a notebook teaches it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crkit.core import knowledge

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"

#: the block's questions have no short name: each is found by a cue from its wording
QUESTION_CUES = {
    "expects": "expect",
    "established": "established",
    "cost": "costly",
    "integration": "rest of our business model",
    "measure": "how do we measure",
}


def _text(stem: str) -> str:
    path = NOTEBOOKS / f"{stem}.ipynb"
    if not path.exists():
        pytest.fail(f"notebooks/{stem}.ipynb does not exist")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells).lower()


def _english(kind: str) -> list[tuple[str, str]]:
    return [(i, knowledge.name(kind, i, "en")) for i in knowledge.ids(kind)]


@pytest.mark.parametrize("id_, name", _english("types"))
def test_every_type_is_taught(id_, name):
    """In notebook 01 or 02, or in the notebook named after the type (03-08)."""
    own = [p.stem for p in NOTEBOOKS.glob("*.ipynb") if p.stem[3:] == id_]
    places = ["01-welcome", "02-the-block", *own]
    assert any(name.lower() in _text(stem) for stem in places), f"{name} is taught nowhere"
    assert name.lower() in _text("01-welcome") and name.lower() in _text("02-the-block")


@pytest.mark.parametrize("id_, name", _english("motivations"))
def test_every_motivation_is_taught_in_02(id_, name):
    assert name.lower() in _text("02-the-block")


@pytest.mark.parametrize("id_, name", _english("bonds"))
def test_every_bond_is_taught_in_09(id_, name):
    assert name.lower() in _text("09-bonds")


@pytest.mark.parametrize("id_, name", _english("stages"))
def test_every_stage_is_taught_in_10(id_, name):
    assert name.lower() in _text("10-lifecycle")


def test_every_question_has_a_cue():
    assert set(QUESTION_CUES) == set(knowledge.ids("questions")), \
        "a question was added or removed: update QUESTION_CUES and notebook 02"


@pytest.mark.parametrize("id_", knowledge.ids("questions"))
def test_every_question_is_asked_in_02(id_):
    assert QUESTION_CUES[id_] in _text("02-the-block")


@pytest.mark.parametrize("id_, name", _english("practices"))
def test_every_practice_is_taught_in_12(id_, name):
    assert name.lower() in _text("12-practices")


def test_the_rubric_criteria_are_explained_in_13():
    from crkit.scoring.rubric import default_rubric

    text = _text("13-build-your-canvas")
    for criterion in default_rubric().criteria:
        assert criterion.label("en").lower() in text, criterion.id
