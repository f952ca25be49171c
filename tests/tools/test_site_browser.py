"""The built course site as a learner's browser sees it (headless Chromium, Playwright).

Serves ``_build/html`` on 127.0.0.1 and visits the landing page, every notebook page and
every case page, and in the Spanish and Portuguese editions their landing page, one notebook
and one case page (each edition's language switch and search are tried too). A page passes
when it logs no console error, no request fails, nothing is
requested from another host, every image has alt text and every widget view is drawn.
Screenshots go to ``tests/artifacts/`` (gitignored). Run with ``python -m pytest -m browser``.
"""

from __future__ import annotations

import re

import pytest
from a11y import describe, serious_findings
from browser import PageWatcher, launch, screenshot, serve_directory
from sitebuild import ROOT

pytestmark = pytest.mark.browser


#: the Spanish and Portuguese editions: their landing page, one notebook, one case page
EDITION_PAGES = [f"{lang}/{page}" for lang in ("es", "pt") for page in
                 ("book/index.html", "notebooks/05-self-service.html", "casestudies/amazon.html")]


def _pages() -> list[str]:
    found = ["book/index.html"]
    for folder in ("notebooks", "casestudies"):
        found += [f"{folder}/{p.stem}.html" for p in sorted((ROOT / folder).glob("*.ipynb"))]
    return found + EDITION_PAGES




@pytest.fixture(scope="module")
def base_url(site_dir):
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    # module scope: Playwright's sync API runs an event loop while it is open, and other
    # modules (the app server's websocket test, the builder's own browser) need theirs
    from browser import chromium_path

    chromium_path()  # skips with the reason when there is no Chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


#: JavaScript run in the page: the state of every widget view and image
_INSPECT = """
() => {
  const views = [...document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"]')];
  const widgets = views.map((script) => {
    const area = script.previousElementSibling;
    const drawn = !!area && area.classList.contains('widget-subarea')
        && area.querySelector('.jupyter-widgets') !== null;
    const box = drawn ? area.getBoundingClientRect() : {width: 0, height: 0};
    const text = area ? area.innerText : '';
    return {drawn, width: box.width, height: box.height,
            error: /Error displaying widget|Loading widget/i.test(text)};
  });
  const images = [...document.querySelectorAll('img')].map((img) => ({
      src: img.getAttribute('src') || '', alt: (img.getAttribute('alt') || '').trim(),
      loaded: img.complete && img.naturalWidth > 0}));
  const figures = [...document.querySelectorAll('figure')].map((f) =>
      !!f.querySelector('img[alt]:not([alt=""]), svg[aria-label], figcaption'));
  return {widgets, images, figures};
}
"""


def _visit(page, url: str) -> PageWatcher:
    watcher = PageWatcher().attach(page)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return watcher


@pytest.mark.parametrize("path", _pages())
def test_page_renders_cleanly(page, base_url, path):
    watcher = _visit(page, base_url + path)
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        # widgets render on the window's load event, asynchronously
        page.wait_for_function(
            """() => [...document.querySelectorAll(
                   'script[type="application/vnd.jupyter.widget-view+json"]')]
                 .every((s) => s.previousElementSibling
                     && s.previousElementSibling.querySelector('.jupyter-widgets'))""",
            timeout=20_000,
        )
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    screenshot(page, re.sub(r"[^\w.-]+", "_", path.removesuffix(".html")))
    state = page.evaluate(_INSPECT)

    problems = watcher.problems()
    for i, widget in enumerate(state["widgets"]):
        if not widget["drawn"] or widget["error"]:
            problems.append(f"widget view {i} is not drawn")
        elif widget["width"] < 10 or widget["height"] < 5:
            problems.append(f"widget view {i} is drawn with no size ({widget})")
    for image in state["images"]:
        if not image["alt"]:
            problems.append(f"image without alt text: {image['src'][:80]}")
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src'][:80]}")
    if not all(state["figures"]):
        problems.append("a figure has neither alt text nor a caption")
    assert not problems, f"{path}:\n" + "\n".join(problems)


