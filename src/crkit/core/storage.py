"""Load and save canvas files: YAML or JSON, validated on the way in, atomic on the way out."""

from __future__ import annotations

import errno
import glob
import json
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any

from crkit.core.canvas import Canvas
from crkit.core.errors import WriteError
from crkit.core.reading import read_bytes, read_file
from crkit.core.validation import canvas_from_document


def load(path: str | os.PathLike) -> Canvas:
    """Read and validate a canvas file (``.yaml``, ``.yml`` or ``.json``).

    Raises
    ------
    CanvasError
        With the file, the field path, the line and a fix for the first problem, and
        every problem found in ``.problems``.
    """
    return canvas_from_document(read_file(path))


def loads(text: str | bytes, *, name: str | None = None, json_hint: bool = False) -> Canvas:
    """Validate a canvas given as YAML or JSON text."""
    return canvas_from_document(read_bytes(text, name=name, json_hint=json_hint))


def dumps(canvas: Canvas, fmt: str = "yaml") -> str:
    """The canvas as YAML (default) or JSON text, in the format's field order."""
    data = canvas.to_dict()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _dump_yaml(data)


def _dump_yaml(data: Any) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=88)


def save(canvas: Canvas, path: str | os.PathLike) -> Path:
    """Write the canvas atomically: the file is either the old one or the new one, never half.

    The format follows the file name (``.json`` for JSON, YAML otherwise).
    """
    path = Path(path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    write_atomic(path, dumps(canvas, fmt))
    return path


#: temporary files are named ``.<file name>.crkit-tmp-<pid>-<random>`` beside the file
TEMP_MARK = ".crkit-tmp-"
#: a temporary file older than this is stale even if its process id is alive again
STALE_AFTER = 3600


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write text or bytes to a temporary file beside ``path``, flush it, then rename over.

    The file is always either the old one or the new one. A full disk or any other error
    in the middle leaves the old file and removes the temporary one; a process killed in
    the middle leaves a temporary file named ``.<name>.crkit-tmp-<pid>-<random>``, which
    the next save of the same file removes. An existing file keeps its permissions; a new
    one gets the usual ones (0666 less the umask).

    Raises
    ------
    WriteError
        (also an :class:`OSError`) with a one-line message naming the file.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        return _write(path, payload)
    except OSError as exc:
        raise write_error(exc, path) from None


def _write(path: Path, payload: bytes) -> Path:
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Delete temporary files a killed save of ``path`` left behind; return them.

    A temporary file is stale when the process that wrote it is gone, or when it is older
    than :data:`STALE_AFTER` seconds. Temporary files of a save still running are kept.
    """
    path = Path(path)
    removed = []
    try:
        candidates = list(path.parent.glob(f".{glob.escape(path.name)}{TEMP_MARK}*"))
    except OSError:
        return removed
    now = time.time()
    for tmp in candidates:
        pid_text = tmp.name[len(path.name) + 1 + len(TEMP_MARK):].split("-", 1)[0]
        try:
            age = now - tmp.lstat().st_mtime
        except OSError:
            continue
        if age < STALE_AFTER and pid_text.isdigit() and _alive(int(pid_text)):
            continue
        try:
            tmp.unlink()
        except OSError:
            continue
        removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def write_error(exc: OSError, path: str | os.PathLike) -> WriteError:
    """The one-line :class:`WriteError` for an OSError met while writing ``path``."""
    if isinstance(exc, WriteError):
        return exc
    shown = str(path)
    if exc.errno == errno.ELOOP:
        return WriteError("write-failed", file=shown, reason=exc.strerror or str(exc))
    code = {
        errno.EACCES: "write-permission", errno.EPERM: "write-permission",
        errno.ENOSPC: "disk-full", errno.EDQUOT: "disk-full", errno.EROFS: "read-only-disk",
        errno.ENOTDIR: "parent-not-folder", errno.EEXIST: "parent-not-folder",
        errno.EISDIR: "not-a-file", errno.ENAMETOOLONG: "name-too-long",
    }.get(exc.errno or 0)
    if code:
        return WriteError(code, file=shown)
    return WriteError("write-failed", file=shown, reason=exc.strerror or str(exc))
