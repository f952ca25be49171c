"""The canvas builder in the reader's browser (the course site's live builder, JupyterLite).

The course site starts it with ``from crkit.builder.browser import start; start("es")``. In
JupyterLite the kernel's working folder is the browser's own storage (IndexedDB), so the
builder's recovery copies (:mod:`crkit.builder.autosave`) and saved files stay in this browser
and survive a reload: :func:`start` reopens the newest copy. Save offers a Download link and
Open file reads one from the learner's disk. PNG export needs matplotlib, which the browser
edition does not carry; the page says it is in the installed kit.
"""

from __future__ import annotations

import html
import os
import time
from pathlib import Path
from typing import Any

import ipywidgets as w

from crkit.builder.autosave import AUTOSAVE_FOLDER, Autosave
from crkit.builder.widgets import CanvasBuilder
from crkit.core.errors import CanvasError
from crkit.core.i18n import check_language, t
from crkit.core.storage import load

#: the REPL page around the builder: the cells' "[1]:" gutters are hidden (the builder gets
#: their width). The console's own prompt stays: hidden, it swallows clicks on the builder
#: (the console moves the focus to it when the page is clicked).
PAGE_STYLE = """<style>
.jp-CodeConsole .jp-OutputPrompt, .jp-CodeConsole .jp-InputPrompt { display: none !important; }
</style>"""
#: the console scrolls to the end of new output: bring the view back to the builder's top
#: once it is drawn, unless the learner has already clicked, typed or scrolled; and "Open
#: from your computer (0)": the file count means nothing here (the app's page does the
#: same, in its template)
PAGE_SCRIPT = """
(function () {
  var moved = false;
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
    document.addEventListener(name, function () { moved = true; }, true);
  });
  var top = function () {
    if (moved) { return; }
    document.querySelectorAll(".jp-CodeConsole-content").forEach(function (e) { e.scrollTop = 0; });
  };
  requestAnimationFrame(top);
  setTimeout(function () {
    top();
    document.documentElement.setAttribute("data-crkit-settled", "");  // the view stays put now
  }, 250);
  var strip = function () {
    document.querySelectorAll(".crkit-upload").forEach(function (button) {
      var text = button.textContent, bare = text.replace(/\\s*\\(\\d+\\)$/, "");
      if (bare !== text) { button.textContent = bare; }
    });
  };
  strip();
  new MutationObserver(strip).observe(document.body,
    {subtree: true, childList: true, characterData: true});
})();
"""


def newest_copy(workdir: str | os.PathLike) -> Path | None:
    """The newest readable recovery copy in ``workdir`` (None when there is none)."""
    for path in Autosave(Path(workdir) / AUTOSAVE_FOLDER).recoveries():
        try:
            load(path)
        except CanvasError:
            continue
        return path
    return None


def _say_kept(note: Any, text: str, writes: int) -> None:
    # data-writes counts the copies written, so a page (or a test) can tell one is done
    note.value = (f'<p class="crkit-browser-note" data-writes="{writes}">'
                  f"{html.escape(text)}</p>")


def start(lang: str | None = None, workdir: str | os.PathLike | None = None,
          show: bool = True) -> Any:
    """Open the builder, on the work this browser kept if there is any; return the builder."""
    lang = check_language(lang)
    folder = Path(workdir or os.getcwd())
    kept = newest_copy(folder)
    canvas = load(kept) if kept else None
    builder = CanvasBuilder(canvas, lang=lang, workdir=folder)
    png = getattr(builder, "png_button", None)
    if png is not None:  # matplotlib is not in the browser edition
        png.layout.display = "none"
    if kept is not None and canvas is not None:
        text = t("builder.browser.restored", lang, name=canvas.title)
    else:
        text = t("builder.browser.fresh", lang)
    note = w.HTML()
    builder.browser_note = note
    _say_kept(note, text, 0)
    autosave = builder.state.autosave
    if autosave is not None:
        write = autosave.write
        writes = [0]

        def write_and_say(changed: Any) -> None:
            write(changed)
            writes[0] += 1
            if autosave.error is None:
                kept = t("builder.browser.kept", lang, time=time.strftime("%H:%M:%S"))
                _say_kept(note, kept, writes[0])

        autosave.write = write_and_say
    view = w.VBox([w.HTML(PAGE_STYLE), note, builder.root])
    if show:
        from IPython.display import Javascript, display

        display(view)
        display(Javascript(PAGE_SCRIPT))
    return builder
