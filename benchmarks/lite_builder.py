"""How fast the course site's live canvas builder (JupyterLite + Pyodide) is, and its size.

    python benchmarks/lite_builder.py          # needs a built site (python3 kit.py site)

Rows:
  cold start        page opened in a fresh browser profile (empty cache) -> builder usable
                    (its score shown); target under 10 s on localhost
  warm start        the same page opened again in that profile (files from the cache)
  field change      a relationship's cost typed in its note's fields -> the new total
                    shown (in the page, with a MutationObserver); target under 150 ms
  lite size         bytes the live builder adds to the site (_build/html/lite)

The site is served on 127.0.0.1 by Python's http.server, every other host blocked, in
Debian's headless Chromium. Writes results/lite_builder.json with the machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from _machine import write_results

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tools"), str(ROOT / "tests"),
                str(ROOT / "tests" / "tools")]

ROUNDS = 3
CHANGES = 10

CHANGE_JS = """async ([label, value]) => {
  const boxes = [...document.querySelectorAll('.crkit-detail .widget-text')]
    .filter(b => b.textContent.includes(label));
  const input = boxes[0].querySelector('input');
  const total = document.querySelector('.crkit-total-number');
  const before = total.textContent;
  const started = performance.now();
  const done = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      const now = document.querySelector('.crkit-total-number');
      if (now && now.textContent !== before) { observer.disconnect(); resolve(); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  });
  input.value = value;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
  await done;
  return performance.now() - started;
}"""


def main() -> int:
    import lite_site
    from browser import launch, serve_directory
    from playwright.sync_api import sync_playwright
    from test_lite_browser import FRAME, block_other_hosts

    from crkit.core.i18n import t

    site = ROOT / "_build" / "html"
    page_path = "book/app.html"
    if not (site / page_path).is_file() or not (site / "lite").is_dir():
        print("build the site first: python3 kit.py site", file=sys.stderr)
        return 2
    cold, warm, changes = [], [], []
    label = t("builder.field.cost", "en")
    with sync_playwright() as playwright, serve_directory(site) as base:
        browser = launch(playwright)
        try:
            for _ in range(ROUNDS):
                context = browser.new_context(viewport={"width": 1280, "height": 1000})
                block_other_hosts(context, [])
                page = context.new_page()
                for times in (cold, warm):
                    started = time.perf_counter()
                    page.goto(base + page_path)
                    page.frame_locator(FRAME).locator(".crkit-total-number").first.wait_for(
                        timeout=180_000)
                    times.append(time.perf_counter() - started)
                frame = next(f for f in page.frames if "/lite/repl/" in f.url)
                frame.locator("html[data-crkit-settled]").wait_for(state="attached")
                # the page opens on the canvas: a relationship's fields open beside it
                frame.locator(".crkit-sticky-relationships-0").click()
                frame.locator(".crkit-detail .widget-text").first.wait_for()
                for i in range(CHANGES):
                    value = "170" if i % 2 == 0 else "12"
                    changes.append(frame.evaluate(CHANGE_JS, [label, value]))
                context.close()
        finally:
            browser.close()
    added = lite_site.size(site / lite_site.OUTPUT)
    rows = [
        {"name": "cold start", "seconds": round(statistics.median(cold), 2),
         "all": [round(x, 2) for x in cold], "target_seconds": 10},
        {"name": "warm start", "seconds": round(statistics.median(warm), 2),
         "all": [round(x, 2) for x in warm]},
        {"name": "field change to new total", "ms": round(statistics.median(changes), 1),
         "max_ms": round(max(changes), 1), "target_ms": 150},
        {"name": "lite size", "megabytes": round(added / 1e6, 1)},
    ]
    for row in rows:
        shown = {k: v for k, v in row.items() if k != "name"}
        print(f"  {row['name']:<28} {shown}")
    print(f"results: {write_results('lite_builder', {'rows': rows})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
