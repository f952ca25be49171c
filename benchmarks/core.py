"""Benchmarks for the crkit core: import time, scoring one canvas, a class's worth of files.

Run: ``.venv/bin/python benchmarks/core.py [--files 10000]``. Prints a table and writes
``benchmarks/results/core.json`` with the machine it ran on. Targets (from issue 2):
import under 150 ms without pandas or matplotlib, one score under 1 ms median, and
validating plus scoring 10,000 files under 10 s on a 2-core machine; from issue 10:
scoring plus "what would help most" under 50 ms for a 100-segment canvas, growing about
linearly (measured at 3, 30 and 100 segments).
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


def sized_canvas(segments: int, seed: int = 10):
    """A valid canvas with ``segments`` segments, one or two relationships each, and the
    usual flaws (missing metrics, stages, costs, expected types), for the size benchmark."""
    import random

    import crkit
    from crkit.core import knowledge

    rng = random.Random(seed)
    types, stages = knowledge.ids("types"), knowledge.ids("stages")
    motivations = knowledge.ids("motivations")
    metrics = [knowledge.name("metrics", m, "en") for m in knowledge.ids("metrics")]
    vps = [crkit.ValueProposition(f"v{i}", f"Offer {i}") for i in range(3)]
    segs = [crkit.Segment(
        id=f"s{i}", name=f"Segment {i}", customers=rng.choice([40, 500, 20_000, 1_000_000]),
        value_per_customer=rng.choice([20, 300, 5_000, 40_000]),
        need_complexity=rng.choice(["low", "medium", "high"]),
        expects=rng.sample(types, rng.randint(1, 2)), value_propositions=[vps[i % 3].id])
        for i in range(segments)]
    channels = [crkit.Channel(f"c{i}", f"Channel {i}", [s.id for s in segs[i::3]])
                for i in range(3)]
    rels = []
    for i, s in enumerate(segs):
        for _ in range(rng.choice([1, 1, 2])):
            rels.append(crkit.Relationship(
                segment=s.id, type=rng.choice(types), channels=[channels[i % 3].id],
                motivations=rng.sample(motivations, rng.randint(1, 2)),
                stages=rng.sample(stages, 2), cost_per_customer=rng.choice([None, 2, 40]),
                metrics=rng.sample(metrics, rng.randint(0, 2))))
    return crkit.Canvas(title=f"{segments} segments", market="saturated",
                        value_propositions=vps, segments=segs, channels=channels,
                        relationships=rels)


def score_by_size(sizes: tuple[int, ...] = (3, 30, 100), runs: int = 20) -> dict:
    """Scoring plus "what would help most" (suggestions included) by canvas size."""
    import crkit

    out = {}
    for n in sizes:
        canvas = sized_canvas(n)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            report = crkit.score(canvas)
            report.best_change()
            [c.suggestion for c in report.criteria]
            times.append((time.perf_counter() - t) * 1000)
        out[str(n)] = {"median_ms": round(statistics.median(times), 2),
                       "relationships": len(canvas.relationships)}
    return out


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
               "sizes": score_by_size(), "files": many_files(args.files)}
    rows = [
        ("import crkit", f"{results['import']['median_ms']} ms", "< 150 ms, no pandas/mpl",
         "heavy modules loaded!" if results["import"]["heavy_modules_loaded"] else "ok"),
        ("score one canvas (median)", f"{results['score']['median_ms']} ms", "< 1 ms", ""),
        ("score + what would help most", f"{results['score']['with_best_change_ms']} ms", "",
         ""),
        *[(f"score + best change, {n} segments", f"{r['median_ms']} ms",
           "< 50 ms" if n == "100" else "", f"{r['relationships']} relationships")
          for n, r in results["sizes"].items()],
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
