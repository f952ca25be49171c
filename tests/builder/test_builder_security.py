"""Issue 11 in the builder: files stay in the working folder, each page has its own space,
loads and uploads are all-or-nothing, and limits keep every edit fast."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

import crkit
from crkit.builder import autosave as autosave_module
from crkit.builder.autosave import KEEP_RECOVERIES, Autosave
from crkit.builder.state import MAX_NAME, BuilderState, EditRejected
from crkit.core import limits

pytest.importorskip("ipywidgets")
from crkit.builder import CanvasBuilder  # noqa: E402
from crkit.builder.widgets import page_owner  # noqa: E402

A = "a" * 32
B = "b" * 32

REFUSED = [
    "../outside-workdir.yaml", "~/name.yaml", "/etc/passwd", "/tmp/x.yaml", "sub/dir.yaml",
    "sub\\dir.yaml", "..", "...yaml", ".hidden.yaml", ".crkit-autosave", "a..b.yaml",
    "x" * (MAX_NAME + 1), "name\x00.yaml", "tab\there.yaml", "new\nline.yaml", "c:evil.yaml",
    "nul.yaml", "CON", "semi;colon.yaml", "quote'.yaml", "star*.yaml", "$HOME.yaml",
    "%2e%2e%2fx.yaml", "trailing.yaml.", "-rf.yaml", "_underscore.yaml",
]


@pytest.mark.parametrize("name", REFUSED)
def test_refused_names_never_touch_the_disk(tmp_path, name):
    work = tmp_path / "work"
    work.mkdir()
    state = BuilderState(workdir=work, autosave_dir=False)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for action in (state.save, state.load_file, lambda n: state.export_path(n, ".md")):
        with pytest.raises(EditRejected) as caught:
            action(name)
        assert caught.value.key in ("builder.error.bad-name", "builder.error.no-path")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    message = caught.value.message("es")
    assert "\n" not in message and "\x00" not in message


@pytest.mark.parametrize("name", ["my-canvas", "Mi lienzo 2.yaml", "tela_da_padaria.json",
                                  "Padaria São João.yml", "v1.2.yaml", "A"])
def test_plain_names_are_saved_in_the_working_folder(tmp_path, name):
    state = BuilderState(workdir=tmp_path, autosave_dir=False)
    path = state.save(name)
    assert path.parent == tmp_path and path.is_file()
    assert path.suffix in (".yaml", ".yml", ".json")
    assert crkit.load(path).to_dict() == state.canvas.to_dict()


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    secret = outside / "secrets.yaml"
    secret.write_text("db_password: hunter2\n")
    (work / "innocent.yaml").symlink_to(secret)
    (work / "report.md").symlink_to(outside / "README.md")
    state = BuilderState(workdir=work, autosave_dir=False)
    with pytest.raises(EditRejected):
        state.load_file("innocent.yaml")  # would say "unknown field 'db_password'"
    with pytest.raises(EditRejected):
        state.save("innocent.yaml")
    with pytest.raises(EditRejected):
        state.export_path("report.yaml", ".md")
    assert secret.read_text() == "db_password: hunter2\n"
    assert not (outside / "README.md").exists()


def test_the_interface_says_why_a_name_is_refused_in_its_language(tmp_path):
    builder = CanvasBuilder(workdir=tmp_path / "w", autosave_dir=False, lang="es")
    (tmp_path / "w").mkdir()
    for button in (builder.save_button, builder.load_button, builder.markdown_button):
        builder.path.value = "../fuera.yaml"
        button.click()
        assert "crkit-error" in builder.status.value
        assert "no sirve como nombre de archivo" in builder.status.value
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w"]
    assert list((tmp_path / "w").iterdir()) == []


def test_each_page_has_its_own_default_file_and_recovery_copy(tmp_path):
    one = CanvasBuilder(workdir=tmp_path, owner=A)
    two = CanvasBuilder(workdir=tmp_path, owner=A)
    assert one.path.value != two.path.value
    assert one.path.value.startswith("my-canvas-") and one.path.value.endswith(".yaml")
    assert one.state.autosave.path != two.state.autosave.path
    names = {Autosave(tmp_path / "a").path.name for _ in range(2000)}
    assert len(names) == 2000  # no id % 10000: names never collide


def test_a_page_lists_only_its_own_browsers_copies(tmp_path):
    mine = CanvasBuilder(workdir=tmp_path, owner=A)
    mine.cards["canvas"][0]["title"].value = "Learner A's bakery"
    theirs = CanvasBuilder(workdir=tmp_path, owner=B)
    theirs.cards["canvas"][0]["title"].value = "Learner B's gym"
    reloaded_a = CanvasBuilder(workdir=tmp_path, owner=A, start="blank")
    labels = [label for label, _ in reloaded_a.recover_from.options]
    assert any("Learner A's bakery" in label for label in labels)
    assert not any("Learner B" in label for label in labels)
    # the page asks, with buttons, instead of a line in the status bar
    assert "Recover your work from" in reloaded_a.recovery_offer.children[0].value
    stranger = CanvasBuilder(workdir=tmp_path, owner="c" * 32, start="blank")
    assert stranger.recover_button.disabled
    assert "Recover your work" not in stranger.status.value
    # nor can a page recover another browser's file by naming it
    with pytest.raises(EditRejected):
        stranger.state.recover(theirs.state.autosave.path)
    with pytest.raises(EditRejected):
        stranger.state.recover(tmp_path / "elsewhere.yaml")
    reloaded_a.recover_from.value = str(mine.state.autosave.path)
    reloaded_a.recover_button.click()
    assert reloaded_a.canvas.title == "Learner A's bakery"


def test_a_builder_drawn_before_its_page_belongs_to_the_browser_that_opens_it(tmp_path):
    """The app draws the builder in a kernel started ahead, then learns the browser's id."""
    from crkit.builder.widgets import PENDING

    local = CanvasBuilder(workdir=tmp_path)  # a notebook's copy: owner "local"
    local.cards["canvas"][0]["title"].value = "A notebook's bakery"
    mine = CanvasBuilder(workdir=tmp_path, owner=A)
    mine.cards["canvas"][0]["title"].value = "Learner A's bakery"
    ahead = CanvasBuilder(workdir=tmp_path, owner=PENDING)
    assert not ahead.recovery_offer.children  # no browser yet: nothing is offered
    ahead.attach(A)
    assert "Learner A&#x27;s bakery" in ahead.recovery_offer.children[0].value
    labels = [label for label, _ in ahead.recover_from.options]
    assert any("Learner A's bakery" in label for label in labels)
    assert not any("notebook" in label for label in labels)
    ahead.cards["canvas"][0]["title"].value = "Edited after the page opened"
    assert ahead.state.autosave.path.name.startswith(f"autosave-{A}-")
    assert ahead.state.autosave.path.is_file()
    stranger = CanvasBuilder(workdir=tmp_path, owner=PENDING)
    stranger.attach(B)
    assert not stranger.recovery_offer.children and stranger.recover_button.disabled


