"""Charts of the case-study library: the case map, criterion scores, illustrative data.

Each chart function returns a matplotlib Figure that carries its own alt text, written by
a companion ``*_alt`` function (the words a screen reader says for it), so
:func:`crkit.views.charts.show` needs nothing more::

    show(scores_chart(case, "es"))  # the same as alt=scores_alt(case, "es")

Figures built from made-up numbers (cohorts, funnels) are stamped with
:func:`crkit.views.charts.mark_illustrative`.
"""

from __future__ import annotations

import math
import os
import textwrap
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.cases import Case, list_cases
from crkit.core.i18n import check_language, localized, t
from crkit.core.illustrative import cohort_counts, funnel_counts
from crkit.core.metrics import cohort_retention, funnel_conversion
from crkit.core.numbers import number, percent
from crkit.scoring.engine import score
from crkit.views.canvas_figure import text_colour
from crkit.views.charts import (
    PALETTE,
    TYPE_COLOURS,
    describe,
    figure,
    funnel_chart,
    mark_illustrative,
)

#: weight of a case's main types against its secondary ones on the personal axis
MAIN_WEIGHT = 2
INK = "#1A1A1A"


# --- the case map ----------------------------------------------------------------------
def personal_score(case: Case) -> float:
    """How personal a case's relationships are, 0 (no person) to 4 (a named person).

    The mean of the ``human_involvement`` scores (0-4, from the kit's knowledge of the
    six types) of the case's types, each main type counting twice
    (:data:`MAIN_WEIGHT`) and each secondary type once.
    """
    pairs = [(t_, MAIN_WEIGHT) for t_ in case.types_main]
    pairs += [(t_, 1) for t_ in case.types_secondary if t_ not in case.types_main]
    total = sum(w * knowledge.get("types", t_)["human_involvement"] for t_, w in pairs)
    return total / sum(w for _, w in pairs)


def cost_share(canvas: Canvas) -> float | None:
    """Yearly cost to serve a customer as a share of the yearly value one brings in.

    Summed over the canvas's segments, each weighted by its number of customers: the cost
    of a segment's customer is the sum of ``cost_per_customer`` over its relationships.
    None when the canvas gives no customers and values to compare.
    """
    cost = value = 0.0
    for segment in canvas.segments:
        if not segment.customers or not segment.value_per_customer:
            continue
        per_customer = sum(r.cost_per_customer or 0 for r in canvas.relationships_of(segment.id))
        cost += segment.customers * per_customer
        value += segment.customers * segment.value_per_customer
    return cost / value if value else None


def case_position(case: Case) -> tuple[float, float | None, list[float]]:
    """(personal score, cost share, cost shares of each canvas) of a case.

    With several canvases the cost share is their geometric mean (the chart's y axis is
    logarithmic) and the list gives the range the chart draws.
    """
    shares = [s for s in (cost_share(c.canvas) for c in case.canvases) if s]
    y = math.exp(sum(math.log(s) for s in shares) / len(shares)) if shares else None
    return personal_score(case), y, shares


