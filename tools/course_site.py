"""Build and check the kit's course site (jupyter-book 1.x).

``python tools/course_site.py build`` does the whole job, for the three editions (English
at ``_build/html/``, Spanish at ``_build/html/es/``, Portuguese at ``_build/html/pt/``):

1. writes the Spanish and Portuguese editions' sources into ``_build/editions/<lang>/``
   (``tools/translate.py``: translated notebooks, case pages and book pages, and their own
   ``_config.yml`` and ``_toc.yml``), rewriting only files whose content changed;
2. installs the browser assets the site serves itself (MathJax, RequireJS and the Jupyter
   widget renderer, pinned in ``site/package-lock.json``) with ``npm ci``, once;
3. regenerates the glossary and the references of each edition from the package's data
   (``_build/generated/`` and ``_build/generated/<lang>/``), so they never drift from what the
   kit knows;
4. runs ``jupyter-book build <edition> -W -n --keep-going`` for each edition (strict: any
   warning fails), each with its own execution cache (``_build/.jupyter_cache``,
   ``_build/.jupyter_cache-es``...), its notebooks executed in its language;
5. copies the assets into each edition's ``_static/npm`` so no page loads anything from
   another host;
6. checks every internal link, image, script and stylesheet of the built pages (the language
   switch links the editions, so one crawl covers all three).

Every page gets a language switch ("English · Español · Português") in its header and
``<link rel="alternate" hreflang>`` links to the same page in the other editions.

This module is also a small Sphinx extension (``_config.yml`` loads it through
``sphinx.local_extensions``), so a plain ``jupyter-book build .`` regenerates the same
pages and installs the same assets.

Only the standard library is imported at module level; PyYAML and the kit's data load
inside functions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from crkit.core import knowledge
from crkit.core._resources import data_file
from crkit.core.cases import list_cases
from crkit.core.errors import CrkitError
from crkit.core.i18n import LANGUAGE_NAMES, LANGUAGES, localized
from crkit.core.i18n import t as _t

#: knowledge kinds shown in the glossary, in order (titles: site.glossary.<kind>)
GLOSSARY_KINDS = ("types", "motivations", "bonds", "stages", "metrics")
#: the canvas-file field that takes each glossary kind's ids
ID_FIELDS = {"types": "type", "motivations": "motivations", "bonds": "bond",
             "stages": "stages", "metrics": "metrics"}
#: kinds listed by count only on the references page (their entries have no short name)
CITING_KINDS_COUNTED = ("questions",)
#: fields that hold an entry's short definition, in order of preference
DEFINITION_FIELDS = ("summary", "description", "goal", "definition")

#: where the generated Markdown fragments go (inside the build folder, never committed)
GENERATED = Path("_build") / "generated"
#: npm project that pins the browser assets
ASSETS_PROJECT = Path("site")
#: where the assets go inside the built site (the theme has its own _static/vendor)
VENDOR = Path("_static") / "npm"

#: files copied from site/node_modules into _static/npm: (source, destination)
ASSET_COPIES = (
    ("mathjax/es5", "mathjax"),
    ("mathjax/LICENSE", "mathjax/LICENSE"),
    ("requirejs/require.js", "requirejs/require.js"),
    ("@jupyter-widgets/html-manager/dist", "html-manager"),
)
#: the one MathJax bundle the site loads (Sphinx's mathjax_path); the other combined
#: bundles at the top of es5/ (about 13 MB) are never used. Extensions, fonts, the
#: accessibility tools and the speech rules it may load later are all kept.
MATHJAX_BUNDLE = "tex-mml-chtml.js"


def _ignore(directory: str, names: list[str]) -> set[str]:
    """What not to copy: source maps, unused widget bundles, unused MathJax bundles."""
    skipped = {n for n in names if n.endswith(".map")}
    folder = Path(directory)
    if folder.name == "dist" and folder.parent.name == "html-manager":
        skipped |= {"embed.js", "embed.js.LICENSE.txt", "libembed-amd.js", "README.md"}
    if folder.name == "es5" and folder.parent.name == "mathjax":
        skipped |= {
            n for n in names
            if re.fullmatch(r"(tex|mml)-.*\.js|node-main\.js|latest\.js", n)
            and n != MATHJAX_BUNDLE
        }
    return skipped


#: Loaded before RequireJS and the widget renderer on pages with widgets (see the file).
WIDGETS_SETUP = ASSETS_PROJECT / "widgets-setup.js"
#: Loaded on every page: accessible names the theme and the widget renderer leave out.
A11Y_SCRIPT = ASSETS_PROJECT / "a11y.js"


class SiteError(RuntimeError):
    """The site could not be built, or the built site has problems."""


# ---------------------------------------------------------------------------------------
# Paths


def repo_root(start: str | Path | None = None) -> Path:
    """The folder that holds ``_config.yml`` and ``_toc.yml``.

    Searched upwards from ``start`` (default: the current folder), then from this file
    (a source checkout: ``src/crkit/site.py``).
    """
    candidates = [Path(start or Path.cwd()).resolve()]
    candidates.append(Path(__file__).resolve().parent)
    for base in candidates:
        for folder in (base, *base.parents):
            if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file():
                return folder
    raise SiteError(
        "cannot find the course site: no folder with _config.yml and _toc.yml above "
        f"{candidates[0]}; run this from the kit's repository"
    )


def html_dir(root: Path | None = None) -> Path:
    """Where jupyter-book writes the site."""
    return (root or repo_root()) / "_build" / "html"


# ---------------------------------------------------------------------------------------
# Browser assets (npm)


def _lock_digest(project: Path) -> str:
    lock = project / "package-lock.json"
    if not lock.is_file():
        raise SiteError(f"{lock} is missing: the site's asset versions are pinned there")
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def ensure_assets(root: Path | None = None, *, quiet: bool = False) -> Path:
    """Run ``npm ci`` in ``site/`` unless its node_modules already match the lock file.

    Returns the ``node_modules`` folder.
    """
    root = root or repo_root()
    project = root / ASSETS_PROJECT
    modules = project / "node_modules"
    stamp = modules / ".crkit-lock-sha256"
    digest = _lock_digest(project)
    missing = [src for src, _ in ASSET_COPIES if not (modules / src).exists()]
    if not missing and stamp.is_file() and stamp.read_text().strip() == digest:
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise SiteError(
            "npm is needed once to fetch the site's browser assets (MathJax, RequireJS, "
            "the widget renderer): install Node.js and npm (Debian: apt-get install npm)"
        )
    command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
    if not quiet:
        print(f"[course_site] installing browser assets: {' '.join(command[1:])} (in {project})")
    result = subprocess.run(
        command, cwd=project, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SiteError(
            f"npm ci failed in {project} (exit {result.returncode}):\n"
            + (result.stderr or result.stdout)[-3000:]
        )
    missing = [src for src, _ in ASSET_COPIES if not (modules / src).exists()]
    if missing:
        raise SiteError(f"npm ci did not install: {', '.join(missing)}")
    stamp.write_text(digest + "\n")
    return modules


def _asset_versions(modules: Path) -> dict[str, str]:
    versions = {}
    for name in ("mathjax", "requirejs", "@jupyter-widgets/html-manager"):
        package = modules / name / "package.json"
        if package.is_file():
            meta = json.loads(package.read_text(encoding="utf-8"))
            versions[name] = f"{meta['version']} ({meta.get('license', 'see package')} licence)"
    return versions


def install_assets(out_dir: Path, root: Path | None = None) -> Path:
    """Copy the npm assets into ``<out_dir>/_static/npm``; return that folder.

    Idempotent and cheap: a copy whose versions already match is left alone.
    """
    root = root or repo_root()
    modules = ensure_assets(root, quiet=True)
    vendor = Path(out_dir) / VENDOR
    versions = _asset_versions(modules)
    stamp = vendor / "versions.json"
    wanted = json.dumps(versions, indent=2, sort_keys=True) + "\n"
    complete = all((vendor / dst).exists() for _, dst in ASSET_COPIES)
    if not (complete and stamp.is_file() and stamp.read_text() == wanted):
        for src, dst in ASSET_COPIES:
            source, target = modules / src, vendor / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True, ignore=_ignore)
            else:
                shutil.copy2(source, target)
        stamp.write_text(wanted)
    for script in (WIDGETS_SETUP, A11Y_SCRIPT):
        text = (root / script).read_text(encoding="utf-8")
        target = vendor / script.name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return vendor


# ---------------------------------------------------------------------------------------
# Generated pages: glossary and references


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _flat(value: Any, lang: str) -> str:
    return " ".join(str(localized(value, lang) or "").split())


def _definition(entry: dict[str, Any], lang: str) -> list[str]:
    """One definition-list item (MyST ``deflist``) for a knowledge entry."""
    name = _flat(entry.get("name"), lang) or entry["id"]
    definition = next((entry[f] for f in DEFINITION_FIELDS if entry.get(f)), None)
    parts = []
    if definition:
        parts.append(_flat(definition, lang))
    if entry.get("formula"):
        parts.append(_t("site.glossary.formula", lang, formula=_flat(entry["formula"], lang)))
    if entry.get("direction") in ("higher", "lower"):
        parts.append(_t(f"site.glossary.{entry['direction']}", lang))
    return [name, ": " + (" ".join(parts) or "—"), ""]


def glossary_markdown(problems: list[str] | None = None, lang: str = "en") -> str:
    """The glossary's generated part: names in en/es/pt and short definitions.

    ``problems`` collects what is missing (a translation, a definition).
    """
    problems = problems if problems is not None else []
    out = []
    others = [other for other in LANGUAGES if other != lang]
    for kind in GLOSSARY_KINDS:
        entries = knowledge.entries(kind)
        out += [
            f"(glossary-{kind})=",
            f"## {_t(f'site.glossary.{kind}', lang)}",
            "",
            " · ".join(f"*{_t(f'site.glossary.{kind}', other)}*" for other in others),
            "",
            "| " + " | ".join([_t("site.glossary.id-column", lang, field=ID_FIELDS[kind]),
                              *(LANGUAGE_NAMES[x] for x in LANGUAGES)]) + " |",
            "|" + " --- |" * (1 + len(LANGUAGES)),
        ]
        for entry in entries:
            names = entry.get("name") or {}
            for code in LANGUAGES:
                if not (isinstance(names, dict) and names.get(code)):
                    problems.append(f"glossary: {kind} {entry.get('id')!r} has no {code} name")
            row = [f"`{entry['id']}`", *(_cell(localized(names, x)) for x in LANGUAGES)]
            out.append("| " + " | ".join(row) + " |")
        for entry in entries:
            if not any(entry.get(f) for f in (*DEFINITION_FIELDS, "formula")):
                problems.append(f"glossary: {kind} {entry['id']!r} has no definition")
        out += ["", "::::{tab-set}"]
        for code in [lang, *others]:
            out += [f":::{{tab-item}} {LANGUAGE_NAMES[code]}", f":sync: {code}", ""]
            for entry in entries:
                out += _definition(entry, code)
            out += [":::", ""]
        out += ["::::", ""]
    return "\n".join(out)


def references_markdown(root: Path | None = None, problems: list[str] | None = None,
                        lang: str = "en") -> str:
    """The references page's generated part.

    Lists the sources of the knowledge files (with what each one is cited for), the sources
    the scoring rubric names, and every source and year behind a case study fact. Cases are
    read through the case library, so a broken case file is reported, not skipped.
    """
    root = root or repo_root()
    problems = problems if problems is not None else []
    out: list[str] = []

    # --- knowledge sources -------------------------------------------------------------
    sources = knowledge.entries("sources")
    cited_by: dict[str, dict[str, list[str]]] = {s["id"]: {} for s in sources}
    for kind in knowledge.FILES:
        if kind == "sources":
            continue
        for entry in knowledge.entries(kind):
            for source_id in entry.get("sources") or []:
                label = _flat(entry.get("name"), lang) or entry.get("id", "?")
                if source_id in cited_by:
                    cited_by[source_id].setdefault(kind, []).append(label)
                else:
                    problems.append(
                        f"references: {kind} {entry.get('id')!r} cites {source_id!r}, "
                        "which sources.yaml does not list")
    out += ["(references-knowledge)=", f"## {_t('site.refs.knowledge-title', lang)}", "",
            _t("site.refs.knowledge-intro", lang), ""]
    for source in sources:
        citation = _flat(source.get("citation") or source.get("title"), lang)
        kind = _t(f"site.refs.kind.{source.get('kind') or 'web'}", lang)
        year = source.get("year")
        meta = f"{kind}, {year}" if year else _t("site.refs.undated-kind", lang, kind=kind)
        line = f"- {citation} ({meta})"
        uses = []
        for cited_kind, names in cited_by.get(source["id"], {}).items():
            what = _t(f"site.refs.cited-kind.{cited_kind}", lang)
            if cited_kind in CITING_KINDS_COUNTED:
                uses.append(f"{what} ({len(names)})")
            else:
                uses.append(f"{what}: {', '.join(sorted(set(names)))}")
        if uses:
            line += "  \n  " + _t("site.refs.cited-for", lang, uses="; ".join(uses))
        out.append(line)
    out.append("")

    # --- rubric ---------------------------------------------------------------------------
    rubric = data_file("rubric.yaml")
    out += ["(references-rubric)=", f"## {_t('site.refs.rubric-title', lang)}", "",
            "| " + " | ".join(_t(f"site.refs.rubric-{c}", lang)
                             for c in ("criterion", "weight", "source")) + " |",
            "| --- | --- | --- |"]
    for criterion in rubric.get("criteria") or []:
        out.append(f"| {_cell(_flat(criterion.get('name'), lang) or criterion.get('id'))} "
                   f"| {criterion.get('weight', '')} "
                   f"| {_cell(_flat(criterion.get('source'), lang))} |")
    out += ["", _t("site.refs.rubric-kit-choice", lang), ""]

    # --- case study facts ---------------------------------------------------------------
    rows: dict[tuple[str, Any], dict[str, Any]] = {}
    try:
        cases = list_cases(root / "casestudies")
    except CrkitError as exc:
        problems.append(f"references: {exc.message(lang)}")
        cases = []
    for case in cases:
        page = root / "casestudies" / f"{case.id}.ipynb"
        shown = f"[{case.company}](../casestudies/{page.name})" if page.is_file() \
            else case.company
        for fact in case.facts:
            source = " ".join(str(fact.source or "").split())
            row = rows.setdefault((source, fact.year),
                                  {"cases": {}, "facts": 0, "statuses": set()})
            row["cases"][case.id] = shown
            row["facts"] += 1
            row["statuses"].add(fact.status or "confirmed")
    out += ["(references-cases)=", f"## {_t('site.refs.cases-title', lang)}", "",
            _t("site.refs.cases-intro", lang), "",
            "| " + " | ".join(_t(f"site.refs.cases-{c}", lang)
                             for c in ("source", "year", "cases", "facts", "status")) + " |",
            "| --- | --- | --- | --- | --- |"]

    def order(key: tuple[str, Any]) -> tuple[str, int]:
        year = key[1]
        return (key[0].lower(), year if isinstance(year, int) else 0)

    for key in sorted(rows, key=order):
        row = rows[key]
        statuses = row["statuses"]
        status = "confirmed" if statuses == {"confirmed"} else \
            "reported" if statuses == {"reported"} else "mixed"
        cases_cell = ", ".join(row["cases"][c] for c in sorted(row["cases"]))
        out.append(f"| {_cell(key[0])} | {key[1] or _t('site.refs.undated', lang)} "
                   f"| {_cell(cases_cell)} | {row['facts']} "
                   f"| {_t(f'site.refs.status-{status}', lang)} |")
    out.append("")
    return "\n".join(out)


def _write_if_changed(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def generated_dir(root: Path, lang: str = "en") -> Path:
    """Where an edition's generated fragments go: ``_build/generated/`` for English,
    ``_build/generated/<lang>/`` for the others (their pages include these)."""
    return root / GENERATED if lang == "en" else root / GENERATED / lang


def write_generated(root: Path | None = None, lang: str = "en") -> list[str]:
    """Write ``{glossary,references}.md`` of one edition; return the problems found.

    Files are rewritten only when their content changes, so an unchanged glossary does not
    make Sphinx re-read its page.
    """
    root = root or repo_root()
    problems: list[str] = []
    folder = generated_dir(root, lang)
    _write_if_changed(folder / "glossary.md", glossary_markdown(problems, lang=lang))
    _write_if_changed(folder / "references.md", references_markdown(root, problems, lang=lang))
    return problems


# ---------------------------------------------------------------------------------------
# Checks on the built site


class _PageParser(HTMLParser):
    """Collects ids, references (tag, attribute, url) and images of one page."""

    REFS = {
        "a": ("href",),
        "link": ("href",),
        "img": ("src",),
        "script": ("src",),
        "iframe": ("src",),
        "source": ("src",),
        "video": ("src", "poster"),
        "audio": ("src",),
        "embed": ("src",),
        "object": ("data",),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name"):
            if values.get(key) and (key == "id" or tag == "a"):
                self.ids.add(str(values[key]))
        for attr in self.REFS.get(tag, ()):
            if values.get(attr):
                self.refs.append((tag, attr, str(values[attr]).strip()))
        if tag == "img":
            self.images.append(values)

    handle_startendtag = handle_starttag


def _pages(site: Path) -> Iterator[Path]:
    """Every page of a built site, the editions under ``es/`` and ``pt/`` included."""
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).parts
        if any(part in ("_sources", "_static", "_images") for part in relative[:-1]):
            continue
        yield path


_CACHE: dict[Path, tuple[float, _PageParser]] = {}


def _parse(path: Path) -> _PageParser:
    mtime = path.stat().st_mtime
    cached = _CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    _CACHE[path] = (mtime, parser)
    return parser


#: the repository address the kit ships with: launch and repository buttons stay hidden
#: until an instructor replaces it with their own copy's address
PLACEHOLDER_REPOSITORY = "github.com/your-org/"

def button_options(options: dict[str, Any]) -> dict[str, Any]:
    """The theme's button settings for this repository address.

    Until an instructor sets ``repository.url`` in ``_config.yml`` to their own copy, the
    repository, issues and launch buttons would lead learners to a placeholder: they are
    switched off (the download button stays).
    """
    if PLACEHOLDER_REPOSITORY not in str(options.get("repository_url", "")):
        return options
    return {**options, "use_repository_button": False, "use_issues_button": False,
            "use_edit_page_button": False, "use_download_button": True,
            "launch_buttons": {"notebook_interface": "jupyterlab"}}


#: LinkChecker's settings for the built site: files only, anchors checked, no network
LINKCHECKER_CONFIG = """\
[filtering]
checkextern=0
[AnchorCheck]
[output]
status=0
warnings=1
"""


def check_links(html_dir: str | Path) -> list[str]:
    """Broken internal links, anchors, images, scripts and stylesheets of a built site.

    LinkChecker crawls the built files from ``index.html`` (pages, images, scripts and the
    ``url()`` of stylesheets), checks every ``#anchor`` and follows no external link.
    Resources loaded from other hosts are the browser test's job: it blocks every request
    that does not go to the local server.
    """
    import csv
    import tempfile

    site = Path(html_dir).resolve()
    if not (site / "index.html").is_file():
        return [f"{site}: no index.html (has the site been built?)"]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "linkcheckerrc"
        config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
        # LinkChecker run as root switches to 'nobody', who may not read the build folder
        # (CI runs as root): the site is only read, so keep the caller's user.
        command = ("import sys, linkcheck.command.linkchecker as lc; "
                   "lc.drop_privileges = lambda: None; sys.exit(lc.linkchecker())")
        result = subprocess.run(
            [sys.executable, "-c", command, "-f", str(config), "--no-status",
             "-o", "csv", (site / "index.html").as_uri()],
            capture_output=True, text=True, cwd=tmp, check=False)
    lines = [ln for ln in result.stdout.splitlines() if ln and not ln.startswith("#")]
    if not lines or not lines[0].startswith("urlname;"):
        return [f"linkchecker did not run: {(result.stderr or result.stdout)[-500:]}"]
    problems = []
    for row in csv.DictReader(lines, delimiter=";"):
        parent = urlsplit(row["parentname"]).path
        shown = Path(unquote(parent)).relative_to(site).as_posix() if parent else "?"
        if row["valid"] == "False":
            problems.append(f"{shown}: broken {row['urlname']!r} ({row['result']})")
        elif "Anchor" in (row["warningstring"] or ""):
            problems.append(f"{shown}: link {row['urlname']!r}: {row['warningstring']}")
    return problems


def images_without_alt(html_dir: str | Path) -> list[str]:
    """Images with no alt text, or whose alt text is only a file name (Sphinx's default)."""
    site = Path(html_dir).resolve()
    problems = []
    for page in _pages(site):
        shown = page.relative_to(site).as_posix()
        for image in _parse(page).images:
            alt = (image.get("alt") or "").strip()
            src = image.get("src") or ""
            if not alt:
                problems.append(f"{shown}: <img src={src[:80]!r}> has no alt text")
            elif alt == src or re.fullmatch(r"\S+\.(png|jpe?g|gif|svg|webp)", alt, re.I):
                problems.append(
                    f"{shown}: <img src={src[:80]!r}> has a file name as its alt text ({alt!r})"
                )
    return problems


def check_site(html_dir: str | Path) -> list[str]:
    """Every problem of a built site: broken links and anchors, images without alt text."""
    return [*check_links(html_dir), *images_without_alt(html_dir)]


def expected_pages(root: Path | None = None) -> list[str]:
    """Page paths (``notebooks/01-welcome.html``) that the notebooks and case pages give."""
    root = root or repo_root()
    found = []
    for folder in ("notebooks", "casestudies"):
        for path in sorted((root / folder).glob("*.ipynb")):
            found.append(f"{folder}/{path.stem}.html")
    return found


# ---------------------------------------------------------------------------------------
# Student version: no solutions anywhere


def strip_solutions_from_notebook(path: Path) -> bool:
    """Remove solutions from a downloadable notebook (``_sources/...ipynb``).

    Uses the same rules as the student version of the notebooks (:mod:`student_edition`):
    cells tagged ``solution``, gated solutions and ``{solution}`` blocks go.
    """
    from student_edition import Result, student_notebook

    nb = json.loads(path.read_text(encoding="utf-8"))
    result = Result()
    stripped = student_notebook(nb, result)
    changed = bool(result.cells_removed or result.blocks_removed)
    if changed:
        path.write_text(json.dumps(stripped, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return changed


def _student_config(root: Path, target: Path, lang: str = "en") -> Path:
    """A copy of an edition's _config.yml that hides solutions, with absolute paths.

    ``root`` is the folder holding the edition's ``_config.yml`` (the repository for English,
    ``_build/editions/<lang>`` for the others).
    """
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    sphinx.setdefault("config", {})["hide_solutions"] = True
    sphinx["local_extensions"] = {
        name: str((root / path).resolve())
        for name, path in (sphinx.get("local_extensions") or {}).items()
    }
    execute = config.setdefault("execute", {})
    execute["cache"] = str((root / execute.get("cache", "_build/.jupyter_cache")).resolve())
    config["title"] = _t("site.student-edition", lang,
                         title=config.get("title", _t("site.title", lang)))
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_if_changed(target, yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


# ---------------------------------------------------------------------------------------
# Build


def _build_env(root: Path) -> dict[str, str]:
    """Environment for the build: the notebooks' kernels import crkit from this checkout."""
    env = dict(os.environ)
    src = str(root / "src")
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if (root / "src" / "crkit").is_dir() and src not in parts:
        env["PYTHONPATH"] = os.pathsep.join([src, *parts])
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


#: the site's editions, English first (English at the root, the others in <lang>/)
EDITIONS = LANGUAGES


def edition_prefix(lang: str) -> str:
    """Where an edition sits inside the built site: "" for English, "es/" for Spanish."""
    return "" if lang == "en" else f"{lang}/"


class Edition:
    """Where one edition's sources, build state and HTML live."""

    def __init__(self, root: Path, lang: str, student: bool) -> None:
        import translate

        self.root, self.lang, self.student = root, lang, student
        build_dir = root / "_build"
        top = build_dir / "student" / "_build" / "html" if student else build_dir / "html"
        self.site = top  # the whole site (all editions)
        self.out_dir = top / edition_prefix(lang).rstrip("/") if lang != "en" else top
        if lang == "en":
            self.source = root
            self.state = build_dir / "student" / "_build" if student else build_dir
        else:
            self.source = root / translate.EDITIONS / lang
            base = build_dir / "student" / "editions" / lang if student else self.source
            self.state = base / "_build"
        self.cache = root / translate.edition_cache(lang)

    def command(self) -> list[str]:
        command = [
            sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
            "build", str(self.source), "--builder", "html",
            "--warningiserror", "--nitpick", "--keep-going",
        ]
        if self.student:
            command += [
                "--config", str(_student_config(self.source, self.state.parent / "_config.yml",
                                                self.lang)),
                "--path-output", str(self.state.parent),
            ]
        return command

    def link_output(self) -> None:
        """Sphinx writes ``<state>/html``; for es/pt that is a link into ``<site>/<lang>``."""
        if self.lang == "en":
            return
        self.out_dir.mkdir(parents=True, exist_ok=True)
        link = self.state / "html"
        target = Path(os.path.relpath(self.out_dir, link.parent))
        if link.is_symlink() and Path(os.readlink(link)) == target:
            return
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.is_dir():
            shutil.rmtree(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target, target_is_directory=True)

    def clean(self) -> None:
        for name in ("html", ".doctrees", "jupyter_execute"):
            path = self.state / name
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)
        shutil.rmtree(self.out_dir, ignore_errors=True)


def _run_edition(edition: Edition, root: Path, quiet: bool,
                 env: dict[str, str] | None = None) -> None:
    """One strict jupyter-book build of one edition."""
    command = edition.command()
    # Sphinx only rewrites pages whose source changed, so a notebook added or removed
    # would leave stale navigation in the others: rebuild every page when the set changes.
    pages_stamp = edition.state / ".crkit-pages.json"
    pages = expected_pages(root)
    if pages_stamp.exists() and json.loads(pages_stamp.read_text()) != pages:
        command.append("--all")
    shutil.rmtree(edition.out_dir / "reports", ignore_errors=True)  # last build's tracebacks
    env = env if env is not None else _build_env(root)
    forget_doctrees_if_lite_switched(edition.out_dir, lite_enabled(env))
    result = subprocess.run(
        command, cwd=edition.source, env=env, check=False,
        capture_output=quiet, text=True,
    )
    if result.returncode != 0:
        detail = "the warnings above say why"
        if quiet:
            log = re.sub(r"\x1b\[[0-9;]*m", "", (result.stdout or "") + (result.stderr or ""))
            lines = [ln for ln in log.splitlines() if re.search(r"WARNING|ERROR|Error", ln)]
            detail = "\n  ".join(["warnings:", *lines[-60:]]) if lines else log[-4000:]
        raise SiteError(
            f"jupyter-book build of the {LANGUAGE_NAMES[edition.lang]} edition failed "
            f"(exit {result.returncode}); {detail}\n"
            f"Notebook tracebacks are in {(edition.out_dir / 'reports').relative_to(root)}/."
        )
    _remove_stale_pages(edition.out_dir, edition.source)
    pages_stamp.parent.mkdir(parents=True, exist_ok=True)
    pages_stamp.write_text(json.dumps(pages))
    if edition.student:
        for notebook in (edition.out_dir / "_sources").rglob("*.ipynb"):
            strip_solutions_from_notebook(notebook)


def write_editions(root: Path, langs: Iterable[str] = EDITIONS) -> list[Path]:
    """Write the sources of the es/pt editions (only files whose content changed)."""
    import translate

    changed = []
    for lang in langs:
        if lang != "en":
            changed += translate.write_edition(lang, root=root)
    return changed


def build(
    clean: bool = False,
    *,
    clean_cache: bool = False,
    student: bool = False,
    check: bool = True,
    quiet: bool = False,
    root: str | Path | None = None,
    langs: Iterable[str] = EDITIONS,
    lite: bool | None = None,
) -> Path:
    """Build the course site in its editions strictly; return the English ``index.html``.

    English is built from the repository into ``_build/html``; Spanish and Portuguese from
    their generated sources (``_build/editions/<lang>``, see ``tools/translate.py``) into
    ``_build/html/es`` and ``_build/html/pt``, each with its own execution cache.

    Parameters
    ----------
    clean : bool
        Remove the previous HTML build first (the execution caches are kept).
    clean_cache : bool
        Also remove the notebook execution caches, so every notebook runs again.
    student : bool
        Build the student edition (no solutions, not even in downloadable notebooks)
        into ``_build/student/_build/html`` (and its ``es/``, ``pt/``).
    check : bool
        Check links, images and external loads afterwards (raise :class:`SiteError`).
    quiet : bool
        Pass ``--quiet`` to jupyter-book and keep this function silent.
    root : path, optional
        The repository (default: found from the current folder).
    langs : languages
        The editions to build (default: all; the language switch links to all of them).
    lite : bool, optional
        Build the live canvas builder (JupyterLite, ``lite/`` in each edition); default:
        yes unless ``CRKIT_LITE=0``.
    """
    root = repo_root(root)
    started = time.perf_counter()
    langs = [lang for lang in EDITIONS if lang in set(langs)]
    # the npm assets and the generated pages are made once, by the Sphinx hooks (setup)
    write_editions(root, langs)
    editions = [Edition(root, lang, student) for lang in langs]
    if clean or clean_cache:
        for edition in editions:
            edition.clean()
    if clean_cache:
        for edition in editions:
            shutil.rmtree(edition.cache, ignore_errors=True)
    env = _build_env(root)
    if lite is not None:
        env[LITE_SWITCH] = "1" if lite else "0"
    for edition in editions:
        edition.link_output()
        _run_edition(edition, root, quiet, env)
    site = editions[0].site
    index = site / "index.html"
    if check:
        problems = check_site(site)
        for edition in editions:
            missing = [p for p in expected_pages(root) if not (edition.out_dir / p).is_file()]
            problems += [f"{edition_prefix(edition.lang)}{p}: no page built for this notebook"
                         for p in missing]
            problems += lite_problems(edition.out_dir, env)
        if problems:
            raise SiteError(
                f"the built site has {len(problems)} problem(s):\n  " + "\n  ".join(problems)
            )
    if not quiet:
        elapsed = time.perf_counter() - started
        shown = ", ".join(f"{LANGUAGE_NAMES[e.lang]} ({e.out_dir.relative_to(root)})"
                          for e in editions)
        print(
            f"\n[course_site] site built in {elapsed:.0f} s"
            f"{' (student edition)' if student else ''}: {shown}"
            f"\n  open:  {index.as_uri()}"
            f"\n  serve: python tools/course_site.py serve"
            f"{' ' + str(site.relative_to(root)) if student else ''}"
            "   (then open http://127.0.0.1:8000/)"
        )
    return index


def _remove_stale_pages(out_dir: Path, root: Path) -> list[Path]:
    """Delete built pages (and their downloadable sources) whose notebook was removed.

    Sphinx forgets a deleted document but leaves its old HTML file behind, which would be
    published and link-checked.
    """
    removed = []
    for folder in ("notebooks", "casestudies"):
        sources = {p.stem for p in (root / folder).glob("*") if p.suffix in (".ipynb", ".md")}
        for page in sorted((out_dir / folder).glob("*.html")):
            if page.stem not in sources:
                page.unlink()
                removed.append(page)
                for copy in (out_dir / "_sources" / folder).glob(f"{page.stem}.*"):
                    copy.unlink()
    return removed


def serve(directory: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve a built site on ``http://host:port/`` until interrupted."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"[course_site] serving {directory} on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def main(argv: Iterable[str] | None = None) -> int:
    """``python tools/course_site.py build|check|serve``."""
    parser = argparse.ArgumentParser(
        prog="python tools/course_site.py", description="Build and check the kit's course site."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="build the site strictly, then check it")
    p_build.add_argument("--clean", action="store_true", help="remove the previous HTML first")
    p_build.add_argument(
        "--all", action="store_true", help="also remove the notebook execution cache"
    )
    p_build.add_argument(
        "--student", action="store_true", help="build the student edition (no solutions)"
    )
    p_build.add_argument("--quiet", action="store_true", help="less output")
    p_build.add_argument(
        "--no-lite", dest="lite", action="store_false", default=None,
        help="leave out the live canvas builder (JupyterLite); also CRKIT_LITE=0",
    )
    p_check = sub.add_parser("check", help="check links, images and external loads of a build")
    p_check.add_argument("html_dir", nargs="?", help="default: _build/html")
    p_serve = sub.add_parser("serve", help="serve the built site on 127.0.0.1")
    p_serve.add_argument("html_dir", nargs="?", help="default: _build/html")
    p_serve.add_argument("--port", type=int, default=8000)
    sub.add_parser("generate", help="only regenerate the glossary and references fragments")
    args = parser.parse_args(list(argv) if argv is not None else None)

    try:
        if args.command == "build":
            build(clean=args.clean, clean_cache=args.all, student=args.student, quiet=args.quiet,
                  lite=args.lite)
        elif args.command == "check":
            folder = Path(args.html_dir) if args.html_dir else html_dir()
            problems = check_site(folder)
            for problem in problems:
                print(problem)
            print(f"[course_site] {len(problems)} problem(s) in {folder}")
            return 1 if problems else 0
        elif args.command == "serve":
            folder = Path(args.html_dir) if args.html_dir else html_dir()
            if not (folder / "index.html").is_file():
                raise SiteError(
                    f"{folder} has no index.html: run `python tools/course_site.py build`")
            serve(folder, port=args.port)
        elif args.command == "generate":
            problems = write_generated()
            for problem in problems:
                print(problem)
            return 1 if problems else 0
    except SiteError as exc:
        print(f"[course_site] error: {exc}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------
# Language switch: every page links to itself in the other editions

#: the switch's class (the browser test and the site test find it by this)
SWITCH_CLASS = "crkit-languages"


def edition_href(pagename: str, from_lang: str, to_lang: str) -> str:
    """Relative address of page ``pagename`` of edition ``to_lang`` from the same page of
    edition ``from_lang`` (English at the site's root, the others in ``<lang>/``)."""
    up = "../" * (pagename.count("/") + (0 if from_lang == "en" else 1))
    return f"{up}{edition_prefix(to_lang)}{pagename}.html"


def language_switch_html(pagename: str, lang: str) -> str:
    """The switch: "English · Español · Português", the current edition not a link."""
    import html

    items = []
    for code in EDITIONS:
        name = html.escape(LANGUAGE_NAMES[code])
        if code == lang:
            items.append(f'<strong lang="{code}" aria-current="page">{name}</strong>')
        else:
            href = html.escape(edition_href(pagename, lang, code))
            items.append(f'<a href="{href}" hreflang="{code}" lang="{code}" '
                         f'rel="alternate">{name}</a>')
    label = html.escape(_t("site.languages", lang))
    return (f'<nav class="{SWITCH_CLASS}" aria-label="{label}" '
            'style="font-size:0.9em;margin:auto 0.75em;white-space:nowrap">'
            + " · ".join(items) + "</nav>\n")


#: the template that shows the switch in every page's header (genindex and search too)
SWITCH_TEMPLATE = "crkit-languages.html"
TEMPLATES = Path(__file__).resolve().parent / "site_templates"


def add_language_switch(pagename: str, lang: str, context: dict) -> None:
    """Give the header's switch template its links, and put ``hreflang`` links in the head."""
    import html

    context["crkit_languages"] = language_switch_html(pagename, lang)
    alternates = "".join(
        f'<link rel="alternate" hreflang="{code}" '
        f'href="{html.escape(edition_href(pagename, lang, code))}" />\n'
        for code in EDITIONS if code != lang)
    context["metatags"] = context.get("metatags", "") + alternates


# ---------------------------------------------------------------------------------------
# The live canvas builder (JupyterLite + Pyodide; tools/lite_site.py does the work)

#: environment switch: CRKIT_LITE=0 builds the site without the live builder
LITE_SWITCH = "CRKIT_LITE"
#: how book/app.md starts the live builder (the edition's language replaces "en")
LITE_START = 'start("{lang}")'


def lite_enabled(env: dict[str, str] | None = None) -> bool:
    """Whether the build includes the live builder (default yes; ``CRKIT_LITE=0``: no)."""
    return (env if env is not None else os.environ).get(LITE_SWITCH, "1").strip() != "0"


def forget_doctrees_if_lite_switched(out_dir: Path, enabled: bool) -> None:
    """Switching the live builder on or off changes the directive the builder page is read
    with: the saved doctrees of the last build would no longer render, so drop them (and,
    when it is off, the live builder of an earlier build)."""
    stamp = out_dir.parent / ".crkit-lite"
    wanted = "1" if enabled else "0"
    if stamp.is_file() and stamp.read_text().strip() != wanted:
        shutil.rmtree(out_dir.parent / ".doctrees", ignore_errors=True)
    if not enabled:  # a live builder left over from an earlier build is not published
        shutil.rmtree(out_dir / "lite", ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(wanted + "\n")


def lite_problems(out_dir: Path, env: dict[str, str] | None = None) -> list[str]:
    """Problems of the built live builder (none when it is switched off)."""
    if not lite_enabled(env):
        return []
    import lite_site

    problems = lite_site.check_output(Path(out_dir) / lite_site.OUTPUT)
    # jupyterlite-sphinx would add a stylesheet from another host to every page
    foreign = re.compile(r"<(?:link|script)\b[^>]*\b(?:href|src)=[\"'](?:https?:)?//", re.I)
    for page in _pages(Path(out_dir)):
        if foreign.search(page.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{page.relative_to(out_dir)}: loads a file from another host")
    return problems


def setup_lite(app: Any, repository: Any) -> None:
    """Load jupyterlite-sphinx on the folder tools/lite_site.py prepares, or, with the live
    builder switched off, render its ``replite`` blocks as a note that points to the kit."""
    from sphinx.util import logging as sphinx_logging

    logger = sphinx_logging.getLogger(__name__)
    if not lite_enabled():
        from docutils import nodes
        from sphinx.util.docutils import SphinxDirective

        class LiveBuilderLeftOut(SphinxDirective):
            has_content = True
            option_spec = None
            final_argument_whitespace = True
            optional_arguments = 1

            def run(self) -> list[Any]:
                lang = str(self.config.language or "en")[:2]
                note = nodes.note()
                note += nodes.paragraph(text=_t("site.lite.left-out", lang))
                return [note]

        LiveBuilderLeftOut.option_spec = {
            name: (lambda value: value) for name in (
                "kernel", "height", "width", "execute", "hide_code_input", "toolbar",
                "prompt_cell_position", "show_banner", "theme", "prompt", "prompt_color",
                "clear_cells_on_execute", "clear_code_content_on_execute", "new_tab",
                "new_tab_button_text", "search_params")
        }
        app.add_directive("replite", LiveBuilderLeftOut)
        return

    import lite_site

    app.setup_extension("jupyterlite_sphinx")
    # jupyterlite-sphinx adds a web font from another host to every page: the site serves
    # everything itself, so that stylesheet is dropped (the iframe's own styles stay).
    app.registry.css_files[:] = [
        (name, attributes) for name, attributes in app.registry.css_files
        if "://" not in str(name)
    ]

    def configure(app: Any, config: Any) -> None:
        root = repository(app)
        lite = root / lite_site.LITE_DIR
        config.jupyterlite_dir = str(lite)
        config.jupyterlite_config = str(lite / "jupyter_lite_config.json")
        config.jupyterlite_content_dir = str((lite / "contents").relative_to(root))

    def prepare(app: Any) -> None:
        root = repository(app)
        try:
            lite_site.prepare(root, ensure_assets(root, quiet=True), quiet=True)
        except (SiteError, lite_site.LiteError) as exc:
            logger.warning(f"[course_site] live builder: {exc}", type="crkit", subtype="lite")

    def page_language(app: Any, docname: str, source: list[str]) -> None:
        # the live builder starts in the edition's language (the page is written in English)
        lang = str(app.config.language or "en")[:2]
        if lang != "en" and LITE_START.format(lang="en") in source[0]:
            source[0] = source[0].replace(LITE_START.format(lang="en"),
                                          LITE_START.format(lang=lang))

    app.connect("config-inited", configure, priority=400)
    app.connect("builder-inited", prepare)
    app.connect("source-read", page_language)


# ---------------------------------------------------------------------------------------
# Sphinx extension (loaded by _config.yml: sphinx.local_extensions)


def setup(app: Any) -> dict[str, Any]:
    """Regenerate the glossary/references before reading, install assets after writing."""
    from sphinx.util import logging as sphinx_logging

    logger = sphinx_logging.getLogger(__name__)
    # an edition's _config.yml (written by tools/translate.py) names the repository
    app.add_config_value("crkit_root", "", "env", [str])

    def repository(app: Any) -> Path:
        return Path(app.config.crkit_root or app.srcdir)

    def edition(app: Any) -> str:
        lang = str(app.config.language or "en")
        return lang if lang in EDITIONS else "en"

    # The notebooks' kernels inherit this environment: let them import this checkout.
    env = _build_env(Path(app.srcdir))
    if env.get("PYTHONPATH"):
        os.environ["PYTHONPATH"] = env["PYTHONPATH"]

    def generate(app: Any) -> None:
        root = repository(app)
        env = _build_env(root)
        if env.get("PYTHONPATH"):
            os.environ["PYTHONPATH"] = env["PYTHONPATH"]
        try:
            ensure_assets(root, quiet=True)
        except SiteError as exc:
            logger.warning(f"[course_site] {exc}", type="crkit", subtype="assets")
        for problem in write_generated(root, edition(app)):
            logger.warning(f"[course_site] {problem}", type="crkit", subtype="generated")

    def finish(app: Any, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        try:
            install_assets(Path(app.outdir), repository(app))
        except SiteError as exc:
            logger.warning(f"[course_site] {exc}", type="crkit", subtype="assets")

    def drop_thebe(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
        # sphinx-thebe (loaded by jupyter-book) adds its scripts to every page even with
        # thebe off: a loader that would fetch thebe from a CDN, and an inline script
        # that Sphinx 7 emits twice ("THEBE_JS_URL has already been declared").
        scripts = context.get("script_files")
        if not isinstance(scripts, list):
            return
        context["script_files"] = [
            js for js in scripts
            if "sphinx-thebe" not in str(js)
            and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
        ]

    def hide_placeholder_links(app: Any, config: Any) -> None:
        config.html_theme_options = button_options(config.html_theme_options)

    def switch_in_header(app: Any, config: Any) -> None:
        # the language switch sits at the end of every page's header, before its buttons
        config.templates_path = [*config.templates_path, str(TEMPLATES)]
        options = config.html_theme_options
        end = list(options.get("article_header_end") or ["article-header-buttons.html"])
        if SWITCH_TEMPLATE not in end:
            options["article_header_end"] = [SWITCH_TEMPLATE, *end]

    def theme_words(app: Any, config: Any) -> None:
        # jupyter-book sets the search field's placeholder in English for every language
        options = config.html_theme_options
        if options.get("search_bar_text", "Search this book...") == "Search this book...":
            options["search_bar_text"] = _t("site.search-placeholder", edition(app))

    def languages(app: Any, pagename: str, templatename: str, context: dict,
                  doctree: Any) -> None:
        add_language_switch(pagename, edition(app), context)

    app.add_js_file(f"npm/{A11Y_SCRIPT.name}", loading_method="defer")
    setup_lite(app, repository)
    app.connect("config-inited", hide_placeholder_links)
    app.connect("config-inited", theme_words)
    app.connect("config-inited", switch_in_header)
    app.connect("html-page-context", languages)
    app.connect("builder-inited", generate)
    app.connect("build-finished", finish)
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


if __name__ == "__main__":
    sys.exit(main())
