"""Small factories for the builder's form controls: every control gets a visible label.

Kept apart from the view so each control is made the same way: a description that is
plain text (never HTML), a tooltip where it helps, and a width that keeps labels in
Spanish and Portuguese readable.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as w

LABEL_WIDTH = "13em"
FIELD = {"width": "100%", "max_width": "40em"}


def _style(width: str = LABEL_WIDTH) -> dict[str, str]:
    return {"description_width": width}


def text(description: str, value: str, *, tooltip: str = "", placeholder: str = "",
         area: bool = False) -> w.Text | w.Textarea:
    """A labelled text box that reports its value when the learner leaves it or presses Enter.

    Names become ids other items point at, so they change on commit, not on every key.
    """
    cls = w.Textarea if area else w.Text
    return cls(
        value=value or "", description=description, description_allow_html=False,
        tooltip=tooltip or None, placeholder=placeholder, continuous_update=False,
        style=_style(), layout=w.Layout(**FIELD, height="4.2em" if area else None),
    )


def dropdown(description: str, options: Sequence[tuple[str, Any]], value: Any, *,
             tooltip: str = "", width: str = LABEL_WIDTH) -> w.Dropdown:
    """A labelled drop-down; ``options`` are (label, value) pairs."""
    values = [v for _, v in options]
    return w.Dropdown(
        options=list(options), value=value if value in values else values[0],
        description=description, description_allow_html=False, tooltip=tooltip or None,
        style=_style(width), layout=w.Layout(width="100%", max_width="40em"),
    )


def button(description: str, *, tooltip: str = "", style: str = "",
           on_click: Callable[[], None] | None = None, disabled: bool = False) -> w.Button:
    """A button whose visible text is its label (no icon-only buttons)."""
    out = w.Button(
        description=description, tooltip=tooltip or description, button_style=style,
        icon="", disabled=disabled, layout=w.Layout(width="auto", min_width="6em"),
    )
    if on_click is not None:
        out.on_click(lambda _: on_click())
    return out


def add_button(description: str, on_click: Callable[[], None], tooltip: str = "") -> w.Button:
    """A green "Add ..." button, sized to its text, at the end of a list."""
    out = button(description, tooltip=tooltip, style="success", on_click=on_click)
    out.add_class("crkit-add")
    return out


def heading(text_: str, level: int = 3, cls: str = "") -> w.HTML:
    """A section heading (escaped text)."""
    return w.HTML(f'<h{level} class="{cls}">{html.escape(text_)}</h{level}>')


def note(text_: str, cls: str = "crkit-note") -> w.HTML:
    return w.HTML(f'<div class="{cls}">{html.escape(text_)}</div>')


class Choices(w.VBox):
    """A labelled group of checkboxes: one per option, keyboard friendly (Tab, Space).

    ``value`` is the list of chosen option values, in the options' order.
    """

    def __init__(self, label: str, options: Iterable[tuple[str, Any]], chosen: Iterable[Any],
                 *, tooltip: str = "", empty: str = "") -> None:
        options = list(options)
        chosen = set(chosen)
        self.options = [value for _, value in options]
        self.boxes = [
            w.Checkbox(value=value in chosen, description=name, indent=False,
                       description_allow_html=False, tooltip=tooltip or None,
                       layout=w.Layout(width="auto", margin="0 1.2em 0 0"))
            for name, value in options
        ]
        self._callbacks: list[Callable[[list[Any]], None]] = []
        for box in self.boxes:
            box.observe(self._changed, names="value")
        # HTML, not Label: a long label (Spanish, Portuguese) wraps instead of being cut off
        title = w.HTML(f'<div class="crkit-group-label">{html.escape(label)}</div>',
                       layout=w.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH))
        body: list[w.Widget] = list(self.boxes) or [note(empty)]
        row = w.HBox(body, layout=w.Layout(flex_flow="row wrap", flex="1 1 auto"))
        self._row = row
        self._tooltip = tooltip
        super().__init__([w.HBox([title, row])])

    def add_option(self, name: str, value: Any) -> None:
        """One more option at the end, not ticked (a new item other lists can point at)."""
        box = w.Checkbox(value=False, description=name, indent=False,
                         description_allow_html=False, tooltip=self._tooltip or None,
                         layout=w.Layout(width="auto", margin="0 1.2em 0 0"))
        box.observe(self._changed, names="value")
        if not self.boxes:
            for old in self._row.children:
                old.close()
            self._row.children = []
        self.boxes.append(box)
        self.options.append(value)
        self._row.children = [*self._row.children, box]

    @property
    def value(self) -> list[Any]:
        return [v for box, v in zip(self.boxes, self.options) if box.value]

    def observe_value(self, callback: Callable[[list[Any]], None]) -> None:
        """Call ``callback(chosen)`` whenever a box is ticked or cleared."""
        self._callbacks.append(callback)

    def _changed(self, _change: dict) -> None:
        for callback in self._callbacks:
            callback(self.value)

    def relabel(self, options: Iterable[tuple[str, Any]]) -> None:
        """New names (and ids) for the same options, in the same order; ticks are kept."""
        options = list(options)
        if len(options) != len(self.boxes):
            raise ValueError("relabel keeps the number of options")
        self.options = [value for _, value in options]
        for box, (name, _) in zip(self.boxes, options):
            box.description = name

    def set(self, values: Iterable[Any]) -> None:
        """Tick exactly ``values`` (used by tests and to restore)."""
        wanted = set(values)
        for box, v in zip(self.boxes, self.options):
            box.value = v in wanted


def relabel_dropdown(dropdown: w.Dropdown, options: Sequence[tuple[str, Any]]) -> None:
    """New labels (and values) for a drop-down's options, keeping the chosen position."""
    index = dropdown.index
    dropdown.options = list(options)
    dropdown.index = index


def close_tree(widget: w.Widget) -> None:
    """Close a widget and everything inside it, so redrawn forms do not leak."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
