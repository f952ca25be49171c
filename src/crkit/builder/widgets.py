"""The canvas builder's interface: ipywidgets controls wired to :class:`BuilderState`.

The view holds no canvas logic: every control calls one state operation, and the state
tells the view what to redraw. The score panel (:mod:`crkit.builder.score_panel`) is built
once and updated in place, so a change in any field shows its effect on the score at once
(scoring takes well under a millisecond). The forms (:mod:`crkit.builder.editor`) are
redrawn only when items are added, removed, moved or renamed.
"""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ipywidgets as w

from crkit.builder import export, forms
from crkit.builder.autosave import check_owner, recovery_label, recovery_time
from crkit.builder.canvas_widget import CanvasView
from crkit.builder.editor import EditorForms
from crkit.builder.library import case_from_bytes, left_out, library
from crkit.builder.score_panel import ScorePanel, comparison_table
from crkit.builder.state import KINDS, BuilderState, Change, EditRejected
from crkit.builder.style import STYLE
from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.errors import CrkitError, escape, shorten
from crkit.core.i18n import LANGUAGE_NAMES, LANGUAGES, check_language, t
from crkit.core.numbers import number
from crkit.core.starter import blank_canvas, starter_canvas
from crkit.core.storage import load
from crkit.core.validation import canvas_from_data

#: lists whose controls offer items of another list as choices
DEPENDENTS = {
    "canvas": (),
    "value_propositions": ("segments",),
    "segments": ("channels", "relationships"),
    "channels": ("relationships",),
    "relationships": (),
}


#: environment variables that may carry the page's browser id (the app server sets the
#: second from its cookie through Voila's ``http_header_envs``)
OWNER_VARIABLES = ("CRKIT_BROWSER_ID", "HTTP_X_CRKIT_BROWSER")


#: ``owner`` of a builder drawn before its page's browser is known (:func:`prepare_page`)
PENDING = "pending"


def page_owner() -> str | None:
    """The browser id of this page, from the environment; None outside the app."""
    for name in OWNER_VARIABLES:
        owner = check_owner(os.environ.get(name))
        if owner:
            return owner
    if os.environ.get("SERVER_SOFTWARE", "").startswith("voila"):
        return os.urandom(16).hex()  # served without an id: a space of its own
    return None


def _data_link(data: bytes, name: str, mime: str, text: str) -> str:
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a download="{html.escape(name)}" href="data:{mime};base64,{payload}">'
            f"{html.escape(text)}</a>")


