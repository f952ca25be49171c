"""The case-study library: one YAML file per case.

The kit's own cases are edited in the repository's ``casestudies/`` and ship inside the
package (``crkit/data/cases``), so every install has them. An instructor's own library is
chosen with one setting: a ``folder`` argument, ``crkit cases --cases DIR`` or the
``CRKIT_CASES`` environment variable. A case is added by dropping a file into the folder: it
is validated (with the same clear messages as canvases) and listed with no code change.
Each case holds its story, sourced facts, discussion questions, and one or more canvases.
"""

from __future__ import annotations

import difflib
import math
import os
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.errors import CanvasError, CrkitError, Listing
from crkit.core.i18n import LANGUAGES, localized, t
from crkit.core.numbers import quantity
from crkit.core.reading import Document, read_file
from crkit.core.validation import canvas_from_document

CASE_FORMAT = 1
CASE_FIELDS = (
    "crkit-case", "id", "company", "title", "industry", "region", "years", "summary", "types",
    "motivations", "bond", "stages", "narrative", "facts", "questions", "canvases", "claims",
    "illustrative",
)
REQUIRED = ("id", "company", "title", "industry", "region", "years", "summary", "types",
            "motivations", "bond", "stages", "narrative", "facts", "questions", "canvases")
LOCALIZED = ("title", "industry", "region", "summary", "narrative")


#: the environment variable naming an instructor's own case folder
CASES_VARIABLE = "CRKIT_CASES"


def bundled_cases_dir() -> Path:
    """The kit's own case library, inside the installed package."""
    bundled = Path(str(resources.files("crkit").joinpath("data", "cases")))
    if bundled.is_file():  # a checkout without symbolic links keeps the link as a text file
        bundled = (bundled.parent / bundled.read_text(encoding="utf-8").strip()).resolve()
    return bundled


def cases_dir(folder: str | os.PathLike | None = None) -> Path:
    """Where cases live: ``folder``, else ``$CRKIT_CASES``, else the kit's own library.

    A folder that does not exist or holds no case file is an error with a message, never
    an empty library.
    """
    chosen = folder or os.environ.get(CASES_VARIABLE) or None
    base = Path(chosen) if chosen else bundled_cases_dir()
    where = str(chosen) if chosen else str(base)
    if not base.is_dir():
        raise CrkitError("cases-folder-missing", file=where)
    if not _case_files(base):
        raise CrkitError("cases-folder-empty", file=where)
    return base


@dataclass
class Fact:
    """A fact with its source and year; ``status`` is ``reported`` when not confirmed."""

    text: dict[str, str]
    source: str
    year: int
    status: str = "confirmed"
    value: float | None = None
    unit: str | None = None

    def say(self, lang: str | None = None) -> str:
        return localized(self.text, lang)


@dataclass
class CaseCanvas:
    """One canvas of a case (a case that changes over time has several)."""

    id: str
    labels: dict[str, str]
    canvas: Canvas

    def label(self, lang: str | None = None) -> str:
        return localized(self.labels, lang)


@dataclass
class Case:
    """A case study, loaded and validated from ``casestudies/<id>.yaml``."""

    id: str
    company_names: dict[str, str]
    texts: dict[str, dict[str, str]]
    years: str
    types_main: list[str]
    types_secondary: list[str]
    motivations: list[str]
    bond: str
    stages: list[str]
    facts: list[Fact]
    questions: list[dict[str, dict[str, str]]]
    canvases: list[CaseCanvas]
    claims: list[dict[str, str]] = field(default_factory=list)
    illustrative: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None

    def text(self, key: str, lang: str | None = None) -> str:
        """A localized text: title, industry, region, summary or narrative."""
        return localized(self.texts[key], lang)

    def title(self, lang: str | None = None) -> str:
        return self.text("title", lang)

    def company_name(self, lang: str | None = None) -> str:
        """Who the case is about, in ``lang`` ("Operadoras móviles"; brands stay as they are)."""
        return localized(self.company_names, lang)

    @property
    def company(self) -> str:
        """The English name (ids, file listings); shown text uses :meth:`company_name`."""
        return self.company_names["en"]

    @property
    def types(self) -> list[str]:
        """Main then secondary types."""
        return self.types_main + [t for t in self.types_secondary if t not in self.types_main]

    def canvas(self, id_: str | None = None) -> Canvas:
        """A canvas by id; the first when no id is given."""
        if id_ is None:
            return self.canvases[0].canvas
        for c in self.canvases:
            if c.id == id_:
                return c.canvas
        raise KeyError(f"case {self.id!r} has no canvas {id_!r}")


