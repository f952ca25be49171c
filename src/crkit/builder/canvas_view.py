"""The canvas drawn as the canvas: nine blocks, one note per item, made from the state.

Pure Python and HTML with CSS (no widgets, no matplotlib, no numpy), so the same notes,
texts and flaw marks serve the builder's interactive canvas
(:mod:`crkit.builder.canvas_widget`), a static page (:func:`canvas_html`) and the builder
running in the browser with Pyodide.

Each flaw the rubric finds is put on the note it concerns: findings name the items they
are about (a segment's name, a relationship's segment and type, a channel's name, a value
proposition's text), and :func:`flaws` matches those names back to the canvas's items.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.i18n import check_language, t
from crkit.core.numbers import number
from crkit.scoring.engine import evaluate, render_finding
from crkit.scoring.rubric import default_rubric

#: the four blocks a learner edits (the builder's kinds), in the canvas's reading order
CUSTOMER_KINDS = ("value_propositions", "relationships", "channels", "segments")
#: every block: (grid area, message key of its name, kind it shows or None)
BLOCKS = (
    ("kp", "canvasfig.block.key-partners", None),
    ("ka", "canvasfig.block.key-activities", None),
    ("kr", "canvasfig.block.key-resources", None),
    ("vp", "canvasfig.block.value-propositions", "value_propositions"),
    ("cr", "canvasfig.block.customer-relationships", "relationships"),
    ("ch", "canvasfig.block.channels", "channels"),
    ("cs", "canvasfig.block.customer-segments", "segments"),
    ("co", "canvasfig.block.cost-structure", None),
    ("rv", "canvasfig.block.revenue-streams", None),
)
#: grid area of each kind's block
AREA = {kind: area for area, _, kind in BLOCKS if kind}

#: findings that point at something to fix, and what they are about
_ABOUT = {
    "segment-no-relationship": "segment", "segment-missing-types": "segment",
    "segment-expectations-unstated": "segment", "segment-intimacy-low": "segment",
    "economics-no-value": "segment", "segment-no-vp": "segment",
    "segment-no-channel": "segment",
    "economics-unstated": "unpriced", "relationship-no-channel": "relationship",
    "measurement-gap": "relationship", "motivations-unstated": "unmotivated",
    "measurement-unknown": "metrics", "channel-mismatch": "channel",
    "channel-unused": "channel", "vp-unused": "vp",
}


@dataclass
class Note:
    """One sticky note: what it shows, and the flaws the score finds in its item."""

    kind: str
    index: int
    title: str
    details: list[str] = field(default_factory=list)
    flaws: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.index}"

    def text(self, lang: str | None = None) -> str:
        """The note's visible text, one line each: title, key numbers, flaw count."""
        lines = [self.title, *self.details]
        if self.flaws:
            lines.append("⚠ " + t("builder.note.flaws", lang, count=len(self.flaws)))
        return "\n".join(lines)


def flaws(canvas: Canvas, lang: str | None = None,
          rubric: Any = None) -> dict[tuple[str, int], list[str]]:
    """(kind, index) -> the sentences of the findings that concern that item."""
    lang = check_language(lang or canvas.language)
    segments_by_name: dict[str, list[int]] = {}
    for i, s in enumerate(canvas.segments):
        segments_by_name.setdefault(s.name, []).append(i)

    def rels(segment: str | None = None, type_: str | None = None) -> list[int]:
        ids = {canvas.segments[i].id for i in segments_by_name.get(segment or "", [])}
        return [i for i, r in enumerate(canvas.relationships)
                if (segment is None or r.segment in ids) and (type_ is None or r.type == type_)]

    out: dict[tuple[str, int], list[str]] = {}
    for _, outcome, _ in evaluate(canvas, rubric or default_rubric()):
        for finding in outcome.findings:
            about = _ABOUT.get(finding.key)
            if about is None:
                continue
            v = finding.values
            if about == "segment":
                targets = [("segments", i) for i in segments_by_name.get(v.get("segment"), [])]
            elif about == "relationship":
                targets = [("relationships", i) for i in rels(v.get("segment"), v.get("type"))]
            elif about == "unpriced":
                targets = [("relationships", i) for i in rels(v.get("segment"))
                           if canvas.relationships[i].cost_per_customer is None]
            elif about == "unmotivated":
                targets = [("relationships", i) for i, r in enumerate(canvas.relationships)
                           if not r.motivations]
            elif about == "metrics":
                wanted = set(v.get("metrics") or [])
                targets = [("relationships", i) for i, r in enumerate(canvas.relationships)
                           if wanted & set(r.metrics)]
            elif about == "channel":
                targets = [("channels", i) for i, c in enumerate(canvas.channels)
                           if c.name == v.get("channel")]
            else:
                targets = [("value_propositions", i)
                           for i, vp in enumerate(canvas.value_propositions)
                           if vp.text == v.get("vp")]
            sentence = render_finding(finding, lang)
            for target in targets:
                found = out.setdefault(target, [])
                if sentence not in found:
                    found.append(sentence)
    return out


