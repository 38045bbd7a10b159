"""Independent replicates of a scenario, with seeds that are the same for every scenario.

Replicate r of any scenario uses `replicate_seed(seed, r)`; because the engine's
randomness is counter-based, two scenarios run with the same replicate index share
their random numbers (common random numbers), which is what makes differences
between policies sharp.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from ..results import Result
from ..scenario import Scenario, load_scenario


def replicate_seed(seed: int, replicate: int) -> int:
    """The engine seed of replicate `replicate` under base seed `seed` (stable across versions)."""
    return int(np.random.SeedSequence([int(seed), int(replicate)]).generate_state(1, dtype=np.uint32)[0])


def run_replicates(scenario: Scenario | str, replicates: int, years: float = 10, seed: int = 0,
                   scale: float = 0.01, freq: str = "MS",
                   progress: Callable[[int, int], None] | None = None, *,
                   fixed_params: bool = False, workers: int | None = None, scheduler: str | None = None,
                   out: str | Path | None = None, overrides: Mapping[str, Any] | None = None) -> list[Result]:
    """Run `replicates` independent replicates and return their Results in replicate order.

    Replicate r uses engine seed `replicate_seed(seed, r)` and, unless
    `fixed_params`, draws the parameters that declare a `dist` from (seed, r).
    By default the replicates run one after another in this process; `workers`
    > 1 uses a local process pool and `scheduler` a Dask cluster. With `out`,
    each replicate is written to `<out>/<run-id>/replicate-<r>/`, recorded in
    `<out>/catalogue.duckdb`, and not computed again by a later call.
    """
    from .jobs import make_run
    from .runner import run_specs

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if int(replicates) < 1:
        raise ValueError(f"replicates {replicates!r} must be at least 1")
    spec = make_run(sc, overrides, seed=seed, years=years, scale=scale, freq=freq, fixed_params=fixed_params,
                    replicates=int(replicates))
    if workers is None and scheduler is None:
        workers = 1
    oc = run_specs([spec], workers=workers, scheduler=scheduler, out=out, progress=progress)
    return oc.results[spec.run_id]