def load_case_file(path: str | os.PathLike) -> Case:
    """Read and validate one case file (:class:`CanvasError` on any problem)."""
    doc = read_file(path)
    return _case_from_document(doc, Path(path))


def _fail(doc: Document, path: tuple, code: str, **values: Any) -> CanvasError:
    return CanvasError(code, file=doc.name, path=path, line=doc.line(path), **values)


def _case_from_document(doc: Document, path: Path) -> Case:
    data = doc.data
    if not isinstance(data, dict):
        raise _fail(doc, (), "wrong-type", expected="mapping", got=_kind(data))
    for key in data:
        if key not in CASE_FIELDS:
            close = difflib.get_close_matches(str(key), CASE_FIELDS, n=1)
            raise _fail(doc, (key,), "unknown-field", field=key,
                        suggestion=close[0] if close else None, allowed=Listing(CASE_FIELDS, 20))
    for key in REQUIRED:
        if data.get(key) in (None, "", [], {}):
            raise _fail(doc, (key,), "missing-field", field=key)
    if data.get("crkit-case", CASE_FORMAT) != CASE_FORMAT:
        raise _fail(doc, ("crkit-case",), "bad-version", value=data["crkit-case"],
                    supported=CASE_FORMAT)
    for key in ("id", "years"):
        _need(doc, data[key], (key,), (str, int), "text")
    if isinstance(data["company"], dict):  # a name that differs by language
        _need_languages(doc, data["company"], ("company",))
    else:
        _need(doc, data["company"], ("company",), (str, int), "text")
    if data["id"] != path.stem:
        raise _fail(doc, ("id",), "case-id", value=data["id"], stem=path.stem)
    for key in LOCALIZED:
        _need_languages(doc, data[key], (key,))
    for key in ("facts", "questions", "canvases"):
        _need(doc, data[key], (key,), list, "list")
    for key in ("claims", "illustrative"):
        if data.get(key) is not None:
            _need(doc, data[key], (key,), list, "list")

    def names(kind: str, value: Any, where: tuple) -> list[str]:
        if isinstance(value, dict):
            raise _fail(doc, where, "wrong-type", expected="list", got="mapping")
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            folded = knowledge.fold(kind, item) if isinstance(item, (str, int)) else None
            if folded is None:
                raise _fail(doc, (*where, i) if isinstance(value, list) else where,
                            "unknown-name", kind=kind, value=item,
                            suggestion=knowledge.nearest(kind, item)
                            if isinstance(item, str) else None,
                            choices=Listing(knowledge.ids(kind)))
            out.append(folded)
        return out

    types = data["types"]
    if not isinstance(types, dict) or not types.get("main"):
        raise _fail(doc, ("types", "main"), "missing-field", field="types.main")
    facts = []
    for i, raw in enumerate(data["facts"]):
        where = ("facts", i)
        _need(doc, raw, where, dict, "mapping")
        for key in ("text", "source", "year"):
            if raw.get(key) in (None, ""):
                raise _fail(doc, (*where, key), "missing-field", field=key)
        _need_languages(doc, raw["text"], (*where, "text"))
        _need(doc, raw["source"], (*where, "source"), str, "text")
        year = raw["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
            raise _fail(doc, (*where, "year"), "case-year", value=year)
        status = raw.get("status", "confirmed")
        if status not in ("confirmed", "reported"):
            raise _fail(doc, (*where, "status"), "case-status", value=status)
        value = raw.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not math.isfinite(value)):
            raise _fail(doc, (*where, "value"), "wrong-type", expected="number",
                        got=_kind(value))
        if raw.get("unit") is not None:
            _need(doc, raw["unit"], (*where, "unit"), str, "text")
        facts.append(Fact(text=raw["text"], source=str(raw["source"]), year=year,
                          status=status, value=value, unit=raw.get("unit")))
    for i, q in enumerate(data["questions"]):
        _need(doc, q, ("questions", i), dict, "mapping")
        for key in ("question", "answer"):
            _need_languages(doc, q.get(key), ("questions", i, key))
    canvases = []
    for i, raw in enumerate(data["canvases"]):
        where = ("canvases", i)
        if not isinstance(raw, dict) or "canvas" not in raw or "id" not in raw:
            raise _fail(doc, where, "missing-field", field="id / canvas")
        _need(doc, raw["id"], (*where, "id"), (str, int), "text")
        label = raw.get("label")
        if label is not None:
            _need_languages(doc, label, (*where, "label"))
        sub = Document(raw["canvas"], name=doc.name)
        sub.lines = {p[len(where) + 1:]: line for p, line in doc.lines.items()
                     if p[: len(where) + 1] == (*where, "canvas")}
        try:
            canvas = canvas_from_document(sub)
        except CanvasError as exc:
            prefix = (*where, "canvas")
            for problem in exc.problems:
                problem.path = (*prefix, *problem.path)
                problem.args = (problem.message(),)
            raise exc from None
        canvases.append(CaseCanvas(id=str(raw["id"]), labels=label or {
            "en": str(raw["id"])}, canvas=canvas))
    ids = [c.id for c in canvases]
    for i, claim in enumerate(data.get("claims") or []):
        _need(doc, claim, ("claims", i), dict, "mapping")
        for key in ("higher", "lower"):
            if claim.get(key) not in ids:
                raise _fail(doc, ("claims", i, key), "unknown-ref", kind="canvas",
                            value=claim.get(key), suggestion=None, known=Listing(ids))
    for i, item in enumerate(data.get("illustrative") or []):
        _need(doc, item, ("illustrative", i), dict, "mapping")
    return Case(
        id=data["id"],
        company_names=dict(data["company"]) if isinstance(data["company"], dict)
        else {lang: str(data["company"]) for lang in LANGUAGES},
        texts={key: data[key] for key in LOCALIZED}, years=str(data["years"]),
        types_main=names("types", types["main"], ("types", "main")),
        types_secondary=names("types", types.get("secondary") or [], ("types", "secondary")),
        motivations=names("motivations", data["motivations"], ("motivations",)),
        bond=names("bonds", data["bond"], ("bond",))[0],
        stages=names("stages", data["stages"], ("stages",)),
        facts=facts, questions=list(data["questions"]), canvases=canvases,
        claims=list(data.get("claims") or []), illustrative=list(data.get("illustrative") or []),
        path=path,
    )


