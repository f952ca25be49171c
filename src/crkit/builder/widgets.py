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
from crkit.builder.editor import EditorForms
from crkit.builder.library import left_out, library
from crkit.builder.score_panel import ScorePanel, comparison_table
from crkit.builder.state import KINDS, BuilderState, Change, EditRejected
from crkit.builder.style import STYLE
from crkit.core import knowledge
from crkit.core.canvas import Canvas
from crkit.core.errors import CrkitError, escape, shorten
from crkit.core.i18n import LANGUAGE_NAMES, LANGUAGES, check_language, t
from crkit.core.starter import blank_canvas, starter_canvas

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
        Recovery copies are listed only to pages of the same browser.

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
            autosave_dir=autosave_dir, rubric=rubric, owner=owner or page_owner(),
        )
        self._quiet = 0
        self._static: list[tuple[w.Widget, str, str, str]] = []
        self._library: dict[str, tuple[str, Callable[[], Canvas]]] = {}
        self._compared: dict[str, Canvas] = {}
        self._status_is_edit_error = False
        self.cards: dict[str, list[dict[str, w.Widget]]] = {}
        self.add_buttons: dict[str, w.Button] = {}
        self.sections: dict[str, w.VBox] = {}
        self.root = self._build()
        self.state.on_change(self._on_change)
        self._draw_all()
        self._refresh_score()
        self._offer_recovery()
        self._note_left_out()

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

    def _say(self, text: str, kind: str = "info", extra: str = "") -> None:
        """Show a message in the status line; errors are announced to screen readers."""
        role = "alert" if kind == "error" else "status"
        self.status.value = (f'<div class="crkit-{kind}" role="{role}">{html.escape(text)}'
                             f"{' ' + extra if extra else ''}</div>")
        self._status_is_edit_error = False

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

    def _offer_recovery(self) -> None:
        """A reloaded page of the same browser: "Recover your work from 07:28?"."""
        found = self.state.autosave.recoveries() if self.state.autosave else []
        if found:
            self._say(self.L("builder.recover-offer", time=recovery_time(found[0])))

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
        header = w.HBox(
            [w.VBox([title, intro], layout=w.Layout(flex="1 1 auto")), self.language],
            layout=w.Layout(justify_content="space-between", align_items="flex-start"),
        )
        self.status = w.HTML(layout=w.Layout(width="100%"))
        self.status.add_class("crkit-status")
        self.notes = w.HTML(layout=w.Layout(width="100%"))

        editor = w.VBox(layout=w.Layout(flex="3 1 34em", min_width="20em", margin="0 1.2em 0 0"))
        for kind in ("canvas", *KINDS):
            self.sections[kind] = w.VBox()
        editor.children = [self.sections[k] for k in ("canvas", *KINDS)]
        panel = self._build_score_panel()
        body = w.HBox([editor, panel], layout=w.Layout(flex_flow="row wrap", width="100%"))
        body.add_class("crkit-body")
        root = w.VBox([w.HTML(STYLE), header, self._build_toolbar(), self.status, self.notes,
                       body],
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
            row(self.start_from, self.start_button, self.undo_button,
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
        panel = w.VBox(
            [heading, *self.score.widgets, compare_heading,
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
        if change.replaced:
            self._draw_all()
        elif change.structure:
            self._draw(change.kind)
            for other in DEPENDENTS[change.kind]:
                self._draw(other)
        elif change.renamed:
            self._relabel(change.kind)
        self.undo_button.disabled = not self.state.can_undo
        autosave = self.state.autosave
        if autosave is not None and autosave.error:
            self._say(self.L("builder.autosave-failed", reason=autosave.error.message(self.lang)),
                      "error")

    def _refresh_score(self) -> None:
        """Update the score panel in place, then the comparison."""
        self.score.show(self.state.report(self.lang), self.lang)
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
        self._draw_all()
        self._refresh_score()

    def _add(self, kind: str, **fields: Any) -> None:
        try:
            index = self.state.add(kind, **fields)
        except EditRejected as exc:
            self._say(exc.message(self.lang), "error")
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
        self._say(self.L(key, name=name, count=dropped))
        # keyboard users land on the list's Add button instead of nowhere
        add = f"relationships:{item.segment}" if kind == "relationships" else kind
        button = self.add_buttons.get(add)
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
        label = dict((v, n) for n, v in self.start_from.options).get(key, key)
        self._say(self.L("builder.started", name=label))

    def _undo(self) -> None:
        if self.state.undo() is None:
            self._say(self.L("builder.nothing-to-undo"))
        else:
            self._say(self.L("builder.undone"))
        self.undo_button.disabled = not self.state.can_undo

    def _save(self) -> None:
        try:
            path = self.state.save(self.path.value)
        except EditRejected as exc:
            self._say(exc.message(self.lang), "error")
            return
        except CrkitError as exc:  # the file cannot be written: read-only, disk full...
            self._say_error(exc)
            return
        data = path.read_bytes()
        link = _data_link(data, path.name, "application/x-yaml" if path.suffix != ".json"
                          else "application/json", self.L("builder.download"))
        self._say(self.L("builder.saved", path=str(path)), "ok", extra=link)

    def _load(self) -> None:
        try:
            self.state.load_file(self.path.value)
        except CrkitError as exc:
            self._say_error(exc)
            return
        except EditRejected as exc:
            self._say(exc.message(self.lang), "error")
            return
        self._say(self.L("builder.loaded", path=str(self.state.path)), "ok")

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if self._quiet or not files:
            return
        item = files[0]
        name = item["name"] if isinstance(item, dict) else item.name
        content = item["content"] if isinstance(item, dict) else item.content
        try:
            self.state.load_bytes(bytes(content), name)
        except CrkitError as exc:
            self._say_error(exc)
        else:
            self._say(self.L("builder.loaded", path=shorten(escape(str(name)), 80)), "ok")
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
            self._say(exc.message(self.lang), "error")
            return
        self._say(self.L("builder.recovered", name=self.state.canvas.title), "ok")

    def _export_png(self) -> None:
        try:
            target = self.state.export_path(self.path.value, ".png")
            path = export.export_png(self.state.canvas, target, rubric=self.state.rubric)
        except EditRejected as exc:
            self._say(exc.message(self.lang), "error")
            return
        except CrkitError as exc:
            self._say_error(exc)
            return
        except (ImportError, OSError) as exc:
            self._say(self.L("builder.export-failed", reason=str(exc)), "error")
            return
        link = _data_link(path.read_bytes(), path.name, "image/png", self.L("builder.download"))
        self._say(self.L("builder.exported", path=str(path)), "ok", extra=link)

    def _export_markdown(self) -> None:
        try:
            target = self.state.export_path(self.path.value, ".md")
            path = export.export_markdown(self.state.canvas, target, rubric=self.state.rubric)
        except EditRejected as exc:
            self._say(exc.message(self.lang), "error")
            return
        except CrkitError as exc:
            self._say_error(exc)
            return
        except OSError as exc:
            self._say(self.L("builder.export-failed", reason=str(exc)), "error")
            return
        link = _data_link(path.read_bytes(), path.name, "text/markdown;charset=utf-8",
                          self.L("builder.download"))
        self._say(self.L("builder.exported", path=str(path)), "ok", extra=link)

    def _snapshot(self) -> None:
        snap = self.state.snapshot()
        self._fill_compare()
        self.compare_with.value = f"snapshot:{snap.number}"
        self._say(self.L("builder.snapshot-taken", name=snap.label(self.lang)), "ok")