class CanvasBuilder(EditorForms):
    """Build the customer side of a canvas and see its score change as you type.

    Use it in a notebook (``CanvasBuilder().show()``) or as a web app
    (``python3 kit.py app``).

    Parameters
    ----------
    canvas : Canvas, optional
        Where to start; the starter canvas (``start="starter"``) or a blank one
        (``start="blank"``) when omitted.
    lang : str, optional
        Interface language: ``en``, ``es`` or ``pt`` (switchable in the interface).
    workdir : path, optional
        Folder that file paths are relative to; ``$CRKIT_WORKDIR`` or the current folder.
    autosave_dir : path or False, optional
        Folder for recovery copies (default ``<workdir>/.crkit-autosave``); False: none.
    rubric : Rubric, optional
        An instructor's rubric (see :func:`crkit.load_rubric`).
    owner : str, optional
        The browser the page belongs to: ``$CRKIT_BROWSER_ID`` or, in the app, the id the
        app server keeps in a cookie (``$HTTP_X_CRKIT_BROWSER``); ``local`` otherwise.
        Recovery copies are listed only to pages of the same browser. :data:`PENDING`:
        not known yet (none is offered until :meth:`attach`).

    Files are read and written only inside ``workdir`` (in a notebook: the notebook's
    folder), under plain file names; see :meth:`BuilderState.resolve`.
    """

    def __init__(
        self,
        canvas: Canvas | None = None,
        *,
        lang: str | None = None,
        start: str = "starter",
        workdir: str | os.PathLike | None = None,
        autosave_dir: str | os.PathLike | bool | None = None,
        rubric: Any = None,
        owner: str | None = None,
    ) -> None:
        self.lang = check_language(lang or (canvas.language if canvas else None))
        if canvas is None:
            canvas = starter_canvas(self.lang) if start == "starter" else blank_canvas(self.lang)
        self.state = BuilderState(
            canvas, lang=self.lang, workdir=workdir or os.environ.get("CRKIT_WORKDIR"),
            autosave_dir=autosave_dir, rubric=rubric,
            owner=None if owner == PENDING else owner or page_owner(),
        )
        self._quiet = 0
        self._static: list[tuple[w.Widget, str, str, str]] = []
        self._library: dict[str, tuple[str, Callable[[], Canvas]]] = {}
        self._compared: dict[str, Canvas] = {}
        self._status_is_edit_error = False
        self._cards: dict[str, list[dict[str, w.Widget]]] = {}
        self._add_buttons: dict[str, w.Button] = {}
        # the detailed form is drawn when first shown (or asked for), then kept up to date
        # only while it is shown: the canvas is the view a page opens with
        self._forms_shown = False
        self._forms_dirty = True
        self._drawing_forms = False
        self.sections: dict[str, w.VBox] = {}
        self.root = self._build()
        self.state.on_change(self._on_change)
        self.canvas_view = CanvasView(self)
        self.views.children = [self.canvas_view.root, self.editor]
        self.detail_slot.children = [self.canvas_view.detail]
        self._set_view_titles()
        self._refresh_score()
        if owner != PENDING:
            self._offer_recovery()
        self._note_left_out()

    # --- the detailed form, drawn on demand -----------------------------------------------------
    @property
    def cards(self) -> dict[str, list[dict[str, w.Widget]]]:
        """The detailed form's cards, per list (drawn now if they are not up to date)."""
        self._ensure_forms()
        return self._cards

    @property
    def add_buttons(self) -> dict[str, w.Button]:
        """The detailed form's Add buttons (drawn now if they are not up to date)."""
        self._ensure_forms()
        return self._add_buttons

    def _ensure_forms(self) -> None:
        if self._forms_dirty and not self._drawing_forms:
            self._drawing_forms = True
            try:
                self._draw_all()
            finally:
                self._drawing_forms = False
            self._forms_dirty = False

    def show_view(self, name: str) -> None:
        """Show the ``"canvas"`` (default) or the detailed ``"form"``."""
        self.views.selected_index = 1 if name == "form" else 0

    def _view_chosen(self, change: dict) -> None:
        self._forms_shown = change["new"] == 1
        if self._forms_shown:
            self._ensure_forms()

    def _set_view_titles(self) -> None:
        for i, key in enumerate(("builder.canvas.tab", "builder.form.tab")):
            self.views.set_title(i, self.L(key))

    def attach(self, owner: str | None) -> None:
        """Give this builder to the browser whose page shows it (see :func:`prepare_page`).

        Its recovery copies are then the ones listed, and offered if there is one.
        """
        self.state.set_owner(owner)
        self._fill_recoveries()
        self._offer_recovery()

    # --- showing ------------------------------------------------------------------------------
    def show(self) -> None:
        """Display the builder in the notebook (or the Voila page)."""
        from IPython.display import display

        display(self.root)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.root._repr_mimebundle_(**kwargs)

    @property
    def canvas(self) -> Canvas:
        """The canvas as it is now."""
        return self.state.canvas

    # --- small helpers --------------------------------------------------------------------------
    def L(self, key: str, **values: Any) -> str:  # noqa: N802 - short on purpose, used everywhere
        """A message in the interface language."""
        return t(key, self.lang, **values)

    def _tr(self, widget: w.Widget, attr: str, key: str, template: str = "{}") -> w.Widget:
        """Set a translated attribute now and again whenever the language changes."""
        self._static.append((widget, attr, key, template))
        setattr(widget, attr, template.format(html.escape(self.L(key))
                                              if attr == "value" else self.L(key)))
        return widget

    @contextmanager
    def _silenced(self) -> Iterator[None]:
        """Set controls from the canvas without their observers editing the canvas back."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _say(self, text: str | Callable[[], str], kind: str = "info", extra: str = "") -> None:
        """Show a message in the status line; errors are announced to screen readers.

        ``text`` may be a function giving the message in the interface language: the
        message is then shown again in the new language when the learner switches.
        """
        self._last_said = (text, kind, extra)
        if callable(text):
            text = text()
        role = "alert" if kind == "error" else "status"
        self.status.value = (f'<div class="crkit-{kind}" role="{role}">{html.escape(text)}'
                             f"{' ' + extra if extra else ''}</div>")
        self._status_is_edit_error = False

    def _say_again(self) -> None:
        """The last message, in the interface language now chosen."""
        said = getattr(self, "_last_said", None)
        if said is None or not self.status.value:
            return
        text, kind, extra = said
        if isinstance(text, CrkitError):
            self._say_error(text)
        elif callable(text):
            error = self._status_is_edit_error
            self._say(text, kind, extra)
            self._status_is_edit_error = error

    def _say_error(self, error: CrkitError) -> None:
        """A file's problems, in the interface language, the first ten then "and N more"."""
        problems = [p for p in getattr(error, "problems", []) if p is not error]
        extra = ""
        if problems:
            items = "".join(f"<li>{html.escape(p.message(self.lang))}</li>" for p in problems[:10])
            if len(problems) > 10:
                more = self.L("error.and-more", count=len(problems) - 10)
                items += f"<li>{html.escape(more)}</li>"
            extra = f'<ul class="crkit-problems">{items}</ul>'
        self._say(error.message(self.lang), "error", extra=extra)
        self._last_said = (error, "error", extra)

    def _note_left_out(self) -> None:
        """Case files the library could not read: named in a short note, not offered."""
        bad = left_out()
        if not bad:
            self.notes.value = ""
            return
        files = ", ".join(Path(p.file or "?").name for p in bad[:5])
        if len(bad) > 5:
            files += " " + self.L("error.and-more", count=len(bad) - 5)
        text = self.L("builder.cases-left-out", count=len(bad), files=files)
        self.notes.value = f'<div class="crkit-note" role="note">{html.escape(text)}</div>'

    # --- building the page --------------------------------------------------------------------
    def _build(self) -> w.VBox:
        title = self._tr(w.HTML(), "value", "builder.heading", "<h2>{}</h2>")
        intro = self._tr(w.HTML(), "value", "builder.intro", '<div class="crkit-intro">{}</div>')
        self.language = w.Dropdown(
            options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES], value=self.lang,
            description_allow_html=False, style={"description_width": "initial"},
            layout=w.Layout(width="auto"),
        )
        self._tr(self.language, "description", "builder.interface-language")
        self._tr(self.language, "tooltip", "builder.interface-language.tip")
        self.language.observe(lambda ch: self.set_language(ch["new"]), names="value")
        self.language.add_class("crkit-language")
        header = w.HBox(
            [w.VBox([title, intro], layout=w.Layout(flex="1 1 auto")), self.language],
            layout=w.Layout(justify_content="space-between", align_items="flex-start"),
        )
        self.status = w.HTML(layout=w.Layout(width="100%"))
        self.status.add_class("crkit-status")
        self.notes = w.HTML(layout=w.Layout(width="100%"))

        self.language_line = self._tr(w.HTML(), "value", "builder.language-line",
                                      '<div class="crkit-note">{}</div>')
        self.editor = w.VBox(layout=w.Layout(width="100%"))
        for kind in ("canvas", *KINDS):
            self.sections[kind] = w.VBox()
        self.editor.children = [self.sections[k] for k in ("canvas", *KINDS)]
        self.editor.add_class("crkit-form")
        # the canvas (filled in once the view exists) and the detailed form, as two tabs
        self.views = w.Tab(layout=w.Layout(flex="3 1 34em", min_width="18em"))
        self.views.add_class("crkit-views")
        self.views.observe(self._view_chosen, names="selected_index")
        panel = self._build_score_panel()
        self.detail_slot = w.VBox(layout=w.Layout(width="100%"))
        side = w.VBox([self.detail_slot, panel], layout=w.Layout(flex="2 1 22em",
                                                                 min_width="18em"))
        side.add_class("crkit-side")
        body = w.HBox([self.views, side], layout=w.Layout(flex_flow="row wrap", width="100%"))
        body.add_class("crkit-body")
        self.total_badge = w.HTML()
        self.total_badge.add_class("crkit-badge")
        topbar = w.VBox([self.total_badge, self.status], layout=w.Layout(width="100%"))
        topbar.add_class("crkit-topbar")
        self.recovery_offer = w.HBox(layout=w.Layout(flex_flow="row wrap",
                                                     align_items="center"))
        self.recovery_offer.add_class("crkit-offer")
        self.case_offer = w.HBox(layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.case_offer.add_class("crkit-offer")
        root = w.VBox([w.HTML(STYLE), header, self.language_line, self.recovery_offer,
                       self._build_toolbar(), topbar, self.notes, self.case_offer, body],
                      layout=w.Layout(width="100%", padding="0 .5em"))
        root.add_class("crkit-builder")
        return root

    def _build_toolbar(self) -> w.VBox:
        self.start_from = w.Dropdown(description_allow_html=False,
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="auto", max_width="34em"))
        self._tr(self.start_from, "description", "builder.start-from")
        self._tr(self.start_from, "tooltip", "builder.start-from.tip")
        self.start_button = forms.button("", on_click=self._start)
        self._tr(self.start_button, "description", "builder.start")
        self._tr(self.start_button, "tooltip", "builder.start.tip")
        self.undo_button = forms.button("", on_click=self._undo, disabled=True)
        self._tr(self.undo_button, "description", "builder.undo")
        self._tr(self.undo_button, "tooltip", "builder.undo.tip")
        self.redo_button = forms.button("", on_click=self._redo, disabled=True)
        self._tr(self.redo_button, "description", "builder.redo")
        self._tr(self.redo_button, "tooltip", "builder.redo.tip")

        self.path = w.Text(value=self.state.default_name, continuous_update=False,
                           description_allow_html=False, style={"description_width": "initial"},
                           layout=w.Layout(width="22em"))
        self._tr(self.path, "description", "builder.file")
        self.path.tooltip = self.L("builder.file.tip", folder=str(self.state.workdir))
        self.save_button = forms.button("", style="primary", on_click=self._save)
        self._tr(self.save_button, "description", "builder.save")
        self._tr(self.save_button, "tooltip", "builder.save.tip")
        self.load_button = forms.button("", on_click=self._load)
        self._tr(self.load_button, "description", "builder.load")
        self._tr(self.load_button, "tooltip", "builder.load.tip")
        self.upload = w.FileUpload(accept=".yaml,.yml,.json", multiple=False, icon="",
                                   layout=w.Layout(width="auto"))
        self._tr(self.upload, "description", "builder.upload")
        self._tr(self.upload, "tooltip", "builder.upload.tip")
        self.upload.observe(self._uploaded, names="value")
        self.upload.add_class("crkit-upload")  # the app's page hides the file count "(0)"

        self.recover_from = w.Dropdown(description_allow_html=False,
                                       style={"description_width": "initial"},
                                       layout=w.Layout(width="auto", min_width="16em",
                                                       max_width="34em"))
        self._tr(self.recover_from, "description", "builder.recover-from")
        self._tr(self.recover_from, "tooltip", "builder.recover-from.tip")
        self.recover_button = forms.button("", on_click=self._recover)
        self._tr(self.recover_button, "description", "builder.recover")
        self._tr(self.recover_button, "tooltip", "builder.recover.tip")

        self.png_button = forms.button("", on_click=self._export_png)
        self._tr(self.png_button, "description", "builder.export-png")
        self._tr(self.png_button, "tooltip", "builder.export-png.tip")
        self.markdown_button = forms.button("", on_click=self._export_markdown)
        self._tr(self.markdown_button, "description", "builder.export-markdown")
        self._tr(self.markdown_button, "tooltip", "builder.export-markdown.tip")
        self._fill_choices()

        def row(*items: w.Widget) -> w.HBox:
            out = w.HBox(list(items), layout=w.Layout(flex_flow="row wrap", align_items="center"))
            out.add_class("crkit-bar")
            return out

        return w.VBox([
            row(self.start_from, self.start_button, self.undo_button, self.redo_button,
                self.recover_from, self.recover_button),
            row(self.path, self.save_button, self.load_button, self.upload,
                self.png_button, self.markdown_button),
        ])

    def _build_score_panel(self) -> w.VBox:
        heading = self._tr(w.HTML(), "value", "builder.score-heading", "<h3>{}</h3>")
        self.score = ScorePanel([c.id for c in self.state.report(self.lang).criteria])
        self._tr(self.score.total_bar, "tooltip", "builder.total.tip")
        compare_heading = self._tr(w.HTML(), "value", "builder.compare-heading", "<h3>{}</h3>")
        self.compare_with = w.Dropdown(description_allow_html=False,
                                       style={"description_width": "initial"},
                                       layout=w.Layout(width="auto", max_width="100%"))
        self._tr(self.compare_with, "description", "builder.compare-with")
        self._tr(self.compare_with, "tooltip", "builder.compare-with.tip")
        self.compare_with.observe(lambda _: self._refresh_compare(), names="value")
        self.snapshot_button = forms.button("", on_click=self._snapshot)
        self._tr(self.snapshot_button, "description", "builder.snapshot")
        self._tr(self.snapshot_button, "tooltip", "builder.snapshot.tip")
        self.compare_table = w.HTML()
        self.apply_button = forms.button("", style="primary", on_click=self._apply_best)
        self._tr(self.apply_button, "description", "builder.apply-best")
        self._tr(self.apply_button, "tooltip", "builder.apply-best.tip")
        panel = w.VBox(
            [heading, *self.score.widgets, self.apply_button, compare_heading,
             w.HBox([self.compare_with, self.snapshot_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center")),
             self.compare_table],
            layout=w.Layout(flex="2 1 24em", min_width="20em"),
        )
        panel.add_class("crkit-score")
        return panel

    # the score panel's widgets, by the names tests and benchmarks use
    @property
    def total(self) -> w.HTML:
        return self.score.total

    @property
    def total_bar(self) -> w.FloatProgress:
        return self.score.total_bar

    @property
    def criteria_bars(self) -> dict[str, w.FloatProgress]:
        return self.score.bars

    @property
    def criteria_names(self) -> dict[str, w.HTML]:
        return self.score.names

    @property
    def criteria_text(self) -> dict[str, w.HTML]:
        return self.score.texts

    @property
    def best(self) -> w.HTML:
        return self.score.best

    def _fill_choices(self) -> None:
        """(Re)fill the drop-downs whose options depend on the language or the library."""
        self._library = {key: (label, get) for key, label, get in library(self.lang)}
        with self._silenced():
            current = self.start_from.value
            self.start_from.options = [
                (self.L("builder.start.blank"), "blank"),
                (self.L("builder.start.starter"), "starter"),
                *[(label, key) for key, (label, _) in self._library.items()],
            ]
            self.start_from.value = current if current in dict(
                (v, 1) for _, v in self.start_from.options) else "starter"
            self._fill_recoveries()
            self._fill_compare()

    def _fill_recoveries(self) -> None:
        autosave = self.state.autosave
        found = autosave.recoveries() if autosave else []
        with self._silenced():
            if found:
                self.recover_from.options = [(recovery_label(p, self.lang), str(p)) for p in found]
            else:
                self.recover_from.options = [(self.L("builder.recover-none"), "")]
            self.recover_from.index = 0
        self.recover_button.disabled = not found
        self.recover_from.disabled = not found

    def _fill_compare(self) -> None:
        current = self.compare_with.value
        options = [(self.L("builder.compare-nothing"), "")]
        options += [(s.label(self.lang), f"snapshot:{s.number}") for s in self.state.snapshots]
        options += [(label, key) for key, (label, _) in self._library.items()]
        with self._silenced():
            self.compare_with.options = options
            self.compare_with.value = current if current in {v for _, v in options} else ""

    # --- reacting to edits ----------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        """Score first (what the learner is watching), then redraw what the edit touched."""
        self._refresh_score()
        self.undo_button.disabled = not self.state.can_undo
        self.redo_button.disabled = not self.state.can_redo
        if not self._forms_shown:
            self._forms_dirty = True  # drawn again when the learner opens the form
        elif change.replaced:
            self._draw_all()
        elif change.structure and self._append(change.kind):
            pass  # a new item: its card alone was drawn
        elif change.structure:
            self._draw(change.kind)
            for other in DEPENDENTS[change.kind]:
                self._draw(other)
        elif change.renamed:
            self._relabel(change.kind)
        autosave = self.state.autosave
        if autosave is not None and autosave.error:
            self._say(lambda e=autosave.error: self.L(
                "builder.autosave-failed", reason=e.message(self.lang)), "error")

    def _refresh_score(self) -> None:
        """Update the score panel in place, then the comparison."""
        report = self.state.report(self.lang)
        self.score.show(report, self.lang)
        best = report.best_change()
        self.apply_button.disabled = best is None or best.apply is None
        self.total_badge.value = (
            f'<div class="crkit-badge-total">{html.escape(self.L("report.total"))}: '
            f"<b>{number(report.total, self.lang)}</b> / 100</div>")
        self._refresh_compare()

    def _compared_canvas(self, key: str) -> Canvas | None:
        if key.startswith("snapshot:"):
            number = int(key.split(":", 1)[1])
            return next((s.canvas for s in self.state.snapshots if s.number == number), None)
        if key not in self._compared and key in self._library:
            self._compared[key] = self._library[key][1]()
        return self._compared.get(key)

    def _refresh_compare(self) -> None:
        key = self.compare_with.value
        other = self._compared_canvas(key) if key else None
        if other is None:
            self.compare_table.value = (
                f'<div class="crkit-note">{html.escape(self.L("builder.compare-help"))}</div>')
            return
        label = dict((v, n) for n, v in self.compare_with.options)[key]
        self.compare_table.value = comparison_table(
            self.state.compare(other, label, self.lang), self.lang)

    # --- actions ----------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch the interface (labels, reasons, suggestions) to ``lang``."""
        lang = check_language(lang)
        if lang != self.language.value:
            self.language.value = lang  # comes back here through the observer
            return
        self.lang = lang
        self.state.lang = lang
        for widget, attr, key, template in self._static:
            text = self.L(key)
            setattr(widget, attr, template.format(html.escape(text) if attr == "value" else text))
        self.path.tooltip = self.L("builder.file.tip", folder=str(self.state.workdir))
        self._fill_choices()
        self._note_left_out()
        self._set_view_titles()
        if self._forms_shown:
            self._draw_all()
        else:
            self._forms_dirty = True
        self._refresh_score()
        self.canvas_view.relabel()
        self.canvas_view.refresh()
        self.canvas_view._draw_detail()
        self._say_again()
        self._offer_recovery(again=True)
        self._offer_case(again=True)

    def _add(self, kind: str, **fields: Any) -> None:
        try:
            index = self.state.add(kind, **fields)
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        focus = self.cards[kind][index].get("name") or self.cards[kind][index].get("text") or \
            self.cards[kind][index].get("type")
        if focus is not None:
            focus.focus()

    def _remove(self, kind: str, index: int) -> None:
        item = self.state.items(kind)[index]
        name = getattr(item, "name", None) or getattr(item, "text", None) or \
            knowledge.name("types", item.type, self.lang)
        dropped = self.state.remove(kind, index)
        key = "builder.removed-with" if dropped else "builder.removed"
        self._say(lambda: self.L(key, name=name, count=dropped))
        # keyboard users land on the list's Add button instead of nowhere
        add = f"relationships:{item.segment}" if kind == "relationships" else kind
        button = self._add_buttons.get(add) if self._forms_shown else None
        if button is not None:
            button.focus()

    def _move(self, kind: str, index: int, step: int) -> None:
        target = self.state.move(kind, index, step)
        cards = self.cards.get(kind, [])
        if 0 <= target < len(cards):
            button = cards[target]["up" if step < 0 else "down"]
            (button if not button.disabled else cards[target]["remove"]).focus()

    def _start(self) -> None:
        key = self.start_from.value
        if key == "blank":
            self.state.start_blank()
        elif key == "starter":
            self.state.start_starter()
        elif key in self._library:
            self.state.replace(self._library[key][1]())
        def said() -> str:  # the choice's name in the language shown when it is read
            label = dict((v, n) for n, v in self.start_from.options).get(key, key)
            return self.L("builder.started", name=label)

        self._say(said)

    def _undo(self) -> None:
        if self.state.undo() is None:
            self._say(lambda: self.L("builder.nothing-to-undo"))
        else:
            self._say(lambda: self.L("builder.undone"))
        self.undo_button.disabled = not self.state.can_undo
        self.redo_button.disabled = not self.state.can_redo

    def _redo(self) -> None:
        if self.state.redo() is None:
            self._say(lambda: self.L("builder.nothing-to-redo"))
        else:
            self._say(lambda: self.L("builder.redone"))
        self.undo_button.disabled = not self.state.can_undo
        self.redo_button.disabled = not self.state.can_redo

    def _apply_best(self) -> None:
        """Make the change "what would help most" proposes, as one edit Undo takes back."""
        best = self.state.report(self.lang).best_change()
        if best is None or best.apply is None:
            self._say(lambda: self.L("builder.nothing-to-apply"))
            return
        text = best.text
        self.state.apply_best(self.lang)
        self._say(lambda: self.L("builder.applied", text=text), "ok")

    # --- offers: recover the last session's work, start from a case file ---------------------
    def _offer_recovery(self, again: bool = False) -> None:
        """After a reload: "recover your work from 07:28?", if that work differs from this."""
        if again and not self.recovery_offer.children:
            return
        autosave = self.state.autosave
        found = autosave.recoveries() if autosave else []
        newest = found[0] if found else None
        offer: Canvas | None = None
        if newest is not None:
            try:
                offer = load(newest)
            except CrkitError:
                offer = None
        if offer is None or offer.to_dict() == self.state.canvas.to_dict():
            self._close_offer(self.recovery_offer)
            return
        prompt = self.L("builder.recover-prompt", time=recovery_time(newest), title=offer.title)
        text = w.HTML(f'<span role="status">{html.escape(prompt)}</span>')
        yes = forms.button(self.L("builder.recover-yes"), style="primary",
                           on_click=lambda: self._recover_offered(newest))
        no = forms.button(self.L("builder.recover-no"),
                          on_click=lambda: self._close_offer(self.recovery_offer))
        self._close_offer(self.recovery_offer)
        self.recovery_offer.children = [text, yes, no]

    def _recover_offered(self, path: Path) -> None:
        try:
            self.state.recover(path)
        except CrkitError as exc:
            self._say_error(exc)
        else:
            self._say(lambda n=self.state.canvas.title: self.L("builder.recovered", name=n),
                      "ok")
        self._close_offer(self.recovery_offer)

    def _close_offer(self, box: w.Box) -> None:
        old = list(box.children)
        box.children = []
        for widget in old:
            forms.close_tree(widget)

    def _case_file(self, data: bytes, name: str) -> bool:
        """If ``data`` is a case file, offer to start from its canvas; True if it was one."""
        self._case = case_from_bytes(data, name)
        if self._case is None:
            return False
        self._offer_case()
        return True

    def _offer_case(self, again: bool = False) -> None:
        case = getattr(self, "_case", None)
        if case is None or (again and not self.case_offer.children):
            return
        self._close_offer(self.case_offer)
        name, found = case
        choice = w.Dropdown(options=[(f"{found.company} — {e.label(self.lang)}", i)
                                     for i, e in enumerate(found.canvases)],
                            description_allow_html=False, layout=w.Layout(width="auto"))
        choice.description = self.L("builder.start-from")
        said = self.L("builder.case-file", name=name, company=found.company)
        text = w.HTML(f'<span role="status">{html.escape(said)}</span>')
        start = forms.button(self.L("builder.case-start"), style="primary",
                             on_click=lambda: self._start_case(choice.value))
        no = forms.button(self.L("builder.detail.close"),
                          on_click=lambda: self._close_offer(self.case_offer))
        self.case_offer.children = [text, choice, start, no]
        self.status.value = ""

    def _start_case(self, index: int) -> None:
        name, found = self._case
        entry = found.canvases[index]
        canvas = entry.canvas
        if isinstance(canvas, dict):
            canvas = canvas_from_data(canvas)
        self.state.replace(canvas)
        label = f"{found.company} — {entry.label(self.lang)}"
        self._say(lambda: self.L("builder.started", name=label), "ok")
        self._case = None
        self._close_offer(self.case_offer)

    def _save(self) -> None:
        try:
            path = self.state.save(self.path.value)
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        except CrkitError as exc:  # the file cannot be written: read-only, disk full...
            self._say_error(exc)
            return
        data = path.read_bytes()
        link = _data_link(data, path.name, "application/x-yaml" if path.suffix != ".json"
                          else "application/json", self.L("builder.download"))
        self._say(lambda: self.L("builder.saved", path=str(path)), "ok", extra=link)

    def _load(self) -> None:
        try:
            resolved = self.state.resolve(self.path.value)
            if resolved.is_file() and self._case_file(resolved.read_bytes(), resolved.name):
                return
        except (EditRejected, OSError):
            pass
        try:
            self.state.load_file(self.path.value)
        except CrkitError as exc:
            self._say_error(exc)
            return
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        self._say(lambda p=str(self.state.path): self.L("builder.loaded", path=p), "ok")

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if self._quiet or not files:
            return
        item = files[0]
        name = item["name"] if isinstance(item, dict) else item.name
        content = item["content"] if isinstance(item, dict) else item.content
        try:
            if not self._case_file(bytes(content), name):
                self.state.load_bytes(bytes(content), name)
        except CrkitError as exc:
            self._say_error(exc)
        else:
            if getattr(self, "_case", None) is None:
                self._say(lambda: self.L("builder.loaded", path=shorten(escape(str(name)), 80)),
                          "ok")
        finally:
            with self._silenced():
                self.upload.value = ()

    def _recover(self) -> None:
        path = self.recover_from.value
        if not path:
            return
        try:
            self.state.recover(Path(path))
        except CrkitError as exc:
            self._say_error(exc)
            return
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        self._say(lambda n=self.state.canvas.title: self.L("builder.recovered", name=n), "ok")

    def _export_png(self) -> None:
        try:
            target = self.state.export_path(self.path.value, ".png")
            path = export.export_png(self.state.canvas, target, rubric=self.state.rubric)
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        except CrkitError as exc:
            self._say_error(exc)
            return
        except (ImportError, OSError) as exc:
            self._say(lambda r=str(exc): self.L("builder.export-failed", reason=r), "error")
            return
        link = _data_link(path.read_bytes(), path.name, "image/png", self.L("builder.download"))
        self._say(lambda: self.L("builder.exported", path=str(path)), "ok", extra=link)

    def _export_markdown(self) -> None:
        try:
            target = self.state.export_path(self.path.value, ".md")
            path = export.export_markdown(self.state.canvas, target, rubric=self.state.rubric)
        except EditRejected as exc:
            self._say(lambda e=exc: e.message(self.lang), "error")
            return
        except CrkitError as exc:
            self._say_error(exc)
            return
        except OSError as exc:
            self._say(lambda r=str(exc): self.L("builder.export-failed", reason=r), "error")
            return
        link = _data_link(path.read_bytes(), path.name, "text/markdown;charset=utf-8",
                          self.L("builder.download"))
        self._say(lambda: self.L("builder.exported", path=str(path)), "ok", extra=link)

    def _snapshot(self) -> None:
        snap = self.state.snapshot()
        self._fill_compare()
        self.compare_with.value = f"snapshot:{snap.number}"
        self._say(lambda: self.L("builder.snapshot-taken", name=snap.label(self.lang)), "ok")


def warm_up() -> None:
    """Import and prepare everything a page needs, before any page asks (app server).

    The app's pre-started kernels run this while no one waits: the first page then only
    draws its builder. The builder made here is closed at once; it writes no file.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        builder = CanvasBuilder(workdir=folder, autosave_dir=False, owner="local")
        for lang in LANGUAGES:
            builder.set_language(lang)
        forms.close_tree(builder.root)


def prepare_page() -> CanvasBuilder:
    """In the app's kernel started ahead: the kit warmed up and the page's builder drawn.

    Everything a page needs is done before any page asks for it; the browser is not known
    yet, so no recovery copy is offered until :func:`open_page` attaches it.
    """
    warm_up()
    return CanvasBuilder(owner=PENDING)


def open_page(builder: CanvasBuilder) -> None:
    """Wait for the page's request (and its browser id), give it the builder and show it."""
    wait_for_page()
    builder.attach(page_owner())
    builder.show()


def wait_for_page() -> None:
    """In a pre-started kernel of the app: wait for the page's request (and its browser id).

    Elsewhere (a notebook, an app without pre-started kernels) return at once.
    """
    try:
        from voila.utils import wait_for_request
    except ImportError:
        return
    wait_for_request()
