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
from typing import Any

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


def mark_illustrative(fig: Any, lang: str | None = None) -> None:
    """Stamp 'Illustrative data' in the corner of a figure built from made-up numbers."""
    from crkit.i18n import t

    fig.text(0.99, 0.01, t("chart.illustrative", lang), ha="right", va="bottom",
             fontsize=8, style="italic", color="#444444")


def png_bytes(fig: Any, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (deterministic: no timestamp metadata)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight",
                metadata={"Software": None})
    return buffer.getvalue()


def show(fig: Any, alt: str) -> None:
    """Display a figure in a notebook with alt text, then close it.

    The output carries both a PNG (for Jupyter and tests) and an ``<img alt=...>`` (which
    the course site renders), so the description travels with the picture.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    data = png_bytes(fig)
    encoded = base64.b64encode(data).decode("ascii")
    tag = (f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}" '
           f'style="max-width:100%"/>')
    display({"image/png": encoded, "text/html": tag, "text/plain": alt}, raw=True,
            metadata={"image/png": {"alt": alt}})
    plt.close(fig)
