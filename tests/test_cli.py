"""The crkit command, as a learner and an instructor use it."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("lang,heading", [
    ("en", "Customer relationships score"), ("es", "Puntuación de relaciones con clientes"),
    ("pt", "Pontuação de relacionamento com clientes")])
def test_score_prints_a_readable_report_in_three_languages(crkit_cmd, starter_file, lang,
                                                           heading):
    result = crkit_cmd("score", str(starter_file), "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(heading)
    assert "/ 100" in result.stdout and "/4" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 100


def test_score_json_contract(crkit_cmd, starter_file):
    result = crkit_cmd("score", str(starter_file), "--json")
    data = json.loads(result.stdout)
    assert 0 <= data["total"] <= 100
    assert [c["id"] for c in data["criteria"]] == [
        "expectation-fit", "economics", "integration", "lifecycle", "measurement", "leverage"]
    for c in data["criteria"]:
        assert set(c) >= {"id", "score", "explanation", "suggestion"}
        assert c["score"] in range(5)
    assert data["best_change"]["gain"] > 0


def test_markdown_report(crkit_cmd, starter_file):
    result = crkit_cmd("score", str(starter_file), "--markdown", "--lang", "pt")
    assert result.stdout.startswith("# Pontuação")
    assert "| Critério |" in result.stdout


def test_new_writes_a_valid_starter_and_refuses_to_overwrite(crkit_cmd, tmp_path):
    path = tmp_path / "mine.yaml"
    assert crkit_cmd("new", str(path), "--lang", "es").returncode == 0
    assert "Panadería del barrio" in path.read_text()
    assert crkit_cmd("validate", str(path)).returncode == 0
    again = crkit_cmd("new", str(path))
    assert again.returncode == 2 and "--force" in again.stderr
    assert crkit_cmd("new", str(path), "--blank", "--force").returncode == 0
    assert crkit_cmd("score", str(path)).returncode == 0


@pytest.mark.parametrize("command,expected", [
    ("types", "co-creation"), ("stages", "reactivation"), ("motivations", "upselling"),
    ("bonds", "transactional"), ("questions", "expects"), ("practices", "loyalty-programme"),
    ("metrics", "nps")])
def test_knowledge_commands(crkit_cmd, command, expected):
    result = crkit_cmd(command, "--lang", "es")
    assert result.returncode == 0 and expected in result.stdout
    data = json.loads(crkit_cmd(command, "--json").stdout)
    assert expected in [e["id"] for e in data]


def test_explain_any_name_in_any_language(crkit_cmd):
    result = crkit_cmd("explain", "creación", "colectiva", "--lang", "pt")
    assert result.returncode == 0 and result.stdout.startswith("co-creation")
    bad = crkit_cmd("explain", "autoservico")
    assert bad.returncode == 2 and "did you mean" in bad.stderr