def _amount(value: Any, lang: str) -> str:
    return number(value, lang)


def notes(canvas: Canvas, lang: str | None = None,
          rubric: Any = None) -> dict[str, list[Note]]:
    """The notes of the four customer blocks, with their key numbers and flaws."""
    lang = check_language(lang or canvas.language)
    found = flaws(canvas, lang, rubric)
    out: dict[str, list[Note]] = {kind: [] for kind in CUSTOMER_KINDS}
    for i, vp in enumerate(canvas.value_propositions):
        users = [s.name for s in canvas.segments if vp.id in s.value_propositions]
        details = [t("canvasfig.for-segment", lang, segment=", ".join(users))] if users else []
        out["value_propositions"].append(
            Note("value_propositions", i, vp.text, details, found.get(("value_propositions", i),
                                                                         [])))
    for i, s in enumerate(canvas.segments):
        details = []
        if s.customers is not None:
            details.append(t("canvasfig.customers", lang, customers=_amount(s.customers, lang)))
        if s.value_per_customer is not None:
            details.append(t("canvasfig.value", lang, value=_amount(s.value_per_customer, lang)))
        out["segments"].append(Note("segments", i, s.name, details,
                                    found.get(("segments", i), [])))
    for i, c in enumerate(canvas.channels):
        names = [s.name for s in canvas.segments if s.id in c.segments]
        details = [t("canvasfig.for-segment", lang, segment=", ".join(names))] if names else []
        out["channels"].append(Note("channels", i, c.name, details,
                                    found.get(("channels", i), [])))
    for i, r in enumerate(canvas.relationships):
        segment = canvas.segment(r.segment)
        details = [t("canvasfig.for-segment", lang, segment=segment.name if segment else "?")]
        if r.cost_per_customer is not None:
            details.append(t("canvasfig.cost", lang, cost=_amount(r.cost_per_customer, lang)))
        else:
            details.append(t("canvasfig.no-cost", lang))
        out["relationships"].append(Note("relationships", i, knowledge.name("types", r.type, lang),
                                         details, found.get(("relationships", i), [])))
    return out


def money_lines(canvas: Canvas, lang: str | None = None) -> dict[str, list[str]]:
    """What the segments' numbers give a year: revenue per segment, relationship costs."""
    lang = check_language(lang or canvas.language)
    revenue, costs = [], []
    for s in canvas.segments:
        if s.customers is None:
            continue
        if s.value_per_customer is not None:
            revenue.append(t("builder.canvas.per-year", lang, name=s.name,
                             amount=_amount(s.customers * s.value_per_customer, lang)))
        priced = [r.cost_per_customer for r in canvas.relationships_of(s.id)
                  if r.cost_per_customer is not None]
        if priced:
            costs.append(t("builder.canvas.per-year", lang, name=s.name,
                           amount=_amount(s.customers * sum(priced), lang)))
    return {"rv": revenue, "co": costs}


