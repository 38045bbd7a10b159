"""The benchmarks in benchmarks/ run as documented (`python benchmarks/bench_compare.py ...`).

The side-by-side benchmark runs both implementations on the same work and reports a ratio of medians.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _command(script: str, *args: str) -> subprocess.CompletedProcess:
    """The benchmark as a user runs it: `python benchmarks/<script> ARGS`, from the repository root."""
    return subprocess.run([sys.executable, f"benchmarks/{script}", *args], cwd=BENCHMARKS.parent,
                          capture_output=True, text=True, timeout=600)


def test_speed_ratio_pairs_medians_and_extremes():
    bench_compare = _load("bench_compare")
    eng = {"events": 1000, "wall_s": 0.01, "wall_min_s": 0.008, "wall_max_s": 0.02}
    ref = {"events": 1000, "wall_s": 1.0, "wall_min_s": 0.9, "wall_max_s": 1.2}
    ratio, low, high = bench_compare.speed_ratio(eng, ref)
    assert ratio == pytest.approx(100.0)
    assert low == pytest.approx(0.9 / 0.02) and high == pytest.approx(1.2 / 0.008)


def test_engine_runs_are_timed_just_before_each_reference_run(monkeypatch):
    bench_compare = _load("bench_compare")
    clock, calls = [0.0], []
    engine_times = iter([1.0, 3.0, 2.0, 5.0, 4.0, 6.0])  # round medians 2.0 and 5.0

    def engine():
        calls.append("e")
        clock[0] += next(engine_times)
        return "w"

    def reference():
        calls.append("r")
        clock[0] += 100.0
        return "m"

    monkeypatch.setattr(bench_compare.time, "perf_counter", lambda: clock[0])
    eng, eng_walls, ref, ref_walls, per_round = bench_compare.interleaved(engine, reference, 2, 3)
    assert calls == ["e", "e", "e", "r", "e", "e", "e", "r"] and (eng, ref) == ("w", "m")
    assert eng_walls == [1.0, 3.0, 2.0, 5.0, 4.0, 6.0] and ref_walls == [100.0, 100.0]
    assert per_round == [50.0, 20.0]


def test_each_run_is_let_go_before_the_next_is_timed():
    bench_compare = _load("bench_compare")

    class Model:
        def __init__(self, events):
            self.events = events

    alive = []  # weak references to every output so far

    def run(events):
        def fn():
            assert all(ref() is None for ref in alive), "a run started while an earlier output was still held"
            m = Model(events)
            alive.append(weakref.ref(m))
            return m
        return fn

    eng, _, ref, _, _ = bench_compare.interleaved(run(7), run(9), 2, 3, lambda m: m.events, lambda m: m.events)
    assert (eng, ref) == (7, 9) and len(alive) == 8
    kept, walls, _ = bench_compare._measure(run(5), lambda m: m.events, 3, memory=True)
    assert kept == 5 and len(walls) == 3 and len(alive) == 12


def test_side_by_side_runs_both_on_equal_work():
    p = _command("bench_compare.py", "--people", "2000", "--years", "0.3", "--no-scaling", "--no-memory",
                 "--repeats", "2")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    row = r"^\s*(engine|simpy)\s+\S+\s+([\d,]+)\s+([\d,]+)\s+\S+\s+\S+\s+([\d,]+)\s"
    rows = {m.group(1): m for m in re.finditer(row, out, re.M)}
    assert set(rows) == {"engine", "simpy"}
    assert rows["engine"].group(2) == rows["simpy"].group(2)  # the same synthetic population
    work = float(re.search(r"differ by ([\d.]+)%", out).group(1))
    assert work < 5.0
    ratio = float(re.search(r"events per second: ([\d.,]+)x", out).group(1).replace(",", ""))
    # the printed ratio is the quotient of the two printed events/s (the medians' rates), to rounding
    rate = {k: float(m.group(4).replace(",", "")) for k, m in rows.items()}
    assert ratio == pytest.approx(rate["engine"] / rate["simpy"], rel=1e-3, abs=0.051)
    paired = re.search(r"paired in time .*: median [\d.,]+x \(([\d.,]+)x-([\d.,]+)x\)", out)
    low, high = (float(x.replace(",", "")) for x in paired.groups())
    assert 0 < low <= high


def test_repeats_must_be_positive():
    p = _command("bench_compare.py", "--repeats", "0")
    assert p.returncode == 2 and "--repeats must be at least 1" in p.stderr
    p = _command("bench_compare.py", "--engine-runs", "0")
    assert p.returncode == 2 and "--engine-runs must be at least 1" in p.stderr


def test_engine_benchmark_runs_each_scale_in_a_fresh_process():
    p = _command("bench.py", "--scales", "0.0005", "--years", "0.1")
    assert p.returncode == 0, p.stderr
    (row,) = [line.split() for line in p.stdout.splitlines() if line.strip().startswith("0.0005")]
    people, events = (int(x.replace(",", "")) for x in row[1:3])
    assert people > 1000 and events >= people  # every person placed counts as an event


def test_first_run_benchmark_refuses_a_repeat_count_below_one():
    done = _command("bench_first_run.py", "--venv-from-here", "--repeats", "0")
    assert done.returncode == 2 and "--repeats 0: expected at least 1" in done.stderr
