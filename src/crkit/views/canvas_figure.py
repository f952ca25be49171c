"""Draw a canvas as the familiar Business Model Canvas, limited to the customer side.

The four customer-side blocks sit where learners expect them: value propositions in the
centre, customer relationships top right of centre, channels below them, customer segments
on the far right. The other five blocks (key partners, key activities, key resources, cost
structure, revenue streams) are drawn greyed out, labelled and empty, and narrower than
usual, so the space goes to the blocks this kit is about.

Every item becomes a sticky note: relationships in their type's colour from
:data:`crkit.views.charts.TYPE_COLOURS` (with black or white text, whichever contrasts more),
the rest on pale paper. Texts wrap and shrink to fit their note; when a block holds many
notes the figure grows taller instead of letting the type get too small to read.
Measuring is done with the font's own glyph widths, so nothing overlaps.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas, Relationship, Segment
from crkit.core.i18n import check_language, t
from crkit.core.numbers import number
from crkit.core.storage import write_atomic
from crkit.views.charts import TYPE_COLOURS, png_bytes

#: the nine blocks, in reading order; the first four are drawn, the rest greyed out
CUSTOMER_BLOCKS = ("value-propositions", "customer-relationships", "channels",
                   "customer-segments")
OTHER_BLOCKS = ("key-partners", "key-activities", "key-resources", "cost-structure",
                "revenue-streams")

FONT = "DejaVu Sans"
WIDTH = 11.0             # figure width, inches
MARGIN = 0.22            # outer margin, inches
GAP = 0.08               # space between blocks
TITLE_BAND = 0.72        # title and score above the blocks
BOTTOM_BAND = 0.62       # cost structure and revenue streams
GREY_WIDTH = 0.95        # key partners and key activities / resources columns
HEADER = 0.34            # block label band
PAD = 0.07               # space around and inside notes
LINE = 1.22              # line height, in font sizes
MAX_FONT = 10.5
MIN_FONT = 9.0           # the smallest type the figure prefers (it grows taller first)
FLOOR_FONT = 6.5         # below this, text is cut with an ellipsis instead
MIN_NOTE_WIDTH = 1.35    # notes narrower than this are not worth the extra column
HINTING = 1.07          # rendered text runs up to ~5% wider than its outline measures
HEIGHTS = (5.6, 6.6, 7.6, 8.8, 10.0, 11.5, 13.0, 15.0)  # candidate heights of the blocks

INK = "#1A1A1A"
GREY_FILL = "#EFEFEF"
GREY_EDGE = "#C4C4C4"
GREY_INK = "#5E5E5E"     # 5.6:1 on GREY_FILL
PAPER = {"value-propositions": "#FFF1A8", "channels": "#DCEBF7",
         "customer-segments": "#FBE3CC"}
SHADOW = "#00000022"


# --- colour contrast (WCAG 2.1) ----------------------------------------------------------
def _luminance(colour: str) -> float:
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21; 4.5 or more reads well)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    dark, light = "#000000", "#FFFFFF"
    return dark if contrast_ratio(background, dark) >= contrast_ratio(background, light) \
        else light


# --- measuring and wrapping text ---------------------------------------------------------
@lru_cache(maxsize=8192)
def _width_at_10(text: str, bold: bool) -> float:
    """Width in points of ``text`` at 10 pt (widths scale linearly with the size)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=FONT, size=10, weight="bold" if bold else "normal")
    return text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of text in inches (with a margin for the renderer's hinting)."""
    return _width_at_10(text, bold) * size / 10 / 72 * HINTING


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap (see :func:`_wrap`)."""
    return list(_wrap(str(text), round(width, 4), size, bold))


@lru_cache(maxsize=16384)
def _wrap(text: str, width: float, size: float, bold: bool) -> tuple[str, ...]:
    """Greedy word wrap of ``text`` to ``width`` inches at ``size`` points.

    A word wider than the line is split with a hyphen (layouts avoid needing that; see
    :func:`breaks_words`).
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while text_width(word, size, bold) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut] + "-", size, bold) > width:
                    cut -= 1
                lines.append(word[:cut] + "-")
                word = word[cut:]
            current = word
        lines.append(current)
    return tuple(lines)


def breaks_words(text: str, width: float, size: float, bold: bool = False) -> bool:
    """Whether some word of ``text`` is wider than ``width`` at ``size``."""
    longest = max(str(text).split(), key=lambda w: _width_at_10(w, bold), default="")
    return text_width(longest, size, bold) > width


