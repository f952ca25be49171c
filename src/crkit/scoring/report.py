"""Render a score report for people: plain text for the terminal, Markdown for files."""

from __future__ import annotations

import textwrap

from crkit.core.i18n import messages, t
from crkit.core.numbers import number
from crkit.scoring.engine import ScoreReport

WIDTH = 88


def _bar(score: int) -> str:
    return "■" * score + "□" * (4 - score)


def kit_choice_text(ids: list[str], lang: str | None = None) -> str:
    """The rubric's own choices in words ('the cost-to-value bands and their credit')."""
    return "; ".join(t(f"param.{id_}", lang) if f"param.{id_}" in messages() else id_
                     for id_ in ids)


def best_line(report: ScoreReport) -> str:
    """'What would help most' as one sentence in the report's language."""
    best = None if report.blank else report.best_change()
    if best is None:
        return report.no_change_line()
    return t("report.best-gain", report.language, text=best.text, total=report.total,
             new_total=best.new_total)


def render_text(report: ScoreReport) -> str:
    """A readable terminal report: total, then each criterion with why and what to try."""
    lang = report.language
    wrap = textwrap.TextWrapper(width=WIDTH, initial_indent="    ", subsequent_indent="    ")
    lines = [
        f"{t('report.heading', lang)}: {report.title}",
        f"{t('report.total', lang)}: {number(report.total, lang)} / 100",
        "",
    ]
    for c in report.criteria:
        points = t("report.points", lang, points=number(c.points, lang, digits=1),
                   weight=number(c.weight, lang))
        lines.append(f"{c.name:<34} {_bar(c.score)} {c.score}/4   {points}")
        lines.extend(wrap.wrap(f"{t('report.why', lang)}: {c.explanation}"))
        lines.extend(wrap.wrap(f"{t('report.try', lang)}: {c.suggestion}"))
        lines.append("")
    lines.extend(textwrap.wrap(f"{t('report.best', lang)}: {best_line(report)}", WIDTH))
    lines.append(f"{t('report.rubric', lang)}: {report.rubric}")
    return "\n".join(lines) + "\n"


def render_markdown(report: ScoreReport) -> str:
    """A Markdown report with a summary table, then reasons, suggestions and sources."""
    lang = report.language
    out = [
        f"# {t('report.heading', lang)}: {report.title}",
        "",
        f"**{t('report.total', lang)}: {number(report.total, lang)} / 100**",
        "",
        f"| {t('report.criterion', lang)} | {t('report.score', lang)} | "
        f"{t('report.points-header', lang)} |",
        "| --- | --- | --- |",
    ]
    for c in report.criteria:
        out.append(f"| {c.name} | {c.score}/4 | {number(c.points, lang, digits=1)} / "
                   f"{number(c.weight, lang)} |")
    out += ["", f"**{t('report.best', lang)}:** {best_line(report)}", ""]
    for c in report.criteria:
        out += [
            f"## {c.name} — {c.score}/4",
            "",
            f"**{t('report.why', lang)}.** {c.explanation}",
            "",
            f"**{t('report.try', lang)}.** {c.suggestion}",
            "",
            f"*{t('report.source', lang)}: {c.source}*",
        ]
        if c.kit_choice:
            out.append(f"*{t('report.kit-choice', lang)}: {kit_choice_text(c.kit_choice, lang)}*")
        out.append("")
    out.append(f"{t('report.rubric', lang)}: {report.rubric}")
    return "\n".join(out) + "\n"
