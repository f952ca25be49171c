"""Issue 11: one bad or stray file in the case folder is reported (which file, why) and left
out; the API, the tables, ``crkit cases`` and the builder keep serving the good cases."""

from __future__ import annotations

import json
import warnings

import pytest
import yaml

from crkit.cli import main
from crkit.core import cases
from crkit.core.errors import CrkitError

GOOD = ("amazon", "gsk-alli")


def _case(case_id: str) -> dict:
    return yaml.safe_load((cases.bundled_cases_dir() / f"{case_id}.yaml").read_text("utf-8"))


def _write(folder, name: str, data) -> None:
    text = data if isinstance(data, (str, bytes)) else yaml.safe_dump(data, allow_unicode=True,
                                                                       sort_keys=False)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


BAD = {
    "claims-oops": lambda: {**_case("fiat-mio"), "id": "claims-oops", "claims": ["oops"]},
    "facts-five": lambda: {**_case("fiat-mio"), "id": "facts-five", "facts": 5},
    "questions-text": lambda: {**_case("fiat-mio"), "id": "questions-text", "questions": "why?"},
    "fact-not-mapping": lambda: {**_case("fiat-mio"), "id": "fact-not-mapping",
                                 "facts": ["a fact"]},
    "canvases-mapping": lambda: {**_case("fiat-mio"), "id": "canvases-mapping",
                                 "canvases": {"a": 1}},
    "types-list": lambda: {**_case("fiat-mio"), "id": "types-list", "types": {"main": [{}]}},
    "stray-notes": lambda: "remember to add the Fiat case\n",
    "stray-list": lambda: "- one\n- two\n",
    "binary": lambda: b"\x89PNG\r\n\x1a\n\x00\x00",
    "wrong-id": lambda: {**_case("fiat-mio"), "id": "fiat-mio"},
}
REASONS = {
    "claims-oops": ("claims[0]", "expected a mapping"),
    "facts-five": ("facts", "expected a list, found a number"),
    "questions-text": ("questions", "expected a list"),
    "fact-not-mapping": ("facts[0]", "expected a mapping"),
    "canvases-mapping": ("canvases", "expected a list"),
    "types-list": ("types.main[0]", "unknown relationship type"),
    "stray-notes": ("", "expected a mapping"),
    "stray-list": ("", "expected a mapping"),
    "binary": ("", "binary"),
    "wrong-id": ("id", "must match the file name"),
}


@pytest.fixture
def folder(tmp_path):
    for case_id in GOOD:
        _write(tmp_path, f"{case_id}.yaml", (cases.bundled_cases_dir() / f"{case_id}.yaml")
               .read_text("utf-8"))
    for name, make in BAD.items():
        _write(tmp_path, f"{name}.yaml", make())
    _write(tmp_path, ".#amazon.yaml", "an editor's lock file")  # hidden: not a case
    _write(tmp_path, "README.txt", "not a case either")
    return tmp_path


def test_bad_files_are_left_out_and_each_is_named_with_its_reason(folder):
    with pytest.warns(cases.CaseFileLeftOut) as caught:
        good = cases.list_cases(folder)
    assert [c.id for c in good] == list(GOOD)
    problems = {p.file.rsplit("/", 1)[-1]: p for p in cases.problems(folder)}
    assert set(problems) == {f"{name}.yaml" for name in BAD}
    for name, (field, words) in REASONS.items():
        message = problems[f"{name}.yaml"].message()
        assert words in message, message
        if field:
            assert f"at {field}" in message, message
        assert "\n" not in message
    assert len(caught) == len(BAD)  # one short note per left-out file
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said once, not at every call
        cases.list_cases(folder)


def test_good_cases_keep_being_served(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cases.CaseFileLeftOut)
        assert cases.load_case("amazon", folder).company
        assert cases.case_ids(folder) == list(GOOD)
        assert len(cases.types_table(folder=folder)) == len(GOOD)
        assert len(cases.stages_table(folder=folder)) == len(GOOD)
        assert cases.cases_for(folder=folder)
        with pytest.raises(CrkitError, match=r"facts-five\.yaml.*expected a list"):
            cases.load_case("facts-five", folder)  # its own problem, not "no such case"
        with pytest.raises(CrkitError, match="there is no case 'nope'"):
            cases.load_case("nope", folder)


def test_crkit_cases_lists_good_ones_and_names_the_rest_on_stderr(folder, capsys):
    assert main(["cases", "--cases", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "2 cases in" in out and "amazon" in out and "facts-five" not in out
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD)
    assert all(line.startswith("crkit: this case file was left out: ") for line in lines)
    assert any("claims-oops.yaml" in line and "claims[0]" in line for line in lines)
    assert main(["cases", "--json", "--cases", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert [row["id"] for row in json.loads(out)] == list(GOOD)
    assert len(err.strip().splitlines()) == len(BAD)


def test_the_builder_offers_the_good_cases_and_names_the_left_out_ones(folder, monkeypatch,
                                                                       tmp_path_factory):
    pytest.importorskip("ipywidgets")
    from crkit.builder import CanvasBuilder

    monkeypatch.setenv("CRKIT_CASES", str(folder))
    builder = CanvasBuilder(workdir=tmp_path_factory.mktemp("work"), autosave_dir=False)
    offered = {key.split(":")[1] for _, key in builder.start_from.options
               if key.startswith("case:")}
    assert offered == set(GOOD)
    note = builder.notes.value
    assert f"{len(BAD)} case file(s) could not be read" in note
    assert "and 5 more" in note and "claims-oops.yaml" in note
    builder.set_language("pt")
    assert "não puderam ser lidos" in builder.notes.value
