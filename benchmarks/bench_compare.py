"""Side-by-side benchmark: `python benchmarks/bench_compare.py` (needs SimPy: pip install -e ".[reference]").

Runs the baseline at about 100,000 people (scale = people / 14e6) for 5 years in
the compiled engine and in the SimPy reference (removalsim.reference), in this
one process, and prints for each: wall time, events, events per second (of
untraced runs), and peak Python memory (tracemalloc, in one more identical run,
so the figures are comparable across the two implementations in one process).
Then the engine alone at scales 0.01, 0.1 and 1.0 (--no-full skips 1.0) for 10
years.

Events are state changes, counted the same way in both: every time a person is
given a state (first placement included). Both implementations keep that count
(`World.events`, `ReferenceModel.events`).

The reference is timed over --repeats identical runs (default 3) and the engine
over --engine-runs runs (default 5) just before each of them, so the two are timed
in the same minutes: a run of the engine at this size takes a twentieth of a
second, a run of the reference a quarter of a minute, and this shared machine's
speed moves by a third from one minute to the next. Each reports the median of its
runs, with the range. The ratio is the ratio of the medians; the range printed
beside it pairs the engine's slowest run with the reference's fastest and the other
way round; the paired ratio is the median, over the reference's runs, of each run
against the median of the engine runs just before it. Each run's output is counted
and let go before the next run starts (holding the last reference model, about a
million Python objects, or the last engine World made every run after it slower).

If the SimPy run would take too long at 100,000 people, pass --people with a
smaller number: results are reported at the size that ran; nothing is extrapolated.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

POPULATION = 14e6


REPEATS = 3
ENGINE_RUNS = 5


def _same(out):
    return out


def _timed(fn, summary=_same):
    """The summary of fn's output, and its wall time. The output itself is let go on return, outside the timing,
    so no later run is timed while it still holds memory and cache (a reference model is about a million Python
    objects, an engine World 35 MiB)."""
    t0 = time.perf_counter()
    out = fn()
    wall = time.perf_counter() - t0
    return summary(out), wall


def _peak(fn, summary=_same):
    """The summary of one more run's output and that run's tracemalloc peak (tracemalloc slows pure-Python code
    far more than NumPy code, so timing a traced run would flatter the engine: the two are measured
    separately). The output is let go on return, as in `_timed`."""
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return summary(out), peak


def _measure(fn, summary, repeats: int, memory: bool):
    """The summary of the last run, the wall times of `repeats` untraced runs, then (one more, identical run)
    the tracemalloc peak."""
    walls = []
    for _ in range(repeats):
        kept, wall = _timed(fn, summary)
        walls.append(wall)
    peak = None
    if memory:
        kept, peak = _peak(fn, summary)
    return kept, walls, peak


def interleaved(eng_fn, ref_fn, repeats: int, engine_runs: int, eng_summary=_same, ref_summary=_same):
    """`engine_runs` engine runs, then one reference run, `repeats` times: the summary of each one's last output,
    the wall times of each, and each reference run's time over the median of the engine runs just before it.
    Each output is let go before the next run starts (`_timed`)."""
    eng_walls, ref_walls, per_round = [], [], []
    for _ in range(repeats):
        round_walls = []
        for _ in range(engine_runs):
            eng, wall = _timed(eng_fn, eng_summary)
            round_walls.append(wall)
        ref, wall = _timed(ref_fn, ref_summary)
        eng_walls += round_walls
        ref_walls.append(wall)
        per_round.append(wall / statistics.median(round_walls))
    return eng, eng_walls, ref, ref_walls, per_round


def _engine_counts(w) -> tuple[int, int]:
    """People and events of an engine run (its World)."""
    return w.people.n, w.events


def _reference_counts(m) -> tuple[int, int]:
    """People and events of a reference run (its model)."""
    return len(m.people), m.events


def _result(impl: str, scale: float, people: int, events: int, walls: list[float], peak) -> dict:
    return {"impl": impl, "scale": scale, "people": int(people), "events": int(events),
            "wall_s": statistics.median(walls), "wall_min_s": min(walls), "wall_max_s": max(walls),
            "runs": len(walls), "peak_bytes": peak}


def _engine(scenario, years: float, seed: int, scale: float):
    from removalsim.engine.loop import run

    return lambda: run(scenario, years, seed, scale)


def _reference(scenario, years: float, seed: int, scale: float):
    from removalsim.reference.simpy_model import ReferenceModel

    return lambda: ReferenceModel(scenario, years, seed, scale).execute()


def engine_run(scenario, years: float, seed: int, scale: float, repeats: int = REPEATS, memory: bool = True) -> dict:
    (people, events), walls, peak = _measure(_engine(scenario, years, seed, scale), _engine_counts, repeats, memory)
    return _result("engine", scale, people, events, walls, peak)


def side_by_side(scenario, years: float, seed: int, scale: float, repeats: int = REPEATS,
                 engine_runs: int = ENGINE_RUNS, memory: bool = True) -> tuple[dict, dict, list[float]]:
    """Both implementations timed in turns (`interleaved`), then each traced once for its peak if `memory`: the
    two results and each reference run's engine/reference ratio of events per second."""
    eng_fn, ref_fn = _engine(scenario, years, seed, scale), _reference(scenario, years, seed, scale)
    eng_counts, eng_walls, ref_counts, ref_walls, per_round = interleaved(eng_fn, ref_fn, repeats, engine_runs,
                                                                          _engine_counts, _reference_counts)
    eng_peak = _peak(eng_fn)[1] if memory else None
    ref_peak = _peak(ref_fn)[1] if memory else None
    eng = _result("engine", scale, *eng_counts, eng_walls, eng_peak)
    ref = _result("simpy", scale, *ref_counts, ref_walls, ref_peak)
    per_events = eng["events"] / max(ref["events"], 1)
    return eng, ref, [r * per_events for r in per_round]


