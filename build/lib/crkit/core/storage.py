"""Load and save canvas files: YAML or JSON, validated on the way in, atomic on the way out."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from crkit.core.canvas import Canvas
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


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write text or bytes to a temporary file beside ``path``, flush it, then rename over.

    The file is always either the old one or the new one: a crash or a full disk in the
    middle leaves the old file and no temporary file behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, bytes):
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
