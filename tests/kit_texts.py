"""Every learner-facing text of the kit, for the terminology and own-words tests.

Texts come from the YAML data (``src/crkit/data/**`` and ``casestudies/*.yaml``), the
markdown cells of the lesson notebooks and case pages, and the course-site pages
(``book/*.md``). Each text carries its file, a location inside the file and its language
(from the nearest ``en``/``es``/``pt`` key; notebooks and book pages are English).

Quotations, code spans, format placeholders and titles of cited works are set apart by
:func:`segments`, so that a quoted sentence or a book title is never counted as the kit's own
wording.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "crkit" / "data"
LANGS = ("en", "es", "pt")
# keys whose values are accepted input spellings or the banned variants themselves
SKIP_KEYS = {"aliases", "avoid"}
# data files that are not texts for learners
SKIP_FILES = {DATA / "terminology.yaml"}


@dataclass(frozen=True)
class Text:
    file: str       # path relative to the repository root
    where: str      # YAML path (a/0/b/es) or notebook cell (cell 3)
    lang: str | None
    text: str

    def label(self) -> str:
        return f"{self.file}:{self.where}"


def _walk(node, path: list[str], lang: str | None) -> Iterator[tuple[str, str | None, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SKIP_KEYS:
                continue
            sub = key if key in LANGS else lang
            yield from _walk(value, [*path, str(key)], sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, [*path, str(i)], lang)
    elif isinstance(node, str):
        yield "/".join(path), lang, node


def yaml_files() -> list[Path]:
    files = sorted(DATA.rglob("*.yaml")) + sorted((ROOT / "casestudies").glob("*.yaml"))
    return [f for f in files if f not in SKIP_FILES]


def markdown_files() -> list[Path]:
    return (sorted((ROOT / "notebooks").glob("*.ipynb"))
            + sorted((ROOT / "casestudies").glob("*.ipynb"))
            + sorted((ROOT / "book").glob("*.md")))


def texts_of(path: Path) -> list[Text]:
    rel = path.relative_to(ROOT).as_posix()
    if path.suffix == ".yaml":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [Text(rel, where, lang, s) for where, lang, s in _walk(data, [], None)]
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for i, cell in enumerate(nb.get("cells", [])):
            if cell.get("cell_type") == "markdown":
                source = cell.get("source", "")
                source = "".join(source) if isinstance(source, list) else source
                out.append(Text(rel, f"cell {i}", "en", source))
        return out
    return [Text(rel, "page", "en", path.read_text(encoding="utf-8"))]


def all_files() -> list[Path]:
    return yaml_files() + markdown_files()


@lru_cache(maxsize=1)
def terminology() -> dict:
    return yaml.safe_load((DATA / "terminology.yaml").read_text(encoding="utf-8"))


# --- exempt spans ---------------------------------------------------------------------------
_QUOTES = [
    r"«[^»]{0,600}»",
    r"“[^”]{0,600}”",
    r"‘[^’\n]{0,300}’",
    r'"(?:[^"\n]|\n(?!\s*\n)){0,600}"',            # a quote may wrap, not span paragraphs
    r"`[^`\n]{0,300}`",
    r"\{[A-Za-z_][\w.-]*(?:![rsa])?(?::[^{}]*)?\}",   # format placeholders: {value}, {x:.1f}
    r"\]\([^)\s]*\)",                                   # markdown link targets
    r"https?://\S+",
]


def _titles() -> list[str]:
    titles = list(terminology().get("titles") or [])
    return sorted(titles, key=len, reverse=True)


def exempt_pattern(extra: list[str] | None = None) -> re.Pattern:
    titles = [re.escape(t).replace(r"\ ", r"\s+") for t in _titles() + list(extra or [])]
    return re.compile("|".join(_QUOTES + titles), re.IGNORECASE)


def segments(text: str, extra: list[str] | None = None) -> list[tuple[int, str]]:
    """The parts of ``text`` outside quotations, code, placeholders and titles.

    Returns (offset, part) pairs; a run of words never crosses an exempt span.
    """
    out, pos = [], 0
    for m in exempt_pattern(extra).finditer(text):
        out.append((pos, text[pos:m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    return [(off, part) for off, part in out if part.strip()]


def seeds_dir() -> Path | None:
    """The four source articles: ``$CRKIT_SEEDS``, else ``shared/seeds`` beside the repository.

    CI clones the repository with ``shared/`` as its sibling (``<root>/../shared/seeds``); a
    git worktree nested one level deeper finds the same folder further up.
    """
    env = os.environ.get("CRKIT_SEEDS")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in ROOT.parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def research_dir() -> Path | None:
    """The research notes (``shared/research``), found like :func:`seeds_dir`."""
    env = os.environ.get("CRKIT_RESEARCH")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in ROOT.parents:
        candidate = parent / "shared" / "research"
        if candidate.is_dir():
            return candidate
    return None