def test_pruning_never_deletes_another_browsers_or_a_live_copy(tmp_path, monkeypatch):
    folder = tmp_path / ".crkit-autosave"
    other = Autosave(folder, owner=B)
    other.write(crkit.starter_canvas())
    old = time.time() - 10 * autosave_module.LIVE_SECONDS
    os.utime(other.path, (old, old))  # old, but another browser's: kept
    live = Autosave(folder, owner=A)
    live.write(crkit.starter_canvas())  # recent: another open page of the same browser
    mine = []
    for i in range(KEEP_RECOVERIES + 5):
        copy = Autosave(folder, owner=A)
        copy.write(crkit.blank_canvas())
        os.utime(copy.path, (old + i, old + i))
        mine.append(copy.path)
    newest = Autosave(folder, owner=A)
    newest.write(crkit.blank_canvas())
    assert other.path.exists() and live.path.exists() and newest.path.exists()
    kept = [p for p in mine if p.exists()]
    assert len(kept) == KEEP_RECOVERIES - 2  # the newest, the live one and these
    assert kept == mine[-len(kept):]  # the oldest went first


def test_page_owner_comes_from_the_app_servers_cookie(monkeypatch):
    for name in ("CRKIT_BROWSER_ID", "HTTP_X_CRKIT_BROWSER", "SERVER_SOFTWARE"):
        monkeypatch.delenv(name, raising=False)
    assert page_owner() is None
    monkeypatch.setenv("HTTP_X_CRKIT_BROWSER", A)
    assert page_owner() == A
    monkeypatch.setenv("HTTP_X_CRKIT_BROWSER", "../../etc")  # forged: ignored
    assert page_owner() is None
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")  # in the app without an id
    first, second = page_owner(), page_owner()
    assert first and second and first != second  # a space of its own, never "local"


def test_a_failed_upload_changes_nothing(tmp_path, monkeypatch):
    builder = CanvasBuilder(workdir=tmp_path)
    builder.cards["canvas"][0]["title"].value = "Before the upload"
    before = builder.canvas.to_dict()
    undo_depth = len(builder.state._undo)
    good = crkit.dumps(crkit.blank_canvas()).encode()

    def broken_write(canvas):
        raise RuntimeError("recovery copy crashed")

    monkeypatch.setattr(builder.state.autosave, "write", broken_write)
    with pytest.raises(RuntimeError):
        builder.state.load_bytes(good, "new.yaml")
    assert builder.canvas.to_dict() == before
    assert len(builder.state._undo) == undo_depth
    assert builder.cards["canvas"][0]["title"].value == "Before the upload"
    monkeypatch.undo()
    # a broken upload: the message, and the canvas as it was
    builder.upload.value = ({"name": "evil\x1b[2J.yaml", "type": "", "size": 10,
                             "content": memoryview(b"crkit: 1\ntitle: !!binary aGk=\n"),
                             "last_modified": datetime.now(timezone.utc)},)
    assert "crkit-error" in builder.status.value and "!!binary" in builder.status.value
    assert "\x1b" not in builder.status.value
    assert builder.canvas.to_dict() == before


