"""Issue 11: every bad input an attacker or a careless user can produce gets exit status 2
and one clean line naming the file, the field and the line; nothing is dropped silently.

Most cases run ``crkit.cli.main`` in-process (fast); a few run the real command.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import time
from pathlib import Path

import pytest

import crkit
from crkit.cli import main
from crkit.core import limits, storage
from crkit.core.errors import CrkitError, WriteError

GOOD = "crkit: 1\ntitle: T\nsegments: [{id: s, name: S}]\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert "Traceback" not in err
    assert all(ch.isprintable() for ch in line), repr(line)
    assert len(line) <= limits.MAX_MESSAGE + 10
    return line


HOSTILE = {
    # name: (file name, content, expected words, field, line)
    "400-digit-int": ("c.yaml", GOOD.replace("name: S", "name: S, customers: " + "9" * 400),
                      "number is too long", "segments[0].customers", 3),
    "5000-digit-int": ("c.yaml", GOOD.replace("name: S", "name: S, customers: " + "9" * 5000),
                       "number is too long", "segments[0].customers", 3),
    "json-5000-digits": ("c.json", '{"crkit": 1, "title": "T", "segments": [{"id": "s", '
                         '"name": "S", "customers": ' + "9" * 5000 + "}]}",
                         "number is too long", None, None),
    "json-deep": ("c.json", '{"crkit": 1, "title": "T", "notes": ' + "[" * 900 + "]" * 900
                  + "}", "nested more than 50", None, None),
    "float-abc": ("c.yaml", GOOD.replace("name: S", "name: S, customers: !!float abc"),
                  "'abc' is not a valid !!float value", "segments[0].customers", 3),
    "int-abc": ("c.yaml", "crkit: 1\ntitle: !!int abc\n", "not a valid !!int", "title", 2),
    "bool-abc": ("c.yaml", "crkit: 1\ntitle: !!bool abc\n", "not a valid !!bool", "title", 2),
    "timestamp-abc": ("c.yaml", "crkit: 1\ntitle: !!timestamp abc\n", "!!timestamp", "title",
                      2),
    "python-apply": ("c.yaml", GOOD + "description: !!python/object/apply:os.system [ls]\n",
                     "!!python/object/apply:os.system is not allowed", "description", 4),
    "python-name": ("c.yaml", GOOD + "author: !!python/name:os.system\n",
                    "is not allowed", "author", 4),
    "binary": ("c.yaml", GOOD + "description: !!binary aGVsbG8=\n", "!!binary is not allowed",
               "description", 4),
    "set": ("c.yaml", GOOD + "description: !!set {a, b}\n", "!!set is not allowed",
            "description", 4),
    "custom-tag": ("c.yaml", GOOD + "description: !secret x\n", "!secret is not allowed",
                   "description", 4),
    "merge-key": ("c.yaml", GOOD + "segments2:\n  <<: {a: 1}\n", "!!merge", None, 5),
    "json-duplicate": ("c.json", '{"crkit": 1, "title": "A", "title": "B"}', "appears twice",
                       "title", None),
    "json-nested-duplicate": ("c.json", '{"crkit": 1, "title": "A", "segments": [{"id": "s", '
                              '"name": "S", "id": "t"}]}', "appears twice",
                              "segments[0].id", None),
    "json-surrogate-title": ("c.json", '{"crkit": 1, "title": "a\\ud800b"}', "surrogate",
                             "title", None),
    "json-surrogate-key": ("c.json", '{"crkit": 1, "title": "a", "\\udc00": 1}', "surrogate",
                           None, None),
    "yaml-surrogate": ("c.yaml", 'crkit: 1\ntitle: "a\\ud800b"\n', "invalid Unicode character",
                       None, 2),
    "utf16": ("c.yaml", "crkit: 1\ntitle: T\n".encode("utf-16"), "UTF-16: save as UTF-8",
              None, None),
    "utf16-no-bom": ("c.yaml", "crkit: 1\ntitle: T\n".encode("utf-16-le"), "UTF-16", None,
                     None),
    "utf32": ("c.json", '{"crkit": 1}'.encode("utf-32"), "UTF-32", None, None),
    "huge-number": ("c.yaml", GOOD.replace("name: S", "name: S, customers: 1.0e+300"),
                    "too large", "segments[0].customers", 3),
    "long-text": ("c.yaml", "crkit: 1\ntitle: " + "x" * (limits.MAX_TEXT + 1) + "\n",
                  "text is too long", "title", 2),
    "too-many-segments": ("c.yaml", "crkit: 1\ntitle: T\nsegments:\n" + "".join(
        f"  - {{id: s{i}, name: S{i}}}\n" for i in range(limits.MAX_ITEMS["segments"] + 1)),
        f"limit is {limits.MAX_ITEMS['segments']}", "segments", 4),
    "too-many-metrics": ("c.yaml", GOOD + "relationships: [{segment: s, type: self-service, "
                         "metrics: [" + ", ".join(f"m{i}" for i in range(limits.MAX_LIST + 1))
                         + "]}]\n", f"limit is {limits.MAX_LIST}",
                         "relationships[0].metrics", 4),
    "metric-mapping": ("c.yaml", GOOD + "relationships: [{segment: s, type: self-service, "
                       "metrics: [{a: 1}]}]\n", "expected text, found a mapping",
                       "relationships[0].metrics[0]", 4),
    "description-list": ("c.yaml", GOOD + "description: [a, b]\n", "expected text",
                         "description", 4),
    "control-characters": ("c.yaml", GOOD + 'relationships: [{segment: "x\\e[2J\\nfake: line",'
                           " type: self-service}]\n", "\\x1b[2J\\nfake", "relationships[0]"
                           ".segment", 4),
    "bidi-override": ("c.yaml", GOOD + 'relationships: [{segment: "a\\u202eb", type: x}]\n',
                      "\\u202e", "relationships[0].segment", 4),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_gets_one_clean_line(tmp_path, capsys, name):
    filename, content, words, field, line = HOSTILE[name]
    path = tmp_path / filename
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for command in ("validate", "score"):
        started = time.perf_counter()
        code, out, err = run(capsys, command, str(path))
        assert time.perf_counter() - started < 3
        assert code == 2 and out == "", err
        message = one_clean_line(err)
        assert str(path) in message and words in message, message
        if field:
            assert f"at {field}" in message
        if line:
            assert f"(line {line})" in message
    with pytest.raises(CrkitError):  # the API refuses it too, never drops it
        crkit.load(path)


def test_long_problem_lists_are_cut(tmp_path, capsys):
    """30k-ish bad references used to print one 229 KB line; now a short one."""
    ids = [f"s{i}" for i in range(limits.MAX_ITEMS["segments"])]
    body = "crkit: 1\ntitle: T\nsegments:\n" + "".join(f"  - {{id: {i}, name: {i}}}\n"
                                                      for i in ids)
    body += "channels:\n  - id: c\n    name: C\n    segments: [" + ", ".join(
        f"zz{i}" for i in range(limits.MAX_LIST)) + "]\n"
    path = tmp_path / "c.yaml"
    path.write_text(body)
    code, _, err = run(capsys, "validate", str(path))
    line = one_clean_line(err)
    hidden = limits.MAX_ITEMS["segments"] - limits.SHOWN_ITEMS
    assert code == 2 and f"and {hidden} more" in line and f"+{limits.MAX_LIST - 1} more" in line
    code, _, err = run(capsys, "validate", "--all", str(path))
    lines = err.strip().splitlines()
    assert len(lines) == limits.SHOWN_PROBLEMS + 2  # the first, 30 more, "and N more"
    assert lines[-1] == f"crkit: and {limits.MAX_LIST - 1 - limits.SHOWN_PROBLEMS} more"
    assert max(len(x) for x in lines) < 400


def test_a_file_full_of_mistakes_is_answered_fast(tmp_path, capsys):
    """A 1 MB file can hold 100k mistakes: the kit stops counting at MAX_PROBLEMS."""
    row = ", ".join(f"x{j}: 1" for j in range(600))
    path = tmp_path / "c.yaml"
    path.write_text("crkit: 1\ntitle: T\nsegments:\n" + "".join(
        f"  - {{id: s{i}, name: S, {row}}}\n" for i in range(limits.MAX_ITEMS["segments"])))
    started = time.perf_counter()
    code, _, err = run(capsys, "score", str(path))
    assert time.perf_counter() - started < 3
    assert code == 2 and f"(+{limits.MAX_PROBLEMS - 1} more problems)" in one_clean_line(err)


def test_a_valid_canvas_cannot_drive_the_terminal(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text('crkit: 1\ntitle: "Bakery\\e[2J\\u202e\\x07"\nsegments: [{id: s, name: S}]\n')
    for extra in ([], ["--markdown"], ["--json"]):
        code, out, _ = run(capsys, "score", *extra, str(path))
        assert code == 0
        assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
        assert "Bakery" in out


def test_file_names_with_control_characters_are_escaped(tmp_path, capsys):
    path = tmp_path / "evil\x1b[31m\nname.yaml"
    path.write_text("crkit: 7\ntitle: T\n")
    code, _, err = run(capsys, "validate", str(path))
    line = one_clean_line(err)
    assert code == 2 and "evil\\x1b[31m\\nname.yaml" in line


@pytest.mark.parametrize("target", ["fifo", "/dev/null", "folder"])
def test_not_a_regular_file(tmp_path, capsys, target):
    if target == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    elif target == "folder":
        path = tmp_path / "folder.yaml"
        path.mkdir()
    else:
        path = Path(target)
    code, _, err = run(capsys, "validate", str(path))  # a FIFO must not block
    line = one_clean_line(err)
    assert code == 2
    if target == "folder":
        assert "folder" in line
    else:
        assert "not a regular file" in line and "folder" not in line


def test_path_whose_parent_is_a_file(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    for argv in (["validate", str(tmp_path / "afile" / "c.yaml")],
                 ["new", str(tmp_path / "afile" / "c.yaml")]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "is a file, not a folder" in one_clean_line(err)


def test_new_into_a_read_only_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() != 0:  # root writes anywhere: simulate the refusal instead
        folder.chmod(0o555)
    else:
        real_open = os.open

        def refuse(path, flags, mode=0o777, *, dir_fd=None):
            if str(path).startswith(str(folder)) and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_open(path, flags, mode, dir_fd=dir_fd)

        monkeypatch.setattr(storage.os, "open", refuse)
    try:
        code, out, err = run(capsys, "new", str(folder / "c.yaml"))
    finally:
        folder.chmod(0o755)
    assert code == 2 and out == ""
    assert "permission denied" in one_clean_line(err)
    assert list(folder.iterdir()) == []


def test_full_disk_leaves_the_old_file_and_no_temporary(tmp_path, capsys, monkeypatch):
    path = tmp_path / "c.yaml"
    path.write_text(GOOD)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    code, _, err = run(capsys, "new", "--force", str(path))
    assert code == 2 and "disk is full" in one_clean_line(err)
    assert path.read_text() == GOOD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]
    with pytest.raises(OSError):  # WriteError is an OSError too, for older callers
        crkit.save(crkit.starter_canvas(), path)
    with pytest.raises(WriteError, match="disk is full"):
        crkit.save(crkit.starter_canvas(), path)


def test_saves_keep_permissions_and_new_files_follow_the_umask(tmp_path):
    path = tmp_path / "c.yaml"
    old = os.umask(0o022)
    try:
        crkit.save(crkit.starter_canvas(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o640)
        crkit.save(crkit.blank_canvas(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        path.chmod(0o664)
        crkit.save(crkit.starter_canvas(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
        os.umask(0o077)
        other = tmp_path / "d.json"
        crkit.save(crkit.starter_canvas(), other)
        assert stat.S_IMODE(other.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_stale_temporaries_are_removed_on_the_next_save(tmp_path):
    path = tmp_path / "c.yaml"
    crkit.save(crkit.starter_canvas(), path)
    dead = tmp_path / f".c.yaml{storage.TEMP_MARK}999999999-deadbeef"
    dead.write_text("half a canvas")
    old = tmp_path / f".c.yaml{storage.TEMP_MARK}{os.getpid()}-0ld0ld00"
    old.write_text("half a canvas")
    os.utime(old, (time.time() - 2 * storage.STALE_AFTER,) * 2)
    live = tmp_path / f".c.yaml{storage.TEMP_MARK}{os.getppid()}-11111111"
    live.write_text("another save running now")
    unrelated = tmp_path / f".other.yaml{storage.TEMP_MARK}999999999-deadbeef"
    unrelated.write_text("x")
    crkit.save(crkit.blank_canvas(), path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["c.yaml", live.name, unrelated.name])


def test_save_onto_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / "c.yaml").mkdir()
    with pytest.raises(WriteError, match="folder"):
        crkit.save(crkit.starter_canvas(), tmp_path / "c.yaml")


@pytest.mark.parametrize("name", ["400-digit-int", "python-apply", "json-surrogate-title",
                                  "utf16"])
def test_real_command_says_one_line(tmp_path, crkit_cmd, name):
    filename, content, words, _, _ = HOSTILE[name]
    path = tmp_path / filename
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = crkit_cmd("score", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert words in one_clean_line(result.stderr)


def test_a_terminal_that_cannot_show_the_title_gets_escapes(tmp_path):
    import subprocess

    path = tmp_path / "c.yaml"
    path.write_text("crkit: 1\ntitle: Panadería ☕\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}
    result = subprocess.run([sys.executable, "-m", "crkit.cli", "score", str(path)],
                            capture_output=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"Panader\\xeda" in result.stdout


@pytest.mark.parametrize("command", ["validate", "score", "new", "cases"])
def test_names_the_system_refuses_get_one_line(tmp_path, capsys, command):
    long_name = str(tmp_path / ("a" * 300 + ".yaml"))
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(loop)
    for target in (long_name, str(loop)):
        argv = [command, "--cases", target] if command == "cases" else [command, target]
        if command == "new":
            argv.append("--force")
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "", err
        one_clean_line(err)
