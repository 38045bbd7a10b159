"""Benchmark: `python benchmarks/bench_build.py` times building a run's world (the starting population placed,
every arrival drawn; day 0 not yet simulated), as the median of several fresh processes.

Each run is a new process, so its first touch of the world's memory and its peak memory (max RSS) are its own;
a tiny build first loads the compiled kernels, outside the timing. `--against SRC` times another checkout's
`src` folder in the same way, alternating runs with this one, and prints the ratio of the medians (side by
side, so the shared machine's drift falls on both). `--profile` prints where one build spends its time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def one(scenario: str, scale: float, years: float, seed: int, profile: bool) -> dict:
    """Build one world in this process; wall, CPU (user, system) seconds and peak memory."""
    from removalsim.engine.loop import new_world
    from removalsim.scenario import load_scenario

    sc = load_scenario(Path(scenario) if scenario.endswith(".toml") else scenario)
    new_world(sc, 0.01, seed, 0.001)  # load (or compile) the kernels outside the timing
    r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    if profile:
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            w = new_world(sc, years, seed, scale)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(20)
    else:
        w = new_world(sc, years, seed, scale)
    wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
    return {"people": int(w.people.capacity), "wall_s": wall, "user_s": r1.ru_utime - r0.ru_utime,
            "sys_s": r1.ru_stime - r0.ru_stime, "peak_bytes": r1.ru_maxrss * 1024}


def run_child(src: Path, a: argparse.Namespace, profile: bool = False) -> dict:
    """One build in a fresh process importing removalsim from `src`."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", "--scenario", a.scenario, "--scale", str(a.scale),
           "--years", str(a.years), "--seed", str(a.seed)] + (["--profile"] if profile else [])
    p = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    if profile:
        print(p.stderr)
    return json.loads(p.stdout)


def summary(runs: list[dict]) -> dict:
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall_s", "user_s", "sys_s", "peak_bytes")}
    med["cpu_s"] = statistics.median(r["user_s"] + r["sys_s"] for r in runs)
    med["people"] = runs[0]["people"]
    return med


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="baseline", help="a shipped scenario's name or a .toml path")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--years", type=float, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--against", type=Path, help="another checkout's src folder, timed side by side")
    ap.add_argument("--profile", action="store_true", help="print a profile of one build first")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.repeats < 1:
        ap.error("--repeats must be at least 1")
    if a.one:
        print(json.dumps(one(a.scenario, a.scale, a.years, a.seed, a.profile)))
        return
    if a.profile:
        run_child(SRC, a, profile=True)
    sources = {"this": SRC} | ({"against": a.against.resolve()} if a.against else {})
    runs: dict[str, list[dict]] = {k: [] for k in sources}
    for _ in range(a.repeats):  # alternate, so both meet the same machine
        for k, src in sources.items():
            runs[k].append(run_child(src, a))
    print(f"building the world: {a.scenario}, scale {a.scale:g}, {a.years:g} years; medians of {a.repeats} "
          "fresh processes")
    print(f"{'checkout':>8} {'people':>12} {'wall s':>7} {'CPU s':>7} {'user s':>7} {'system s':>8} {'peak MiB':>9}")
    med = {k: summary(v) for k, v in runs.items()}
    for k, m in med.items():
        print(f"{k:>8} {m['people']:>12,} {m['wall_s']:>7.2f} {m['cpu_s']:>7.2f} {m['user_s']:>7.2f} "
              f"{m['sys_s']:>8.2f} {m['peak_bytes'] / 2**20:>9,.0f}")
    if a.against:
        this, other = med["this"], med["against"]
        print(f"this checkout / against: wall {this['wall_s'] / other['wall_s']:.2f}x, "
              f"CPU {this['cpu_s'] / other['cpu_s']:.2f}x, user {this['user_s'] / other['user_s']:.2f}x")


if __name__ == "__main__":
    main()
