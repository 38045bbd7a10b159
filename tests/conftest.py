"""Shared helpers: small runs of the engine for invariant and stage tests."""

from __future__ import annotations

import functools
import os

import pytest

from removalsim import load_scenario
from removalsim.engine.loop import run
from removalsim.vocabulary import Flow, State

# The command line's Rich consoles fix their width when created if COLUMNS is set, and pytest-xdist's workers
# start with COLUMNS=80: the CLI tests that ask for a wide terminal (CliRunner's env) would get 80 columns.
os.environ.pop("COLUMNS", None)

MAX_WORKERS = 4  # each worker compiles or loads the kernels and holds its own runs: more buys little here


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: one worker per usable core, at most MAX_WORKERS."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1  # macOS
    return max(1, min(MAX_WORKERS, usable))


SMALL = 0.0005  # about 7,000 people


@functools.lru_cache(maxsize=None)
def baseline():
    return load_scenario("baseline")


def small_world(overrides: dict | None = None, years: float = 1.0, seed: int = 1, scale: float = SMALL,
                scenario: str = "baseline"):
    sc = load_scenario(scenario) if scenario != "baseline" else baseline()
    if overrides:
        sc = sc.with_overrides(overrides)
    return run(sc, years, seed, scale)


def flow(w, f: Flow, group: str | None = None) -> int:
    arr = w.flows[:, f]
    if group is not None:
        arr = arr[:, w.inp.groups.index(group)]
    return int(arr.sum())


def stock(w, s: State, day: int = -1) -> int:
    return int(w.stocks[day, s].sum())


@pytest.fixture(scope="session")
def base_world():
    return small_world(years=2)
