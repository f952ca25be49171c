"""The live canvas builder on the course site (JupyterLite + Pyodide), in headless Chromium.

The built site is served on 127.0.0.1 and every request to another host is blocked: the
builder must start from the site's own files, keep the learner's work in the browser across
a reload, and download a canvas file that ``crkit validate`` accepts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import LOCAL_HOSTS, PageWatcher, launch, screenshot, serve_directory

from crkit.core.i18n import t
from crkit.core.starter import starter_canvas

pytestmark = [pytest.mark.site, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
#: the first start loads Pyodide and the wheels; generous for a loaded 2-core machine
START_TIMEOUT_MS = 180_000
FRAME = "iframe.jupyterlite_sphinx_raw_iframe"


def block_other_hosts(context, blocked: list[str]) -> None:
    def route(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)


def open_builder(page, url: str, lang: str = "en"):
    """Open the builder page; wait for the builder; open its detailed form (the fields this
    test types in; the canvas view shows the same canvas); return its frame."""
    page.goto(url)
    frame = page.frame_locator(FRAME)
    frame.locator(".crkit-total-number").first.wait_for(timeout=START_TIMEOUT_MS)
    # the page brings the view back to the builder's top once, just after drawing it
    frame.locator("html[data-crkit-settled]").wait_for(state="attached", timeout=30_000)
    frame.get_by_role("tab", name=t("builder.form.tab", lang)).click()
    frame.locator("input[type=text]").first.wait_for(timeout=60_000)
    return frame


def click_when_settled(locator, settle_s: float = 0.45) -> None:
    """Click once the element has stopped moving: the form grows as the kernel's updates
    arrive (a new card, then its relationships group), and a click aimed at a button that
    has just moved lands beside it, as a learner's would."""
    import time

    locator.wait_for()
    box, since = None, time.monotonic()
    deadline = since + 20
    while time.monotonic() < deadline:
        now = locator.bounding_box()
        if now != box:
            box, since = now, time.monotonic()
        elif time.monotonic() - since >= settle_s:
            break
        time.sleep(0.05)
    locator.click()


def total(frame) -> str:
    return frame.locator(".crkit-total-number").first.inner_text().strip()


def text_values(frame, wanted: str | None = None, timeout_s: float = 60) -> list[str]:
    """The values of the form's text fields; with ``wanted``, wait until one holds it (the
    detailed form draws its sections one after the other)."""
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        values = frame.locator("input[type=text]").evaluate_all("els => els.map(e => e.value)")
        if wanted is None or wanted in values or time.monotonic() > deadline:
            return values
        time.sleep(0.25)


def wait_for_total_change(frame, before: str, timeout_ms: int = 20_000) -> str:
    frame.locator(".crkit-total-number", has_not_text=re.compile(
        rf"^{re.escape(before)}$")).first.wait_for(timeout=timeout_ms)
    return total(frame)


def edition_page(site: Path, lang: str) -> Path | None:
    """The builder page of an edition: English at the site's root, the others in <lang>/."""
    page = site / "book" / "app.html" if lang == "en" else site / lang / "book" / "app.html"
    return page if page.is_file() else None


@pytest.fixture(scope="module")
def playwright_instance():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_live_builder_runs_offline_keeps_work_and_downloads_a_valid_file(
        site_dir, playwright_instance, tmp_path, lang):
    page_file = edition_page(site_dir, lang)
    if page_file is None:
        pytest.skip(f"this site has no {lang} edition")
    relative = page_file.relative_to(site_dir).as_posix()
    blocked: list[str] = []
    browser = launch(playwright_instance)
    try:
        context = browser.new_context(accept_downloads=True,
                                      viewport={"width": 1280, "height": 1000})
        block_other_hosts(context, blocked)
        page = context.new_page()
        watcher = PageWatcher().attach(page)
        with serve_directory(site_dir) as base:
            frame = open_builder(page, base + relative, lang)
            starter = starter_canvas(lang)
            name = starter.segments[0].name
            assert name in text_values(frame, name), "the starter canvas is open"
            first = total(frame)
            assert re.fullmatch(r"\d+([.,]\d+)?", first), first

            click_when_settled(frame.get_by_role("button", name=t("builder.add.segments", lang)))
            new_name = t("builder.new-segment", lang, n=len(starter.segments) + 1)
            frame.locator("input[type=text]").last.wait_for()
            after_segment = wait_for_total_change(frame, first)
            click_when_settled(frame.get_by_role(
                "button", name=t("builder.add.relationships", lang, name=new_name)))
            after_relationship = wait_for_total_change(frame, after_segment)
            # both edits are written to the browser's storage before the reload
            frame.locator('.crkit-browser-note[data-writes="2"]').wait_for(timeout=20_000)
            assert after_relationship != first
            screenshot(page, f"lite-builder-{lang}")

            page.reload()
            frame = open_builder(page, base + relative, lang)
            assert new_name in text_values(frame, new_name), "the work came back after a reload"
            assert total(frame) == after_relationship, (first, after_segment, after_relationship)

            frame.get_by_role("button", name=t("builder.save", lang), exact=True).click()
            link = frame.get_by_role("link", name=t("builder.download", lang))
            with page.expect_download() as download_info:
                link.first.click()
            saved = tmp_path / (download_info.value.suggested_filename or "canvas.yaml")
            download_info.value.save_as(saved)

            # Open from your computer brings a file from the learner's disk back in
            with page.expect_file_chooser() as chooser:
                frame.get_by_role("button", name=t("builder.upload", lang)).first.click()
            chooser.value.set_files(str(saved))
            opened = t("builder.loaded", lang, path=saved.name)
            frame.get_by_text(opened).first.wait_for(timeout=20_000)
            assert new_name in text_values(frame, new_name)
        problems = [p for p in watcher.problems() if "request to another host" in p]
        assert not blocked and not problems, blocked + problems
    finally:
        browser.close()

    result = subprocess.run(
        [sys.executable, "-m", "crkit.cli", "validate", str(saved)],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert new_name in saved.read_text(encoding="utf-8")
