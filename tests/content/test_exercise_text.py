"""A notebook's exercise text is the text of its data file, word for word.

Each exercise is written once, in ``src/crkit/data/exercises/NN-name.yaml``;
``tools/exercise_cells.py`` writes the notebook's ``{exercise}`` and ``{solution}`` cells from
it. These tests fail, naming the exercise, when someone edits one and not the other.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
FIX = "run `python tools/exercise_cells.py` to rewrite the cells from the data file"


def _tool():
    spec = importlib.util.spec_from_file_location("exercise_cells",
                                                  ROOT / "tools" / "exercise_cells.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_cells_match_their_data_file(path):
    found = TOOL.differences(path)
    assert not found, "\n".join(found) + f"\n({FIX})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_of_the_data_file_is_shown(path):
    shown = set()
    for cell in _load(path)["cells"]:
        shown.update(re.findall(r":label:\s*ex-(\S+)", _source(cell)))
    missing = sorted(set(TOOL.load_exercises(path.stem)) - shown)
    assert not missing, f"{path.stem}: no exercise cell for {', '.join(missing)}"


def test_an_edited_cell_is_caught_and_named():
    path = ROOT / "notebooks" / "05-self-service.ipynb"
    nb = _load(path)
    assert TOOL.expected_cells(nb, path.stem) == ({}, [])
    edited = copy.deepcopy(nb)
    index = next(i for i, c in enumerate(edited["cells"]) if "{exercise}" in _source(c))
    label = re.search(r":label:\s*ex-(\S+)", _source(edited["cells"][index])).group(1)
    edited["cells"][index]["source"] = _source(edited["cells"][index]).replace("?", " now?", 1)
    changes, problems = TOOL.expected_cells(edited, path.stem)
    assert list(changes) == [index] and not problems
    # and the tool would put back exactly the data file's text
    item = TOOL.load_exercises(path.stem)[label]
    assert changes[index] == TOOL.exercise_markdown(item)
    assert str(item["prompt"]["en"]).strip() in changes[index]


def test_a_label_with_no_exercise_is_reported():
    path = ROOT / "notebooks" / "05-self-service.ipynb"
    nb = _load(path)
    index = next(i for i, c in enumerate(nb["cells"]) if "{exercise}" in _source(c))
    nb["cells"][index]["source"] = "```{exercise}\n:label: ex-05-no-such-thing\n\nWhy?\n```"
    _, problems = TOOL.expected_cells(nb, path.stem)
    assert problems and "05-no-such-thing" in problems[0]


def test_the_solution_shows_the_answer_and_the_explanation():
    for path in NOTEBOOKS:
        for id_, item in TOOL.load_exercises(path.stem).items():
            text = TOOL.solution_markdown(item)
            assert text.startswith(f"```{{solution}} ex-{id_}\n:class: dropdown\n")
            assert str(item["explanation"]["en"]).strip() in text
            answers = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
            if item["kind"] == "number":
                assert float(re.search(r"\*\*Answer:\*\* (\S+)", text).group(1)) == \
                    pytest.approx(float(item["answer"]))
            else:
                assert all(f'"{a}"' in text for a in answers), id_


def test_check_mode_exits_1_when_a_cell_differs(tmp_path, capsys):
    source = ROOT / "notebooks" / "05-self-service.ipynb"
    copy_path = tmp_path / source.name
    nb = _load(source)
    index = next(i for i, c in enumerate(nb["cells"]) if "{solution}" in _source(c))
    nb["cells"][index]["source"] = _source(nb["cells"][index]) + "\nAn extra line."
    copy_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    assert TOOL.main(["--check", str(copy_path)]) == 1
    assert "solution cell" in capsys.readouterr().out
    assert TOOL.main([str(copy_path)]) == 0  # rewrites it
    assert TOOL.main(["--check", str(copy_path)]) == 0
    assert TOOL.main(["--check", str(tmp_path / "missing.ipynb")]) == 2
