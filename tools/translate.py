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
    python tools/translate.py edition es      # write the Spanish edition's sources
                                              # (into _build/editions/es; or give a folder)
    python tools/translate.py lab es          # the Spanish notebooks for JupyterLab
                                              # (notebooks-es/, what `kit.py lab --lang es` opens)

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


# ---------------------------------------------------------------------------------------
# Editions: the sources of one language's course site, written from the English source


#: the line of a notebook's first code cell that sets its language
_LANG_LINE = re.compile(r'^LANG = "en"(?P<comment>[ \t]*#.*)?$', re.M)
#: the include lines of the glossary and references pages (their generated part)
_GENERATED_INCLUDE = re.compile(r"^(```\{include\}\s+)/_build/generated/(\S+)$", re.M)
#: where the editions' sources go in the repository's build folder
EDITIONS = Path("_build") / "editions"


def _message(key: str, lang: str, **values: Any) -> str:
    from crkit.core.i18n import t

    return t(key, lang, **values)


def _lang_line(lang: str) -> Any:
    from crkit.core.i18n import LANGUAGE_NAMES

    def replace(match: re.Match) -> str:
        line = f'LANG = "{lang}"'
        if match.group("comment"):
            others = [f'"{c}" ({LANGUAGE_NAMES[c]})' for c in LANGUAGE_NAMES if c != lang]
            line += "  # " + ", ".join(others)
        return line
    return replace


def edition_notebook(path: Path, lang: str, root: Path = ROOT) -> str:
    """One English notebook in ``lang``: prose from the catalogue (English where a paragraph
    has no translation yet), ``LANG = "<lang>"``, exercises from the exercise data files."""
    import exercise_cells

    nb = json.loads(path.read_text(encoding="utf-8"))
    table = translations(path, lang, root)
    generated, _ = exercise_cells.expected_cells(nb, path.stem, root / "src" / "crkit" / "data",
                                                 lang)
    for index, cell in enumerate(nb.get("cells", [])):
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            new = generated.get(index) if is_generated_cell(cell) else None
            new = new if new is not None else translate_markdown(text, table)
        elif cell.get("cell_type") == "code":
            new = _LANG_LINE.sub(_lang_line(lang), text)
        else:
            continue
        if new != text:
            lines = new.splitlines(keepends=True)
            cell["source"] = lines if isinstance(cell.get("source"), list) else new
    nb.setdefault("metadata", {})["language"] = lang
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def edition_page(path: Path, lang: str, out: Path, root: Path = ROOT) -> str:
    """One English book page in ``lang``; its generated part comes from
    ``_build/generated/<lang>/`` (written by ``course_site.write_generated``)."""
    import os

    text = translate_markdown(path.read_text(encoding="utf-8"), translations(path, lang, root))
    generated = root / "_build" / "generated" / lang
    relative = Path(os.path.relpath(generated, out / path.parent.name)).as_posix()
    return _GENERATED_INCLUDE.sub(lambda m: f"{m.group(1)}{relative}/{m.group(2)}", text)


def edition_config(lang: str, root: Path = ROOT) -> str:
    """The edition's ``_config.yml``: the English one in ``lang`` (title, footer, Sphinx's
    ``language``, so ``<html lang>``, the theme's words and the search follow), with its own
    execution cache and absolute paths back into the repository."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["title"] = _message("site.title", lang)
    html = config.setdefault("html", {})
    html["extra_footer"] = f"<p>{_message('site.footer', lang)}</p>\n"
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {
        name: str((root / folder).resolve())
        for name, folder in (sphinx.get("local_extensions") or {}).items()}
    settings = sphinx.setdefault("config", {})
    settings["language"] = lang
    settings["crkit_root"] = str(root.resolve())
    execute = config.setdefault("execute", {})
    execute["cache"] = str((root / edition_cache(lang)).resolve())
    header = ("# Written by tools/translate.py from the English _config.yml: edit that one.\n")
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def edition_cache(lang: str) -> Path:
    """Each edition's own execution cache (relative to the repository)."""
    return Path("_build") / (".jupyter_cache" if lang == "en" else f".jupyter_cache-{lang}")


def edition_toc(lang: str, root: Path = ROOT) -> str:
    """The edition's ``_toc.yml``: the English one with its captions in ``lang``."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    captions = {_message(f"site.toc.{key}", "en"): _message(f"site.toc.{key}", lang)
                for key in ("notebooks", "cases", "reference")}
    for part in toc.get("parts", []):
        part["caption"] = captions.get(part.get("caption"), part.get("caption"))
    header = "# Written by tools/translate.py from the English _toc.yml: edit that one.\n"
    return header + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True)


def _write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write ``path`` only when its content changes, so Sphinx sees no change otherwise."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(raw)
    tmp.replace(path)
    return True


def edition_files(lang: str, out: Path, root: Path = ROOT) -> dict[Path, str | bytes]:
    """Every file of one edition's sources: relative path -> content."""
    from case_pages import render

    from crkit.core.cases import list_cases

    files: dict[Path, str | bytes] = {
        Path("_config.yml"): edition_config(lang, root),
        Path("_toc.yml"): edition_toc(lang, root),
    }
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        files[Path("notebooks") / path.name] = edition_notebook(path, lang, root)
    for case in list_cases(root / "casestudies"):
        files[Path("casestudies") / f"{case.id}.ipynb"] = render(case, lang)
    for path in sorted((root / "book").glob("*.md")):
        files[Path("book") / path.name] = edition_page(path, lang, out, root)
    for path in sorted((root / "book").rglob("*")):
        if path.is_file() and path.suffix != ".md":
            files[path.relative_to(root)] = path.read_bytes()
    return files


