"""The Python API: load a scenario, override values, simulate, get a Result.

Bad input (a scenario, an override, an argument of the wrong type or out of range) raises
:class:`removalsim.RemovalsimInputError` with the line the command line prints, before anything runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from . import __version__
from .engine.loop import run
from .errors import RemovalsimInputError, real, whole
from .results import Result
from .scenario import Scenario, load_scenario
from .scenario.schema import sample_problem

SEED_MAX = 2**63 - 1  # numpy's seeds are non-negative; replicate seeds are derived within 64 bits


def simulate(scenario: Scenario | str | Path = "baseline", years: float = 10, seed: int = 0, scale: float = 1.0,
             freq: str = "MS", progress: Callable[[int, int], None] | None = None) -> Result:
    """Simulate a scenario person by person and return its tidy tables.

    `scale` < 1 simulates a proportional sample (population, arrivals and
    capacities all scaled); `freq` is "MS" (monthly, the default) or "D".
    Bad arguments raise :class:`removalsim.RemovalsimInputError` before anything runs.

    >>> import removalsim
    >>> r = removalsim.simulate("baseline", years=0.25, seed=1, scale=0.001)
    >>> sorted(r.stocks.columns)
    ['date', 'group', 'measure', 'value']
    >>> int(r.summary()["removals"].iloc[0]) > 0
    True
    """
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise RemovalsimInputError(f"scenario {type(scenario).__name__} {str(scenario)[:40]!r} is not allowed; "
                                   "expected a Scenario, a shipped scenario name or a path to a .toml file")
    scale = real(scale, "scale", 0, 1, low_open=True)
    years = real(years, "years", 0, 50, low_open=True)
    seed = whole(seed, "seed", 0, SEED_MAX)
    if freq not in ("MS", "D"):
        raise RemovalsimInputError(f"freq {freq!r} is not allowed; expected 'MS' (monthly) or 'D' (daily)")
    if progress is not None and not callable(progress):
        raise RemovalsimInputError(f"progress {progress!r} is not allowed; expected a function (done, total) or None")
    problem = sample_problem(scenario, scale)
    if problem:
        raise RemovalsimInputError(problem)
    w = run(scenario, years, seed, scale, progress)
    meta = {"scenario": scenario.name, "seed": int(seed), "scale": float(scale), "years": float(years),
            "version": __version__}
    return Result.from_world(w, meta, freq)
