"""Shared look and display of the kit's figures: readable colours, titles, alt text.

Every figure in the kit is a matplotlib Figure with a title and labelled axes, shown with
:func:`show`, which attaches alt text so screen readers (and the course site) can describe
it. Colours come from the Okabe-Ito palette, which stays distinguishable for the common
kinds of colour blindness.
"""

from __future__ import annotations

import base64
import html
import io
import re
from typing import Any

from crkit.core import knowledge, metrics
from crkit.core.i18n import t
from crkit.core.numbers import money, number, percent
from crkit.scoring.rubric import default_rubric

#: Okabe-Ito colour-blind-safe palette
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]
#: one fixed colour per relationship type, used by every chart
TYPE_COLOURS = {
    "personal-assistance": "#0072B2",
    "dedicated-personal-assistance": "#56B4E9",
    "self-service": "#E69F00",
    "automated-services": "#D55E00",
    "communities": "#009E73",
    "co-creation": "#CC79A7",
}


def figure(width: float = 7.5, height: float = 4.2) -> tuple[Any, Any]:
    """A new figure and axes in the kit's style (Agg backend works headless)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    return fig, ax


def mark_illustrative(fig: Any, lang: str | None = None, text: str | None = None) -> Any:
    """Stamp a figure built from made-up numbers in its bottom-right corner; return it.

    The stamp reads 'Illustrative data' in ``lang`` unless ``text`` gives other words
    (already in the reader's language), such as the caveat of the kit's own assumptions.
    """

    fig.text(0.99, 0.01, text or t("chart.illustrative", lang), ha="right", va="bottom",
             fontsize=8, style="italic", color="#444444")
    return fig


#: the attribute a figure keeps its description (alt text) in
_ALT = "_crkit_alt"


def describe(fig: Any, text: str) -> Any:
    """Attach the words a screen reader says for ``fig`` (its alt text); return the figure.

    The figure functions of the kit describe what they draw from the same numbers, in the
    reader's language, so :func:`show` needs no hand-written alt text.
    """
    setattr(fig, _ALT, _one_line(text))
    return fig


def description(fig: Any) -> str | None:
    """The alt text :func:`describe` attached to ``fig``, or None."""
    return getattr(fig, _ALT, None)


def png_bytes(fig: Any, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (deterministic: no timestamp metadata)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight",
                metadata={"Software": None})
    return buffer.getvalue()


def _alt_of(fig: Any, alt: str | None) -> str:
    text = alt if alt is not None else description(fig)
    if not text or not str(text).strip():
        raise ValueError("a figure needs alt text: describe it with charts.describe(fig, text) "
                         "or pass alt=")
    return _one_line(text)


def _one_line(text: str) -> str:
    """Runs of spaces and line breaks as one space; no-break spaces (8,01\u00a0US$) kept."""
    return re.sub(r"[ \t\r\n]+", " ", str(text)).strip()


def img_tag(fig: Any, alt: str | None = None, *, close: bool = True, dpi: int = 100) -> str:
    """The figure as an ``<img>`` (PNG inlined as base64) with its alt text, for widgets
    and static pages; ``alt`` defaults to the figure's own description. Closes the figure
    unless ``close=False``."""
    text = _alt_of(fig, alt)
    return _img(base64.b64encode(png_bytes(fig, dpi)).decode("ascii"), text, fig, close)


def _img(encoded: str, alt: str, fig: Any, close: bool) -> str:
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return (f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" '
            f'style="max-width:100%"/>')


def show(fig: Any, alt: str | None = None) -> None:
    """Display a figure in a notebook with its alt text, then close it.

    ``alt`` defaults to the description the figure function attached (:func:`describe`).
    The output carries both a PNG (for Jupyter and tests) and an ``<img alt=...>`` (which
    the course site renders), so the description travels with the picture.
    """
    from IPython.display import display

    text = _alt_of(fig, alt)
    encoded = base64.b64encode(png_bytes(fig)).decode("ascii")
    display({"image/png": encoded, "text/html": _img(encoded, text, fig, True),
             "text/plain": text}, raw=True, metadata={"image/png": {"alt": text}})


# --- figures of the teaching notebooks (01, 02, 09-13) ------------------------------------
# Each takes plain numbers prepared by a lesson module (crkit.lessons.block, bonds, lifecycle,
# economics, practices, scorecard) and returns a Figure with a title and labelled axes.


def _label(ax: Any, key: str, lang: str | None) -> None:
    """Title and axis labels of a lesson chart, from ``lesson.chart.<key>.title/x/y``."""

    ax.set_title(t(f"lesson.chart.{key}.title", lang))
    ax.set_xlabel(t(f"lesson.chart.{key}.x", lang))
    ax.set_ylabel(t(f"lesson.chart.{key}.y", lang))


def _finish_with_note(fig: Any, key: str, lang: str | None) -> None:
    """Leave room under the axes for the chart's source line, then write it."""

    fig.tight_layout(rect=(0, 0.05, 1, 1))
    _note(fig, t(f"lesson.chart.{key}.note", lang))


def _note(fig: Any, text: str) -> None:
    """A small source or caveat line under the axes (left corner)."""
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=8, color="#444444",
             wrap=True)


