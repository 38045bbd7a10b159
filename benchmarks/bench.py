"""Benchmark: `python benchmarks/bench.py` runs a scenario at several scales and prints time, memory, events/s.

Each scale runs in a fresh subprocess so that its peak memory (max RSS) is its own;
a run of a few days first loads the compiled kernels, so the time is the run's alone.
Events are state changes (every person placed or moved), so events per second
is comparable across scales: it should stay flat if a day's work grows with
events, not with the population.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def one(scenario: str, scale: float, years: float, seed: int) -> dict:
    from removalsim.engine.loop import run
    from removalsim.scenario import load_scenario

    sc = load_scenario(scenario)
    run(sc, 0.01, seed, min(scale, 0.001))  # load (or compile) the kernels outside the timing
    t0 = time.perf_counter()
    w = run(sc, years, seed, scale)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"scale": scale, "people": int(w.people.n), "events": int(w.events), "wall_s": wall,
            "peak_bytes": peak, "events_per_s": w.events / wall}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--scales", default="0.01,0.1,1.0")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--one", type=float, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one is not None:
        print(json.dumps(one(a.scenario, a.one, a.years, a.seed)))
        return
    print(f"{a.scenario}, {a.years:g} years, daily steps")
    print(f"{'scale':>6} {'people':>12} {'events':>12} {'wall s':>8} {'peak MiB':>9} {'events/s':>12} {'us/event':>9}")
    for scale in (float(s) for s in a.scales.split(",")):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(scale), "--scenario", a.scenario,
               "--years", str(a.years), "--seed", str(a.seed)]
        r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print(f"{r['scale']:>6g} {r['people']:>12,} {r['events']:>12,} {r['wall_s']:>8.2f} "
              f"{r['peak_bytes'] / 2**20:>9,.0f} {r['events_per_s']:>12,.0f} {1e6 / r['events_per_s']:>9.3f}")


if __name__ == "__main__":
    main()
