"""Find the students' files: in a folder, its sub-folders and ZIP files (also nested ones).

Nothing is ever unpacked to disk. ZIP members are read into memory with limits, so a
hostile or broken archive cannot write outside the output folder, fill the memory or hang
the run: a member with an absolute path or ``..``, a member larger than a canvas can be, a
compression ratio only ZIP bombs reach, too many members or too many bytes in all, and
ZIP files nested too deep are each reported as a file that could not be read.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

#: what a canvas file can be called
CANVAS_SUFFIXES = (".yaml", ".yml", ".json")
#: the largest canvas read (the kit's reader refuses more anyway)
MAX_FILE_BYTES = 1_000_000
#: the largest ZIP read into memory when it sits inside another ZIP
MAX_NESTED_ZIP_BYTES = 200_000_000
#: bytes unpacked from one ZIP file (nested ones included) before the rest is skipped
MAX_ZIP_TOTAL = 500_000_000
#: members of one ZIP file before the rest is skipped
MAX_ZIP_MEMBERS = 20_000
#: uncompressed / compressed size above which a member larger than 64 kB is refused
MAX_RATIO = 200
MAX_ZIP_DEPTH = 3
#: folders and files never read (editor, OS and notebook leftovers)
SKIP_NAMES = {"__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git"}


@dataclass
class Found:
    """One file found: where it is shown from, and its bytes or why they could not be read."""

    shown: str
    name: str
    suffix: str
    path: Path | None = None
    data: bytes | None = None
    problem: tuple[str, dict[str, Any]] | None = field(default=None)

    def read(self) -> bytes:
        if self.data is None and self.path is not None:
            size = self.path.stat().st_size
            if size > MAX_FILE_BYTES:
                # the kit's reader gives its own "too large" message for oversized bytes
                with self.path.open("rb") as handle:
                    return handle.read(MAX_FILE_BYTES + 1)
            return self.path.read_bytes()
        return self.data or b""


def _skipped(name: str) -> bool:
    return name in SKIP_NAMES or name.startswith(".") or name.startswith("~$")


def collect(root: Path, exclude: Path | None = None) -> list[Found]:
    """Every canvas-like file under ``root`` (a folder or a ZIP file), sorted by shown path."""
    found: list[Found] = []
    if root.is_file():
        _from_zip_file(root, root.name, found)
        return sorted(found, key=lambda f: f.shown)
    excluded = exclude.resolve() if exclude is not None else None

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        if where == root:
            raise error  # the folder itself: nothing to grade
        shown = where.relative_to(root).as_posix() + "/"
        found.append(Found(shown, where.name, "", problem=(
            "unreadable", {"reason": error.strerror or str(error)})))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not _skipped(d)
                             and (excluded is None or (here / d).resolve() != excluded))
        for name in sorted(filenames):
            if _skipped(name):
                continue
            path = here / name
            shown = path.relative_to(root).as_posix()
            suffix = path.suffix.lower()
            if suffix in CANVAS_SUFFIXES:
                found.append(Found(shown, name, suffix, path=path))
            elif suffix == ".zip":
                _from_zip_file(path, shown, found)
    return sorted(found, key=lambda f: f.shown)


def _from_zip_file(path: Path, shown: str, found: list[Found]) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            _from_archive(archive, shown, found, depth=1, budget=[MAX_ZIP_TOTAL])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        found.append(Found(shown, path.name, ".zip",
                           problem=("zip-bad", {"reason": _reason(exc)})))


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _safe_name(name: str) -> PurePosixPath | None:
    """The member's path if it stays inside the archive, else None."""
    name = name.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or ":" in parts[0] or ".." in parts:
        return None
    return PurePosixPath(name)


def _from_archive(archive: zipfile.ZipFile, shown: str, found: list[Found], depth: int,
                  budget: list[int]) -> None:
    members = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
    for count, info in enumerate(members):
        where = f"{shown}!{info.filename}"
        if count >= MAX_ZIP_MEMBERS:
            found.append(Found(where, PurePosixPath(info.filename).name, "",
                               problem=("zip-many", {"limit": MAX_ZIP_MEMBERS})))
            return
        path = _safe_name(info.filename)
        suffix = PurePosixPath(info.filename).suffix.lower()
        if suffix not in (*CANVAS_SUFFIXES, ".zip"):
            continue
        if path is None:
            found.append(Found(where, PurePosixPath(info.filename.replace("\\", "/")).name,
                               suffix, problem=("zip-unsafe", {})))
            continue
        if any(_skipped(part) for part in path.parts):
            continue
        item = Found(where, path.name, suffix)
        limit = MAX_NESTED_ZIP_BYTES if suffix == ".zip" else MAX_FILE_BYTES
        if suffix == ".zip" and depth >= MAX_ZIP_DEPTH:
            item.problem = ("zip-deep", {"limit": MAX_ZIP_DEPTH})
        elif info.flag_bits & 0x1:
            item.problem = ("zip-encrypted", {})
        elif info.file_size > limit:
            item.problem = ("zip-large", {"size": info.file_size, "limit": limit})
        elif info.file_size > 65_536 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            item.problem = ("zip-bomb", {"ratio": info.file_size // max(info.compress_size, 1)})
        elif info.file_size > budget[0]:
            found.append(Found(where, path.name, suffix,
                               problem=("zip-budget", {"limit": MAX_ZIP_TOTAL})))
            return
        else:
            try:
                with archive.open(info) as handle:
                    data = handle.read(limit + 1)  # the header's size may lie
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError,
                    RuntimeError, ValueError) as exc:
                item.problem = ("zip-bad", {"reason": _reason(exc)})
            else:
                budget[0] -= len(data)
                if len(data) > limit:
                    item.problem = ("zip-large", {"size": len(data), "limit": limit})
                elif suffix == ".zip":
                    try:
                        with zipfile.ZipFile(io.BytesIO(data)) as inner:
                            _from_archive(inner, where, found, depth + 1, budget)
                    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
                        item.problem = ("zip-bad", {"reason": _reason(exc)})
                    else:
                        continue
                else:
                    item.data = data
        found.append(item)
