"""Issue 11: a process killed while it saves leaves the file complete (the old or the new
content, never half) and, once the next save has run, no temporary file behind.

A child process (forked, so it starts saving at once) writes two canvases in turn, over and
over; it is killed with SIGKILL at a random moment, 60 times for YAML and 40 for JSON.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time

import pytest

import crkit
from crkit.core import storage

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _canvases():
    big = crkit.starter_canvas()
    for i in range(30):  # a few kB, so a write takes long enough to be interrupted
        big.segments.append(crkit.Segment(id=f"extra-{i}", name=f"Extra segment {i}",
                                          notes="x" * 200))
    return crkit.blank_canvas(), big


def _saver(path, canvases) -> None:
    """The child: save the two canvases in turn until killed."""
    try:
        while True:
            for canvas in canvases:
                crkit.save(canvas, path)
    finally:  # pragma: no cover - never reached: SIGKILL
        os._exit(0)


@pytest.mark.parametrize(("suffix", "kills"), [(".yaml", 60), (".json", 40)])
def test_killed_saves_leave_a_complete_file_and_no_temporary(tmp_path, suffix, kills):
    path = tmp_path / f"canvas{suffix}"
    canvases = _canvases()
    fmt = "json" if suffix == ".json" else "yaml"
    contents = {crkit.dumps(c, fmt) for c in canvases}
    crkit.save(canvases[0], path)
    rng = random.Random(11)
    left_behind = 0
    for _ in range(kills):
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            _saver(path, canvases)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert path.read_text(encoding="utf-8") in contents  # old or new, never half
        crkit.load(path)
        left_behind += len(list(tmp_path.glob(f".{path.name}{storage.TEMP_MARK}*")))
    # the next save (here, in a process that was never killed) clears what kills left
    crkit.save(canvases[1], path)
    print(f"{suffix}: {kills} kills, {left_behind} temporary files seen before the next save")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], left_behind
    assert path.read_text(encoding="utf-8") == crkit.dumps(canvases[1], fmt)
