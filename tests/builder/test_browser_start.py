"""The builder as the course site's live page starts it (crkit.builder.browser).

In the browser the working folder is the browser's storage: a reload must reopen the work."""

from __future__ import annotations

import os
import time

import pytest

pytest.importorskip("ipywidgets")

from crkit.builder.autosave import AUTOSAVE_FOLDER  # noqa: E402
from crkit.builder.browser import newest_copy, start  # noqa: E402


def test_a_fresh_browser_opens_the_starter_canvas_and_says_work_is_kept(tmp_path):
    builder = start("es", workdir=tmp_path, show=False)
    assert newest_copy(tmp_path) is None
    assert "navegador" in builder.browser_note.value
    assert builder.png_button.layout.display == "none"
    assert builder.canvas.segments, "the starter canvas has segments"


def test_a_reload_reopens_the_newest_recovery_copy(tmp_path):
    first = start("en", workdir=tmp_path, show=False)
    first.state.add("segments", name="Night-shift nurses")
    copies = sorted((tmp_path / AUTOSAVE_FOLDER).glob("autosave-*.yaml"))
    assert copies, "a change writes a recovery copy"
    old = copies[0]
    os.utime(old, (time.time() - 60, time.time() - 60))
    again = start("en", workdir=tmp_path, show=False)
    names = [s.name for s in again.canvas.segments]
    assert "Night-shift nurses" in names
    assert "open again" in again.browser_note.value
    assert newest_copy(tmp_path) == old


def test_a_broken_copy_is_skipped(tmp_path):
    folder = tmp_path / AUTOSAVE_FOLDER
    folder.mkdir()
    (folder / "autosave-20240101-000000-1-1.yaml").write_text("title: [unclosed\n")
    assert newest_copy(tmp_path) is None
    builder = start("pt", workdir=tmp_path, show=False)
    assert builder.canvas.segments, "the starter canvas opens instead"


def test_every_write_to_the_browser_storage_is_shown_and_counted(tmp_path):
    builder = start("en", workdir=tmp_path, show=False)
    assert 'data-writes="0"' in builder.browser_note.value
    builder.state.add("segments", name="Night-shift nurses")
    builder.state.add("channels", name="Ward notice board")
    assert 'data-writes="2"' in builder.browser_note.value
    assert "Kept in this browser at" in builder.browser_note.value
