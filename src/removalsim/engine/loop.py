"""The day loop. Every simulated day runs the stages in the order of `registry.STAGE_MODULES`
(inflows, timed exits, arrests, custody, referrals, reopenings, ATD, court, appeals,
travel documents, transport, accounting); `python scripts/generate_engine.py --order` prints it with
what each stage does.

The order is part of the model: it decides, for example, that a bed freed by a
removal today is only offered to tomorrow's arrests.

The loop and the stages are compiled (Numba); Python runs the loop a block of
days at a time, making room for the block's records and reporting progress in
between.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from . import KERNELS
from ..scenario.schema import Scenario
from .heap import keep_freed_memory
from .kernel_cache import prune
from .inputs import Inputs
from .population import build, initial_counts
from .bundles import bundle_of
from .checkpoints import checkpoint_days
from .generated import run_days
from .pages import on_small_pages
from .registry import compile_params
from .world import N_PEOPLE, World

BLOCK_DAYS = 61  # days per compiled call: progress about every two months


def horizon_days(years: float) -> int:
    return max(1, int(round(years * 365.25)))


def wait_bounds(inp: Inputs) -> np.ndarray:
    """The running total, day by day, of an upper bound on the waiting times recorded: court completions plus
    removals (horizon + 1 entries, from 0; whole numbers, exact in floating point)."""
    seats = np.ceil(inp.flights * inp.seats[:, None]).sum(axis=0) + len(inp.regions)
    per_day = inp.court_capacity + inp.land_capacity.sum(axis=0) + seats
    return np.concatenate([[0.0], np.cumsum(per_day)])


def most_waits(inp: Inputs, first: int, last: int) -> int:
    """An upper bound on the waiting times recorded in days first..last-1: court completions plus removals."""
    bounds = wait_bounds(inp)
    return int(bounds[last] - bounds[first])


@on_small_pages
def new_world(sc: Scenario, years: float, seed: int, scale: float) -> World:
    """The world of a run, with its starting population placed (day 0 not yet simulated)."""
    _prune_old_kernels()
    keep_freed_memory()
    days = horizon_days(years)
    inp = Inputs.compile(sc, days, scale)
    n0 = int(sum(v.sum() for v in initial_counts(sc, inp).values()))
    w = World(inp, seed, capacity=n0 + inp.total_arrivals, params=compile_params(inp))
    build(w)
    w.checkpoint_days = checkpoint_days(years, horizon_days)
    return w


@functools.cache
def _prune_old_kernels() -> None:
    """Once per process, before the first run: delete the kernels compiled from older engine sources."""
    prune(KERNELS)


@on_small_pages
def advance(w: World, days: int, progress: Callable[[int, int], None] | None = None) -> World:
    """Simulate the next `days` days of `w` (a block at a time)."""
    end = min(w.days, w.day + days)
    bundle = None
    bounds = wait_bounds(w.inp)
    while w.day < end:
        last = min([end, w.day + BLOCK_DAYS] + [d for d in w.checkpoint_days if d > w.day])
        if w.reserve_waits(int(bounds[last] - bounds[w.day])) or bundle is None:
            bundle = bundle_of(w)  # a bundle borrows the arrays: a new one after the wait log grew
        run_days(bundle, w.day, last)
        w.day = last
        w.people.n = int(w.tally[N_PEOPLE])
        if w.day in w.checkpoint_days:
            w.record_checkpoint()
        if progress is not None:
            progress(last, w.days)
    return w


def run(sc: Scenario, years: float, seed: int, scale: float,
        progress: Callable[[int, int], None] | None = None) -> World:
    """Simulate `years` from the scenario's start date; returns the final World."""
    w = new_world(sc, years, seed, scale)
    return advance(w, w.days, progress)
