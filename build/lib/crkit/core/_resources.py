"""Read the YAML data files shipped inside the package, once each."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any


@cache
def data_file(relative: str) -> Any:
    """Return the parsed content of ``crkit/data/<relative>``.

    Cached: knowledge and messages are read once per process, so scoring thousands of
    canvases never touches the disk again.
    """
    import yaml

    text = resources.files("crkit").joinpath("data", relative).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
