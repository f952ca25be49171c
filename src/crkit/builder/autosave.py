"""Recovery copies: the canvas is written to disk after every change, one file per page.

Work is never lost to a closed tab, a crashed kernel or a flat battery: the builder offers
the copies of earlier pages under "Recovery copy". Each copy belongs to one browser (its
``owner``, a random id the app server keeps in a cookie; ``local`` in a notebook): a page
lists and recovers only its own browser's copies, so on a class server no learner sees
another's work, and pruning never touches another browser's files. Writes are atomic
(:func:`crkit.core.storage.save`) and take about a millisecond for a canvas of a few kB.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from crkit.core.canvas import Canvas
from crkit.core.errors import CrkitError
from crkit.core.i18n import t
from crkit.core.storage import load, save

#: where recovery copies go, relative to the working folder
AUTOSAVE_FOLDER = ".crkit-autosave"
#: how many recovery files (one per page) to keep for each browser
KEEP_RECOVERIES = 20
#: a copy written in the last ``LIVE_SECONDS`` may belong to an open page: never pruned
LIVE_SECONDS = 6 * 3600
#: the owner of copies made outside the app server (a notebook, a script)
LOCAL_OWNER = "local"
#: what a browser id looks like (the app server makes them: 32 hex digits)
OWNER_PATTERN = re.compile(r"[0-9a-f]{32}|local")
_NAME = re.compile(r"autosave-(?P<owner>[0-9a-f]{32}|local)-(?P<stamp>\d{8}-\d{6})-"
                   r"(?P<page>[0-9a-f]{16})\.yaml")


def check_owner(owner: str | None) -> str | None:
    """``owner`` if it is a browser id the app server could have made, else None."""
    return owner if isinstance(owner, str) and OWNER_PATTERN.fullmatch(owner) else None


class Autosave:
    """Writes a recovery copy after every change, one file per page.

    Parameters
    ----------
    folder : path
        Where copies go.
    owner : str, optional
        The browser the page belongs to (:data:`LOCAL_OWNER` when omitted).
    """

    def __init__(self, folder: str | os.PathLike, owner: str | None = None) -> None:
        self.folder = Path(folder)
        self.owner = check_owner(owner) or LOCAL_OWNER
        self.page = secrets.token_hex(8)  # 64 random bits: names never collide
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.path = self.folder / f"autosave-{self.owner}-{stamp}-{self.page}.yaml"
        self.error: CrkitError | None = None

    def write(self, canvas: Canvas) -> None:
        """Save atomically; remember (do not raise) any error so editing goes on."""
        try:
            first = not self.path.exists()
            save(canvas, self.path)
            if first:
                self.prune()
            self.error = None
        except CrkitError as exc:  # WriteError: read-only folder, full disk...
            self.error = exc
        except OSError as exc:
            self.error = CrkitError("write-failed", file=str(self.path),
                                    reason=exc.strerror or str(exc))

    def mine(self, path: str | os.PathLike) -> bool:
        """True when ``path`` is a recovery copy of this page's browser."""
        path = Path(path)
        match = _NAME.fullmatch(path.name)
        return bool(match) and match["owner"] == self.owner and path.parent == self.folder

    def _own_files(self) -> list[Path]:
        try:
            return [p for p in self.folder.glob(f"autosave-{self.owner}-*.yaml")
                    if self.mine(p) and not p.is_symlink() and p.is_file()]
        except OSError:
            return []

    def recoveries(self) -> list[Path]:
        """Recovery files of this browser's other pages, newest first."""
        found = [p for p in self._own_files() if p != self.path]
        return sorted(found, key=_mtime, reverse=True)

    def prune(self) -> list[Path]:
        """Delete this browser's oldest copies beyond :data:`KEEP_RECOVERIES`; return them.

        Copies of other browsers are never touched, nor copies written in the last
        :data:`LIVE_SECONDS` (another open page of the same browser may be writing them).
        """
        removed = []
        now = time.time()
        for old in self.recoveries()[KEEP_RECOVERIES - 1:]:
            if now - _mtime(old) < LIVE_SECONDS:
                continue
            old.unlink(missing_ok=True)
            removed.append(old)
        return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def recovery_time(path: Path) -> str:
    """'07:28' (today) or '2024-05-02 07:28': when the copy was last written."""
    when = _mtime(path)
    if time.strftime("%Y-%m-%d", time.localtime(when)) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M", time.localtime(when))
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(when))


def recovery_label(path: Path, lang: str | None = None) -> str:
    """'Neighbourhood bakery — 2024-05-02 14:03' for a recovery file (or its name if broken)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(_mtime(path)))
    try:
        title = load(path).title
    except CrkitError:
        title = path.name
    return t("builder.recovery-label", lang, title=title, time=when)