#: a page of each kind: the landing page, a notebook with sliders, a case page with tables
AXE_PAGES = ["book/index.html", "notebooks/11-economics.html", "casestudies/amazon.html"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_page_has_no_serious_accessibility_finding(page, base_url, path):
    """axe-core (npm, tests/a11y): no serious or critical finding once widgets are drawn."""
    _visit(page, base_url + path)
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        page.wait_for_selector(".jupyter-widgets", timeout=20_000)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the page's own fixes run after each redraw
    if path == "notebooks/11-economics.html":
        handles = page.locator('[role="slider"]')
        assert handles.count() and all(
            handles.nth(i).get_attribute("aria-label") for i in range(handles.count()))
    found = serious_findings(page)
    assert not found, f"{path}:\n" + describe(found)


@pytest.mark.parametrize("term", ["co-creation", "Sephora"])
def test_site_search_finds(page, base_url, term):
    watcher = _visit(page, f"{base_url}search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    results = page.locator("#search-results ul.search li")
    assert results.count() >= 1
    screenshot(page, f"search-{term}", full_page=False)
    assert term.lower() in page.locator("#search-results").inner_text().lower()
    assert not watcher.problems(), "\n".join(watcher.problems())


def test_solution_opens_on_click(page, base_url, site_dir):
    """A collapsed solution stays hidden until the learner opens it."""
    for path in _pages()[1:]:
        if 'class="solution dropdown' in (site_dir / path).read_text(encoding="utf-8"):
            break
    else:
        pytest.skip("no page has an exercise with a solution yet")
    _visit(page, base_url + path)
    solution = page.locator("div.solution.dropdown").first
    body = solution.locator(".admonition-title ~ *").first
    assert not body.is_visible()
    solution.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5_000)


@pytest.mark.parametrize("start", ["es/notebooks/05-self-service.html",
                                   "casestudies/amazon.html", "pt/book/index.html"])
def test_the_language_switch_leads_to_the_same_page(page, base_url, start):
    lang = start.split("/")[0] if start.startswith(("es/", "pt/")) else "en"
    rest = start.removeprefix(f"{lang}/")
    watcher = _visit(page, base_url + start)
    switch = page.locator("nav.crkit-languages")
    assert switch.count() == 1 and switch.is_visible(), "no visible language switch"
    assert switch.inner_text().split() == ["English", "·", "Español", "·", "Português"]
    assert page.locator("html").get_attribute("lang") == lang
    names = {"en": "English", "es": "Español", "pt": "Português"}
    for target in [code for code in ("pt", "en", "es") if code != lang]:
        page.locator("nav.crkit-languages").get_by_role("link", name=names[target]).click()
        page.wait_for_load_state("networkidle")
        expected = base_url + ("" if target == "en" else f"{target}/") + rest
        assert page.url == expected, f"the {target} link led to {page.url}"
        assert page.locator("html").get_attribute("lang") == target
        current = page.locator('nav.crkit-languages [aria-current="page"]')
        assert current.inner_text() == names[target]
    assert not watcher.problems(), "\n".join(watcher.problems())


@pytest.mark.parametrize(("lang", "term"), [("es", "autoservicio"), ("pt", "cocriação")])
def test_each_editions_search_finds_its_own_words(page, base_url, lang, term):
    watcher = _visit(page, f"{base_url}{lang}/search.html?q={term}")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    results = page.locator("#search-results ul.search li a")
    assert results.count() >= 1
    screenshot(page, f"search-{lang}-{term}", full_page=False)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    # the results are pages of the same edition (links relative to es/search.html)
    assert all(not h.startswith(("../", "/", "http")) for h in hrefs), hrefs
    assert term in page.locator("#search-results").inner_text().lower()
    assert page.locator("html").get_attribute("lang") == lang
    assert not watcher.problems(), "\n".join(watcher.problems())
