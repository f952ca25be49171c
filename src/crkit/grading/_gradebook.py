"""The gradebook: ``grades.csv`` in the kit's own layout or in the one Canvas or Moodle imports.

plain
    ``student_id, file, status, total, <one column per criterion, 0-4>, language,
    feedback, duplicate, message``: every file found, scored or not.
canvas
    ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>``: the columns of the
    Canvas gradebook export, which its import reads back. Canvas has no feedback column in
    its CSV import.
moodle
    ``ID number`` (or ``Email address`` when every id is an address), ``<assignment>``,
    ``Feedback``: Moodle's CSV grade import maps each column in its preview step.

With an LMS layout the plain table is also written, as ``grades-detail.csv``.
Rows are in file order; numbers use a decimal point, which both LMSs read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from . import _kit as kit
from ._kit import write_atomic

DEFAULT_ASSIGNMENT = "Customer relationships canvas"
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def check_delimiter(delimiter: str) -> None:
    if len(delimiter) != 1 or delimiter in "\"'\r\n" or delimiter.isalnum():
        raise kit.CrkitError("grading-delimiter", value=delimiter)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def plain_rows(run: Any) -> list[list[str]]:
    ids = [c for c, _ in run.criteria]
    rows = [["student_id", "file", "status", "total", *ids, "language", "feedback",
             "duplicate", "message"]]
    for r in run.rows:
        scores = r.scores
        rows.append([
            r.student_id, r.file, r.status, _number(r.total),
            *(str(scores[c]) if c in scores else "" for c in ids),
            r.report.language if r.report is not None else "",
            f"feedback/{r.feedback}.md" if r.feedback else "",
            "yes" if r.duplicate else "", r.message,
        ])
    return rows


def canvas_rows(run: Any, assignment: str) -> list[list[str]]:
    rows = [[*CANVAS_COLUMNS, assignment]]
    for r in run.rows:
        g = r.groups
        rows.append([r.name or r.student_id, r.student_id, g.get("sis_user_id", ""),
                     g.get("sis_login_id", ""), g.get("section", ""), _number(r.total)])
    return rows


def moodle_rows(run: Any, assignment: str) -> list[list[str]]:
    emails = all("@" in r.student_id for r in run.rows)
    rows = [["Email address" if emails else "ID number", assignment, "Feedback"]]
    for r in run.rows:
        rows.append([r.student_id, _number(r.total), r.lms_feedback])
    return rows


def to_csv(rows: list[list[str]], delimiter: str, bom: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def write_gradebooks(run: Any, *, lms: str, delimiter: str, bom: bool,
                     assignment: str | None) -> list[Path]:
    """Write ``grades.csv`` (and ``grades-detail.csv`` for an LMS layout)."""
    assignment = assignment or DEFAULT_ASSIGNMENT
    plain = to_csv(plain_rows(run), delimiter, bom)
    detail = run.out / "grades-detail.csv"
    if lms == "plain":
        detail.unlink(missing_ok=True)
        return [write_atomic(run.out / "grades.csv", plain)]
    layout = canvas_rows if lms == "canvas" else moodle_rows
    main = to_csv(layout(run, assignment), delimiter, bom)
    return [write_atomic(run.out / "grades.csv", main), write_atomic(detail, plain)]
