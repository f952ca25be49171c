"""Grade a class: a folder of canvases into a gradebook, feedback per student and a report."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import _kit as kit
from ._collect import Found, collect
from ._kit import check_language, t

__all__ = [
    "GradeRun", "Row", "grade_folder", "ID_PATTERNS", "LMS_LAYOUTS", "STATUSES",
    "student_id", "compile_id_pattern",
]

#: the three values of the ``status`` column
SCORED, INVALID, NOT_CANVAS = "scored", "invalid", "not a canvas"
STATUSES = (SCORED, INVALID, NOT_CANVAS)
LMS_LAYOUTS = ("plain", "canvas", "moodle")

#: where LMS bulk downloads and nbgrader put the student id (see book/grading.md). A
#: pattern is searched in the file's path below the folder (ZIP members included, with
#: "/" between the parts); any regular expression with a ``student_id`` group works, and
#: a ``name`` group fills the LMS's name column.
ID_PATTERNS = {
    # Canvas: smithjohn_12345_67890_my-canvas.yaml, late ones smithjohn_LATE_12345_67890_...
    "canvas": r"(?:^|/)(?P<name>[^_/]+)_(?:LATE_)?(?P<student_id>\d+)_\d+_[^/]*$",
    # Moodle: John Smith_12345_assignsubmission_file_canvas.yaml, or a folder of that name
    # (12345 is Moodle's participant number for the assignment)
    "moodle": r"(?:^|/)(?P<name>[^_/]+)_(?P<student_id>\d+)_assignsubmission_",
    # nbgrader's exchange: submitted/<student_id>/<assignment>/<file>
    "nbgrader": r"(?:^|/)submitted/(?P<student_id>[^/]+)/",
}

_PARSE_CODES = {"bad-yaml", "bad-json", "yaml-alias", "too-deep", "duplicate-key", "bad-key"}
_NOT_TEXT_CODES = {"binary", "not-utf8", "empty", "too-large"}
_CRKIT_LINE = re.compile(rb"""^\s*[{,]?\s*["']?crkit["']?\s*:""", re.MULTILINE)


@dataclass
class Row:
    """One file found and what became of it."""

    student_id: str
    file: str
    status: str
    message: str = ""
    name: str = ""
    groups: dict[str, str] = field(default_factory=dict)
    #: ``report.to_dict()``: exactly what ``crkit score --json`` prints for this file
    result: dict[str, Any] | None = None
    report: Any = field(default=None, repr=False)
    duplicate: bool = False
    #: the feedback files' name without suffix (``feedback/<feedback>.md``)
    feedback: str = ""
    #: the one-line feedback the Moodle layout carries
    lms_feedback: str = ""

    @property
    def total(self) -> float | None:
        return None if self.result is None else self.result["total"]

    @property
    def scores(self) -> dict[str, int]:
        """Criterion id -> score 0-4 (empty when the file was not scored)."""
        return {} if self.result is None else {c["id"]: c["score"]
                                               for c in self.result["criteria"]}


@dataclass
class GradeRun:
    """The result of grading a folder."""

    folder: Path
    out: Path
    rows: list[Row]
    criteria: list[tuple[str, str]]
    lang: str | None
    written: list[Path] = field(default_factory=list)

    @property
    def scored(self) -> list[Row]:
        return [r for r in self.rows if r.status == SCORED]

    @property
    def unscored(self) -> list[Row]:
        return [r for r in self.rows if r.status != SCORED]

    def summary(self, lang: str | None = None) -> str:
        """A few lines for the terminal: counts, files not scored, duplicate ids."""
        lang = lang or self.lang
        lines = [t("grading.summary", lang, scored=len(self.scored), found=len(self.rows),
                   out=self.out)]
        lines += [t("grading.summary-problem", lang, file=r.file, reason=r.message)
                  for r in self.unscored]
        for student, files in duplicates(self.rows).items():
            lines.append(t("grading.summary-duplicate", lang, student=student,
                           files=", ".join(files)))
        return "\n".join(lines)


def compile_id_pattern(pattern: str | None) -> re.Pattern | None:
    """Compile an ``--id-pattern``; it must have a ``student_id`` named group."""
    if pattern is None:
        return None
    pattern = ID_PATTERNS.get(pattern, pattern)
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise kit.CrkitError("grading-id-pattern", reason=str(exc)) from None
    if "student_id" not in compiled.groupindex:
        raise kit.CrkitError("grading-id-pattern", reason="no group named student_id")
    return compiled


def student_id(path: str, pattern: re.Pattern | None) -> tuple[str, dict[str, str]]:
    """The id in a file's path (by ``pattern``, searched in it) or the file's stem.

    ``path`` is the file's path below the graded folder, ZIP members included
    (``bulk.zip!a/b.yaml`` is searched as ``bulk.zip/a/b.yaml``).
    """
    path = path.replace("!", "/")
    stem = Path(path.rsplit("/", 1)[-1]).stem
    if pattern is not None:
        match = pattern.search(path)
        if match and match.group("student_id"):
            groups = {k: v for k, v in match.groupdict().items() if v}
            return groups["student_id"].strip(), groups
    return stem or "unknown", {}


def duplicates(rows: list[Row]) -> dict[str, list[str]]:
    """Student id -> files, for ids that more than one file carries."""
    by_id: dict[str, list[str]] = {}
    for row in rows:
        by_id.setdefault(row.student_id, []).append(row.file)
    return {k: v for k, v in sorted(by_id.items()) if len(v) > 1}


def classify(error: kit.CanvasError, raw: bytes, lang: str | None) -> tuple[str, str]:
    """(status, message) for a file the kit refused: ``invalid`` or ``not a canvas``.

    A canvas with problems is *invalid* and carries the first problem as ``crkit validate``
    reports it (field, line, fix). A YAML or JSON file without a ``crkit:`` key, a case or
    rubric file, binary data and text that is not YAML at all are *not a canvas*.
    """
    message = error.message(lang)
    if error.code in _NOT_TEXT_CODES:
        return NOT_CANVAS, message
    if error.code in _PARSE_CODES:
        if _CRKIT_LINE.search(raw):
            return INVALID, message
        return NOT_CANVAS, t("grading.reason.not-yaml", lang, reason=message)
    top = {p.values.get("field") for p in error.problems
           if p.code == "unknown-field" and len(p.path) == 1}
    if "crkit-case" in top:
        return NOT_CANVAS, t("grading.reason.case-file", lang)
    if "crkit-rubric" in top:
        return NOT_CANVAS, t("grading.reason.rubric-file", lang)
    if error.code == "wrong-type" and not error.path:
        got = error.values.get("got")
        got = t(f"word.{got}", lang) if got in ("text", "list", "number", "nothing") else got
        return NOT_CANVAS, t("grading.reason.not-fields", lang, got=got)
    if any(p.code == "missing-field" and p.path == ("crkit",) for p in error.problems):
        return NOT_CANVAS, t("grading.reason.no-crkit", lang)
    return INVALID, message


def _grade_one(found: Found, rubric: Any, lang: str | None, pattern: re.Pattern | None) -> Row:
    sid, groups = student_id(found.shown, pattern)
    row = Row(student_id=sid, file=found.shown, status=NOT_CANVAS, groups=groups,
              name=groups.get("name", ""))
    if found.problem is not None:
        code, values = found.problem
        row.message = t(f"grading.reason.{code}", lang, **values)
        return row
    try:
        raw = found.read()
    except OSError as exc:
        row.message = t("grading.reason.unreadable", lang, reason=exc.strerror or str(exc))
        return row
    try:
        canvas = kit.loads(raw, json_hint=found.suffix == ".json")
        report = kit.score(canvas, rubric=rubric, lang=lang)
        result = score_json(report)
    except kit.CanvasError as exc:
        row.status, row.message = classify(exc, raw, lang)
        return row
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, AttributeError,
            ArithmeticError, IndexError) as exc:  # a kit bug must not stop the class
        row.status = INVALID
        row.message = t("grading.reason.internal", lang, reason=type(exc).__name__)
        return row
    row.status, row.report, row.result = SCORED, report, result
    return row


def score_json(report: Any) -> dict[str, Any]:
    """The data ``crkit score --json`` prints (the command calls the same method)."""
    return report.to_dict()


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise kit.CrkitError("grading-no-folder", file=str(folder))
    if folder.is_file():
        import zipfile

        if not zipfile.is_zipfile(folder):
            raise kit.CrkitError("grading-not-a-folder", file=str(folder))
    elif not os.access(folder, os.R_OK | os.X_OK):
        raise kit.CrkitError("grading-unreadable", file=str(folder),
                               reason="permission denied")


def grade_folder(
    folder: str | os.PathLike,
    out: str | os.PathLike,
    *,
    rubric: str | os.PathLike | Any | None = None,
    lang: str | None = None,
    lms: str = "plain",
    id_pattern: str | None = None,
    delimiter: str = ",",
    bom: bool | None = None,
    assignment: str | None = None,
    progress: bool | Callable[[int, int], None] | None = None,
) -> GradeRun:
    """Score every canvas under ``folder`` and write the gradebook, feedback and report.

    ::

        run = grade_folder("submissions/", "graded/", lms="canvas", id_pattern="canvas")
        run.rows       # one Row per file found: student id, status, total, criterion scores
        print(run.summary())

    The numbers are what ``crkit score --json`` prints for the same file (same call).

    Parameters
    ----------
    folder : path
        A folder (searched with its sub-folders and ZIP files) or one ZIP file.
    out : path
        Where ``grades.csv``, ``feedback/``, ``feedback.zip`` and ``class-report.html`` go.
    rubric : path or Rubric, optional
        An instructor's rubric; loaded once for the whole class.
    lang : {"en", "es", "pt"}, optional
        Language of feedback and messages; by default each canvas's own language (and
        English for the class report and for files that could not be read).
    lms : {"plain", "canvas", "moodle"}
        Layout of ``grades.csv``; with ``canvas`` or ``moodle`` the full table also goes
        to ``grades-detail.csv``.
    id_pattern : str, optional
        A regular expression with a ``student_id`` group, searched in each file's path
        below ``folder``, or the name of a pattern in :data:`ID_PATTERNS` ("canvas",
        "moodle", "nbgrader"). Default: the file name without its suffix.
    delimiter : str
        CSV delimiter, ``,`` or ``;``.
    bom : bool, optional
        Start the CSV files with a UTF-8 byte order mark. Default: yes when ``lang`` is
        ``es`` or ``pt`` or the delimiter is ``;`` (what spreadsheets in those languages
        expect), no otherwise.
    assignment : str, optional
        The grade column's name in the LMS layouts (in Canvas, "Name (assignment id)"
        updates that assignment).
    progress : bool or callable, optional
        ``True`` draws a progress bar on stderr when it is a terminal; a callable is
        called with (done, total) after each file.

    Raises
    ------
    CrkitError
        When the folder is missing or unusable, holds no canvas file, or an option is
        wrong; one bad file never raises.
    """
    from ._class_report import class_report
    from ._feedback import FeedbackWriter
    from ._gradebook import check_delimiter, write_gradebooks

    folder, out = Path(folder), Path(out)
    lang = check_language(lang) if lang is not None else None
    if lms not in LMS_LAYOUTS:
        raise kit.CrkitError("grading-lms", value=lms, choices=", ".join(LMS_LAYOUTS))
    check_delimiter(delimiter)
    pattern = compile_id_pattern(id_pattern)
    _check_folder(folder)
    if rubric is None or isinstance(rubric, (str, os.PathLike)):
        rubric = kit.load_rubric(rubric)
    try:
        found = collect(folder, exclude=out)
    except OSError as exc:
        raise kit.CrkitError("grading-unreadable", file=str(folder),
                               reason=exc.strerror or str(exc)) from None
    if not found:
        raise kit.CrkitError("grading-nothing", file=str(folder))
    report = _progress_callback(progress)
    run = GradeRun(folder=folder, out=out, rows=[], lang=lang,
                   criteria=[(c.id, c.label(lang)) for c in rubric.criteria])
    if bom is None:
        bom = lang in ("es", "pt") or delimiter == ";"
    try:
        out.mkdir(parents=True, exist_ok=True)
        feedback = FeedbackWriter(run)
        try:
            for done, item in enumerate(found, 1):
                row = _grade_one(item, rubric, lang, pattern)
                run.rows.append(row)
                feedback.add(row)
                if report:
                    report(done, len(found))
        except BaseException:
            feedback.abort()
            raise
        finally:
            if report:
                report(-1, len(found))
        run.written += feedback.finish()
        for files in duplicates(run.rows).values():
            for row in run.rows:
                row.duplicate = row.duplicate or row.file in files
        run.written += write_gradebooks(run, lms=lms, delimiter=delimiter, bom=bom,
                                        assignment=assignment)
        run.written.append(class_report(run))
    except OSError as exc:
        raise kit.CrkitError("grading-out", file=str(out),
                               reason=exc.strerror or str(exc)) from None
    return run


def _progress_callback(progress: Any) -> Callable[[int, int], None] | None:
    if callable(progress):
        return progress
    if not progress or not sys.stderr.isatty():
        return None

    def bar(done: int, total: int) -> None:
        if done < 0:
            sys.stderr.write("\r" + " " * 60 + "\r")
        else:
            filled = 30 * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
        sys.stderr.flush()

    return bar