#: the canvas's layout and colours: the customer side in colour, the rest grey; one column
#: on a phone, segments first. Text contrast is at least 4.5:1 on every background.
CANVAS_STYLE = """<style>
.crkit-canvas { display: grid !important; gap: 6px; width: 100%; box-sizing: border-box;
  grid-template-columns: repeat(10, minmax(0, 1fr));
  grid-template-areas: "kp kp ka ka vp vp cr cr cs cs" "kp kp kr kr vp vp ch ch cs cs"
                       "co co co co co rv rv rv rv rv"; }
.crkit-block { border: 2px solid #d0d7de; border-radius: 8px; padding: .35em .45em .5em .45em;
  background: #f6f8fa; min-width: 0; min-height: 7em; box-sizing: border-box;
  display: flex !important; flex-direction: column; gap: .35em; overflow: visible !important; }
.crkit-block h3, .crkit-block .crkit-block-name { margin: 0 0 .15em 0; font-size: .95em;
  line-height: 1.25;
  font-weight: 700; border: none; padding: 0; color: #1f2328; }
.crkit-block-outside { color: #57606a; background: #f6f8fa; border-style: dashed; }
.crkit-block-outside .crkit-block-name { color: #57606a; }
.crkit-block-line { font-size: .85em; color: #424a53; line-height: 1.3; }
.crkit-area-kp { grid-area: kp; } .crkit-area-ka { grid-area: ka; }
.crkit-area-kr { grid-area: kr; } .crkit-area-vp { grid-area: vp; background: #fff8c5; }
.crkit-area-cr { grid-area: cr; background: #fbefff; } .crkit-area-ch { grid-area: ch;
  background: #dafbe1; } .crkit-area-cs { grid-area: cs; background: #ddf4ff; }
.crkit-area-co { grid-area: co; min-height: 4em; } .crkit-area-rv { grid-area: rv;
  min-height: 4em; }
.crkit-area-vp { border-color: #bf8700; } .crkit-area-cr { border-color: #8250df; }
.crkit-area-ch { border-color: #1a7f37; } .crkit-area-cs { border-color: #0969da; }
.crkit-sticky, .crkit-builder button.crkit-sticky, .crkit-builder .crkit-sticky.jupyter-button {
  display: block; width: 100%; height: auto !important; min-height: 2.4em; text-align: left;
  white-space: pre-line; line-height: 1.3; padding: .35em .5em; margin: 0;
  border-radius: 4px; border: 1px solid #8c959f; background: #ffffff; color: #1f2328;
  box-shadow: 0 1px 2px rgba(31, 35, 40, .15); font-size: .86em; overflow-wrap: anywhere;
  cursor: pointer; }
.crkit-sticky:first-line { font-weight: 600; }
.crkit-sticky.crkit-flawed { border-left: 5px solid #cf222e; }
.crkit-sticky.crkit-selected { outline: 3px solid #0969da; outline-offset: 1px; }
.crkit-canvas-static .crkit-sticky-flaws { color: #82071e; font-size: .85em; }
.crkit-block .crkit-add-note, .crkit-builder button.crkit-add-note {
  width: auto; max-width: 100%; align-self: flex-start; background: #ffffff; color: #0a3069;
  border: 1px dashed #0969da; font-size: .85em; height: auto; min-height: 2em;
  white-space: normal; line-height: 1.25; padding: .3em .6em; text-align: left; }
.crkit-builder { box-sizing: border-box; width: auto !important; max-width: 100%; }
.crkit-builder > * { max-width: 100%; box-sizing: border-box; }
@media (max-width: 760px) {
  .crkit-canvas { grid-template-columns: 1fr;
    grid-template-areas: "cs" "vp" "ch" "cr" "rv" "co" "kp" "ka" "kr"; }
  .crkit-block { min-height: 0; }
  .crkit-block-outside { display: none !important; }
}
/* the page around the canvas: a bar with the total and the messages that stays in view,
   the detail pane and the score beside the canvas (below it on a phone) */
.crkit-topbar { position: sticky; top: 0; z-index: 20; background: #ffffff;
  padding: .2em 0; border-bottom: 1px solid #d0d7de; overflow: visible !important; }
.crkit-badge-total { font-size: 1.05em; }
.crkit-offer:not(:empty) { background: #fff8c5; border: 1px solid #bf8700; border-radius: 8px;
  padding: .35em .7em; margin: .3em 0; gap: .5em; }
.crkit-side { position: sticky; top: 4.5em; align-self: flex-start;
  max-height: calc(100vh - 5em); overflow-y: auto !important; padding-left: .8em;
  box-sizing: border-box; }
.crkit-side > * { flex-shrink: 0; max-width: 100%; box-sizing: border-box; }
.crkit-side .crkit-score, .crkit-detail { width: 100%; box-sizing: border-box; }
.crkit-canvas-view, .crkit-canvas-view > * { box-sizing: border-box; max-width: 100%; }
.crkit-views .lm-TabPanel-stackedPanel, .crkit-views .widget-tab-contents {
  box-sizing: border-box; overflow: visible !important; }
.crkit-builder .widget-dropdown > select { min-width: 7.5em; }
.crkit-builder .crkit-language { flex-shrink: 0; }
.crkit-builder .crkit-language > select { min-width: 8.5em; }
.crkit-side .crkit-score { position: static; max-height: none; overflow: visible !important; }
.crkit-detail { border: 2px solid #0969da; border-radius: 8px; padding: .3em .7em .6em .7em;
  margin-bottom: .6em; background: #ffffff; box-sizing: border-box; }
.crkit-detail h3 { margin-top: .2em; }
.crkit-detail-flaws { color: #82071e; font-size: .9em; }
.crkit-detail-flaws h4 { color: #1f2328; }
.crkit-detail .widget-text, .crkit-detail .widget-textarea, .crkit-detail .widget-dropdown {
  max-width: 100% !important; }
.crkit-views { overflow: visible !important; }
.crkit-views .lm-TabBar-tab, .crkit-views .lm-TabBar-tab .lm-TabBar-tabLabel {
  color: #1f2328 !important; min-width: 9em; }
.crkit-views .lm-TabBar-tab { background: #eaeef2; }
.crkit-views .lm-TabBar-tab.lm-mod-current { background: #ffffff; font-weight: 600; }
/* readable buttons: white on the kit's green and blue has at least 4.5:1 */
.crkit-builder .jupyter-button.mod-success, .crkit-builder .crkit-add {
  background: #1a7f37; color: #ffffff; }
.crkit-builder .jupyter-button.mod-primary { background: #0969da; color: #ffffff; }
.crkit-builder .jupyter-button.mod-danger { background: #cf222e; color: #ffffff; }
.crkit-builder .jupyter-button:disabled { color: #424a53; background: #eaeef2; opacity: 1; }
/* a focus you can see from across the room */
.crkit-builder :focus-visible, .crkit-builder button:focus, .crkit-builder input:focus,
.crkit-builder select:focus, .crkit-builder textarea:focus {
  outline: 3px solid #0969da !important; outline-offset: 2px; box-shadow: 0 0 0 5px #ddf4ff; }
.crkit-builder .widget-checkbox label, .crkit-builder .widget-inline-hbox .widget-label {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; }
.crkit-builder .widget-checkbox { height: auto; min-height: var(--jp-widgets-inline-height); }
@media (max-width: 760px) {
  .crkit-body { flex-direction: column !important; }
  .crkit-views, .crkit-side { flex: 1 1 auto !important; width: 100% !important;
    min-width: 0 !important; }
  .crkit-side { position: static; max-height: none; padding-left: 0; }
  .crkit-builder h2 { font-size: 1.25em; white-space: normal; overflow-wrap: anywhere; }
  .crkit-builder .widget-inline-hbox { flex-wrap: wrap; height: auto; }
  .crkit-bar { gap: .25em; }
  .crkit-builder .widget-inline-hbox .widget-label { width: 100% !important;
    max-width: 100% !important; text-align: left; }
  .crkit-builder .widget-text input, .crkit-builder select { width: 100%; }
  .crkit-group-label { text-align: left; width: 100% !important; min-width: 0 !important; }
  .crkit-builder .widget-hbox:has(> .crkit-group-label) { flex-wrap: wrap; }
}
</style>"""