def _ellipsize(line: str, width: float, size: float, bold: bool) -> str:
    while line and text_width(line + "…", size, bold) > width:
        line = line[:-1]
    return line.rstrip() + "…"


# --- notes ---------------------------------------------------------------------------
@dataclass
class Note:
    """A sticky note: an optional bold title and body lines, on a coloured paper."""

    title: str
    body: list[str] = field(default_factory=list)
    fill: str = "#FFF1A8"
    remark: str | None = None  # a free-text note, set in italics after the body

    @property
    def ink(self) -> str:
        return text_colour(self.fill)

    def lines(self, width: float, size: float) -> list[tuple[str, bool]]:
        out = [(line, True) for line in wrap(self.title, width, size, True)] if self.title else []
        for part in self.body:
            out.extend((line, False) for line in wrap(part, width, size))
        if self.remark:
            out.extend((line, None) for line in wrap(self.remark, width, size))
        return out

    def needed(self, width: float, size: float, split: bool = False) -> float:
        """Height in inches the note needs at ``size`` when ``width`` inches wide.

        Infinite when a word would have to be split (unless ``split``): a layout then
        tries a smaller size or wider notes first.
        """
        inner = width - 2 * PAD
        if not split and (breaks_words(self.title, inner, size, True) or any(
                breaks_words(part, inner, size) for part in [*self.body, self.remark or ""])):
            return math.inf
        return len(self.lines(inner, size)) * size * LINE / 72 + 2 * PAD


def _motivations(rel: Relationship, lang: str) -> str:
    if not rel.motivations:
        return t("canvasfig.no-motivation", lang)
    names = [knowledge.name("motivations", m, lang) for m in rel.motivations]
    return ", ".join([names[0]] + [n[:1].lower() + n[1:] for n in names[1:]])


def _bond(rel: Relationship, lang: str) -> str:
    if not rel.bond:
        return t("canvasfig.no-bond", lang)
    return t("canvasfig.bond", lang, bond=knowledge.name("bonds", rel.bond, lang).lower())


def _cost(rel: Relationship, lang: str) -> str:
    if rel.cost_per_customer is None:
        return t("canvasfig.no-cost", lang)
    return t("canvasfig.cost", lang, cost=number(rel.cost_per_customer, lang))


def _segment_name(canvas: Canvas, segment_id: str) -> str:
    segment = canvas.segment(segment_id)
    return segment.name if segment else segment_id


def relationship_note(canvas: Canvas, rel: Relationship, lang: str) -> Note:
    """Type name, the segment served, motivations, bond and cost per customer."""
    return Note(knowledge.name("types", rel.type, lang), [
        t("canvasfig.for-segment", lang, segment=_segment_name(canvas, rel.segment)),
        _motivations(rel, lang), _bond(rel, lang), _cost(rel, lang),
    ], TYPE_COLOURS.get(rel.type, "#DDDDDD"))


def segment_note(segment: Segment, lang: str) -> Note:
    """Name, customers, yearly value per customer and the segment's own notes."""
    body = [t("canvasfig.customers", lang, customers=number(segment.customers, lang)),
            t("canvasfig.value", lang, value=number(segment.value_per_customer, lang))]
    return Note(segment.name, body, PAPER["customer-segments"], remark=segment.notes)


def notes_of(canvas: Canvas, lang: str) -> dict[str, list[Note]]:
    """The notes of the four customer-side blocks."""
    return {
        "value-propositions": [Note("", [v.text], PAPER["value-propositions"])
                               for v in canvas.value_propositions],
        "customer-relationships": [relationship_note(canvas, r, lang)
                                   for r in canvas.relationships],
        "channels": [Note(c.name, [], PAPER["channels"]) for c in canvas.channels],
        "customer-segments": [segment_note(s, lang) for s in canvas.segments],
    }


# --- layout --------------------------------------------------------------------------
@dataclass
class Grid:
    """How a block's notes are arranged: columns, rows, note size and font size."""

    columns: int
    rows: int
    width: float
    height: float
    size: float


def _fit(note: Note, width: float, height: float) -> float:
    """The largest font size (steps of 0.5 pt) at which the note fits.

    Splitting a long word costs a quarter point; a note that fits at no size gets a
    negative score (the less it overflows, the higher), so layouts still compare.
    """
    for split, penalty in ((False, 0.0), (True, 0.25)):
        size = MAX_FONT
        while size >= FLOOR_FONT:
            if note.needed(width, size, split) <= height:
                return size - penalty
            size -= 0.5
    return -note.needed(width, FLOOR_FONT, True) / max(height, 1e-6)


