"""Switching the course site's live builder off and on (tools/course_site.py, no build)."""

from __future__ import annotations

import course_site as site


def test_the_switch_is_on_unless_crkit_lite_is_0():
    assert site.lite_enabled({})
    assert site.lite_enabled({"CRKIT_LITE": "1"})
    assert not site.lite_enabled({"CRKIT_LITE": "0"})


def test_switching_drops_stale_doctrees_and_an_old_live_builder(tmp_path):
    out = tmp_path / "_build" / "html"
    (out / "lite").mkdir(parents=True)
    doctrees = tmp_path / "_build" / ".doctrees"
    doctrees.mkdir()
    site.forget_doctrees_if_lite_switched(out, True)
    assert doctrees.is_dir(), "a first build keeps what is there"
    site.forget_doctrees_if_lite_switched(out, True)
    assert doctrees.is_dir(), "no switch, nothing dropped"
    site.forget_doctrees_if_lite_switched(out, False)
    assert not doctrees.exists()
    assert not (out / "lite").exists(), "a site built without the live builder does not ship one"


def test_a_page_that_loads_from_another_host_is_a_problem(tmp_path, monkeypatch):
    import lite_site

    monkeypatch.setattr(lite_site, "check_output", lambda folder: [])
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "ok.html").write_text('<link rel="stylesheet" href="../_static/a.css">')
    (tmp_path / "book" / "bad.html").write_text(
        '<link rel="stylesheet" href="https://fonts.example.org/css?family=X">')
    assert site.lite_problems(tmp_path, {}) == ["book/bad.html: loads a file from another host"]
    assert site.lite_problems(tmp_path, {"CRKIT_LITE": "0"}) == []