def case_map(lang: str | None = None, highlight: str | None = None,
             folder: str | os.PathLike | None = None) -> Any:
    """Where each case sits: how personal (x) and how costly to serve (y).

    x is :func:`personal_score`: the mean ``human_involvement`` (0-4) of the case's
    relationship types from the kit's knowledge, main types weighted twice, secondary
    types once. y is :func:`cost_share`: the case canvas's yearly ``cost_per_customer``
    over its ``value_per_customer``, weighted by customers, on a log scale; a case with
    several canvases (the mobile operators' two eras) shows a vertical line spanning them
    around their geometric mean. Points take the colour of the case's first main type;
    ``highlight`` (a case id) rings one case. Points that would hide each other are
    nudged sideways by a few hundredths.
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    lang = check_language(lang)
    cases = [c for c in list_cases(folder) if case_position(c)[1]]
    fig, ax = figure(8.2, 5.4)
    fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.13)
    ax.set_yscale("log")
    ax.grid(axis="x", alpha=0.3)
    points, ranges = [], []
    nudge = _nudges(cases)
    for case in cases:
        x, y, shares = case_position(case)
        x += nudge.get(case.id, 0.0)
        colour = TYPE_COLOURS.get(case.types_main[0], PALETTE[7])
        if len(shares) > 1:
            ranges.append((x, min(shares), max(shares)))
            ax.plot([x, x], [min(shares), max(shares)], color=colour, lw=2, alpha=0.8,
                    zorder=2, solid_capstyle="round")
            ax.scatter([x] * len(shares), shares, s=28, facecolor="white", edgecolor=colour,
                       linewidth=1.5, zorder=3)
        mine = case.id == highlight
        ax.scatter([x], [y], s=150 if mine else 80, color=colour, zorder=4,
                   edgecolor=INK if mine else "white", linewidth=2 if mine else 1)
        points.append((case, x, y))
    ys = [y for _, _, y in points] + [s for c in cases for s in case_position(c)[2]]
    low, high = (min(ys) / 1.8, max(ys) * 1.8) if ys else (0.01, 1)
    ax.set_ylim(low, high)
    ax.set_xlim(-0.25, 4.25)
    ticks = [v for v in (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1) if low <= v <= high]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(
        lambda v, _: percent(v, lang, digits=1)))
    ax.set_xticks(range(5))
    ax.set_xlabel(t("casechart.map-x", lang))
    ax.set_ylabel("\n".join(textwrap.wrap(t("casechart.map-y", lang), 48)))
    ax.set_title("\n".join(textwrap.wrap(t("casechart.map-title", lang), 72)), loc="left",
                 fontsize=12, fontweight="bold")
    present = []
    for case in cases:
        if case.types_main[0] not in present:
            present.append(case.types_main[0])
    order = knowledge.ids("types")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8,
                      color=TYPE_COLOURS[t_], label=knowledge.name("types", t_, lang))
               for t_ in sorted(present, key=order.index)]
    legend = ax.legend(handles=handles, title=t("casechart.map-legend", lang),
                       loc="upper right", fontsize=8, title_fontsize=8.5, frameon=True,
                       framealpha=0.95)
    obstacles = [(x, lo + (hi - lo) * k / 12) for x, lo, hi in ranges for k in range(13)]
    _place_labels(fig, ax, [(case.company_name(lang), x, y, case.id == highlight)
                            for case, x, y in points], obstacles,
                  [legend.get_window_extent(fig.canvas.get_renderer())])
    return describe(fig, case_map_alt(lang, folder))


def _nudges(cases: list[Case], close: float = 0.04, step: float = 0.08) -> dict[str, float]:
    """Small sideways shifts for cases whose points would sit on top of each other."""
    out: dict[str, float] = {}
    spots = sorted((round(case_position(c)[0], 2), math.log10(case_position(c)[1]), c.id)
                    for c in cases)
    group: list[str] = []
    for i, (x, ly, cid) in enumerate(spots):
        group.append(cid)
        following = spots[i + 1] if i + 1 < len(spots) else None
        if following and following[0] == x and following[1] - ly < close:
            continue
        for k, member in enumerate(group):
            out[member] = (k - (len(group) - 1) / 2) * step
        group = []
    return out


def _place_labels(fig: Any, ax: Any, items: list[tuple[str, float, float, bool]],
                  obstacles: list[tuple[float, float]] = (), boxes: list[Any] = ()) -> None:
    """Put each point's label where it overlaps no other label, point, line, box or edge."""
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = list(boxes)
    dots = [ax.transData.transform((x, y)) for _, x, y, _ in items]
    dots += [ax.transData.transform(xy) for xy in obstacles]
    frame = ax.get_window_extent(renderer)
    offsets = [(9, 0, "left", "center"), (-9, 0, "right", "center"),
               (7, 7, "left", "bottom"), (7, -7, "left", "top"),
               (-7, 7, "right", "bottom"), (-7, -7, "right", "top"),
               (0, 11, "center", "bottom"), (0, -11, "center", "top"),
               (16, 14, "left", "bottom"), (16, -14, "left", "top"),
               (-16, 14, "right", "bottom"), (-16, -14, "right", "top"),
               (24, 0, "left", "center"), (-24, 0, "right", "center")]
    # place labels of crowded points first, so they get the nearest free spots
    order = sorted(range(len(items)), key=lambda i: -sum(
        abs(dots[i][0] - d[0]) + abs(dots[i][1] - d[1]) < 60 for d in dots))
    for i in order:
        label, x, y, bold = items[i]
        best = None
        for dx, dy, ha, va in offsets:
            text = ax.annotate(label, (x, y), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=9, color=INK,
                               fontweight="bold" if bold else "normal")
            box = text.get_window_extent(renderer).expanded(1.06, 1.15)
            clash = sum(box.overlaps(other) for other in placed)
            clash += sum(box.contains(px, py) or _near(box, px, py) for j, (px, py)
                         in enumerate(dots) if j != i)
            outside = not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1))
            cost = clash * 10 + outside * 5 + (abs(dx) + abs(dy)) / 100
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, text, box, dx, dy)
            else:
                text.remove()
            if cost < 1:
                break
        _, text, box, dx, dy = best
        if abs(dx) + abs(dy) > 20:
            ax.annotate("", (x, y), xytext=(dx * 0.8, dy * 0.8), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.7})
        placed.append(box)


def _near(box: Any, px: float, py: float, radius: float = 7) -> bool:
    return box.x0 - radius < px < box.x1 + radius and box.y0 - radius < py < box.y1 + radius


