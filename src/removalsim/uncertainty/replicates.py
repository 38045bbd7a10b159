"""Independent replicates of a scenario, with seeds that are the same for every scenario.

Replicate r of any scenario uses `replicate_seed(seed, r)`; because the engine's
randomness is counter-based, two scenarios run with the same replicate index share
their random numbers (common random numbers), which is what makes differences
between policies sharp.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..results import Result
from ..scenario import Scenario, load_scenario


def replicate_seed(seed: int, replicate: int) -> int:
    """The engine seed of replicate `replicate` under base seed `seed` (stable across versions)."""
    return int(np.random.SeedSequence([int(seed), int(replicate)]).generate_state(1, dtype=np.uint32)[0])


def run_replicates(scenario: Scenario | str, replicates: int, years: float = 10, seed: int = 0,
                   scale: float = 0.01, freq: str = "MS",
                   progress: Callable[[int, int], None] | None = None) -> list[Result]:
    """Run `replicates` independent replicates one after another and return their Results in order."""
    from ..api import simulate

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    results = []
    for r in range(replicates):
        res = simulate(sc, years=years, seed=replicate_seed(seed, r), scale=scale, freq=freq)
        res.meta["replicate"] = r
        results.append(res)
        if progress is not None:
            progress(r + 1, replicates)
    return results
