"""The canvas builder as a web app: Voila in a subprocess, driven in headless Chromium.

A learner adds a segment and a relationship, watches the total move, saves, reloads the
page and opens the file again, and tries a broken file. The page must never talk to any
host but this computer. A screenshot goes to ``tests/artifacts/builder.png``.
"""

from __future__ import annotations

import queue
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from browser import ARTIFACTS, PageWatcher, launch

import crkit

pytestmark = pytest.mark.browser

TIMEOUT = 120_000  # ms: the first page load starts a kernel


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("builder-app")


@pytest.fixture(scope="module")
def app_url(workdir: Path):
    """Start ``python -m crkit.builder.server`` and yield the address it prints."""
    pytest.importorskip("voila")
    process = subprocess.Popen(
        [sys.executable, "-m", "crkit.builder.server", "--port", str(_free_port()),
         "--workdir", str(workdir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    errors: list[str] = []
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout], daemon=True).start()
    threading.Thread(target=lambda: [errors.append(x) for x in process.stderr],
                     daemon=True).start()
    try:
        line = lines.get(timeout=180)
    except queue.Empty:
        process.kill()
        pytest.fail("the app server printed no address:\n" + "".join(errors[-30:]))
    match = re.fullmatch(r"Canvas builder: (http://127\.0\.0\.1:\d+/)\n", line)
    assert match, line
    try:
        yield match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    # Voila's own noise (websocket closed on reload...) is not ours; a crkit frame would be
    ours = [e for e in errors if e.lstrip().startswith("File ") and "crkit" in e]
    assert not ours, "".join(errors)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    watcher = PageWatcher().attach(page)
    page.set_default_timeout(60_000)  # a busy 2-core machine is slow
    page.goto(url, timeout=TIMEOUT)
    page.wait_for_selector(".crkit-total-number", timeout=TIMEOUT)
    return page, watcher


def _total(page) -> str:
    return page.locator(".crkit-total-number").inner_text()


def _wait_total_change(page, before: str) -> str:
    page.wait_for_function(
        "before => document.querySelector('.crkit-total-number').textContent !== before",
        arg=before,
    )
    return _total(page)


def _field(page, scope: str, label: str):
    """The input labelled ``label`` inside the element matching ``scope``."""
    return page.locator(scope).get_by_label(label, exact=True)


def _screenshot(page, name: str) -> Path:
    """The whole page: Voila scrolls inside #rendered_cells, so grow the window to fit it."""
    height = page.evaluate("document.querySelector('#rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return path


def test_learner_builds_saves_and_reloads_a_canvas(browser, app_url, workdir):
    page, watcher = _open(browser, app_url)
    start = _total(page)

    page.get_by_role("button", name="Add a segment").click()
    card = ".crkit-segment-2"
    page.wait_for_selector(card)
    _field(page, card, "Name").fill("Students")
    _field(page, card, "Name").press("Enter")
    _field(page, card, "Customers").fill("500")
    _field(page, card, "Customers").press("Tab")
    _field(page, card, "Value per customer / year").fill("40")
    _field(page, card, "Value per customer / year").press("Tab")
    after_segment = _wait_total_change(page, start)
    assert float(after_segment) < float(start)  # a segment with no relationship

    page.get_by_role("button", name="Add a relationship with 'Students'").click()
    rel = ".crkit-relationship-2"
    page.wait_for_selector(rel)
    _field(page, rel, "Type").select_option(label="Self-service")
    page.locator(rel).get_by_label("Customer acquisition").check()
    _field(page, rel, "Cost per customer / year").fill("2")
    _field(page, rel, "Cost per customer / year").press("Tab")

    path_box = page.get_by_label("Canvas file", exact=True)
    path_box.fill("learner.yaml")
    path_box.press("Enter")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector(".crkit-ok")
    saved = crkit.load(workdir / "learner.yaml")
    assert [s.name for s in saved.segments][-1] == "Students"
    assert saved.segments[-1].customers == 500
    assert (saved.relationships[-1].segment, saved.relationships[-1].type) == (
        "students", "self-service")
    assert saved.relationships[-1].motivations == ["acquisition"]
    assert saved.relationships[-1].cost_per_customer == 2
    final = f"{crkit.score(saved).total:g}"
    page.wait_for_function(
        "t => document.querySelector('.crkit-total-number').textContent === t", arg=final)
    assert final != after_segment  # the relationship moved the total again
    _screenshot(page, "builder")

    # a fresh page (and kernel) starts from the starter canvas; loading brings the work back
    page.reload(timeout=TIMEOUT)
    page.wait_for_selector(".crkit-total-number", timeout=TIMEOUT)
    assert page.locator(".crkit-segment-2").count() == 0
    path_box = page.get_by_label("Canvas file", exact=True)
    path_box.fill("learner.yaml")
    path_box.press("Enter")
    page.get_by_role("button", name="Load", exact=True).click()
    page.wait_for_selector(".crkit-ok")
    assert _field(page, ".crkit-segment-2", "Name").input_value() == "Students"
    assert _total(page) == final

    # a broken file: the error is shown, the canvas stays
    (workdir / "broken.yaml").write_text(
        "crkit: 1\ntitle: Broken\nsegments:\n  - id: a\n    name: A\n    customers: -5\n")
    path_box.fill("broken.yaml")
    path_box.press("Enter")
    page.get_by_role("button", name="Load", exact=True).click()
    error = page.locator(".crkit-error")
    error.wait_for()
    assert "cannot be negative" in error.inner_text()
    assert "line 6" in error.inner_text()
    assert "Traceback" not in page.content()
    assert _field(page, ".crkit-segment-2", "Name").input_value() == "Students"
    assert _total(page) == final
    _screenshot(page, "builder-error")

    # keyboard only: Enter on a focused button adds a channel and moves focus to its name
    page.get_by_role("button", name="Add a channel").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".crkit-channel-2")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('.crkit-channel-2')")
    page.keyboard.press("Control+A")  # the new name field holds "Channel 3": replace it
    page.keyboard.type("Campus stand")
    page.keyboard.press("Tab")
    assert _field(page, ".crkit-channel-2", "Name").input_value() == "Campus stand"

    # the interface switches language at run time
    page.get_by_label("Interface language").select_option(label="Español")
    page.get_by_role("button", name="Guardar", exact=True).wait_for()
    assert page.locator(".crkit-segment-2").get_by_label("Nombre", exact=True).input_value() \
        == "Students"

    foreign = watcher.foreign_requests
    assert not foreign, foreign
    assert not watcher.page_errors, watcher.page_errors
    page.close()


def test_each_browser_has_its_own_space_and_names_stay_in_the_folder(browser, app_url,
                                                                     workdir):
    """Issue 11: a reloaded page of the same browser is offered its own recovery copy; a
    page of another browser sees none; a name leading out of the folder is refused."""
    learner = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = learner.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url, timeout=TIMEOUT)
    page.wait_for_selector(".crkit-total-number", timeout=TIMEOUT)
    title = page.get_by_label("Title", exact=True).first
    title.fill("Learner one's bakery")
    title.press("Enter")
    browser_id = next(c["value"] for c in learner.cookies() if c["name"] == "crkit-browser")
    copies = workdir / ".crkit-autosave"
    for _ in range(150):  # the kernel writes the recovery copy after the edit
        if list(copies.glob(f"autosave-{browser_id}-*.yaml")):
            break
        page.wait_for_timeout(200)
    assert list(copies.glob(f"autosave-{browser_id}-*.yaml"))

    # the file name box: a path out of the folder is refused, in the interface language
    path_box = page.get_by_label("Canvas file", exact=True)
    assert re.fullmatch(r"my-canvas-[0-9a-f]{6}\.yaml", path_box.input_value())
    path_box.fill("../outside-workdir.yaml")
    path_box.press("Enter")
    page.get_by_role("button", name="Save", exact=True).click()
    error = page.locator(".crkit-error")
    error.wait_for()
    assert "cannot be used as a file name" in error.inner_text()
    assert not (workdir.parent / "outside-workdir.yaml").exists()

    # the same browser, reloaded: "Recover your work from 07:28?"
    page.reload(timeout=TIMEOUT)
    page.wait_for_selector(".crkit-total-number", timeout=TIMEOUT)
    page.locator(".crkit-status", has_text="Recover your work from").wait_for()
    options = [o.replace("\xa0", " ") for o in
               page.get_by_label("Recovery copy").locator("option").all_inner_texts()]
    assert any("Learner one's bakery" in o for o in options), options

    # another browser: nothing of the first learner
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    stranger = other.new_page()
    stranger.set_default_timeout(60_000)
    stranger.goto(app_url, timeout=TIMEOUT)
    stranger.wait_for_selector(".crkit-total-number", timeout=TIMEOUT)
    assert "Learner one" not in stranger.content()
    options = [o.replace("\xa0", " ") for o in
               stranger.get_by_label("Recovery copy").locator("option").all_inner_texts()]
    assert not any("Learner one" in o for o in options), options
    assert stranger.get_by_role("button", name="Recover", exact=True).is_disabled()
    other.close()
    learner.close()
