"""Read YAML or JSON documents safely, keeping the line of every field.

Canvas, case and rubric files come from learners and instructors. This reader refuses
what could hang or exhaust a classroom machine (huge files, binary data, YAML aliases
that expand exponentially, very deep nesting) with a clear :class:`CanvasError`, and
records where each value sits so validation can say "line 31".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crkit.core.errors import CanvasError, PathPart

#: The largest file the kit reads: far above any real canvas (a few kB), far below
#: anything that could make a laptop struggle.
MAX_BYTES = 1_000_000
MAX_DEPTH = 50


@dataclass
class Document:
    """Parsed data plus the 1-based line of every path in it (YAML only)."""

    data: Any
    lines: dict[tuple[PathPart, ...], int] = field(default_factory=dict)
    name: str | None = None

    def line(self, path: tuple[PathPart, ...]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def read_file(path: str | Path) -> Document:
    """Read a canvas-like document from disk; errors name the file."""
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CanvasError("not-a-file", file=shown)
        if size > MAX_BYTES:
            raise CanvasError("too-large", file=shown, size=size, limit=MAX_BYTES)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CanvasError("file-not-found", file=shown) from None
    except IsADirectoryError:
        raise CanvasError("not-a-file", file=shown) from None
    except PermissionError:
        raise CanvasError("permission", file=shown) from None
    except CanvasError:
        raise
    except OSError as exc:
        raise CanvasError("os-error", file=shown, reason=exc.strerror or str(exc)) from None
    try:
        return read_bytes(raw, name=shown, json_hint=path.suffix.lower() == ".json")
    except CanvasError as exc:
        raise exc.located(shown) from None


def read_bytes(raw: bytes | str, *, name: str | None = None, json_hint: bool = False) -> Document:
    """Parse bytes or text as JSON (when hinted) or YAML."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogatepass")
    if len(raw) > MAX_BYTES:
        raise CanvasError("too-large", size=len(raw), limit=MAX_BYTES)
    if b"\x00" in raw[:8192]:
        raise CanvasError("binary")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CanvasError("not-utf8", position=exc.start) from None
    if not text.strip():
        raise CanvasError("empty")
    if json_hint:
        try:
            return Document(json.loads(text), name=name)
        except json.JSONDecodeError as exc:
            raise CanvasError("bad-json", line=exc.lineno, reason=exc.msg) from None
        except RecursionError:
            raise CanvasError("too-deep", limit=MAX_DEPTH) from None
    return _read_yaml(text, name)


def _read_yaml(text: str, name: str | None) -> Document:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = (exc.problem or exc.context or "invalid YAML").strip()
        if "nesting depth" in reason:
            raise CanvasError("too-deep", limit=MAX_DEPTH, line=mark.line + 1 if mark else None
                              ) from None
        raise CanvasError("bad-yaml", line=mark.line + 1 if mark else None, reason=reason) from None
    except yaml.YAMLError as exc:
        raise CanvasError("bad-yaml", reason=str(exc).splitlines()[0]) from None
    except RecursionError:
        raise CanvasError("too-deep", limit=MAX_DEPTH) from None
    if node is None:
        raise CanvasError("empty")
    doc = Document(None, name=name)
    doc.data = _build(node, (), doc.lines, set(), yaml.constructor.SafeConstructor())
    return doc


def _build(node: Any, path: tuple, lines: dict, seen: set[int], scalars: Any) -> Any:
    """Turn a YAML node tree into plain data, refusing aliases and deep nesting."""
    import yaml

    if id(node) in seen:
        # The composer hands back the same node object for every *alias: refusing it
        # makes "billion laughs" documents fail at once instead of expanding.
        raise CanvasError("yaml-alias", path=path, line=node.start_mark.line + 1)
    if len(path) > MAX_DEPTH:
        raise CanvasError("too-deep", limit=MAX_DEPTH, line=node.start_mark.line + 1)
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str":
            return node.value  # the common case, without the constructor's overhead
        try:
            return scalars.construct_object(node)
        except yaml.YAMLError as exc:
            raise CanvasError(
                "bad-yaml", path=path, line=node.start_mark.line + 1, reason=str(exc.problem)
            ) from None
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, seen, scalars) for i, item in enumerate(node.value)]
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _build(key_node, path, {}, seen, scalars)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise CanvasError("bad-key", path=path, line=key_node.start_mark.line + 1)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise CanvasError("duplicate-key", path=(*path, key), line=key_node.start_mark.line + 1)
        result[key] = _build(value_node, (*path, key), lines, seen, scalars)
    return result
