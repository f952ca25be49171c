"""Spanish and Portuguese editions from one English source, through gettext catalogues.

The English notebooks (``notebooks/*.ipynb``) and book pages (``book/*.md``) are the one
source of structure, code and text. Their prose is cut into paragraphs; each paragraph is a
message of a gettext catalogue per document and language::

    locale/es/LC_MESSAGES/notebooks/05-self-service.po
    locale/pt/LC_MESSAGES/book/instructors.po

Translators edit those ``.po`` files with any gettext tool (Poedit, Weblate, a text
editor). When an English paragraph changes, ``update`` marks its translation *fuzzy* (or
leaves it empty for a new paragraph), and ``check`` names every paragraph whose translation
is missing or out of date, so an edition never silently shows English or stale text::

    python tools/translate.py update          # refresh the catalogues from the English source
    python tools/translate.py check           # exit 1 and list what needs translating
    python tools/translate.py check --lang es

Cells that other data already gives in three languages are not in the catalogues: the
exercise and solution cells (written from ``src/crkit/data/exercises/*.yaml``) and
everything the code prints (``src/crkit/data/messages.yaml``). Catalogues are read and
written with Babel's ``babel.messages`` (the library Sphinx itself uses).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
#: the editions besides English
LANGUAGES = ("es", "pt")
#: documents whose prose is translated: folder -> file pattern
SOURCES = {"notebooks": "*.ipynb", "book": "*.md"}

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})")
_LABEL_LINE = re.compile(r"^\([\w.:-]+\)=\s*$")
_NO_PROSE = re.compile(r"^[\W\d_]*$")
#: MyST directives whose body is not prose
_VERBATIM_DIRECTIVES = ("{include}", "{toctree}", "{code-cell}", "{raw}")


@dataclass(frozen=True)
class Segment:
    """One translatable paragraph of a document: its text and where it sits."""

    text: str
    where: str  # "cell <id>" for a notebook, "line <n>" for a page


def _fenced_blocks(markdown: str) -> Iterator[tuple[int, str]]:
    """(first line number, block) for each paragraph or whole fenced block of ``markdown``."""
    lines = markdown.split("\n")
    block: list[str] = []
    start = 0
    fence: str | None = None
    for number, line in enumerate(lines, 1):
        if fence is None:
            match = _FENCE.match(line)
            if match:
                if block:
                    yield start, "\n".join(block)
                block, start = [line], number
                fence = match.group(2)
                continue
            if not line.strip():
                if block:
                    yield start, "\n".join(block)
                block = []
                continue
            if not block:
                start = number
            block.append(line)
        else:
            block.append(line)
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                yield start, "\n".join(block)
                block, fence = [], None
    if block:
        yield start, "\n".join(block)


def is_prose(block: str) -> bool:
    """Whether a block says something a reader reads (not a label, a rule or an include)."""
    first = block.lstrip().split("\n", 1)[0]
    if _LABEL_LINE.match(block.strip()) or _NO_PROSE.match(block):
        return False
    return not (_FENCE.match(first) and any(d in first for d in _VERBATIM_DIRECTIVES))


def segments(markdown: str) -> list[tuple[int, str]]:
    """The translatable paragraphs of a Markdown text: (line number, paragraph)."""
    return [(n, b) for n, b in _fenced_blocks(markdown) if is_prose(b)]


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_generated_cell(cell: dict[str, Any]) -> bool:
    """Exercise and solution cells come from the exercise data files in every language."""
    text = _source(cell)
    return cell.get("cell_type") == "markdown" and ("{exercise}" in text or "{solution}" in text)


def documents(root: Path = ROOT) -> list[Path]:
    """Every English document whose prose is translated."""
    return [p for folder, pattern in SOURCES.items() for p in sorted((root / folder).glob(pattern))]


def document_segments(path: Path) -> list[Segment]:
    """The translatable paragraphs of one English notebook or page, in order."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown" or is_generated_cell(cell):
                continue
            out += [Segment(text, f"cell {cell.get('id')}") for _, text in segments(_source(cell))]
        return out
    text = path.read_text(encoding="utf-8")
    return [Segment(block, f"line {n}") for n, block in segments(text)]


def catalogue_path(path: Path, lang: str, root: Path = ROOT) -> Path:
    """Where a document's catalogue for ``lang`` lives."""
    relative = path.resolve().relative_to(root.resolve()).with_suffix(".po")
    return root / "locale" / lang / "LC_MESSAGES" / relative