def types_map(lang: str | None = None) -> Any:
    """The six relationship types placed by scalability (x) and intimacy (y).

    Positions and bubble sizes (cost to serve) are the kit's own 0-4 judgements from
    ``data/knowledge/relationship_types.yaml``: a map for discussion, not a measurement.
    """

    fig, ax = figure(7.5, 5.2)
    ax.grid(alpha=0.3)
    for entry in knowledge.relationship_types():
        x, y = entry["scalability"], entry["intimacy"]
        ax.scatter(x, y, s=140 + 110 * entry["cost_to_serve"], color=TYPE_COLOURS[entry["id"]],
                   edgecolor="black", linewidth=0.6, zorder=3, alpha=0.9)
        right = x >= 3.5
        ax.annotate(knowledge.name("types", entry["id"], lang), (x, y),
                    xytext=(-14 if right else 14, 10), textcoords="offset points",
                    ha="right" if right else "left", fontsize=10)
    ax.set_xlim(-0.6, 4.7)
    ax.set_ylim(-0.6, 4.7)
    ax.set_xticks(range(5))
    ax.set_yticks(range(5))
    _label(ax, "types-map", lang)
    _finish_with_note(fig, "types-map", lang)
    return describe(fig, types_map_alt(lang))


def types_map_alt(lang: str | None = None) -> str:
    """Words for :func:`types_map`: each type's intimacy, scalability and cost to serve."""
    entries = knowledge.relationship_types()
    items = [t("lesson.alt.types-map-item", lang, type=knowledge.name("types", e["id"], lang),
               intimacy=number(e["intimacy"], lang), scalability=number(e["scalability"], lang),
               cost=number(e["cost_to_serve"], lang)) for e in entries]
    return t("lesson.alt.types-map", lang, count=number(len(entries), lang),
             items="; ".join(items))


def criteria_bars(scores: dict[str, dict[str, int]], title: str,
                  lang: str | None = None) -> Any:
    """Scores 0-4 per rubric criterion for one or more canvases, as grouped bars.

    Parameters
    ----------
    scores : dict
        Canvas label -> {criterion id: score 0-4}, in the order to draw.
    title : str
        The figure's title (already in ``lang``).
    """
    import numpy as np


    criteria = [c for c in default_rubric().criteria
                if any(c.id in s for s in scores.values())]
    fig, ax = figure(7.5, 1.2 + 0.75 * len(criteria))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    y = np.arange(len(criteria))
    height = 0.8 / max(len(scores), 1)
    for k, (label, values) in enumerate(scores.items()):
        offsets = y - 0.4 + height * (k + 0.5)
        bars = ax.barh(offsets, [values.get(c.id, 0) for c in criteria], height=height,
                       color=PALETTE[k % len(PALETTE)], label=label)
        ax.bar_label(bars, fmt="%d", padding=3, fontsize=8)
    ax.set_yticks(y, [c.label(lang) for c in criteria])
    ax.invert_yaxis()
    ax.set_xlim(0, 4.4)
    ax.set_xticks(range(5))
    ax.set_title(title)
    ax.set_xlabel(t("lesson.chart.criteria.x", lang))
    ax.set_ylabel(t("lesson.chart.criteria.y", lang))
    if len(scores) > 1:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, frameon=False,
                  fontsize=9)
    fig.tight_layout()
    items = [t("lesson.alt.criteria-item", lang, label=label, scores=", ".join(
        f"{c.label(lang)} {number(values.get(c.id, 0), lang)}" for c in criteria))
        for label, values in scores.items()]
    return describe(fig, t("lesson.alt.criteria", lang, title=title, items=" ".join(items)))


