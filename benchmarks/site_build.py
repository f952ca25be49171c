"""How long the course site takes to build in its three editions, from scratch and after a
small change.

    python benchmarks/site_build.py            # prints a table, writes results/site_build.json

Rows (every build is the three editions: English, Spanish under es/, Portuguese under pt/):
  clean build, no cache    every notebook executed in each language (what CI and a fresh
                           clone pay)
  clean HTML, warm cache   the HTML rebuilt from scratch, executed notebooks taken from the
                           three execution caches
  touch one notebook       one English notebook's file touched: English re-reads it; the
                           editions' sources do not change, so they rebuild nothing
  edit one notebook        a code cell of one notebook changed: it alone runs again, once per
                           edition
  translation changes      one paragraph's Spanish translation changed in its .po file: one
                           Spanish page re-read, nothing executed
  no change                nothing changed (the fixed cost of a build and its checks)

Each build is the real one (``course_site.build``): edition sources written, strict
jupyter-book builds, asset install and link check. The execution caches and the HTML of the
repository's _build are replaced; the edited files are restored afterwards.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from _machine import write_results

ROOT = Path(__file__).resolve().parents[1]


def _timed(label: str, **kwargs) -> dict:
    import course_site as site

    started = time.perf_counter()
    site.build(quiet=True, root=ROOT, **kwargs)
    seconds = time.perf_counter() - started
    print(f"  {label:<26} {seconds:8.1f} s", flush=True)
    return {"name": label, "seconds": round(seconds, 2)}


def _edit_code(path: Path) -> None:
    """Change one code cell (a comment line), as an author's edit would: the execution
    cache keys notebooks by their code, so this notebook must run again."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = source + "\n# edited by benchmarks/site_build.py"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _change_translation(po: Path) -> None:
    """Change one paragraph's translation (or give an empty one a stand-in), as a
    translator's edit would."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=po.parts[-4])
    message = next(m for m in catalog if m.id)
    message.string = (message.string or message.id) + " (benchmark)"
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0, include_previous=True)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "tools"))
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    cases = sorted((ROOT / "casestudies").glob("*.ipynb"))
    touched = (notebooks or cases or [ROOT / "book" / "index.md"])[0]

    import course_site as site

    print(f"Course site build ({len(notebooks)} notebooks, {len(cases)} case pages, "
          f"editions: {', '.join(site.EDITIONS)})")
    rows = [_timed("clean build, no cache", clean=True, clean_cache=True)]
    rows.append(_timed("clean HTML, warm cache", clean=True))
    os.utime(touched)
    rows.append(_timed(f"touch {touched.name}"[:26]))
    original = touched.read_bytes()
    try:
        _edit_code(touched)
        rows.append(_timed(f"edit {touched.name}"[:26]))
    finally:
        touched.write_bytes(original)
    _timed("(restore the edit)")
    po = ROOT / "locale" / "es" / "LC_MESSAGES" / "notebooks" / f"{touched.stem}.po"
    original_po = po.read_bytes()
    try:
        _change_translation(po)
        rows.append(_timed("one translation changes"))
    finally:
        po.write_bytes(original_po)
    _timed("(restore the translation)")
    rows.append(_timed("no change"))

    width = max(len(r["name"]) for r in rows)
    print()
    print(f"| {'build':<{width}} | seconds |")
    print(f"| {'-' * width} | ------: |")
    for row in rows:
        print(f"| {row['name']:<{width}} | {row['seconds']:7.1f} |")

    out = write_results("site_build", {
        "benchmark": "site_build",
        "notebooks": len(notebooks),
        "case_pages": len(cases),
        "editions": list(site.EDITIONS),
        "touched": touched.relative_to(ROOT).as_posix(),
        "results": rows,
    })
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
