"""Benchmarks for the crkit core: import time, scoring one canvas, a class's worth of files.

Run: ``.venv/bin/python benchmarks/core.py [--files 10000]``. Prints a table and writes
``benchmarks/results/core.json`` with the machine it ran on. Targets (from issue 2):
import under 150 ms without pandas or matplotlib, one score under 1 ms median, and
validating plus scoring 10,000 files under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _machine import machine, write_results

HERE = Path(__file__).resolve().parent


def import_time(runs: int = 15) -> dict:
    """Fresh interpreter per run; also records whether pandas/matplotlib got imported."""
    code = ("import time,sys;t=time.perf_counter();import crkit;"
            "crkit.score;crkit.load;print(time.perf_counter()-t);"
            "print(int('pandas' in sys.modules or 'matplotlib' in sys.modules))")
    times, heavy = [], 0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout.split()
        times.append(float(out[0]) * 1000)
        heavy |= int(out[1])
    return {"median_ms": round(statistics.median(times), 1), "heavy_modules_loaded": bool(heavy)}


def score_one(runs: int = 2000) -> dict:
    import crkit

    canvas = crkit.starter_canvas()
    crkit.score(canvas)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        crkit.score(canvas)
        times.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    for _ in range(50):
        crkit.score(canvas).best_change()
    best = (time.perf_counter() - t) / 50 * 1000
    return {"median_ms": round(statistics.median(times), 3),
            "p95_ms": round(sorted(times)[int(0.95 * runs)], 3),
            "with_best_change_ms": round(best, 2)}


def _work(paths: list[str]) -> float:
    import crkit

    total = 0.0
    for path in paths:
        total += crkit.score(crkit.load(path)).total
    return total


def many_files(n: int) -> dict:
    import crkit

    with tempfile.TemporaryDirectory() as folder:
        base = crkit.starter_canvas()
        paths = []
        for i in range(n):
            base.title = f"Canvas {i}"
            base.segments[0].customers = 1000 + i
            path = Path(folder) / f"c{i:05d}.yaml"
            path.write_text(crkit.dumps(base))
            paths.append(str(path))
        workers = os.cpu_count() or 1
        chunks = [paths[i::workers] for i in range(workers)]
        t = time.perf_counter()
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_work, chunks))
        parallel = time.perf_counter() - t
        t = time.perf_counter()
        _work(paths[: min(n, 1000)])
        serial_per_file = (time.perf_counter() - t) / min(n, 1000) * 1000
    return {"files": n, "workers": workers, "seconds": round(parallel, 2),
            "serial_ms_per_file": round(serial_per_file, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    results = {"machine": machine(), "import": import_time(), "score": score_one(),
               "files": many_files(args.files)}
    rows = [
        ("import crkit", f"{results['import']['median_ms']} ms", "< 150 ms, no pandas/mpl",
         "heavy modules loaded!" if results["import"]["heavy_modules_loaded"] else "ok"),
        ("score one canvas (median)", f"{results['score']['median_ms']} ms", "< 1 ms", ""),
        ("score + what would help most", f"{results['score']['with_best_change_ms']} ms", "",
         ""),
        (f"validate + score {args.files} files", f"{results['files']['seconds']} s", "< 10 s",
         f"{results['files']['workers']} processes"),
    ]
    print(f"machine: {results['machine']}")
    for row in rows:
        print(f"  {row[0]:<34} {row[1]:>12}   target {row[2]:<24} {row[3]}")
    out = write_results("core", results)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