def criteria_points(report: Any, lang: str | None = None) -> Any:
    """Points a scored canvas earns (dark) and misses (light) on each criterion, out of 100."""

    names = [c.name for c in report.criteria]
    earned = [c.points for c in report.criteria]
    missed = [c.weight - c.points for c in report.criteria]
    fig, ax = figure(7.5, 4.4)
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    ax.barh(names, earned, color=PALETTE[2], label=t("lesson.chart.points.earned", lang))
    ax.barh(names, missed, left=earned, color="#dddddd", edgecolor="#999999",
            label=t("lesson.chart.points.missed", lang))
    for i, (got, lost) in enumerate(zip(earned, missed)):
        ax.text(got + lost + 0.3, i, f"{number(got, lang, digits=1)} / {number(got + lost, lang)}",
                va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(c.weight for c in report.criteria) * 1.3)
    ax.set_title(t("lesson.chart.points.title", lang, title=report.title, total=report.total))
    ax.set_xlabel(t("lesson.chart.points.x", lang))
    ax.set_ylabel(t("lesson.chart.criteria.y", lang))
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    fig.tight_layout()
    items = [t("lesson.alt.points-item", lang, name=c.name, points=number(c.points, lang, digits=1),
               weight=number(c.weight, lang)) for c in report.criteria]
    return describe(fig, t("lesson.alt.points", lang, title=report.title,
                           total=number(report.total, lang, digits=1), items="; ".join(items)))


def value_curves(churns: dict[str, float], months: int = 120,
                 lang: str | None = None) -> Any:
    """Expected margin one customer brings over time, for several monthly churn rates.

    A customer pays one month's margin, then stays each month with probability ``1 - c``;
    the expected total after ``T`` months is ``(1 - (1 - c)**T) / c`` months of margin and
    tends to the simple lifetime value ``1 / c`` (dashed line), margin / churn.
    """
    import numpy as np


    fig, ax = figure(7.5, 4.6)
    horizon = np.arange(0, months + 1)
    for k, (label, churn) in enumerate(churns.items()):
        colour = PALETTE[k % len(PALETTE)]
        earned = (1 - (1 - churn) ** horizon) / churn
        ax.plot(horizon, earned, color=colour, linewidth=2,
                label=t("lesson.chart.value.line", lang, label=label,
                        churn=number(100 * churn, lang, digits=2),
                        ltv=number(1 / churn, lang, digits=0)))
        ax.axhline(1 / churn, color=colour, linestyle="--", linewidth=1)
    ax.set_xlim(0, months)
    ax.set_ylim(0, 1.35 / min(churns.values()))  # room for the legend above the lines
    _label(ax, "value", lang)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    _finish_with_note(fig, "value", lang)
    return describe(fig, value_curves_alt(churns, months, lang))


def value_curves_alt(churns: dict[str, float], months: int = 120,
                     lang: str | None = None) -> str:
    """Words for :func:`value_curves`: where each line is after ``months`` and its ceiling."""
    items = [t("lesson.alt.value-item", lang, label=label,
               churn=percent(churn, lang, digits=2), months=number(months, lang),
               reached=number((1 - (1 - churn) ** months) / churn, lang, digits=0),
               ltv=number(1 / churn, lang, digits=0)) for label, churn in churns.items()]
    return t("lesson.alt.value", lang, months=number(months, lang), items="; ".join(items))


