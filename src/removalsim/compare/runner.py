"""Run several scenarios replicate by replicate with common random numbers, and compare them.

Replicate r of every scenario uses engine seed `replicate_seed(seed, r)` and (unless
`fixed_params`) the same draws of the uncertain parameters, so the difference of
two scenarios in replicate r is the policy's effect under one shared draw of chance
and of the uncertain inputs. The 90% interval of a difference is the 5th-95th
percentile of the per-replicate differences (linear interpolation; with few
replicates it is close to their range).

The runs go through the experiments stack (`uncertainty.run_specs`), so a comparison
runs on local processes or a Dask cluster and can be written, catalogued and resumed
like any other multi-run command; every measure is computed from the Results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from ..results import Result
from ..scenario import Scenario, load_scenario
from ..measures import horizon_values
from ..uncertainty.bands import NINETY, bands_of
from .bottleneck import utilisation


@dataclass
class Runs:
    """Every scenario x replicate of a comparison: Results, measures and monthly utilisation."""

    scenarios: list[Scenario]
    replicates: int
    years: float
    seed: int
    scale: float
    results: dict[str, list[Result]] = field(default_factory=dict)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame)   # scenario, replicate, measure, value
    util: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    drawn: dict[str, list[Scenario]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def wide(self) -> pd.DataFrame:
        """[scenario, replicate] x measure."""
        return self.measures.pivot_table(index=["scenario", "replicate"], columns="measure", values="value",
                                         aggfunc="first")

    def bands(self, scenario: str) -> pd.DataFrame:
        """Per measure: p05, median, p95 across replicates of one scenario."""
        m = self.measures[self.measures["scenario"] == scenario].groupby("measure")["value"]
        return bands_of(m, levels=NINETY)


def run_scenarios(scenarios: Sequence[Scenario | str], replicates: int = 3, years: float = 5, seed: int = 0,
                  scale: float = 0.01, *, freq: str = "MS", fixed_params: bool = False,
                  checkpoints: Sequence[float] = (), progress: Callable[[int, int], None] | None = None,
                  workers: int | None = None, scheduler: str | None = None, out: str | Path | None = None,
                  catalogue: str | Path | bool | None = None) -> Runs:
    """Run every scenario `replicates` times with common random numbers, on the experiments stack.

    The runs go through `uncertainty.run_specs` like every multi-run command: `workers`
    local processes or a Dask `scheduler`, and with `out` each replicate is written there,
    recorded in the catalogue and not computed again by a later call. `checkpoints`: years
    (shorter than `years`) at which the recent-arrival cohort's status is also reported
    (measures named `cohort_*@<y>y`), read from the engine's yearly checkpoints.
    """
    from ..uncertainty.jobs import make_run
    from ..uncertainty.runner import run_specs
    from ..uncertainty.sampling import apply

    scs = [load_scenario(s) if isinstance(s, str) else s for s in scenarios]
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ, got {', '.join(names)}")
    if replicates < 1:
        raise ValueError(f"replicates {replicates!r} must be at least 1")
    if not 0 < scale <= 1:
        raise ValueError(f"scale {scale!r} is out of range; expected 0 < scale <= 1")
    if not 0 < years <= 50:
        raise ValueError(f"years {years!r} is out of range; expected 0 < years <= 50")
    specs = [make_run(sc, seed=seed, years=years, scale=scale, freq=freq, fixed_params=fixed_params,
                      replicates=replicates) for sc in scs]
    done = run_specs(specs, workers=workers, scheduler=scheduler, out=out, catalogue=catalogue, progress=progress)
    runs = Runs(scs, replicates, years, seed, scale)
    rows = []
    for sc, spec in zip(scs, specs):
        for r, res in enumerate(done.results[spec.run_id]):
            drawn = apply(sc, res.meta.get("params") or {})  # replicate r's scenario, as the worker drew it
            for k, v in horizon_values(res, drawn, list(checkpoints)).items():
                rows.append((sc.name, r, k, v))
            runs.results.setdefault(sc.name, []).append(res)
            runs.util.setdefault(sc.name, []).append(utilisation(res))
            runs.drawn.setdefault(sc.name, []).append(drawn)
    runs.measures = pd.DataFrame(rows, columns=["scenario", "replicate", "measure", "value"])
    return runs


def differences(runs: Runs, base: str, other: str) -> pd.DataFrame:
    """Per measure: base and other medians, and the median and interval of (other - base) replicate by replicate.

    Columns: measure, base, other (medians across replicates), diff (the median of the paired differences:
    it need not equal other - base, the difference of the medians), diff_p05 and diff_p95 (their 5th-95th
    percentiles), diff_low and diff_high with `interval` ("90% band" from 10 replicates, else "range": the
    lowest and highest paired difference, `formatting.interval`), and replicates (how many pairs). Measures
    missing in one scenario (a country only one of them has) count as 0 there.
    """
    from ..formatting import interval

    wide = runs.wide()
    a = wide.loc[base]
    b = wide.loc[other]
    cols = a.columns.union(b.columns)
    a = a.reindex(columns=cols)
    b = b.reindex(columns=cols)
    both_missing = a.isna() & b.isna()
    a, b = a.fillna(0.0), b.fillna(0.0)
    d = (b - a).mask(both_missing)
    spans = [interval(d[c].to_numpy()) for c in cols]
    return pd.DataFrame({
        "measure": cols,
        "base": a.median().to_numpy(),
        "other": b.median().to_numpy(),
        "diff": d.median().to_numpy(),
        "diff_p05": d.quantile(0.05).to_numpy(),
        "diff_p95": d.quantile(0.95).to_numpy(),
        "diff_low": [x[0] for x in spans],
        "diff_high": [x[1] for x in spans],
        "interval": [x[2] for x in spans],
        "replicates": d.notna().sum().to_numpy(),
    })


def daily_bands(runs: Runs, scenario: str, measure: str) -> pd.DataFrame:
    """Per whole month of a flow or cost summed over groups, per day (whole country): p05, median, p95.

    The part-months at the start and end are left out: a rate from a few days (12 in January 2025) would
    be read as a month's, and a figure multiplying it by 365 annualises what was never a month.
    """
    table, name = measure.split(":", 1)
    series = [r.total(table, name) / r.scale for r in runs.results[scenario]]
    df = pd.concat(series, axis=1)
    res = runs.results[scenario][0]
    days = pd.date_range(pd.Timestamp(res.meta["start_date"]), periods=int(res.meta["days"]), freq="D")
    covered = pd.Series(1, index=days.to_period("M").start_time).groupby(level=0).sum()
    covered = covered.reindex(df.index)
    whole = covered.to_numpy() == df.index.days_in_month.to_numpy()
    df = df.div(covered.to_numpy(), axis=0)[whole]
    return bands_of(df, axis=1, levels=NINETY)


def group_measure(runs: Runs, scenario: str, table: str, measure: str, group: str, per_year: bool = True
                  ) -> np.ndarray:
    """Per replicate: one group's total of a flow or cost (per year), whole-country figures."""
    vals = []
    for res in runs.results[scenario]:
        df = getattr(res, table)
        v = df[(df["measure"] == measure) & (df["group"] == group)]["value"].sum() / res.scale
        vals.append(v / float(res.meta["years"]) if per_year else v)
    return np.asarray(vals, dtype=float)
