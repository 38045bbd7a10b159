"""The Python API: load a scenario, override values, simulate, get a Result."""

from __future__ import annotations

from typing import Callable

from . import __version__
from .engine.loop import run
from .results import Result
from .scenario import Scenario, load_scenario


def simulate(scenario: Scenario | str = "baseline", years: float = 10, seed: int = 0, scale: float = 1.0,
             freq: str = "MS", progress: Callable[[int, int], None] | None = None) -> Result:
    """Simulate a scenario person by person and return its tidy tables.

    `scale` < 1 simulates a proportional sample (population, arrivals and
    capacities all scaled); `freq` is "MS" (monthly, the default) or "D".

    >>> import removalsim
    >>> r = removalsim.simulate("baseline", years=0.25, seed=1, scale=0.001)
    >>> sorted(r.stocks.columns)
    ['date', 'group', 'measure', 'value']
    >>> int(r.summary()["removals"].iloc[0]) > 0
    True
    """
    if isinstance(scenario, str):
        scenario = load_scenario(scenario)
    if not 0 < scale <= 1:
        raise ValueError(f"scale {scale!r} is out of range; expected 0 < scale <= 1")
    if not 0 < years <= 50:
        raise ValueError(f"years {years!r} is out of range; expected 0 < years <= 50")
    if freq not in ("MS", "D"):
        raise ValueError(f"freq {freq!r} is not allowed; expected 'MS' (monthly) or 'D' (daily)")
    w = run(scenario, years, seed, scale, progress)
    meta = {"scenario": scenario.name, "seed": int(seed), "scale": float(scale), "years": float(years),
            "version": __version__}
    return Result.from_world(w, meta, freq)