def funnel_chart(counts: Any, lang: str | None = None, *, title: str | None = None,
                 note: str | None = None, branches: Any = None) -> Any:
    """A funnel: customers reaching each stage as bars, the step conversion beside each.

    ``counts`` is a pandas Series indexed by stage names (in ``lang``), in order. The one
    funnel of the kit: notebook 10 and the case pages both draw it. ``branches`` (a Series
    of groups of the customers at the last stage, such as those who stay and those who buy
    more) are drawn after it in another colour, each as a share of that last stage, not as
    a further step. The numbers are always made up, so the figure is stamped as
    illustrative; ``note`` goes under the axes.
    """
    values = [float(v) for v in counts.to_numpy()]
    names = [str(i) for i in counts.index]
    extra = [] if branches is None else [float(v) for v in branches.to_numpy()]
    extra_names = [] if branches is None else [str(i) for i in branches.index]
    top = max(values)
    fig, ax = figure(7.5, 3.2 + 0.3 * (len(values) + len(extra)))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    ax.barh(names, values, color=PALETTE[0])
    if extra:
        ax.barh(extra_names, extra, color=PALETTE[1], hatch="//", edgecolor="white")
    ax.xaxis.set_major_formatter(lambda x, _pos: number(x, lang, digits=0))
    for i, value in enumerate(values):
        text = number(value, lang, digits=0)
        if i:
            text += "  " + t("lesson.chart.funnel.step", lang,
                             percent=percent(value / values[i - 1], lang, digits=1))
        ax.text(value + top * 0.015, i, text, va="center", fontsize=9)
    for k, value in enumerate(extra):
        text = number(value, lang, digits=0) + "  " + t(
            "lesson.chart.funnel.branch", lang, percent=percent(value / values[-1], lang,
                                                                digits=1))
        ax.text(value + top * 0.015, len(values) + k, text, va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.55)
    _label(ax, "funnel", lang)
    if title:
        ax.set_title(title)
    fig.tight_layout(rect=(0, 0.09 if note else 0.04, 1, 1))
    if note:
        _note(fig, note)
    mark_illustrative(fig, lang)
    return fig


def cohort_chart(retention: Any, lang: str | None = None, highlight: float | None = None) -> Any:
    """Share of each cohort still active, month by month since joining.

    ``retention`` is a cohort-retention table (rows: cohorts, columns: months since
    joining, values 0-1, NaN where not yet observed), as :func:`crkit.core.metrics.cohort_retention`
    returns it. ``highlight`` draws the curve a constant monthly retention would give.
    """
    import numpy as np


    fig, ax = figure(7.5, 4.4)
    months = np.array([float(c) for c in retention.columns])
    for k, (label, row) in enumerate(retention.iterrows()):
        ax.plot(months, 100 * row.to_numpy(dtype=float), marker="o", markersize=3,
                linewidth=1.5, color=PALETTE[k % len(PALETTE)], label=str(label))
    if highlight is not None:
        ax.plot(months, 100 * highlight ** months, color="black", linestyle="--",
                linewidth=1, label=t("lesson.chart.cohort.constant", lang,
                                     percent=percent(highlight, lang, digits=1)))
    ax.set_ylim(0, 105)
    ax.set_xlim(0, months.max())
    _label(ax, "cohort", lang)
    ax.legend(frameon=False, fontsize=8, ncol=2, loc="lower left")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    mark_illustrative(fig, lang)
    return describe(fig, cohort_chart_alt(retention, lang, highlight))


def cohort_chart_alt(retention: Any, lang: str | None = None,
                     highlight: float | None = None) -> str:
    """Words for :func:`cohort_chart`: how many cohorts, what the first one keeps and when."""
    first = retention.iloc[0].dropna()
    text = t("lesson.alt.cohort-curves", lang, cohorts=number(len(retention), lang),
             kept=percent(float(first.iloc[-1]), lang), months=number(float(first.index[-1]),
                                                                       lang))
    if highlight is not None:
        text += " " + t("lesson.alt.cohort-constant", lang,
                        percent=percent(highlight, lang, digits=1))
    return text


def labelled_bars(labels: list[str], values: list[float], title: str, xlabel: str,
                  kind: str = "number", note: str | None = None,
                  colours: list[str] | None = None, ylabel: str = "",
                  lang: str | None = None) -> Any:
    """Horizontal bars with their values written beside them and an optional source note.

    ``kind`` says how the values read: ``number``, ``percent`` (values from 0 to 100) or
    ``money`` (US dollars), written in ``lang``.
    """
    write = {"number": lambda v: number(v, lang), "money": lambda v: money(v, lang, digits=2),
             "percent": lambda v: percent(v / 100, lang, digits=0 if v == int(v) else 1)}[kind]
    fig, ax = figure(7.5, 1.4 + 0.55 * len(labels))
    ax.grid(axis="y", alpha=0)
    ax.grid(axis="x", alpha=0.3)
    ax.barh(labels, values, color=colours or PALETTE[0])
    top = max(values) if values else 1
    for i, value in enumerate(values):
        ax.text(value + top * 0.01, i, write(value), va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.2)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout(rect=(0, (0.05 + 0.35 / len(labels)) if note else 0, 1, 1))
    if note:
        _note(fig, note)
    text = t("lesson.alt.bars", lang, title=title, axis=xlabel,
             items="; ".join(f"{label}: {write(value)}" for label, value in zip(labels, values)))
    return describe(fig, f"{text} {note}" if note else text)


