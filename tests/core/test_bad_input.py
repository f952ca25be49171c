"""Bad input never shows a traceback: exit status 2, one line on stderr, quickly."""

from __future__ import annotations

import time

import pytest

import crkit

GOOD = "crkit: 1\ntitle: T\nsegments: [{id: s, name: S}]\n"
ALIAS_BOMB = "\n".join(
    ["crkit: 1", "title: bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]"
       for p, c in zip("abcdefgh", "bcdefghi")]
) + "\n"

CASES = {
    "malformed-yaml": ("c.yaml", "crkit: 1\ntitle: [unclosed\nsegments: x: y\n", "not valid YAML"),
    "wrong-type": ("c.yaml", GOOD + "channels: 42\n", "expected a list, found a number"),
    "negative": ("c.yaml", GOOD.replace("name: S", "name: S, customers: -5"), "cannot be negative"),
    "unknown-name": ("c.yaml", GOOD + "relationships: [{segment: s, type: telepathy}]\n",
                     "unknown relationship type 'telepathy'"),
    "empty": ("c.yaml", "", "the file is empty"),
    "blank": ("c.yaml", "   \n\n", "the file is empty"),
    "binary": ("c.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "latin1": ("c.yaml", "title: Panader\xeda".encode("latin-1"), "not UTF-8"),
    "alias-bomb": ("c.yaml", ALIAS_BOMB, "anchors and aliases"),
    "huge": ("c.yaml", "crkit: 1\ntitle: T\ndescription: " + "x" * 2_000_000 + "\n", "too large"),
    "deep": ("c.yaml", "crkit: 1\ntitle: T\nnotes: " + "[" * 5000 + "]" * 5000 + "\n",
             "nested more than"),
    "not-a-mapping": ("c.yaml", "- just\n- a list\n", "expected a mapping"),
    "bad-json": ("c.json", '{"crkit": 1, "title": }', "not valid JSON"),
    "version": ("c.yaml", "crkit: 7\ntitle: T\n", "unsupported format version 7"),
    "missing-title": ("c.yaml", "crkit: 1\n", "the field 'title' is missing"),
    "nan": ("c.yaml", GOOD.replace("name: S", "name: S, customers: .nan"), "finite number"),
    "duplicate-key": ("c.yaml", "crkit: 1\ntitle: A\ntitle: B\n", "appears twice"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_cli_rejects_bad_input_cleanly(tmp_path, crkit_cmd, name):
    filename, content, expected = CASES[name]
    path = tmp_path / filename
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    for command in ("validate", "score"):
        started = time.perf_counter()
        result = crkit_cmd(command, str(path))
        elapsed = time.perf_counter() - started
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert expected in lines[0] and str(path) in lines[0]
        assert elapsed < 10


def test_missing_file_and_folder(tmp_path, crkit_cmd):
    result = crkit_cmd("score", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "file not found" in result.stderr
    result = crkit_cmd("validate", str(tmp_path))
    assert result.returncode == 2 and "folder" in result.stderr


def test_bad_option_is_one_line(crkit_cmd, starter_file):
    result = crkit_cmd("score", str(starter_file), "--lang", "fr")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_all_lists_every_problem(tmp_path, crkit_cmd):
    path = tmp_path / "c.yaml"
    path.write_text(GOOD + "relationships: [{segment: x, type: y}]\n")
    result = crkit_cmd("validate", "--all", str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 2


def test_alias_bomb_fails_fast_in_the_api():
    started = time.perf_counter()
    with pytest.raises(crkit.CanvasError):
        crkit.loads(ALIAS_BOMB)
    assert time.perf_counter() - started < 2


def test_bad_rubric_is_reported(tmp_path, crkit_cmd, starter_file):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("crkit-rubric: 1\ncriteria:\n  - {id: expectation-fitt, weight: 10}\n")
    result = crkit_cmd("score", str(starter_file), "--rubric", str(rubric))
    assert result.returncode == 2
    assert "did you mean 'expectation-fit'?" in result.stderr
