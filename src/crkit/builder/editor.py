"""The builder's forms: one card per item of the canvas, with a labelled control per field.

Every control sends its change to one :class:`~crkit.builder.state.BuilderState` operation.
A value the state refuses (a blank name, a number that is not one) is put back in the
control and the reason shown, so what the learner sees is always the canvas that is scored.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from crkit.builder import forms
from crkit.builder.state import KINDS, EditRejected
from crkit.core import knowledge
from crkit.core.i18n import LANGUAGES

#: CSS class of each list's cards (tests and the stylesheet use them)
CARD_CLASS = {
    "value_propositions": "crkit-vp", "segments": "crkit-segment",
    "channels": "crkit-channel", "relationships": "crkit-relationship",
}


def _fmt(value: Any) -> str:
    """A number as a learner would type it back: 1200, 12.5, or '' when unknown."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value}"


class EditorForms:
    """Draws the editor's sections; mixed into :class:`~crkit.builder.CanvasBuilder`.

    Relies on the builder's ``state``, ``lang``, ``L``, ``_say``, ``_silenced`` and the
    ``_add``, ``_move`` and ``_remove`` actions.
    """

    def _draw_all(self) -> None:
        for kind in ("canvas", *KINDS):
            self._draw(kind)

    def _draw(self, kind: str) -> None:
        box = self.sections[kind]
        old = list(box.children)
        with self._silenced():
            children, cards = getattr(self, f"_draw_{kind}")()
        box.children = children
        self.cards[kind] = cards
        for widget in old:
            forms.close_tree(widget)

    def _bind(self, widget: w.Widget, kind: str, index: int, name: str,
              shown: Callable[[Any], Any] = lambda v: v) -> w.Widget:
        """Send the control's changes to the state; on a refused value, show why and undo it."""
        def changed(change: dict) -> None:
            if self._quiet:
                return
            try:
                if kind == "canvas":
                    self.state.set_field(name, change["new"])
                else:
                    self.state.update(kind, index, **{name: change["new"]})
            except EditRejected as exc:
                self._say(exc.message(self.lang), "error")
                self._status_is_edit_error = True
                item = self.state.canvas if kind == "canvas" else self.state.items(kind)[index]
                with self._silenced():
                    if isinstance(widget, forms.Choices):
                        widget.set(getattr(item, name))
                    else:
                        widget.value = shown(getattr(item, name))
            else:
                if self._status_is_edit_error:
                    self.status.value = ""
                    self._status_is_edit_error = False

        if isinstance(widget, forms.Choices):
            widget.observe_value(lambda value: changed({"new": value}))
        else:
            widget.observe(changed, names="value")
        return widget

    def _names(self, kind: str) -> list[tuple[str, str]]:
        return [(knowledge.name(kind, id_, self.lang), id_) for id_ in knowledge.ids(kind)]

    def _draw_canvas(self) -> tuple[list[w.Widget], list[dict[str, w.Widget]]]:
        c = self.state.canvas
        not_set = [(self.L("builder.not-set"), "")]
        f: dict[str, w.Widget] = {
            "title": forms.text(self.L("builder.field.title"), c.title,
                                tooltip=self.L("builder.field.title.tip")),
            "market": forms.dropdown(self.L("builder.field.market"),
                                     not_set + self._names("market"), c.market or "",
                                     tooltip=self.L("builder.field.market.tip")),
            "language": forms.dropdown(
                self.L("builder.field.language"),
                [(knowledge.name("language", code, self.lang), code) for code in LANGUAGES],
                c.language, tooltip=self.L("builder.field.language.tip")),
            "description": forms.text(self.L("builder.field.description"), c.description or "",
                                      area=True),
        }
        for name, widget in f.items():
            self._bind(widget, "canvas", 0, name, shown=lambda v: v or "")
        intro = forms.note(self.L("builder.section.canvas.help"))
        return [forms.heading(self.L("builder.section.canvas")), intro, *f.values()], [f]

    def _item_card(self, kind: str, index: int, title: str, name: str,
                   fields: dict[str, w.Widget]) -> tuple[w.VBox, dict[str, w.Widget]]:
        """A card: title, the item's fields, and Move up / Move down / Remove buttons."""
        items = self.state.items(kind)
        if kind == "relationships":
            same = [i for i, r in enumerate(items) if r.segment == items[index].segment]
            first, last = index == same[0], index == same[-1]
        else:
            first, last = index == 0, index == len(items) - 1
        up = forms.button(self.L("builder.move-up"), disabled=first,
                          tooltip=self.L("builder.move-up.tip", name=name),
                          on_click=lambda: self._move(kind, index, -1))
        down = forms.button(self.L("builder.move-down"), disabled=last,
                            tooltip=self.L("builder.move-down.tip", name=name),
                            on_click=lambda: self._move(kind, index, 1))
        remove = forms.button(self.L("builder.remove"), style="danger",
                              tooltip=self.L("builder.remove.tip", name=name),
                              on_click=lambda: self._remove(kind, index))
        head = w.HBox([w.HTML(f'<span class="crkit-card-title">{html.escape(title)}</span>'),
                       up, down, remove],
                      layout=w.Layout(flex_flow="row wrap", align_items="center"))
        card = w.VBox([head, *fields.values()])
        card.add_class(CARD_CLASS[kind])
        card.add_class("crkit-card")
        card.add_class(f"{CARD_CLASS[kind]}-{index}")
        return card, {**fields, "up": up, "down": down, "remove": remove}

    def _section(self, kind: str, cards: list[tuple[w.VBox, dict]],
                 extra: list[w.Widget] | None = None) -> tuple[list[w.Widget], list[dict]]:
        head = forms.heading(self.L(f"builder.section.{kind}", count=len(cards)))
        help_ = forms.note(self.L(f"builder.section.{kind}.help"))
        return [head, help_, *[c for c, _ in cards], *(extra or [])], [f for _, f in cards]

    def _draw_value_propositions(self, only: int | None = None
                                 ) -> tuple[list[w.Widget], list[dict]]:
        cards = []
        for i, vp in enumerate(self.state.canvas.value_propositions):
            if only is not None and i != only:
                continue
            text = self._bind(forms.text(self.L("builder.field.vp-text"), vp.text,
                                         tooltip=self.L("builder.field.vp-text.tip")),
                              "value_propositions", i, "text")
            cards.append(self._item_card("value_propositions", i,
                                         self.L("builder.item.vp", n=i + 1), vp.text,
                                         {"text": text}))
        add = forms.add_button(self.L("builder.add.value_propositions"),
                               on_click=lambda: self._add("value_propositions"))
        self.add_buttons["value_propositions"] = add
        return self._section("value_propositions", cards, [add])

    def _draw_segments(self, only: int | None = None) -> tuple[list[w.Widget], list[dict]]:
        canvas = self.state.canvas
        cards = []
        for i, s in enumerate(canvas.segments):
            if only is not None and i != only:
                continue
            kind = "segments"
            number = self.L("builder.number-example")
            fields: dict[str, w.Widget] = {
                "name": forms.text(self.L("builder.field.name"), s.name,
                                   tooltip=self.L("builder.field.segment-name.tip")),
                "customers": forms.text(self.L("builder.field.customers"), _fmt(s.customers),
                                        tooltip=self.L("builder.field.customers.tip"),
                                        placeholder=number),
                "value_per_customer": forms.text(
                    self.L("builder.field.value"), _fmt(s.value_per_customer),
                    tooltip=self.L("builder.field.value.tip"), placeholder=number),
                "need_complexity": forms.dropdown(
                    self.L("builder.field.complexity"), self._names("need_complexity"),
                    s.need_complexity, tooltip=self.L("builder.field.complexity.tip")),
                "expects": forms.Choices(self.L("builder.field.expects"), self._names("types"),
                                         s.expects, tooltip=self.L("builder.field.expects.tip")),
                "value_propositions": forms.Choices(
                    self.L("builder.field.vps"),
                    [(v.text, v.id) for v in canvas.value_propositions], s.value_propositions,
                    empty=self.L("builder.empty.value_propositions")),
                "notes": forms.text(self.L("builder.field.notes"), s.notes or "", area=True),
            }
            for name, widget in fields.items():
                shown = _fmt if name in ("customers", "value_per_customer") else (
                    lambda v: v or "")
                self._bind(widget, kind, i, name, shown=shown)
            cards.append(self._item_card(kind, i, self.L("builder.item.segment", n=i + 1),
                                         s.name, fields))
        add = forms.add_button(self.L("builder.add.segments"),
                               on_click=lambda: self._add("segments"))
        self.add_buttons["segments"] = add
        return self._section("segments", cards, [add])

    def _draw_channels(self, only: int | None = None) -> tuple[list[w.Widget], list[dict]]:
        canvas = self.state.canvas
        cards = []
        for i, c in enumerate(canvas.channels):
            if only is not None and i != only:
                continue
            fields: dict[str, w.Widget] = {
                "name": forms.text(self.L("builder.field.name"), c.name,
                                   tooltip=self.L("builder.field.channel-name.tip")),
                "segments": forms.Choices(
                    self.L("builder.field.reaches"), [(s.name, s.id) for s in canvas.segments],
                    c.segments, empty=self.L("builder.empty.segments")),
            }
            for name, widget in fields.items():
                self._bind(widget, "channels", i, name)
            cards.append(self._item_card("channels", i, self.L("builder.item.channel", n=i + 1),
                                         c.name, fields))
        add = forms.add_button(self.L("builder.add.channels"),
                               on_click=lambda: self._add("channels"))
        self.add_buttons["channels"] = add
        return self._section("channels", cards, [add])

    def _draw_relationships(self) -> tuple[list[w.Widget], list[dict]]:
        canvas = self.state.canvas
        kind = "relationships"
        by_index: dict[int, tuple[w.VBox, dict]] = {}
        groups: list[w.Widget] = []
        metrics_tip = self.L("builder.field.metrics.tip", examples=", ".join(
            knowledge.name("metrics", m, self.lang) for m in knowledge.ids("metrics")[:8]))
        self._groups: list[tuple[w.HTML, w.Button]] = []
        for n_segment, s in enumerate(canvas.segments):
            group_head, add = self._group(n_segment)
            groups.append(group_head)
            number = 0
            for i, r in enumerate(canvas.relationships):
                if r.segment != s.id:
                    continue
                number += 1
                fields: dict[str, w.Widget] = {
                    "segment": forms.dropdown(self.L("builder.field.segment"),
                                              [(x.name, x.id) for x in canvas.segments],
                                              r.segment,
                                              tooltip=self.L("builder.field.segment.tip")),
                    "type": forms.dropdown(self.L("builder.field.type"), self._names("types"),
                                           r.type, tooltip=self.L("builder.field.type.tip")),
                    "motivations": forms.Choices(self.L("builder.field.motivations"),
                                                 self._names("motivations"), r.motivations,
                                                 tooltip=self.L("builder.field.motivations.tip")),
                    "bond": forms.dropdown(self.L("builder.field.bond"),
                                           [(self.L("builder.not-set"), "")]
                                           + self._names("bonds"), r.bond or "",
                                           tooltip=self.L("builder.field.bond.tip")),
                    "channels": forms.Choices(self.L("builder.field.channels"),
                                              [(c.name, c.id) for c in canvas.channels],
                                              r.channels,
                                              empty=self.L("builder.empty.channels")),
                    "stages": forms.Choices(self.L("builder.field.stages"),
                                            self._names("stages"), r.stages,
                                            tooltip=self.L("builder.field.stages.tip")),
                    "cost_per_customer": forms.text(
                        self.L("builder.field.cost"), _fmt(r.cost_per_customer),
                        tooltip=self.L("builder.field.cost.tip"),
                        placeholder=self.L("builder.number-example")),
                    "metrics": forms.text(self.L("builder.field.metrics"), ", ".join(r.metrics),
                                          tooltip=metrics_tip,
                                          placeholder=self.L("builder.field.metrics.example")),
                    "notes": forms.text(self.L("builder.field.notes"), r.notes or "", area=True),
                }
                for name, widget in fields.items():
                    shown: Callable[[Any], Any] = lambda v: v or ""  # noqa: E731
                    if name == "cost_per_customer":
                        shown = _fmt
                    elif name == "metrics":
                        shown = ", ".join  # type: ignore[assignment]
                    self._bind(widget, kind, i, name, shown=shown)
                title = self.L("builder.item.relationship", n=number)
                by_index[i] = self._item_card(kind, i, title, f"{title} ({s.name})", fields)
                groups.append(by_index[i][0])
            groups.append(add)
        if not canvas.segments:
            groups.append(forms.note(self.L("builder.empty.segments")))
        cards = [by_index[i] for i in sorted(by_index)]
        head = forms.heading(self.L("builder.section.relationships", count=len(cards)))
        help_ = forms.note(self.L("builder.section.relationships.help"))
        return [head, help_, *groups], [f for _, f in cards]

    def _append(self, kind: str) -> bool:
        """After an item was added at the end of its list, draw only its card; True if done.

        Redrawing a list costs a few hundred widgets; a new card costs a dozen. The lists
        that offer the new item as a choice get one more checkbox or option, in place.
        """
        items = self.state.items(kind)
        cards = self._cards.get(kind, [])
        if kind not in ("value_propositions", "segments", "channels") or \
                len(items) != len(cards) + 1:
            return False
        if kind == "segments" and len(items) == 1:
            return False  # the relationships list changes from "no segments yet"
        index = len(items) - 1
        box = self.sections[kind]
        add = self._add_buttons.get(kind)
        with self._silenced():
            made, new = getattr(self, f"_draw_{kind}")(only=index)
        head, help_, card, spare = made
        self._add_buttons[kind] = add
        for widget in (head, help_, spare):
            forms.close_tree(widget)
        if cards:
            cards[-1]["down"].disabled = False
        children = list(box.children)
        heading = self.L(f"builder.section.{kind}", count=len(items))
        children[0].value = f"<h3>{html.escape(heading)}</h3>"
        box.children = [*children[:-1], card, children[-1]]
        cards.append(new[0])
        item = items[index]
        with self._silenced():
            if kind == "value_propositions":
                for c in self._cards.get("segments", []):
                    c["value_propositions"].add_option(item.text, item.id)
            elif kind == "channels":
                for c in self._cards.get("relationships", []):
                    c["channels"].add_option(item.name, item.id)
            else:
                for c in self._cards.get("channels", []):
                    c["segments"].add_option(item.name, item.id)
                options = [(x.name, x.id) for x in self.state.canvas.segments]
                for c in self._cards.get("relationships", []):
                    forms.relabel_dropdown(c["segment"], options)
                self._append_group(index)
        return True

    def _group(self, n_segment: int) -> tuple[w.HTML, w.Button]:
        """A segment's group in the relationships list: its heading and its Add button."""
        s = self.state.canvas.segments[n_segment]
        group_head = forms.heading(self.L("builder.group", name=s.name), level=4)
        add = forms.add_button(self.L("builder.add.relationships", name=s.name),
                               tooltip=self.L("builder.add.relationships.tip", name=s.name),
                               on_click=lambda n=n_segment: self._add(
                                   "relationships", segment=self.state.canvas.segments[n].id))
        self._add_buttons[f"relationships:{s.id}"] = add
        self._groups.append((group_head, add))
        return group_head, add

    def _append_group(self, n_segment: int) -> None:
        """The relationships list's group for a new segment, added at its end."""
        box = self.sections["relationships"]
        box.children = [*box.children, *self._group(n_segment)]

    def _relabel(self, kind: str) -> None:
        """After a rename, update the names other lists offer as choices, in place.

        Redrawing those lists would cost a few hundred widgets on a large canvas; a rename
        changes labels (and maybe ids) but never how many choices there are.
        """
        canvas = self.state.canvas
        with self._silenced():
            for item, card in zip(self.state.items(kind), self.cards.get(kind, [])):
                name = getattr(item, "name", None) or getattr(item, "text", "")
                for button in ("up", "down", "remove"):
                    key = {"up": "builder.move-up.tip", "down": "builder.move-down.tip",
                           "remove": "builder.remove.tip"}[button]
                    card[button].tooltip = self.L(key, name=name)
            if kind == "value_propositions":
                options = [(v.text, v.id) for v in canvas.value_propositions]
                for card in self.cards["segments"]:
                    card["value_propositions"].relabel(options)
            elif kind == "channels":
                options = [(c.name, c.id) for c in canvas.channels]
                for card in self.cards["relationships"]:
                    card["channels"].relabel(options)
            elif kind == "segments":
                options = [(s.name, s.id) for s in canvas.segments]
                for card in self.cards["channels"]:
                    card["segments"].relabel(options)
                for card in self.cards["relationships"]:
                    forms.relabel_dropdown(card["segment"], options)
                for key in [k for k in self.add_buttons if k.startswith("relationships:")]:
                    del self.add_buttons[key]
                for s, (head, add) in zip(canvas.segments, self._groups):
                    head.value = f"<h4>{html.escape(self.L('builder.group', name=s.name))}</h4>"
                    add.description = self.L("builder.add.relationships", name=s.name)
                    add.tooltip = self.L("builder.add.relationships.tip", name=s.name)
                    self.add_buttons[f"relationships:{s.id}"] = add