def _row(r: dict) -> str:
    peak = "-" if r["peak_bytes"] is None else f"{r['peak_bytes'] / 2**20:,.0f}"
    spread = f"{r['wall_min_s']:.3f}-{r['wall_max_s']:.3f}" if r["runs"] > 1 else "-"
    return (f"{r['impl']:>7} {r['scale']:>10.6g} {r['people']:>12,} {r['events']:>12,} {r['wall_s']:>9.3f} "
            f"{spread:>13} {r['events'] / r['wall_s']:>12,.0f} {peak:>10}")


HEADER = (f"{'impl':>7} {'scale':>10} {'people':>12} {'events':>12} {'wall s':>9} {'range s':>13} "
          f"{'events/s':>12} {'peak MiB':>10}")


def speed_ratio(eng: dict, ref: dict) -> tuple[float, float, float]:
    """Engine events/s over reference events/s: of the medians, and the lowest and highest pairing of runs."""
    rate = lambda r, wall: r["events"] / wall  # noqa: E731
    return (rate(eng, eng["wall_s"]) / rate(ref, ref["wall_s"]),
            rate(eng, eng["wall_max_s"]) / rate(ref, ref["wall_min_s"]),
            rate(eng, eng["wall_min_s"]) / rate(ref, ref["wall_max_s"]))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--people", type=float, default=100_000, help="size of the side-by-side run (default 100,000)")
    ap.add_argument("--years", type=float, default=5, help="years of the side-by-side run (default 5)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-full", action="store_true", help="skip the engine run at scale 1.0 (about 30 s, 2 GiB)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the engine scaling runs")
    ap.add_argument("--no-memory", action="store_true", help="skip the second, traced runs for peak memory")
    ap.add_argument("--repeats", type=int, default=REPEATS,
                    help=f"timed runs of the reference, and of the engine at each scale (default {REPEATS})")
    ap.add_argument("--engine-runs", type=int, default=ENGINE_RUNS,
                    help=f"timed engine runs just before each reference run (default {ENGINE_RUNS})")
    a = ap.parse_args(argv)
    for name, value in (("--repeats", a.repeats), ("--engine-runs", a.engine_runs)):
        if value < 1:
            ap.error(f"{name} must be at least 1, not {value}")
    memory = not a.no_memory
    from removalsim.scenario import load_scenario

    sc = load_scenario(a.scenario)
    scale = a.people / POPULATION
    print(f"side by side: {a.scenario}, {a.people:,.0f} people (scale {scale:.6g}), {a.years:g} years, "
          f"seed {a.seed}; {a.repeats} reference run(s), each after {a.engine_runs} engine run(s); medians; "
          f"peak = tracemalloc peak of Python allocations during one more run")
    from removalsim.engine.loop import run

    t0 = time.perf_counter()
    run(sc, 0.05, a.seed, scale)  # loads (or, on a fresh install, compiles) the Numba kernels; not timed below
    print(f"engine warm-up (kernel load/compile): {time.perf_counter() - t0:.2f} s")
    print(HEADER)
    eng, ref, paired = side_by_side(sc, a.years, a.seed, scale, a.repeats, a.engine_runs, memory)
    print(_row(eng), flush=True)
    print(_row(ref), flush=True)
    ratio, low, high = speed_ratio(eng, ref)
    work = abs(eng["events"] - ref["events"]) / max(ref["events"], 1)
    print(f"equal work: the two counts of events differ by {work:.2%}")
    print(f"engine / simpy events per second: {ratio:,.1f}x (runs paired worst to best: {low:,.1f}x-{high:,.1f}x)")
    print(f"paired in time (each reference run against the engine runs just before it): median "
          f"{statistics.median(paired):,.1f}x ({min(paired):,.1f}x-{max(paired):,.1f}x)")
    if eng["peak_bytes"] and ref["peak_bytes"]:
        print(f"peak memory simpy / engine: {ref['peak_bytes'] / eng['peak_bytes']:,.1f}x")
    if a.no_scaling:
        return
    print(f"\nengine scaling: {a.scenario}, 10 years (peak = tracemalloc peak; scale 1.0 runs once, untraced)")
    print(HEADER)
    for s in (0.01, 0.1) + (() if a.no_full else (1.0,)):
        full = s >= 1.0
        print(_row(engine_run(sc, 10, a.seed, s, 1 if full else a.repeats, memory and not full)), flush=True)


if __name__ == "__main__":
    main()
