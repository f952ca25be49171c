"""Recovery copies: the canvas is written to disk after every change, one file per session.

Work is never lost to a closed tab, a crashed kernel or a flat battery: the builder offers
the copies of earlier sessions under "Recovery copy". Writes are atomic
(:func:`crkit.core.storage.save`) and take about a millisecond for a canvas of a few kB.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from crkit.core.canvas import Canvas
from crkit.core.errors import CanvasError
from crkit.core.i18n import t
from crkit.core.storage import load, save

#: where recovery copies go, relative to the working folder
AUTOSAVE_FOLDER = ".crkit-autosave"
#: how many recovery files (one per session) to keep
KEEP_RECOVERIES = 20


class Autosave:
    """Writes a recovery copy after every change, one file per session.

    Each session writes its own file, so starting the builder again never overwrites the
    work a crash left behind; the newest :data:`KEEP_RECOVERIES` files are kept.
    """

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.path = self.folder / f"autosave-{stamp}-{os.getpid()}-{id(self) % 10000}.yaml"
        self.error: str | None = None

    def write(self, canvas: Canvas) -> None:
        """Save atomically; remember (do not raise) any error so editing goes on."""
        try:
            first = not self.path.exists()
            save(canvas, self.path)
            if first:
                self.prune()
            self.error = None
        except OSError as exc:
            self.error = str(exc.strerror or exc)

    def recoveries(self) -> list[Path]:
        """Recovery files of other sessions, newest first."""
        try:
            found = [p for p in self.folder.glob("autosave-*.yaml") if p != self.path]
        except OSError:
            return []
        return sorted(found, key=_mtime, reverse=True)

    def prune(self) -> None:
        for old in self.recoveries()[KEEP_RECOVERIES - 1:]:
            old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def recovery_label(path: Path, lang: str | None = None) -> str:
    """'Neighbourhood bakery — 2024-05-02 14:03' for a recovery file (or its name if broken)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(_mtime(path)))
    try:
        title = load(path).title
    except CanvasError:
        title = path.name
    return t("builder.recovery-label", lang, title=title, time=when)
