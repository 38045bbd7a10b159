"""Global sensitivity of a horizon measure to the scenario's uncertain parameters (SALib Sobol or Morris).

SALib samples each uncertain parameter's cumulative probability in [0, 1]; the
parameter's own distribution (see `sampling`) turns it into a value, so the
indices are over the declared distributions. Every sample runs with the same
engine seed (common random numbers), so the indices measure the parameters, not
the simulation's noise. Each sample is a run in the catalogue like any other,
so an interrupted analysis resumes where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..scenario import Scenario
from .bands import horizon_measures
from .jobs import RunSpec, content_hash, jsonable
from .runner import run_specs
from .sampling import apply, uncertain_params

METHODS = ("sobol", "morris")


@dataclass
class SensitivityResult:
    method: str
    output: str
    table: pd.DataFrame   # parameter, dist, low, mode, high, then S1, S1_conf, ST, ST_conf or mu_star, ...
    samples: int
    y: np.ndarray


def problem_for(sc: Scenario) -> tuple[dict, list]:
    params = uncertain_params(sc)
    if not params:
        raise ValueError(f"scenario {sc.name!r} declares no uncertain parameters (add dist = \"triangular\" "
                         "with low/high to some parameters)")
    return {"num_vars": len(params), "names": [u.path for u in params], "bounds": [[0.0, 1.0]] * len(params)}, params


def sample(sc: Scenario, method: str, n: int, seed: int = 0) -> tuple[dict, list, np.ndarray]:
    """SALib's sample in probability space: (problem, uncertain params, matrix of cumulative probabilities)."""
    problem, params = problem_for(sc)
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        if n < 2 or n & (n - 1):
            raise ValueError(f"--n {n} must be a power of two for Sobol sampling (8, 16, 32, ...)")
        u = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    elif method == "morris":
        from SALib.sample import morris as morris_sample

        if n < 2:
            raise ValueError(f"--n {n} is too small; Morris needs at least 2 trajectories")
        u = morris_sample.sample(problem, n, num_levels=4, seed=seed)
    else:
        raise ValueError(f"method {method!r} is not allowed; expected one of {', '.join(METHODS)}")
    return problem, params, u


def sensitivity(sc: Scenario, method: str = "sobol", output: str = "removals", n: int | None = None,
                years: float = 5, scale: float = 0.001, seed: int = 0, workers: int | None = None,
                scheduler: str | None = None, out: str | Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> SensitivityResult:
    """Run SALib's design over the uncertain parameters of `sc` and analyse `output` over the horizon.

    `output` is a horizon measure (see `bands.horizon_measures`): removals and costs
    summed over the run, stocks at its end. Default n: 16 (Sobol) or 8 trajectories (Morris). Bad arguments
    raise RemovalsimInputError before anything runs.
    """
    from ..errors import RemovalsimInputError, whole
    from ..measures import SUMMARY, TOTAL_COST

    if method not in ("sobol", "morris"):
        raise RemovalsimInputError(f"method {method!r} is not allowed; expected 'sobol' or 'morris'")
    outputs = (*SUMMARY, TOTAL_COST.name)
    if output not in outputs:
        raise RemovalsimInputError(f"output {output!r} is not a measure; expected one of {', '.join(outputs)}")
    n = (16 if method == "sobol" else 8) if n is None else whole(n, "n", 1)
    problem, params, u = sample(sc, method, n, seed)
    specs = []
    for row in u:
        values = {p.path: p.quantile(x) for p, x in zip(params, row)}
        specs.append(RunSpec(apply(sc, values), sc.name, content_hash(sc), jsonable(values), int(seed), float(years),
                             float(scale), "MS", True, 1, f"sensitivity-{method}-n{n}", None))
    uniq = {s.run_id: s for s in specs}  # Morris can repeat a point; run it once
    oc = run_specs(list(uniq.values()), workers=workers, scheduler=scheduler, out=out, keep_results=False,
                   progress=progress)
    frames = []
    for rid, recs in oc.records.items():
        s = recs[0]["summary"]
        frames.append(pd.DataFrame({"run_id": rid, "year": s["year"], "measure": s["measure"], "value": s["value"]}))
    wide = horizon_measures(pd.concat(frames, ignore_index=True))
    if output not in wide.columns:
        raise ValueError(f"--output {output!r} is not a measure; expected one of {', '.join(sorted(wide.columns))}")
    y = np.array([wide.loc[s.run_id, output] for s in specs], dtype=float)
    base = pd.DataFrame({"parameter": [p.path for p in params], "dist": [p.dist for p in params],
                         "low": [p.low for p in params], "mode": [p.mode for p in params],
                         "high": [p.high for p in params]})
    if method == "sobol":
        from SALib.analyze import sobol

        si = sobol.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
        stats = pd.DataFrame({k: si[k] for k in ("S1", "S1_conf", "ST", "ST_conf")})
        order = "ST"
    else:
        from SALib.analyze import morris

        si = morris.analyze(problem, u, y, conf_level=0.95, num_levels=4, seed=seed)
        stats = pd.DataFrame({k: np.asarray(si[k], dtype=float) for k in ("mu", "mu_star", "sigma", "mu_star_conf")})
        order = "mu_star"
    table = pd.concat([base, stats], axis=1).sort_values(order, ascending=False, ignore_index=True)
    return SensitivityResult(method, output, table, len(specs), y)
