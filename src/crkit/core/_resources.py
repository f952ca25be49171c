"""Read the YAML data files shipped inside the package, once each."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

#: the data files parsed ahead, which the browser edition's wheel carries
#: (``tools/lite_site.py`` writes it): PyYAML is pure Python there, and slow
PARSED = "parsed.json"


@cache
def parsed_ahead() -> dict[str, Any]:
    """What the wheel carries parsed ahead, or ``{}`` (the installed kit has none).

    ``{"files": {relative: {"sha256", "data"}}, "documents": {sha256: {"data", "lines"}}}``:
    each entry is used only for the very bytes it was made from (its SHA-256), so an edited
    data file is read again.
    """
    try:
        text = resources.files("crkit").joinpath("data", PARSED).read_text(encoding="utf-8")
        found = json.loads(text)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def sha256(raw: bytes) -> str:
    """The key of a file's bytes in :func:`parsed_ahead`."""
    return hashlib.sha256(raw).hexdigest()


@cache
def data_file(relative: str) -> Any:
    """Return the parsed content of ``crkit/data/<relative>``.

    Cached: knowledge and messages are read once per process, so scoring thousands of
    canvases never touches the disk again.
    """
    raw = resources.files("crkit").joinpath("data", relative).read_bytes()
    ahead = parsed_ahead().get("files", {}).get(relative)
    if isinstance(ahead, dict) and ahead.get("sha256") == sha256(raw):
        return ahead["data"]
    import yaml

    text = raw.decode("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