def case_map_alt(lang: str | None = None, folder: str | os.PathLike | None = None) -> str:
    """Words for :func:`case_map`: the axes, then each case's position."""
    lang = check_language(lang)
    cases = sorted((c for c in list_cases(folder) if case_position(c)[1]),
                   key=lambda c: case_position(c)[0])
    items = []
    for case in cases:
        x, y, _ = case_position(case)
        items.append(t("casechart.map-alt-item", lang, company=case.company_name(lang),
                       x=number(round(x, 1), lang),
                       y=percent(y, lang, digits=1),
                       type=knowledge.name("types", case.types_main[0], lang).lower()))
    return t("casechart.map-alt", lang, count=len(items), items="; ".join(items))


# --- criterion scores ------------------------------------------------------------------
def _reports(case: Case, lang: str) -> list[Any]:
    return [score(c.canvas, lang=lang) for c in case.canvases]


def scores_chart(case: Case, lang: str | None = None) -> Any:
    """Horizontal bars of each criterion's score (0-4), one bar per canvas of the case.

    A case with two canvases (the mobile operators' acquisition and retention eras) shows
    them side by side, so the comparison its ``claims`` state can be seen.
    """
    lang = check_language(lang)
    reports = _reports(case, lang)
    n = len(reports)
    criteria = reports[0].criteria
    fig, ax = figure(7.8, 1.2 + 0.5 * len(criteria) * max(1, 0.75 * n))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", alpha=0.3)
    band = 0.8 / n
    for k, (cc, report) in enumerate(zip(case.canvases, reports)):
        ys = [i + (k - (n - 1) / 2) * band for i in range(len(criteria))]
        values = [c.score for c in report.criteria]
        label = t("casechart.scores-legend", lang, label=cc.label(lang),
                  total=number(report.total, lang))
        ax.barh(ys, values, height=band * 0.92, color=PALETTE[k % 6],
                label="\n".join(textwrap.wrap(label, 70)))
        for y, v in zip(ys, values):
            ax.text(v + 0.05, y, str(v), va="center", ha="left", fontsize=9, color=INK)
    ax.set_yticks(range(len(criteria)))
    ax.set_yticklabels([c.name for c in criteria])
    ax.invert_yaxis()
    ax.set_xlim(0, 4.4)
    ax.set_xticks(range(5))
    ax.set_xlabel(t("casechart.scores-x", lang))
    title = t("casechart.scores-title", lang, company=case.company_name(lang))
    ax.set_title(title, loc="left",
                 fontsize=12, fontweight="bold")
    fig.tight_layout()
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.55 / fig.get_figheight() - 0.04),
              fontsize=8.5, frameon=False, ncol=1, borderaxespad=0)
    return describe(fig, scores_alt(case, lang))


def scores_alt(case: Case, lang: str | None = None) -> str:
    """Words for :func:`scores_chart`: each canvas's scores and total."""
    lang = check_language(lang)
    parts = []
    for cc, report in zip(case.canvases, _reports(case, lang)):
        scores = ", ".join(f"{c.name} {c.score}" for c in report.criteria)
        parts.append(t("casechart.scores-alt-item", lang, label=cc.label(lang),
                       scores=scores, total=number(report.total, lang)))
    return t("casechart.scores-alt", lang, company=case.company_name(lang),
             items=" ".join(parts))


def claim_text(case: Case, lang: str | None = None) -> str:
    """The case's ``claims`` in words, with the scores that back them (or do not)."""
    lang = check_language(lang)
    reports = dict(zip((c.id for c in case.canvases), _reports(case, lang)))
    labels = {c.id: c.label(lang) for c in case.canvases}
    lines = []
    for claim in case.claims:
        high = reports[claim["higher"]].criterion(claim["criterion"])
        low = reports[claim["lower"]].criterion(claim["criterion"])
        key = "casechart.claim" if high.score > low.score else "casechart.claim-fails"
        lines.append(t(key, lang, criterion=high.name, higher=labels[claim["higher"]],
                       lower=labels[claim["lower"]], high=high.score, low=low.score))
    return "\n\n".join(lines)


# --- illustrative data -----------------------------------------------------------------
def _spec(case: Case, spec: dict | int) -> dict:
    return case.illustrative[spec] if isinstance(spec, int) else spec


def _stage_name(stage: str, lang: str) -> str:
    folded = knowledge.fold("stages", stage)
    return knowledge.name("stages", folded, lang) if folded else str(stage)


def cohort_table(spec: dict) -> Any:
    """Retention (active / cohort size) per cohort and month, from the spec's seed."""

    return cohort_retention(cohort_counts(spec["seed"], **(spec.get("params") or {})))


def funnel_table(spec: dict) -> tuple[Any, Any]:
    """(customers reaching each stage, conversion of each step), from the spec's seed."""

    counts = funnel_counts(spec["seed"], **(spec.get("params") or {}))
    return counts, funnel_conversion(counts)