def canvas_html(canvas: Canvas, lang: str | None = None, rubric: Any = None) -> str:
    """The whole canvas as a static HTML fragment (with its stylesheet), made from ``canvas``."""
    lang = check_language(lang or canvas.language)
    e = html.escape
    by_kind = notes(canvas, lang, rubric)
    lines = money_lines(canvas, lang)
    blocks = []
    for area, key, kind in BLOCKS:
        name = t(key, lang)
        inner = [f'<h3 class="crkit-block-name">{e(name)}</h3>']
        if kind:
            for note in by_kind[kind]:
                body = "<br>".join(e(x) for x in [note.title, *note.details])
                if note.flaws:
                    items = "".join(f"<li>{e(f)}</li>" for f in note.flaws)
                    body += f'<ul class="crkit-sticky-flaws">{items}</ul>'
                flawed = " crkit-flawed" if note.flaws else ""
                inner.append(f'<div class="crkit-sticky{flawed}" data-note="{note.key}">'
                             f"{body}</div>")
            if not by_kind[kind]:
                inner.append(f'<div class="crkit-block-line">{e(t("canvasfig.empty", lang))}'
                             "</div>")
        else:
            shown = lines.get(area, [])
            for line in shown:
                inner.append(f'<div class="crkit-block-line">{e(line)}</div>')
            if area in ("kp", "ka", "kr") or not shown:
                inner.append(f'<div class="crkit-block-line">'
                             f'{e(t("builder.canvas.outside", lang))}</div>')
        outside = "" if kind or area in ("co", "rv") else " crkit-block-outside"
        blocks.append(f'<section class="crkit-block crkit-area-{area}{outside}" '
                      f'aria-label="{e(name)}">{"".join(inner)}</section>')
    return (f'{CANVAS_STYLE}<div class="crkit-canvas crkit-canvas-static" role="group" '
            f'aria-label="{e(canvas.title)}">{"".join(blocks)}</div>')
