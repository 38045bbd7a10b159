"""Benchmark of replicated runs: wall time with 1 and 2 worker processes, speed-up, scheduler overhead.

    python benchmarks/bench_uncertainty.py                    # 100 replicates of baseline at scale 0.1
    python benchmarks/bench_uncertainty.py --replicates 8     # a quicker look

Overhead is the share of worker time not spent inside `simulate`:
1 - (seconds in simulate) / (workers x wall time); it includes process start-up,
parameter draws, Parquet writing and waiting for the last task.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from rich.console import Console
from rich.table import Table

from removalsim.scenario import load_scenario
from removalsim.uncertainty.jobs import make_run
from removalsim.uncertainty.runner import run_specs


def measure(replicates: int, scale: float, years: float, workers: int, scenario: str = "baseline") -> dict:
    spec = make_run(load_scenario(scenario), seed=0, years=years, scale=scale, replicates=replicates)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        oc = run_specs([spec], workers=workers, out=out, keep_results=False)
        wall = time.perf_counter() - t0
    sim = oc.sim_seconds()
    return {"workers": workers, "wall": wall, "sim": sim, "overhead": 1 - sim / (workers * wall),
            "per_replicate": sim / replicates}


def main() -> None:  # pragma: no cover
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=100)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    a = ap.parse_args()
    con = Console()
    load = os.getloadavg()[0]
    rows = []
    for w in (int(x) for x in a.workers.split(",")):
        rows.append(measure(a.replicates, a.scale, a.years, w))
        con.print(f"{w} worker(s): {rows[-1]['wall']:.1f} s", highlight=False)
    t = Table(title=f"{a.replicates} replicates of baseline, scale {a.scale:g}, {a.years:g} years "
                    f"({os.cpu_count()} cores, load average {load:.1f} at start)")
    for c in ("workers", "wall time", "s per replicate in simulate", "speed-up", "scheduler overhead"):
        t.add_column(c, justify="right")
    for r in rows:
        t.add_row(str(r["workers"]), f"{r['wall']:.1f} s", f"{r['per_replicate']:.2f}",
                  f"{rows[0]['wall'] / r['wall']:.2f}x", f"{100 * r['overhead']:.1f}%")
    con.print(t)


if __name__ == "__main__":  # pragma: no cover
    main()
