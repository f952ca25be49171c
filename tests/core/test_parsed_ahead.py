"""Data parsed ahead (the browser edition's wheel), used only for the bytes it was made from."""

from __future__ import annotations

from importlib import resources

import pytest

from crkit.core import _resources, reading
from crkit.core.errors import CanvasError


@pytest.fixture
def fresh_cache():
    _resources.data_file.cache_clear()
    yield
    _resources.data_file.cache_clear()


def test_a_data_file_parsed_ahead_is_used_only_for_its_own_bytes(fresh_cache, monkeypatch):
    raw = resources.files("crkit").joinpath("data", "starter.yaml").read_bytes()
    real = _resources.data_file("starter.yaml")
    _resources.data_file.cache_clear()
    ahead = {"files": {"starter.yaml": {"sha256": _resources.sha256(raw), "data": {"m": 1}}}}
    monkeypatch.setattr(_resources, "parsed_ahead", lambda: ahead)
    assert _resources.data_file("starter.yaml") == {"m": 1}
    _resources.data_file.cache_clear()
    ahead["files"]["starter.yaml"]["sha256"] = _resources.sha256(raw + b"\n# edited")
    assert _resources.data_file("starter.yaml") == real  # the file changed: read again


def test_the_installed_kit_carries_nothing_parsed_ahead():
    assert _resources.parsed_ahead() == {}  # only the browser wheel has crkit/data/parsed.json


def test_a_document_parsed_ahead_keeps_its_lines_and_is_still_checked(monkeypatch):
    raw = b"title: Bakery\nsegments:\n  - name: Families\n"
    doc = {"data": {"title": "Bakery", "segments": [{"name": "Families"}]},
           "lines": [[[], 1], [["title"], 1], [["segments"], 3], [["segments", 0], 3],
                     [["segments", 0, "name"], 3]]}
    monkeypatch.setattr(reading, "parsed_ahead",
                        lambda: {"documents": {_resources.sha256(raw): doc}})
    got = reading.read_bytes(raw, name="b.yaml")
    assert got.data == doc["data"] and got.line(("segments", 0, "name")) == 3
    # the values are checked as for any document: a stored entry cannot smuggle one in
    doc["data"]["title"] = "x" * 10**6
    with pytest.raises(CanvasError):
        reading.read_bytes(raw, name="b.yaml")
    # other bytes are parsed as usual
    assert reading.read_bytes(b"title: Gym\n").data == {"title": "Gym"}