def _grid(notes: list[Note], width: float, height: float) -> Grid:
    """The arrangement that lets the block's notes use the largest common font size."""
    if not notes:
        return Grid(1, 0, width, height, MAX_FONT)
    best: Grid | None = None
    for columns in range(1, min(len(notes), 3) + 1):
        rows = math.ceil(len(notes) / columns)
        w = (width - (columns + 1) * PAD) / columns
        h = (height - (rows + 1) * PAD) / rows
        if w < MIN_NOTE_WIDTH and columns > 1 or h <= 0:
            continue
        size = min(_fit(n, w, h) for n in notes)
        if best is None or size > best.size + 0.6:  # more columns only for clearly larger type
            best = Grid(columns, rows, w, h, size)
    if best is None:
        return Grid(1, len(notes), width, height, 0.0)
    if best.size > 0:  # notes as tall as the tallest text needs, not stretched to the block
        needed = max(n.needed(best.width, best.size, True) for n in notes)
        best.height = min(best.height, needed + 0.12)
    return best


@dataclass
class Layout:
    """Block rectangles (x, y, w, h in inches from the bottom left) and note grids."""

    height: float
    boxes: dict[str, tuple[float, float, float, float]]
    grids: dict[str, Grid]

    @property
    def size(self) -> float:
        return min(g.size for g in self.grids.values())


#: relative widths of the three customer-side columns (VP, CR/CH, CS) that layouts try
RATIOS = ((1.0, 1.0, 1.0), (0.9, 1.2, 0.9), (0.8, 1.4, 0.8))


def _layout(notes: dict[str, list[Note]], blocks_height: float,
            ratio: tuple[float, float, float] = RATIOS[0]) -> Layout:
    fig_h = TITLE_BAND + blocks_height + BOTTOM_BAND + GAP + 2 * MARGIN
    free = WIDTH - 2 * MARGIN - 2 * GREY_WIDTH - 4 * GAP
    vp_w, cr_w, cs_w = (free * r / sum(ratio) for r in ratio)
    y0 = MARGIN + BOTTOM_BAND + GAP
    x = [MARGIN]
    for w in (GREY_WIDTH, GREY_WIDTH, vp_w, cr_w):
        x.append(x[-1] + w + GAP)
    boxes = {
        "key-partners": (x[0], y0, GREY_WIDTH, blocks_height),
        "value-propositions": (x[2], y0, vp_w, blocks_height),
        "customer-segments": (x[4], y0, cs_w, blocks_height),
    }
    half = (blocks_height - GAP) / 2
    boxes["key-activities"] = (x[1], y0 + half + GAP, GREY_WIDTH, half)
    boxes["key-resources"] = (x[1], y0, GREY_WIDTH, half)
    # relationships and channels share a column: split it where both read largest
    best_split = None
    for share in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        h_cr = (blocks_height - GAP) * share
        h_ch = blocks_height - GAP - h_cr
        cr = _grid(notes["customer-relationships"], cr_w, h_cr - HEADER)
        ch = _grid(notes["channels"], cr_w, h_ch - HEADER)
        key = (min(cr.size, ch.size), cr.size)
        if best_split is None or key > best_split[0]:
            best_split = (key, h_cr, h_ch)
    _, h_cr, h_ch = best_split
    boxes["customer-relationships"] = (x[3], y0 + h_ch + GAP, cr_w, h_cr)
    boxes["channels"] = (x[3], y0, cr_w, h_ch)
    bottom_w = (WIDTH - 2 * MARGIN - GAP) / 2
    boxes["cost-structure"] = (MARGIN, MARGIN, bottom_w, BOTTOM_BAND)
    boxes["revenue-streams"] = (MARGIN + bottom_w + GAP, MARGIN, bottom_w, BOTTOM_BAND)
    grids = {}
    for block in CUSTOMER_BLOCKS:
        bx, by, bw, bh = boxes[block]
        grids[block] = _grid(notes[block], bw, bh - HEADER)
    return Layout(fig_h, boxes, grids)


