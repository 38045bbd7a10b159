"""Side-by-side benchmark: `python -m removalsim.bench_compare`.

Runs the baseline at about 100,000 people (scale = people / 14e6) for 5 years in
the vectorised engine and in the SimPy reference (removalsim.reference), in this
one process, and prints for each: wall time, events, events per second (of an
untraced run), and peak Python memory (tracemalloc, in a second identical run, so
the figures are comparable across the two implementations in one process). Then the engine alone at scales 0.01, 0.1 and 1.0 (--no-full skips 1.0)
for 10 years.

Events are state changes, counted the same way in both: every time a person is
given a state (first placement included). Both implementations keep that count
(`World.events`, `ReferenceModel.events`).

If the SimPy run would take too long at 100,000 people, pass --people with a
smaller number: results are reported at the size that ran; nothing is extrapolated.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

POPULATION = 14e6


MEASURE_MEMORY = True


def _measure(fn):
    """Wall time of an untraced run, then (a second, identical run) the tracemalloc peak.

    tracemalloc slows pure-Python code far more than NumPy code, so timing a traced
    run would flatter the engine; the two are measured separately.
    """
    t0 = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t0
    peak = None
    if MEASURE_MEMORY:
        del out
        tracemalloc.start()
        out = fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return out, wall, peak


def engine_run(scenario, years: float, seed: int, scale: float, trace: bool = True) -> dict:
    from .engine.loop import run

    if trace:
        w, wall, peak = _measure(lambda: run(scenario, years, seed, scale))
    else:
        t0 = time.perf_counter()
        w = run(scenario, years, seed, scale)
        wall, peak = time.perf_counter() - t0, None
    return {"impl": "engine", "scale": scale, "people": int(w.people.n), "events": int(w.events), "wall_s": wall,
            "peak_bytes": peak}


def reference_run(scenario, years: float, seed: int, scale: float) -> dict:
    from .reference.simpy_model import ReferenceModel

    m, wall, peak = _measure(lambda: ReferenceModel(scenario, years, seed, scale).execute())
    return {"impl": "simpy", "scale": scale, "people": len(m.people), "events": int(m.events), "wall_s": wall,
            "peak_bytes": peak}


def _row(r: dict) -> str:
    peak = "-" if r["peak_bytes"] is None else f"{r['peak_bytes'] / 2**20:,.0f}"
    return (f"{r['impl']:>7} {r['scale']:>10.6g} {r['people']:>12,} {r['events']:>12,} {r['wall_s']:>9.2f} "
            f"{r['events'] / r['wall_s']:>12,.0f} {peak:>10}")


HEADER = f"{'impl':>7} {'scale':>10} {'people':>12} {'events':>12} {'wall s':>9} {'events/s':>12} {'peak MiB':>10}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--people", type=float, default=100_000, help="size of the side-by-side run (default 100,000)")
    ap.add_argument("--years", type=float, default=5, help="years of the side-by-side run (default 5)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-full", action="store_true", help="skip the engine run at scale 1.0 (about 30 s, 2 GiB)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the engine scaling runs")
    ap.add_argument("--no-memory", action="store_true", help="skip the second, traced runs for peak memory")
    a = ap.parse_args(argv)
    global MEASURE_MEMORY
    MEASURE_MEMORY = not a.no_memory
    from .scenario import load_scenario

    sc = load_scenario(a.scenario)
    scale = a.people / POPULATION
    print(f"side by side: {a.scenario}, {a.people:,.0f} people (scale {scale:.6g}), {a.years:g} years, "
          f"seed {a.seed}; peak = tracemalloc peak of Python allocations during the run")
    from .engine.loop import run

    t0 = time.perf_counter()
    run(sc, 0.05, a.seed, scale)  # loads (or, on a fresh install, compiles) the Numba kernels; not timed below
    print(f"engine warm-up (kernel load/compile): {time.perf_counter() - t0:.2f} s")
    print(HEADER)
    eng = engine_run(sc, a.years, a.seed, scale)
    print(_row(eng), flush=True)
    ref = reference_run(sc, a.years, a.seed, scale)
    print(_row(ref), flush=True)
    ratio = (eng["events"] / eng["wall_s"]) / (ref["events"] / ref["wall_s"])
    print(f"engine / simpy events per second: {ratio:,.1f}x")
    if eng["peak_bytes"] and ref["peak_bytes"]:
        print(f"peak memory simpy / engine: {ref['peak_bytes'] / eng['peak_bytes']:,.1f}x")
    if a.no_scaling:
        return
    print(f"\nengine scaling: {a.scenario}, 10 years (peak = tracemalloc peak)")
    print(HEADER)
    for s in (0.01, 0.1) + (() if a.no_full else (1.0,)):
        print(_row(engine_run(sc, 10, a.seed, s, trace=s < 1.0)), flush=True)


if __name__ == "__main__":
    main()
