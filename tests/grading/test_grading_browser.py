"""The class report in headless Chromium: drawn, readable, and nothing asked of another host."""

from __future__ import annotations

import pytest
from browser import PageWatcher, launch, screenshot, serve_directory
from classfolder import make_class

from crkit.grading import grade_folder

pytestmark = pytest.mark.browser


def test_class_report_loads_with_no_request_to_another_host(tmp_path):
    from browser import chromium_path

    chromium_path()  # skips with the reason when there is no Chromium
    from playwright.sync_api import sync_playwright

    make_class(tmp_path / "in")
    grade_folder(tmp_path / "in", tmp_path / "out")
    with serve_directory(tmp_path / "out") as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            watcher = PageWatcher().attach(page)
            page.goto(url + "class-report.html", wait_until="load")
            page.wait_for_load_state("networkidle")
            charts = page.evaluate("""() => [...document.querySelectorAll('svg')].map((s) => {
                const box = s.getBoundingClientRect();
                const ids = (s.getAttribute('aria-labelledby') || '').split(' ');
                const named = ids.map((id) => document.getElementById(id))
                                 .filter((el) => el && el.textContent.trim());
                return {width: box.width, height: box.height, named: named.length,
                        bars: s.querySelectorAll('rect').length};
            })""")
            screenshot(page, "grading-class-report")
            feedback = browser.new_page()
            watcher.attach(feedback)
            feedback.goto(url + "feedback/student01.html", wait_until="load")
            assert "Puntuación" in feedback.inner_text("h1")
        finally:
            browser.close()
    assert not watcher.problems(), "\n".join(watcher.problems())
    assert len(charts) == 7
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 100
        assert chart["named"] == 2 and chart["bars"] >= 5