def write_edition(lang: str, out: Path | None = None, root: Path = ROOT) -> list[Path]:
    """Write one edition's sources into ``out`` (default ``_build/editions/<lang>``).

    Only files whose content changes are written, and files the English source no longer
    has are removed; returns the files written or removed.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown edition {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    out = Path(out) if out is not None else root / EDITIONS / lang
    files = edition_files(lang, out, root)
    changed = [out / rel for rel, data in files.items() if _write_if_changed(out / rel, data)]
    for folder in ("notebooks", "casestudies", "book"):
        for path in sorted((out / folder).rglob("*")) if (out / folder).is_dir() else []:
            if path.is_file() and path.relative_to(out) not in files:
                path.unlink()
                changed.append(path)
    return changed


#: where ``python3 kit.py lab --lang es`` puts the Spanish notebooks (ignored by git)
LAB_FOLDER = "notebooks-{lang}"
_LAB_STAMP = ".crkit-written.json"


def write_lab_notebooks(lang: str, out: Path | None = None, root: Path = ROOT) -> list[Path]:
    """Write one edition's notebooks for a learner to open in JupyterLab.

    ``out`` defaults to ``notebooks-<lang>/`` beside ``notebooks/`` (same depth, so links
    such as ``../casestudies/...`` work). A notebook the learner has changed since it was
    written is kept; a missing or untouched one gets the current version. Returns the
    notebooks written.
    """
    import hashlib

    out = Path(out) if out is not None else root / LAB_FOLDER.format(lang=lang)
    stamp_file = out / _LAB_STAMP
    stamps = json.loads(stamp_file.read_text(encoding="utf-8")) if stamp_file.is_file() else {}
    written = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        target = out / path.name
        text = edition_notebook(path, lang, root)
        if target.is_file():
            current = hashlib.sha256(target.read_bytes()).hexdigest()
            if current != stamps.get(path.name):
                continue  # the learner's own version
        if _write_if_changed(target, text):
            written.append(target)
        stamps[path.name] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _write_if_changed(stamp_file, json.dumps(stamps, indent=1, sort_keys=True) + "\n")
    return written


def untranslated_paragraphs(path: Path, lang: str, root: Path = ROOT) -> list[str]:
    """Paragraphs of an edition notebook still in English: equal to a paragraph of the
    English notebook and with words in it (a formula or a code-only line is no English)."""
    english = {seg.text for seg in document_segments(root / "notebooks" / path.name)}
    found = []
    for segment in document_segments(path):
        if segment.text in english and re.search(r"[^\W\d_]{2,}", _strip_code(segment.text)):
            found.append(f"{path.name} ({segment.where}): {' '.join(segment.text.split())[:70]!r}")
    return found


def _strip_code(text: str) -> str:
    """Text without inline code, math, link targets, labels and MyST option lines."""
    text = re.sub(r"`[^`]*`|\$\$?[^$]*\$\$?|\]\([^)]*\)|^\([\w.:-]+\)=$", " ", text, flags=re.M)
    return re.sub(r"^\s*(:[\w-]+:.*|[`:~]{3,}.*)$", " ", text, flags=re.M)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/translate.py", description=__doc__
                                     .split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("update", "check"):
        p = sub.add_parser(name)
        p.add_argument("--lang", choices=LANGUAGES, action="append")
    p = sub.add_parser("edition", help="write one edition's sources (notebooks, case pages, "
                       "book pages, _config.yml, _toc.yml)")
    p.add_argument("lang", choices=LANGUAGES)
    p.add_argument("out", nargs="?", type=Path,
                   help=f"folder to write (default: {EDITIONS.as_posix()}/LANG)")
    p = sub.add_parser("lab", help="write one edition's notebooks for JupyterLab "
                       "(a notebook the learner changed is kept)")
    p.add_argument("lang", choices=LANGUAGES)
    p.add_argument("out", nargs="?", type=Path,
                   help=f"folder to write (default: {LAB_FOLDER.format(lang='LANG')})")
    args = parser.parse_args(argv)
    if args.command in ("edition", "lab"):
        out = (args.out or ROOT / (EDITIONS / args.lang if args.command == "edition"
                                   else LAB_FOLDER.format(lang=args.lang))).resolve()
        inside = [out, *out.parents]
        if ROOT.resolve() == out or any(ROOT.resolve() / name in inside
                                        for name in (*SOURCES, "casestudies", "locale", "src")):
            print(f"error: {out} is part of the English source; choose another folder",
                  file=sys.stderr)
            return 2
        if args.command == "lab":
            written = write_lab_notebooks(args.lang, out)
            print(f"{len(written)} notebook(s) written in {out} (notebooks you changed are "
                  "kept; delete one to get its current version)")
            return 0
        changed = write_edition(args.lang, out)
        missing = sum(1 for line in problems(langs=(args.lang,)))
        print(f"{len(changed)} file(s) written in {out}")
        if missing:
            print(f"{missing} paragraph(s) have no {args.lang} translation yet and are shown in "
                  f"English: python tools/translate.py check --lang {args.lang}", file=sys.stderr)
        return 0
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
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