def _kind(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "text", bool: "true/false",
            type(None): "nothing", int: "number", float: "number"}.get(type(value),
                                                                      type(value).__name__)


def _need(doc: Document, value: Any, path: tuple, types: Any, expected: str) -> None:
    """Refuse a value of the wrong type, naming the field and its line."""
    if isinstance(value, bool) or not isinstance(value, types):
        raise _fail(doc, path, "wrong-type", expected=expected, got=_kind(value))


def _need_languages(doc: Document, value: Any, path: tuple) -> None:
    if not isinstance(value, dict):
        raise _fail(doc, path, "case-languages", languages=", ".join(LANGUAGES))
    for lang in LANGUAGES:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise _fail(doc, (*path, lang), "case-languages", languages=", ".join(LANGUAGES))


class CaseFileLeftOut(UserWarning):
    """A case file that could not be read: the library goes on without it."""


@dataclass(frozen=True)
class _Library:
    cases: tuple[Case, ...]
    problems: tuple[CrkitError, ...]


def _case_files(base: Path) -> list[Path]:
    """The folder's ``*.yaml`` files, without hidden ones (editor locks, backups)."""
    return sorted(p for p in base.glob("*.yaml") if not p.name.startswith("."))


def _stamp(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return (path.name, None)
    return (path.name, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=8)
def _load_all(folder: str, stamp: tuple) -> _Library:
    good, bad = [], []
    for path in _case_files(Path(folder)):
        try:
            good.append(load_case_file(path))
        except CrkitError as exc:
            if exc.file is None:
                exc.located(str(path))
            bad.append(exc)
    for problem in bad:
        warnings.warn(t("error.case-left-out", None, reason=problem.message()),
                      CaseFileLeftOut, stacklevel=4)
    return _Library(tuple(good), tuple(bad))


def _library(folder: str | os.PathLike | None) -> _Library:
    base = cases_dir(folder)
    return _load_all(str(base), tuple(_stamp(p) for p in _case_files(base)))


def list_cases(folder: str | os.PathLike | None = None) -> list[Case]:
    """Every good case in the folder, sorted by id (re-read when a file changes).

    A file that cannot be read is left out, so one broken or stray file never takes the
    library down: :func:`problems` says which and why, and a :class:`CaseFileLeftOut`
    warning (shown once, e.g. under a notebook cell) says so too.
    """
    return list(_library(folder).cases)


def problems(folder: str | os.PathLike | None = None) -> list[CrkitError]:
    """The case files :func:`list_cases` left out, each with its one-line message."""
    return list(_library(folder).problems)


def case_ids(folder: str | os.PathLike | None = None) -> list[str]:
    return [c.id for c in list_cases(folder)]


def load_case(id_: str, folder: str | os.PathLike | None = None) -> Case:
    """One case by id; a clear error with the nearest id when there is none.

    When the file of that id is one the library left out, its own problem is raised.
    """
    library = _library(folder)
    for case in library.cases:
        if case.id == id_:
            return case
    for problem in library.problems:
        if problem.file and Path(problem.file).stem == id_:
            raise problem
    ids = [c.id for c in library.cases]
    close = difflib.get_close_matches(id_, ids, n=1)
    raise CrkitError("unknown-case", value=id_, suggestion=close[0] if close else None,
                     known=Listing(ids))


def cases_for(*, type: str | None = None, stage: str | None = None,  # noqa: A002
              motivation: str | None = None, bond: str | None = None,
              folder: str | os.PathLike | None = None) -> list[Case]:
    """Cases that illustrate a type, stage, motivation or bond (names in any language)."""
    out = []
    for case in list_cases(folder):
        if type and knowledge.fold("types", type) not in case.types:
            continue
        if stage and knowledge.fold("stages", stage) not in case.stages:
            continue
        if motivation and knowledge.fold("motivations", motivation) not in case.motivations:
            continue
        if bond and knowledge.fold("bonds", bond) != case.bond:
            continue
        out.append(case)
    return out


# --- tables (pandas is imported only here) ---------------------------------------------
def types_table(lang: str | None = None, folder: str | os.PathLike | None = None):
    """Cases x relationship types: 'main', 'secondary' or ''."""
    import pandas as pd

    cols = {t: knowledge.name("types", t, lang) for t in knowledge.ids("types")}
    rows = {}
    for case in list_cases(folder):
        rows[case.company_name(lang)] = {
            cols[t]: "main" if t in case.types_main else
            ("secondary" if t in case.types_secondary else "") for t in cols}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(cols.values()))


def stages_table(lang: str | None = None, folder: str | os.PathLike | None = None):
    """Cases x lifecycle stages: True where the case illustrates the stage."""
    import pandas as pd

    cols = {s: knowledge.name("stages", s, lang) for s in knowledge.ids("stages")}
    rows = {case.company_name(lang): {cols[s]: s in case.stages for s in cols}
            for case in list_cases(folder)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(cols.values()))


def facts_table(case: Case, lang: str | None = None):
    """A case's facts with value, source, year and status, for a page or a notebook."""
    import pandas as pd


    return pd.DataFrame([{
        t("label.fact", lang): f.say(lang),
        t("label.value", lang): _with_unit(f, lang),
        t("label.source", lang): f.source,
        t("label.year", lang): f.year,
        t("label.status", lang): t(f"case.status-{f.status}", lang),
    } for f in case.facts])


def _with_unit(fact: Fact, lang: str | None = None) -> str:
    """'0.82%' and '1.65 US$bn' in the reader's language (:func:`numbers.quantity`)."""
    return quantity(fact.value, fact.unit, lang)
