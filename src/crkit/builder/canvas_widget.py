"""The canvas as the builder's main view: nine blocks of notes, edited where they sit.

Each note is a button (so it has an accessible name, takes focus and answers Enter and
Space); clicking it opens the item's fields beside the canvas, in the detail pane. Each
customer block has its own "add" button; the detail pane moves the note within its block.
The notes' texts and flaw marks come from :mod:`crkit.builder.canvas_view`. The canvas and
the detailed form edit the same :class:`~crkit.builder.state.BuilderState`.

Redrawing is cheap: after an edit only the notes whose text or marks changed are sent to
the page, and a block's buttons are rebuilt only when its number of notes changes.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from crkit.builder import forms
from crkit.builder.canvas_view import AREA, BLOCKS, CANVAS_STYLE, CUSTOMER_KINDS, money_lines
from crkit.builder.canvas_view import notes as make_notes
from crkit.builder.state import Change, EditRejected
from crkit.core import knowledge
from crkit.core.i18n import t

#: fields that report every key press (the score follows as you type); names and
#: choices report when they change (names become ids other items point at)
TYPED = {"customers", "value_per_customer", "cost_per_customer", "metrics", "notes", "text"}


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value}"


class CanvasView:
    """The interactive canvas and its detail pane, drawn for a builder ``host``.

    ``host`` provides ``state``, ``lang``, ``L(key, **values)`` and ``_say``-style
    messaging (the :class:`~crkit.builder.CanvasBuilder`).
    """

    def __init__(self, host: Any) -> None:
        self.host = host
        self.state = host.state
        self.selected: tuple[str, int] | None = None
        self.note_buttons: dict[str, list[w.Button]] = {k: [] for k in CUSTOMER_KINDS}
        self.add_buttons: dict[str, w.Button] = {}
        self.block_names: dict[str, w.HTML] = {}
        self.block_boxes: dict[str, w.Box] = {}
        self.lines: dict[str, w.HTML] = {}
        self.fields: dict[str, w.Widget] = {}
        self._editing = 0
        self._quiet = 0
        self.help = w.HTML()
        self.grid = self._build_grid()
        self.detail = w.VBox(layout=w.Layout(width="100%"))
        self.detail.add_class("crkit-detail")
        self.detail_message = w.HTML()
        self.detail_message.add_class("crkit-detail-message")
        self.root = w.VBox([w.HTML(CANVAS_STYLE), self.help, self.grid],
                           layout=w.Layout(width="100%"))
        self.root.add_class("crkit-canvas-view")
        self.state.on_change(self._on_change)
        self.relabel()
        self.refresh()
        self._draw_detail()

    # --- the grid --------------------------------------------------------------------------
    def _build_grid(self) -> w.Box:
        blocks = []
        for area, _, kind in BLOCKS:
            name = w.HTML()
            self.block_names[area] = name
            box = w.VBox(layout=w.Layout(width="auto"))
            self.block_boxes[area] = box
            children: list[w.Widget] = [name, box]
            if kind:
                add = w.Button(layout=w.Layout(width="auto"))
                add.add_class("crkit-add-note")
                add.on_click(lambda _, k=kind: self.add(k))
                self.add_buttons[kind] = add
                children.append(add)
            else:
                self.lines[area] = w.HTML()
                children.append(self.lines[area])
            block = w.VBox(children, layout=w.Layout(width="auto"))
            block.add_class("crkit-block")
            block.add_class(f"crkit-area-{area}")
            if not kind and area not in ("co", "rv"):
                block.add_class("crkit-block-outside")
            blocks.append(block)
        grid = w.Box(blocks)
        grid.add_class("crkit-canvas")
        return grid

    def relabel(self) -> None:
        """Texts that depend only on the language: block names, add buttons, help."""
        lang = self.host.lang
        help_ = html.escape(t("builder.canvas.help", lang))
        self.help.value = f'<div class="crkit-note">{help_}</div>'
        for area, key, kind in BLOCKS:
            self.block_names[area].value = (
                f'<h3 class="crkit-block-name">{html.escape(t(key, lang))}</h3>')
            if kind:
                button = self.add_buttons[kind]
                button.description = t(f"builder.canvas.add.{kind}", lang)
                button.tooltip = t("builder.canvas.add.relationships.tip", lang) \
                    if kind == "relationships" else button.description

    def refresh(self) -> None:
        """Bring every note in line with the canvas: texts, flaw marks, selection."""
        lang = self.host.lang
        by_kind = make_notes(self.state.canvas, lang, self.state.rubric)
        for kind in CUSTOMER_KINDS:
            notes = by_kind[kind]
            buttons = self.note_buttons[kind]
            box = self.block_boxes[AREA[kind]]
            if len(notes) == len(buttons) + 1 and buttons:  # a new note: draw it alone
                buttons = [*buttons, self._note_button(kind, len(buttons))]
                self.note_buttons[kind] = buttons
                box.children = buttons
            elif len(buttons) != len(notes):
                old = list(box.children)
                buttons = [self._note_button(kind, i) for i in range(len(notes))]
                self.note_buttons[kind] = buttons
                for widget in old:
                    widget.close()
                box.children = buttons or [w.HTML(
                    f'<div class="crkit-block-line">{html.escape(t("canvasfig.empty", lang))}'
                    "</div>")]
            for note, button in zip(notes, buttons):
                button.description = note.text(lang)
                button.tooltip = "\n".join([note.title, *note.flaws]) if note.flaws else note.title
                wanted = {"crkit-flawed": bool(note.flaws),
                          "crkit-selected": self.selected == (kind, note.index)}
                for cls, on in wanted.items():
                    if on and cls not in button._dom_classes:
                        button.add_class(cls)
                    elif not on and cls in button._dom_classes:
                        button.remove_class(cls)
        lines = money_lines(self.state.canvas, lang)
        for area, box in self.lines.items():
            shown = [*lines.get(area, [])]
            if area in ("kp", "ka", "kr") or not shown:
                shown.append(t("builder.canvas.outside", lang))
            box.value = "".join(f'<div class="crkit-block-line">{html.escape(x)}</div>'
                                for x in shown)
        self._show_flaws()

    def _note_button(self, kind: str, index: int) -> w.Button:
        button = w.Button(layout=w.Layout(width="100%", height="auto"))
        button.add_class("crkit-sticky")
        button.add_class(f"crkit-sticky-{kind}")
        button.add_class(f"crkit-sticky-{kind}-{index}")
        button.on_click(lambda _: self.select(kind, index))
        return button

    # --- selecting and the detail pane ------------------------------------------------------
    def select(self, kind: str | None, index: int = 0) -> None:
        """Open a note's fields in the detail pane (``None``: close it)."""
        self.selected = None if kind is None else (kind, index)
        self.detail_message.value = ""
        self.refresh()
        self._draw_detail()
        first = next(iter(self.fields.values()), None)
        if first is not None and hasattr(first, "focus"):
            first.focus()

    def _draw_detail(self) -> None:
        old = list(self.detail.children)
        self.fields = {}
        lang = self.host.lang
        sel = self.selected
        if sel is not None and not 0 <= sel[1] < len(self.state.items(sel[0])):
            self.selected = sel = None
        if sel is None:
            self.detail.children = [w.HTML(
                f'<div class="crkit-note">{html.escape(t("builder.detail.none", lang))}</div>')]
        else:
            kind, index = sel
            with self._silenced():
                self.fields = self._fields(kind, index)
            for name, widget in self.fields.items():
                self._bind(widget, kind, index, name)
            number = index + 1
            if kind == "relationships":
                segment = self.state.items(kind)[index].segment
                number = sum(1 for r in self.state.items(kind)[:index + 1]
                             if r.segment == segment)
            item_key = {"value_propositions": "builder.item.vp", "segments": "builder.item.segment",
                        "channels": "builder.item.channel",
                        "relationships": "builder.item.relationship"}[kind]
            title = w.HTML(f"<h3>{html.escape(t(item_key, lang, n=number))}</h3>")
            items = self.state.items(kind)
            same = [i for i, x in enumerate(items) if kind != "relationships"
                    or x.segment == items[index].segment]
            up = forms.button(t("builder.move-up", lang), on_click=lambda: self.move(-1),
                              disabled=index == same[0])
            down = forms.button(t("builder.move-down", lang), on_click=lambda: self.move(1),
                                disabled=index == same[-1])
            remove = forms.button(t("builder.remove", lang), style="danger",
                                  on_click=self.remove)
            close = forms.button(t("builder.detail.close", lang),
                                 tooltip=t("builder.detail.close.tip", lang),
                                 on_click=lambda: self.select(None))
            self.fields_buttons = {"up": up, "down": down, "remove": remove, "close": close}
            bar = w.HBox([up, down, remove, close],
                         layout=w.Layout(flex_flow="row wrap", align_items="center"))
            self.flaw_box = w.HTML()
            self.detail.children = [title, *self.fields.values(), self.detail_message, bar,
                                    self.flaw_box]
            self._show_flaws()
        for widget in old:
            if widget is not self.detail_message:  # kept from one note to the next
                forms.close_tree(widget)

    def _show_flaws(self) -> None:
        box = getattr(self, "flaw_box", None)
        if box is None or self.selected is None:
            return
        kind, index = self.selected
        notes = make_notes(self.state.canvas, self.host.lang, self.state.rubric)[kind]
        found = notes[index].flaws if index < len(notes) else []
        if not found:
            box.value = ""
            return
        items = "".join(f"<li>{html.escape(f)}</li>" for f in found)
        box.value = (f'<div class="crkit-detail-flaws"><h4>'
                     f'{html.escape(t("builder.detail.flaws", self.host.lang))}</h4>'
                     f"<ul>{items}</ul></div>")

    def _names(self, kind: str) -> list[tuple[str, str]]:
        return [(knowledge.name(kind, id_, self.host.lang), id_) for id_ in knowledge.ids(kind)]

    def _fields(self, kind: str, index: int) -> dict[str, w.Widget]:
        """The item's labelled controls, as in the detailed form."""
        lang = self.host.lang
        c = self.state.canvas
        item = self.state.items(kind)[index]
        L = lambda key, **v: t(key, lang, **v)  # noqa: E731
        number = L("builder.number-example")

        def text(label: str, value: str, name: str, **kw: Any) -> w.Widget:
            box = forms.text(label, value, **kw)
            box.continuous_update = name in TYPED
            return box

        if kind == "value_propositions":
            return {"text": text(L("builder.field.vp-text"), item.text, "text",
                                 tooltip=L("builder.field.vp-text.tip"))}
        if kind == "segments":
            return {
                "name": text(L("builder.field.name"), item.name, "name",
                             tooltip=L("builder.field.segment-name.tip")),
                "customers": text(L("builder.field.customers"), _fmt(item.customers),
                                  "customers", tooltip=L("builder.field.customers.tip"),
                                  placeholder=number),
                "value_per_customer": text(L("builder.field.value"),
                                           _fmt(item.value_per_customer), "value_per_customer",
                                           tooltip=L("builder.field.value.tip"),
                                           placeholder=number),
                "need_complexity": forms.dropdown(L("builder.field.complexity"),
                                                  self._names("need_complexity"),
                                                  item.need_complexity,
                                                  tooltip=L("builder.field.complexity.tip")),
                "expects": forms.Choices(L("builder.field.expects"), self._names("types"),
                                         item.expects, tooltip=L("builder.field.expects.tip")),
                "value_propositions": forms.Choices(
                    L("builder.field.vps"), [(v.text, v.id) for v in c.value_propositions],
                    item.value_propositions, empty=L("builder.empty.value_propositions")),
                "notes": text(L("builder.field.notes"), item.notes or "", "notes", area=True),
            }
        if kind == "channels":
            return {
                "name": text(L("builder.field.name"), item.name, "name",
                             tooltip=L("builder.field.channel-name.tip")),
                "segments": forms.Choices(L("builder.field.reaches"),
                                          [(s.name, s.id) for s in c.segments], item.segments,
                                          empty=L("builder.empty.segments")),
            }
        metrics_tip = L("builder.field.metrics.tip", examples=", ".join(
            knowledge.name("metrics", m, lang) for m in knowledge.ids("metrics")[:8]))
        return {
            "segment": forms.dropdown(L("builder.field.segment"),
                                      [(s.name, s.id) for s in c.segments], item.segment,
                                      tooltip=L("builder.field.segment.tip")),
            "type": forms.dropdown(L("builder.field.type"), self._names("types"), item.type,
                                   tooltip=L("builder.field.type.tip")),
            "motivations": forms.Choices(L("builder.field.motivations"),
                                         self._names("motivations"), item.motivations,
                                         tooltip=L("builder.field.motivations.tip")),
            "bond": forms.dropdown(L("builder.field.bond"),
                                   [(L("builder.not-set"), "")] + self._names("bonds"),
                                   item.bond or "", tooltip=L("builder.field.bond.tip")),
            "channels": forms.Choices(L("builder.field.channels"),
                                      [(ch.name, ch.id) for ch in c.channels], item.channels,
                                      empty=L("builder.empty.channels")),
            "stages": forms.Choices(L("builder.field.stages"), self._names("stages"),
                                    item.stages, tooltip=L("builder.field.stages.tip")),
            "cost_per_customer": text(L("builder.field.cost"), _fmt(item.cost_per_customer),
                                      "cost_per_customer", tooltip=L("builder.field.cost.tip"),
                                      placeholder=number),
            "metrics": text(L("builder.field.metrics"), ", ".join(item.metrics), "metrics",
                            tooltip=metrics_tip, placeholder=L("builder.field.metrics.example")),
            "notes": text(L("builder.field.notes"), item.notes or "", "notes", area=True),
        }

    def _bind(self, widget: w.Widget, kind: str, index: int, name: str) -> None:
        """Send the control's changes to the state; a refused value is explained beside it.

        While the learner types, a value that is not (yet) valid is left in the box and
        the reason shown under the fields; the canvas keeps the last valid value.
        """
        def changed(value: Any) -> None:
            if self._quiet:
                return
            self._editing += 1
            try:
                self.state.update(kind, index, typing=name in TYPED, **{name: value})
            except EditRejected as exc:
                self.detail_message.value = (
                    f'<div class="crkit-error" role="alert">'
                    f"{html.escape(exc.message(self.host.lang))}</div>")
                if not (name in TYPED and isinstance(widget, (w.Text, w.Textarea))):
                    item = self.state.items(kind)[index]
                    with self._silenced():
                        if isinstance(widget, forms.Choices):
                            widget.set(getattr(item, name))
                        else:
                            widget.value = getattr(item, name) or ""
            else:
                self.detail_message.value = ""
            finally:
                self._editing -= 1

        if isinstance(widget, forms.Choices):
            widget.observe_value(changed)
        else:
            widget.observe(lambda ch: changed(ch["new"]), names="value")

    def _silenced(self) -> Any:
        view = self

        class _Quiet:
            def __enter__(self) -> None:
                view._quiet += 1

            def __exit__(self, *exc: Any) -> None:
                view._quiet -= 1

        return _Quiet()

    # --- edits from the canvas -------------------------------------------------------------
    def add(self, kind: str) -> None:
        """Add an item from its block's button and open it in the detail pane."""
        fields: dict[str, Any] = {}
        if kind == "relationships":
            fields["segment"] = self._segment_for_new_relationship()
        before = self.selected
        # chosen before the edit, so the new note's fields are drawn once, by _on_change
        self.selected = (kind, len(self.state.items(kind)))
        self.detail_message.value = ""
        try:
            self.state.add(kind, **fields)
        except EditRejected as exc:
            self.selected = before
            self.host._say(exc.message(self.host.lang), "error")
            return
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.focus()

    def _segment_for_new_relationship(self) -> str | None:
        canvas = self.state.canvas
        if self.selected and self.selected[0] == "segments":
            return canvas.segments[self.selected[1]].id
        if self.selected and self.selected[0] == "relationships":
            return canvas.relationships[self.selected[1]].segment
        bare = [s.id for s in canvas.segments if not canvas.relationships_of(s.id)]
        return bare[0] if bare else (canvas.segments[0].id if canvas.segments else None)

    def move(self, step: int) -> None:
        if self.selected is None:
            return
        kind, index = self.selected
        # relationships move among those of the same segment, as in the detailed form
        target = self.state.move(kind, index, step)
        self.select(kind, target)
        button = self.fields_buttons["up" if step < 0 else "down"]
        (button if not button.disabled else self.fields_buttons["close"]).focus()

    def remove(self) -> None:
        if self.selected is None:
            return
        kind, index = self.selected
        self.host._remove(kind, index)
        self.select(None)
        self.add_buttons[kind].focus()

    # --- following the state ---------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        self.refresh()
        if self._editing:
            return  # the learner is typing in the detail pane: leave its fields alone
        if change.structure or change.replaced or change.renamed or change.kind != "canvas":
            self._draw_detail()


def open_note(view: CanvasView, kind: str, index: int) -> dict[str, w.Widget]:
    """Click a note (as a learner would) and return the fields the detail pane shows."""
    view.note_buttons[kind][index].click()
    return view.fields

