"""One feedback file per student, Markdown and HTML, in the canvas's language; and a ZIP.

The Markdown is the kit's own report (:func:`kit.render_markdown`) under a line naming
the student and the file, so a student reads the same words ``crkit score --markdown``
prints. Files that could not be scored get a short note with the problem and how to fix it.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from . import _kit as kit
from ._kit import t, write_atomic

#: the fixed date stored in the ZIP file, so that a rerun gives the same bytes
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r"[^\w.@+-]+")

STYLE = """
body { font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       background: #fff; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #888; padding: .3rem .6rem; }
th { background: #e8eef5; text-align: left; } .meta { color: #333; } .total { font-size: 1.3rem; }
"""


def safe_name(student_id: str) -> str:
    """A file name made from a student id: no separators, no leading dot."""
    name = _UNSAFE.sub("_", student_id).strip("._")[:100]
    return name or "unknown"


def _lang(row: Any, run: Any) -> str:
    return row.report.language if row.report is not None else (run.lang or "en")


def _meta(row: Any, lang: str) -> str:
    return f"{t('grading.student', lang)}: {row.student_id} · {t('grading.file', lang)}: {row.file}"


def markdown(row: Any, run: Any) -> str:
    lang = _lang(row, run)
    if row.report is not None:
        return f"*{_meta(row, lang)}*\n\n" + kit.render_markdown(row.report)
    return (f"# {t('grading.feedback-problem', lang)}\n\n*{_meta(row, lang)}*\n\n"
            f"**{t('grading.status', lang)}:** {_status(row.status, lang)}\n\n"
            f"{row.message}\n\n{t('grading.feedback-fix', lang)}\n")


def _status(status: str, lang: str) -> str:
    key = {"scored": "scored", "invalid": "invalid"}.get(status, "not-canvas")
    return t(f"grading.status.{key}", lang)


def html_page(row: Any, run: Any) -> str:
    lang = _lang(row, run)
    e = html.escape
    report = row.report
    if report is None:
        title = t("grading.feedback-problem", lang)
        body = [f"<h1>{e(title)}</h1>", f'<p class="meta">{e(_meta(row, lang))}</p>',
                f"<p><strong>{e(t('grading.status', lang))}:</strong> "
                f"{e(_status(row.status, lang))}</p>", f"<p>{e(row.message)}</p>",
                f"<p>{e(t('grading.feedback-fix', lang))}</p>"]
    else:
        title = f"{t('report.heading', lang)}: {report.title}"
        body = [f"<h1>{e(title)}</h1>", f'<p class="meta">{e(_meta(row, lang))}</p>',
                f'<p class="total"><strong>{e(t("report.total", lang))}: '
                f"{kit.number(report.total, lang)} / 100</strong></p>",
                f"<table><thead><tr><th>{e(t('report.criterion', lang))}</th>"
                f"<th>{e(t('report.score', lang))}</th>"
                f"<th>{e(t('report.points-header', lang))}</th></tr></thead><tbody>"]
        for c in report.criteria:
            points = f"{kit.number(c.points, lang, digits=1)} / {kit.number(c.weight, lang)}"
            body.append(f"<tr><td>{e(c.name)}</td><td>{c.score}/4</td>"
                        f"<td>{points}</td></tr>")
        body.append("</tbody></table>")
        body.append(f"<p><strong>{e(t('report.best', lang))}:</strong> "
                    f"{e(kit.best_line(report))}</p>")
        for c in report.criteria:
            body += [f"<h2>{e(c.name)} — {c.score}/4</h2>",
                     f"<p><strong>{e(t('report.why', lang))}.</strong> {e(c.explanation)}</p>",
                     f"<p><strong>{e(t('report.try', lang))}.</strong> {e(c.suggestion)}</p>",
                     f"<p><em>{e(t('report.source', lang))}: {e(c.source)}</em></p>"]
        body.append(f"<p>{e(t('report.rubric', lang))}: {e(report.rubric)}</p>")
    return kit.html_page(title, body, lang, STYLE)


def lms_text(row: Any) -> str:
    """One line for the LMS's feedback column."""
    report = row.report
    if report is None:
        return row.message
    best = report.best_change()
    text = best.text if best is not None else t("report.best-none", report.language)
    return t("grading.lms-feedback", report.language, total=report.total, best=text)


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


class FeedbackWriter:
    """Writes ``feedback/<id>.md`` and ``.html`` as the class is scored, then the ZIP.

    The files go into a new hidden folder beside ``feedback/``, which then takes its
    place with two renames: ``feedback/`` always holds one whole run, never a mix, and
    feedback an earlier run left for students no longer in the folder goes with the old
    folder. (Writing 2,000 files one by one with :func:`write_atomic`, each waiting for
    the disk, costs more than scoring the class.) A second file for the same id becomes
    ``<id>-2``, and so on, in file order.
    """

    def __init__(self, run: Any):
        self.run = run
        self.folder = run.out / "feedback"
        for leftover in run.out.glob(".feedback-*"):  # from a run that was interrupted
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging = run.out / f".feedback-new-{os.getpid()}"
        self.staging.mkdir(parents=True)
        self.taken: dict[str, int] = {}
        self.pages: dict[str, str] = {}

    def add(self, row: Any) -> None:
        base = safe_name(row.student_id)
        self.taken[base] = self.taken.get(base, 0) + 1
        stem = base if self.taken[base] == 1 else f"{base}-{self.taken[base]}"
        while f"{stem}.md" in self.pages:
            stem += "_"
        row.feedback = stem
        row.lms_feedback = lms_text(row)
        for name, text in ((f"{stem}.md", markdown(row, self.run)),
                           (f"{stem}.html", html_page(row, self.run))):
            self.pages[name] = text
            _write(self.staging / name, text)

    def abort(self) -> None:
        """Drop the half-written new folder; the old ``feedback/`` stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self) -> list[Path]:
        """Put the new folder in place and write ``feedback.zip``; the files written."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in sorted(self.pages.items()):
                info = zipfile.ZipInfo(f"feedback/{name}", ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, text.encode("utf-8"))
        old = self.run.out / f".feedback-old-{os.getpid()}"
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(self.staging, self.folder)
        shutil.rmtree(old, ignore_errors=True)
        zipped = write_atomic(self.run.out / "feedback.zip", buffer.getvalue())
        return [*(self.folder / name for name in sorted(self.pages)), zipped]
