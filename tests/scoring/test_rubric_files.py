"""An instructor's rubric file is checked like a canvas: one clear line per problem."""

from __future__ import annotations

import pytest

import crkit
from crkit.core.errors import CrkitError

HEAD = "crkit-rubric: 1\n"

BAD = [
    # (file text, words the message must contain, line)
    (HEAD + "weights:\n  economics: 3\n", ["unknown field 'weights'", "did you mean"], 2),
    (HEAD + "criteria:\n  - id: economics\n    wieght: 3\n",
     ["unknown field 'wieght'", "did you mean 'weight'"], 4),
    (HEAD + "levels: abcd\n", ["levels", "expected a list"], 2),
    (HEAD + "criteria:\n  - id: economics\n    params: [1, 2]\n",
     ["criteria[0].params", "expected a mapping"], 4),
    (HEAD + "criteria:\n  - id: economics\n    params: {bands: 'x'}\n",
     ["criteria[0].params.bands", "expected a list"], 4),
    (HEAD + "criteria:\n  - id: economics\n    weight: .nan\n", ["finite"], 4),
    (HEAD + "criteria:\n  - id: economics\n    weight: .inf\n", ["finite"], 4),
    (HEAD + "criteria:\n  - id: economics\n    weight: -5\n", ["criteria[0].weight"], 4),
    (HEAD + "criteria:\n  - id: economics\n    weight: 0\n", ["criteria[0].weight"], 4),
    (HEAD + "criteria:\n  - id: economics\n    weight: yes\n", ["expected a number"], 4),
    (HEAD + "levels: [0.9, 0.7, 0.45, 0.2]\n", ["levels must be four increasing"], 2),
    (HEAD + "criteria:\n  - {id: economics, weight: 1}\n  - {id: economics, weight: 2}\n",
     ["'economics' is listed more than once"], 4),
    ("crkit-rubric: 7\n", ["version 1"], 1),
    ("criteria:\n  - {id: economics, weight: 1}\n", ["crkit-rubric: 1"], None),
    (HEAD + "criteria:\n  - id: economics\n    caps: {served-at-loss: 0}\n",
     ["unknown field 'served-at-loss'", "did you mean 'served-at-a-loss'"], 4),
    (HEAD + "criteria:\n  - id: economics\n    caps: {served-at-a-loss: 7}\n",
     ["criteria[0].caps.served-at-a-loss"], 4),
    (HEAD + "criteria:\n  - id: economics\n    params: {bands: [[0.5, 1], [0.2, 0.5]]}\n",
     ["bands must be"], 4),
    (HEAD + "criteria:\n  - id: leverage\n    params: {suggested_type: {low: selfservice}}\n",
     ["unknown value 'selfservice'", "did you mean 'self-service'"], 4),
    (HEAD + "shared: {required_intimacy: {low: 0, medium: 9, high: 3}}\n",
     ["shared.required_intimacy.medium"], 2),
    (HEAD + "principles:\n  - {id: mine, txt: {en: x}}\n", ["unknown field 'txt'"], 3),
    (HEAD + "criteria:\n  - id: expectation-fitt\n", ["did you mean 'expectation-fit'"], 3),
]


@pytest.mark.parametrize("text,words,line", BAD, ids=[w[0] for _, w, _ in BAD])
def test_a_bad_rubric_names_file_field_and_line(tmp_path, text, words, line):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrkitError) as info:
        crkit.load_rubric(path)
    message = info.value.message("en")
    assert message.startswith(str(path))
    for word in words:
        assert word in message, message
    if line:
        assert f"(line {line})" in message
    assert "\n" not in message
    for lang in ("es", "pt"):
        assert info.value.message(lang).startswith(str(path))


def test_crkit_score_with_a_bad_rubric_exits_2_with_one_line(tmp_path, starter_file, crkit_cmd):
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + "criteria:\n  - id: economics\n    wieght: 3\n", encoding="utf-8")
    result = crkit_cmd("score", str(starter_file), "--rubric", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "wieght" in lines[0] and "line 4" in lines[0]


def test_a_partial_rubric_keeps_the_kits_other_settings(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + "criteria:\n  - id: economics\n    weight: 2\n"
                    "    params: {bands: [[0.2, 1.0], [0.5, 0.5]]}\n"
                    "  - id: leverage\n    params: {suggested_type: {low: communities}}\n",
                    encoding="utf-8")
    rubric = crkit.load_rubric(path)
    economics, leverage = rubric.criteria
    assert economics.params["bands"] == [[0.2, 1.0], [0.5, 0.5]]
    assert economics.caps == {"unsustainable": 2, "served-at-a-loss": 1}
    assert leverage.params["suggested_type"] == {
        "low": "communities", "medium": "automated-services", "high": "communities"}
    assert leverage.weight == 10 and rubric.principles