def test_a_full_disk_on_save_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    import errno

    from crkit.core import storage

    builder = CanvasBuilder(workdir=tmp_path, autosave_dir=False, lang="pt")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage, "_write", full)
    builder.path.value = "tela.yaml"
    builder.save_button.click()
    assert "crkit-error" in builder.status.value and "disco está cheio" in builder.status.value


def test_limits_keep_every_edit_fast(tmp_path):
    state = BuilderState(workdir=tmp_path, autosave_dir=False)
    for _ in range(limits.MAX_ITEMS["segments"] - len(state.canvas.segments)):
        state.add("segments")
    with pytest.raises(EditRejected) as caught:
        state.add("segments")
    assert caught.value.key == "builder.error.too-many"
    with pytest.raises(EditRejected):
        state.update("segments", 0, name="x" * (limits.MAX_TEXT + 1))
    with pytest.raises(EditRejected):
        state.update("segments", 0, customers="9" * 40)
    while len(state.canvas.relationships) < limits.MAX_ITEMS["relationships"]:
        state.add("relationships", segment=state.canvas.segments[
            len(state.canvas.relationships) % len(state.canvas.segments)].id)
    started = time.perf_counter()
    state.update("relationships", 0, cost_per_customer="3")
    report = state.report()
    report.best_change()
    assert time.perf_counter() - started < 5


def test_the_largest_canvas_the_limits_allow_scores_in_seconds(tmp_path):
    """Whatever the file, `crkit score` answers within a few seconds (issue 11)."""
    from crkit.cli import main

    n = limits.MAX_ITEMS["segments"]
    body = ["crkit: 1", "title: Largest", "value_propositions:"]
    body += [f"  - {{id: v{i}, text: Proposition {i}}}" for i in
             range(limits.MAX_ITEMS["value_propositions"])]
    body += ["segments:"] + [f"  - {{id: s{i}, name: Segment {i}, customers: 100, "
                             f"value_per_customer: 50, expects: [self-service, communities], "
                             f"value_propositions: [v{i}]}}" for i in range(n)]
    body += ["channels:"] + [f"  - {{id: c{i}, name: Channel {i}, segments: [s{i}]}}"
                             for i in range(limits.MAX_ITEMS["channels"])]
    body += ["relationships:"] + [
        f"  - {{segment: s{i % n}, type: personal-assistance, motivations: [retention], "
        f"channels: [c{i % n}], stages: [awareness], cost_per_customer: 3}}"
        for i in range(limits.MAX_ITEMS["relationships"])]
    path = Path(tmp_path) / "largest.yaml"
    path.write_text("\n".join(body) + "\n")
    started = time.perf_counter()
    assert main(["score", str(path)]) == 0
    assert time.perf_counter() - started < 5


def test_the_launcher_configures_the_guards():
    from crkit.builder import server as app_server

    command = app_server.voila_command(8899, max_kernels=3, allow_hosts=("class.example",))
    assert command[1:3] == ["-m", "crkit.builder.voila_app"]
    assert "--Voila.ip=127.0.0.1" in command and "--CrkitVoila.public=False" in command
    assert "--CrkitVoila.max_kernels=3" in command
    assert "--CrkitVoila.allowed_hosts=class.example" in command
    assert "--VoilaConfiguration.http_header_envs=X-Crkit-Browser" in command
    assert not any("token" in part.lower() for part in command)  # never on the command line
    public = app_server.voila_command(8899, address="0.0.0.0", public=True)
    assert "--Voila.ip=0.0.0.0" in public and "--CrkitVoila.public=True" in public


def test_host_names_the_app_accepts():
    pytest.importorskip("voila")
    from crkit.builder.voila_app import host_allowed

    for host in ("127.0.0.1:8866", "localhost:8866", "LOCALHOST", "[::1]:8866", "127.1.2.3",
                 "app.localhost:8866"):
        assert host_allowed(host, set()), host
    for host in ("evil.example", "evil.example:8866", "127.0.0.1.evil.example", "", None,
                 "192.168.1.10:8866", "[::2]", "localhost.evil.example", "0.0.0.0"):
        assert not host_allowed(host, set()), host
    assert host_allowed("class.example:8866", {"class.example"})
    assert host_allowed("192.168.1.10:8866", {"192.168.1.10"})
    assert host_allowed("anything", {"*"})
