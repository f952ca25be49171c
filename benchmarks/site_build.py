"""How long the course site takes to build, from scratch and after a small change.

    python benchmarks/site_build.py            # prints a table, writes results/site_build.json

Rows:
  clean build, no cache    every notebook executed (what CI and a fresh clone pay)
  clean HTML, warm cache   the HTML rebuilt from scratch, executed notebooks taken from the cache
  touch one notebook       one notebook's file touched: Sphinx re-reads it, no re-execution
  edit one notebook        a code cell of one notebook changed: it alone runs again
  no change                nothing changed (the fixed cost of a build and its checks)

Each build is the real one (``course_site.build``): strict jupyter-book build, asset install
and link check. The execution cache and the HTML of the repository's _build are replaced.
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


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "tools"))
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    cases = sorted((ROOT / "casestudies").glob("*.ipynb"))
    touched = (notebooks or cases or [ROOT / "book" / "index.md"])[0]

    print(f"Course site build ({len(notebooks)} notebooks, {len(cases)} case pages)")
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
        "touched": touched.relative_to(ROOT).as_posix(),
        "results": rows,
    })
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