def illustrative_chart(case: Case, spec: dict | int, lang: str | None = None) -> Any:
    """A chart of one of the case's ``illustrative`` entries, stamped as illustrative.

    ``cohort``: a heatmap of the share of each monthly cohort still active
    (:func:`crkit.core.illustrative.cohort_counts`, :func:`crkit.core.metrics.cohort_retention`).
    ``funnel``: customers reaching each lifecycle stage, with the conversion of each step
    (:func:`crkit.core.illustrative.funnel_counts`, :func:`crkit.core.metrics.funnel_conversion`).
    """
    lang = check_language(lang)
    spec = _spec(case, spec)
    if spec["kind"] == "funnel":
        fig = _funnel_chart(spec, lang)  # the kit's one funnel chart stamps itself
    elif spec["kind"] == "cohort":
        fig = mark_illustrative(_cohort_chart(spec, lang), lang)
    else:
        raise ValueError(f"unknown illustrative kind {spec['kind']!r}; use cohort or funnel")
    return describe(fig, illustrative_alt(case, spec, lang))


def _caption(fig: Any, spec: dict, lang: str) -> None:
    label = localized(spec.get("label") or {}, lang)
    if label:
        fig.text(0.01, 0.935, "\n".join(textwrap.wrap(label, 118)), fontsize=8.5,
                 color="#444444", va="top", ha="left")


def _cohort_chart(spec: dict, lang: str) -> Any:
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    table = cohort_table(spec)
    values = table.to_numpy(dtype=float)
    rows, cols = values.shape
    fig, ax = figure(8.4, 1.9 + 0.42 * rows)
    ax.grid(False)
    ax.spines[["left", "bottom"]].set_visible(False)
    low = float(np.nanmin(values))
    norm = Normalize(vmin=min(low, 0.999) - 0.02, vmax=1.0)
    cmap = colormaps["Blues"]
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    for r in range(rows):
        for c in range(cols):
            v = values[r, c]
            if np.isnan(v):
                continue
            ink = text_colour(_hex(cmap(norm(v))))
            ax.text(c, r, f"{round(100 * v)}%", ha="center", va="center", fontsize=8,
                    color=ink)
    ax.set_xticks(range(cols))
    ax.set_xticklabels([str(c) for c in range(cols)])
    ax.set_yticks(range(rows))
    ax.set_yticklabels([t("casechart.cohort-name", lang, n=r + 1) for r in range(rows)])
    ax.tick_params(length=0)
    ax.set_xlabel(t("casechart.cohort-x", lang))
    bar = fig.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
    bar.ax.yaxis.set_major_formatter(_percent_formatter(lang))
    bar.set_label(t("casechart.cohort-bar", lang), fontsize=8.5)
    fig.subplots_adjust(top=1 - 0.85 / fig.get_figheight(), bottom=0.5 / fig.get_figheight()
                        + 0.08, left=0.12, right=0.98)
    fig.suptitle(t("casechart.cohort-title", lang), x=0.01, y=0.985, ha="left",
                 fontsize=12, fontweight="bold")
    _caption(fig, spec, lang)
    return fig


def _funnel_chart(spec: dict, lang: str) -> Any:
    counts, _ = funnel_table(spec)
    named = counts.copy()
    named.index = [_stage_name(s, lang) for s in counts.index]
    label = localized(spec.get("label") or {}, lang) or None
    return funnel_chart(named, lang, title=t("casechart.funnel-title", lang),
                        note="\n".join(textwrap.wrap(label, 85)) if label else None)


def _hex(rgba: tuple) -> str:
    from matplotlib.colors import to_hex

    return to_hex(rgba[:3])


def _percent_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: percent(v, lang))


def illustrative_alt(case: Case, spec: dict | int, lang: str | None = None) -> str:
    """Words for :func:`illustrative_chart`."""

    lang = check_language(lang)
    spec = _spec(case, spec)
    label = localized(spec.get("label") or {}, lang) or ""
    if spec["kind"] == "cohort":
        table = cohort_table(spec)
        first = table.iloc[0].dropna()
        return t("casechart.cohort-alt", lang, cohorts=table.shape[0], periods=table.shape[1],
                 last=int(first.index[-1]), share=percent(float(first.iloc[-1]), lang),
                 label=label)
    counts, steps = funnel_table(spec)
    items = [f"{_stage_name(counts.index[0], lang)} {number(int(counts.iloc[0]), lang)}"]
    for k in range(1, len(counts)):
        items.append(t("casechart.funnel-alt-item", lang,
                       stage=_stage_name(counts.index[k], lang),
                       count=number(int(counts.iloc[k]), lang),
                       rate=percent(float(steps.iloc[k - 1]), lang)))
    return t("casechart.funnel-alt", lang, items="; ".join(items), label=label)