def clv_multiples(discount_rate: float, mark: float, lang: str | None = None) -> Any:
    """Lifetime value as a multiple of the margin per period, against retention.

    Two formulas: simple, margin / churn = 1 / (1 - r); and discounted with constant
    retention (Gupta & Lehmann 2003), r / (1 + i - r). ``mark`` is the retention whose
    discounted value is pointed out (0.8 gives 2.67 when i = 0.1).
    """
    import numpy as np


    r = np.linspace(0.3, 0.95, 66)
    fig, ax = figure(7.5, 4.6)
    ax.plot(r, metrics.simple_ltv(1.0, 1 - r), color=PALETTE[1], linewidth=2,
            label=t("lesson.chart.clv.simple", lang))
    ax.plot(r, metrics.discounted_ltv(1.0, r, discount_rate), color=PALETTE[0], linewidth=2,
            label=t("lesson.chart.clv.discounted", lang, percent=percent(discount_rate, lang)))
    value = metrics.discounted_ltv(1.0, mark, discount_rate)
    ax.scatter([mark], [value], color="black", zorder=3)
    ax.annotate(t("lesson.chart.clv.mark", lang, r=number(mark, lang),
                  value=number(value, lang, digits=2)),
                (mark, value), xytext=(22, -16), textcoords="offset points", ha="left",
                fontsize=9, arrowprops={"arrowstyle": "-", "color": "#444444"})
    ax.set_xlim(0.3, 0.95)
    ax.set_ylim(0, 20.5)
    _label(ax, "clv", lang)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    _finish_with_note(fig, "clv", lang)
    low, high = float(r[0]), float(r[-1])
    simple = [float(metrics.simple_ltv(1.0, 1 - x)) for x in (low, high)]
    discounted = [float(metrics.discounted_ltv(1.0, x, discount_rate)) for x in (low, high)]
    return describe(fig, t(
        "lesson.alt.clv", lang, low=number(low, lang), high=number(high, lang),
        simple_low=number(simple[0], lang, digits=1), simple_high=number(simple[1], lang, digits=1),
        rate=percent(discount_rate, lang), disc_low=number(discounted[0], lang, digits=1),
        disc_high=number(discounted[1], lang, digits=1), value=number(value, lang, digits=2),
        mark=number(mark, lang)))


def what_if_chart(churns: Any, values: Any, current: tuple[float, float], cac: float,
                  lang: str | None = None) -> Any:
    """Customer lifetime value across yearly churn rates, with the current case marked.

    Dashed lines show the acquisition cost and three times it (the LTV:CAC rule of thumb,
    Skok): above the upper line the customer pays back its acquisition comfortably.
    """

    fig, ax = figure(7.5, 4.6)
    ax.plot([100 * c for c in churns], values, color=PALETTE[0], linewidth=2,
            label=t("lesson.chart.what-if.curve", lang))
    ax.axhline(3 * cac, color=PALETTE[2], linestyle="--", linewidth=1.2,
               label=t("lesson.chart.what-if.rule", lang, value=money(3 * cac, lang)))
    ax.axhline(cac, color=PALETTE[3], linestyle=":", linewidth=1.2,
               label=t("lesson.chart.what-if.cac", lang, value=money(cac, lang)))
    ax.scatter([100 * current[0]], [current[1]], s=70, color="black", zorder=3,
               label=t("lesson.chart.what-if.now", lang, value=money(current[1], lang)))
    ax.axhline(0, color="#444444", linewidth=0.8)
    _label(ax, "what-if", lang)
    ax.legend(frameon=False, fontsize=8, loc="upper right")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    mark_illustrative(fig, lang)
    return fig