def layout(canvas: Canvas, lang: str | None = None) -> Layout:
    """The smallest figure in which every note reads at :data:`MIN_FONT` or more."""
    lang = check_language(lang or canvas.language)
    notes = notes_of(canvas, lang)
    best = None
    for height in HEIGHTS:
        for ratio in RATIOS:
            candidate = _layout(notes, height, ratio)
            if best is None or candidate.size > best.size + 1e-9:
                best = candidate
        if best.size >= MIN_FONT:
            break
    return best


# --- drawing ---------------------------------------------------------------------------
def block_label(block: str, lang: str | None = None) -> str:
    """The block's name in ``lang`` (from messages.yaml)."""
    return t(f"canvasfig.block.{block}", lang)


def _draw_note(ax: Any, note: Note, x: float, y: float, w: float, h: float,
               size: float) -> None:
    from matplotlib.patches import FancyBboxPatch, Rectangle

    ax.add_patch(Rectangle((x + 0.025, y - 0.025), w, h, facecolor=SHADOW, edgecolor="none"))
    patch = FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.03",
                           facecolor=note.fill, edgecolor="#00000033", linewidth=0.6)
    ax.add_patch(patch)
    size = size if size > 0 else FLOOR_FONT
    inner = w - 2 * PAD
    lines = note.lines(inner, size)
    step = size * LINE / 72
    fits = max(int((h - 2 * PAD) // step), 1)
    if len(lines) > fits:
        lines = lines[:fits]
        text, bold = lines[-1]
        lines[-1] = (_ellipsize(text, inner, size, bool(bold)), bold)
    top = y + h - PAD
    for i, (text, bold) in enumerate(lines):  # bold: True title, False body, None remark
        ax.text(x + PAD, top - i * step - step * 0.82, text, fontsize=size, family=FONT,
                fontweight="bold" if bold else "normal",
                style="italic" if bold is None else "normal", color=note.ink,
                va="baseline", ha="left", clip_on=True, clip_path=patch)


def _label_lines(label: str, width: float, size: float, bold: bool, most: int
                 ) -> tuple[list[str], float]:
    """A block label wrapped to at most ``most`` lines, shrinking down to 8 pt if needed."""
    if breaks_words(label, width, size, bold):  # "Atividades-chave": break at the hyphen
        label = label.replace("-", "-\n")
    while size > 8 and (breaks_words(label, width, size, bold)
                        or len(wrap(label, width, size, bold)) > most):
        size -= 0.5
    return wrap(label, width, size, bold), size


#: room kept at the right of a customer-side block's label for its count of notes
COUNT_ROOM = 0.3


def _label_size(plan: Layout, lang: str) -> float:
    """One label size for the four customer-side blocks: the largest that fits them all."""
    return min(_label_lines(block_label(b, lang), plan.boxes[b][2] - 2 * PAD - COUNT_ROOM,
                            11.0, True, 1)[1] for b in CUSTOMER_BLOCKS)


def _draw_block(ax: Any, block: str, box: tuple[float, float, float, float], lang: str,
                active: bool, count: int | None = None, size: float = 9.0) -> None:
    from matplotlib.patches import Rectangle

    x, y, w, h = box
    ax.add_patch(Rectangle((x, y), w, h, facecolor="white" if active else GREY_FILL,
                           edgecolor="#555555" if active else GREY_EDGE,
                           linewidth=1.2 if active else 0.8))
    inner = w - 2 * PAD - (COUNT_ROOM if count is not None else 0)
    lines, size = _label_lines(block_label(block, lang), inner, size, active,
                               1 if active or h < 1 else 3)
    for i, line in enumerate(lines):
        ax.text(x + PAD, y + h - 0.1 - i * size * LINE / 72, line, fontsize=size, family=FONT,
                fontweight="bold" if active else "normal", color=INK if active else GREY_INK,
                va="top", ha="left")
    if active and count is not None:
        ax.text(x + w - PAD, y + h - 0.1, str(count), fontsize=9, family=FONT,
                color=GREY_INK, va="top", ha="right")


def draw_canvas(canvas: Canvas, lang: str | None = None, report: Any = None) -> Any:
    """The canvas as a matplotlib Figure in the Business Model Canvas layout.

    Parameters
    ----------
    canvas : Canvas
        A validated canvas.
    lang : str, optional
        Language of block names and labels; the canvas's own language by default.
    report : ScoreReport, optional
        When given, its total is shown in the top right corner.
    """
    import matplotlib.pyplot as plt

    lang = check_language(lang or canvas.language)
    notes = notes_of(canvas, lang)
    plan = layout(canvas, lang)
    fig = plt.figure(figsize=(WIDTH, plan.height), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, plan.height)
    ax.set_axis_off()
    for block in OTHER_BLOCKS:
        _draw_block(ax, block, plan.boxes[block], lang, active=False)
    label = _label_size(plan, lang)
    for block in CUSTOMER_BLOCKS:
        box = plan.boxes[block]
        _draw_block(ax, block, box, lang, active=True, count=len(notes[block]), size=label)
        grid = plan.grids[block]
        x0, y0, w, h = box
        top = y0 + h - HEADER
        if not notes[block]:
            ax.text(x0 + PAD, top - 0.1, t("canvasfig.empty", lang), fontsize=9,
                    family=FONT, style="italic", color=GREY_INK, va="top")
        for i, note in enumerate(notes[block]):
            row, col = divmod(i, grid.columns)
            nx = x0 + PAD + col * (grid.width + PAD)
            ny = top - PAD - (row + 1) * grid.height - row * PAD
            _draw_note(ax, note, nx, ny, grid.width, grid.height, grid.size)
    _draw_heading(ax, canvas, lang, report, plan.height)
    return fig


def _draw_heading(ax: Any, canvas: Canvas, lang: str, report: Any, height: float) -> None:
    badge = ""
    if report is not None:
        badge = t("canvasfig.score", lang, total=number(report.total, lang))
        ax.text(WIDTH - MARGIN, height - MARGIN - 0.04, badge, fontsize=14, family=FONT,
                fontweight="bold", color="white", va="top", ha="right",
                bbox={"boxstyle": "round,pad=0.35", "facecolor": "#0B4F8A",
                      "edgecolor": "none"})
    room = WIDTH - 2 * MARGIN - (text_width(badge, 14, True) + 0.5 if badge else 0)
    size = 16.0
    title = canvas.title or t("canvas.untitled", lang)
    while size > 9 and text_width(title, size, True) > room:
        size -= 0.5
    if text_width(title, size, True) > room:
        title = _ellipsize(title, room, size, True)
    ax.text(MARGIN, height - MARGIN - 0.02, title, fontsize=size, family=FONT,
            fontweight="bold", color=INK, va="top", ha="left")
    sub = t("canvasfig.subtitle", lang)
    ax.text(MARGIN, height - MARGIN - 0.36, sub, fontsize=9.5, family=FONT, color=GREY_INK,
            va="top", ha="left")


# --- words for screen readers ------------------------------------------------------------
def canvas_alt_text(canvas: Canvas, lang: str | None = None, report: Any = None) -> str:
    """A description of :func:`draw_canvas`'s figure for screen readers."""
    lang = check_language(lang or canvas.language)
    parts = [t("canvasfig.alt-intro", lang, title=canvas.title)]
    vps = [v.text for v in canvas.value_propositions]
    segs = [t("canvasfig.alt-segment", lang, name=s.name,
              customers=number(s.customers, lang),
              value=number(s.value_per_customer, lang)) for s in canvas.segments]
    chans = [c.name for c in canvas.channels]
    rels = [t("canvasfig.alt-relationship", lang, type=knowledge.name("types", r.type, lang),
              segment=_segment_name(canvas, r.segment), motivations=_motivations(r, lang),
              bond=_bond(r, lang), cost=_cost(r, lang)) for r in canvas.relationships]
    for block, items in (("value-propositions", vps), ("customer-relationships", rels),
                         ("channels", chans), ("customer-segments", segs)):
        parts.append(t("canvasfig.alt-block", lang, block=block_label(block, lang),
                       count=len(items),
                       items="; ".join(items) if items else t("canvasfig.empty", lang)))
    parts.append(t("canvasfig.alt-greyed", lang,
                   blocks=", ".join(block_label(b, lang) for b in OTHER_BLOCKS)))
    if report is not None:
        parts.append(t("canvasfig.alt-score", lang, total=number(report.total, lang)))
    return " ".join(parts)


def save_png(canvas: Canvas, path: str | os.PathLike, lang: str | None = None,
             report: Any = None) -> Path:
    """Draw the canvas and write it as a PNG atomically (old file or new file, never half)."""
    import matplotlib.pyplot as plt


    fig = draw_canvas(canvas, lang, report)
    try:
        data = png_bytes(fig)
    finally:
        plt.close(fig)
    return write_atomic(path, data)