def _template(path: Path, root: Path) -> Any:
    from datetime import datetime, timezone

    from babel.messages.catalog import Catalog

    catalog = Catalog(project="Customer Relationships Kit", locale=None, fuzzy=False,
                      creation_date=datetime(2026, 1, 1, tzinfo=timezone.utc))
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    for segment in document_segments(path):
        catalog.add(segment.text, locations=[(relative, 0)], auto_comments=[segment.where])
    return catalog


def _new_catalogue(lang: str) -> Any:
    """An empty catalogue with a stable header (no dates, so files change only with text)."""
    from datetime import datetime, timezone

    from babel.messages.catalog import Catalog

    fixed = datetime(2026, 1, 1, tzinfo=timezone.utc)
    catalog = Catalog(locale=lang, project="Customer Relationships Kit", version="1",
                      copyright_holder="Customer Relationships Kit contributors",
                      msgid_bugs_address="", creation_date=fixed, revision_date=fixed,
                      last_translator="", language_team="", fuzzy=False)
    catalog.header_comment = (f"# {lang} translation of the Customer Relationships Kit.\n"
                              "# Edit msgstr lines only; tools/translate.py keeps msgid in step.")
    return catalog


def read_catalogue(po: Path, lang: str) -> Any:
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        return read_po(handle, locale=lang)


def _write(catalog: Any, po: Path) -> None:
    import io

    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=False,
             include_previous=True)
    text = buffer.getvalue()
    po.parent.mkdir(parents=True, exist_ok=True)
    if not po.is_file() or po.read_bytes() != text:
        tmp = po.with_name(f".{po.name}.tmp")
        tmp.write_bytes(text)
        tmp.replace(po)


def update(root: Path = ROOT, langs: tuple[str, ...] = LANGUAGES) -> list[Path]:
    """Refresh every catalogue from the English source; return the catalogues written.

    New paragraphs get an empty translation; a changed paragraph keeps the old one marked
    fuzzy (with the old English as ``#| msgid``) so the translator sees what changed.
    """
    written = []
    for path in documents(root):
        template = _template(path, root)
        for lang in langs:
            po = catalogue_path(path, lang, root)
            catalog = read_catalogue(po, lang) if po.is_file() else _new_catalogue(lang)
            catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
            catalog.obsolete.clear()
            _write(catalog, po)
            written.append(po)
    return written


def problems(root: Path = ROOT, langs: tuple[str, ...] = LANGUAGES) -> list[str]:
    """Every paragraph of the English source whose translation is missing or out of date."""
    found = []
    for path in documents(root):
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        wanted = document_segments(path)
        for lang in langs:
            po = catalogue_path(path, lang, root)
            catalog = read_catalogue(po, lang) if po.is_file() else None
            for segment in wanted:
                message = catalog.get(segment.text) if catalog is not None else None
                first = " ".join(segment.text.split())[:70]
                if message is None or not message.string:
                    found.append(f"{relative} ({lang}, {segment.where}): not translated: "
                                 f"{first!r}")
                elif message.fuzzy:
                    found.append(f"{relative} ({lang}, {segment.where}): the English changed, "
                                 f"update the translation: {first!r}")
    return found


def translations(path: Path, lang: str, root: Path = ROOT) -> dict[str, str]:
    """English paragraph -> its translation, for one document (fuzzy ones left out)."""
    po = catalogue_path(path, lang, root)
    if not po.is_file():
        return {}
    catalog = read_catalogue(po, lang)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def translate_markdown(markdown: str, table: dict[str, str]) -> str:
    """``markdown`` with each translated paragraph replaced, layout kept."""
    out = markdown
    for _, block in sorted(segments(markdown), key=lambda s: -len(s[1])):
        if block in table:
            out = out.replace(block, table[block], 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/translate.py", description=__doc__
                                     .split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("update", "check"):
        p = sub.add_parser(name)
        p.add_argument("--lang", choices=LANGUAGES, action="append")
    args = parser.parse_args(argv)
    langs = tuple(args.lang or LANGUAGES)
    if args.command == "update":
        written = update(langs=langs)
        print(f"{len(written)} catalogues up to date in {LOCALE.relative_to(ROOT)}/")
        return 0
    found = problems(langs=langs)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} paragraph(s) to translate: edit the .po files under locale/, "
              "then run this check again", file=sys.stderr)
        return 1
    print("every paragraph is translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
