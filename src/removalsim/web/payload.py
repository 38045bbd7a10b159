"""What the explorer shows for one run: tables computed from the Results of a base and a variant.

Both sides ran replicate by replicate with common random numbers (same seeds, same
parameter draws), so the per-replicate difference is the changes' effect. Every
number comes from the measure catalogue (`removalsim.measures`), the comparison
helpers (`compare.runner.differences`, `compare.china.china_answers`) and the
bands of `uncertainty.bands`; this module only arranges them into tables.

Reading a Result's measures costs more than simulating it at the explorer's sizes, so
each replicate is read once into a `Digest` (the service keeps them by run id and
replicate: a base shared by many requests is read once), and tables are combined
from digests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..compare.runner import Runs, differences
from ..formatting import fiscal_year
from ..measures import HORIZON, SERIES, horizon_values, loaded_costs
from ..results import Result
from ..scenario import Scenario
from ..uncertainty.bands import NINETY, bands_of
from ..uncertainty.sampling import apply
from ..vocabulary import Cost, names

SIDES = ("base", "variant")
FY_MEASURES = ("removals", "court_backlog", "detained")
MONTHLY = {"backlog": "court_backlog", "detention": "detained"}
COHORT_YEARS = (1.0, 2.0)  # the China questions ask after 1, 2 and 5 years (the horizon)


@dataclass(frozen=True)
class Digest:
    """One replicate's numbers (whole country): horizon measures, fiscal years, monthly stocks, costs."""

    horizon: dict[str, float]
    fiscal: pd.DataFrame            # measure, fiscal_year, months, value
    monthly: dict[str, pd.Series]   # stock measure -> end-of-month values
    costs: pd.DataFrame             # index component; columns marginal, loaded (USD per year)


def digest(res: Result, sc: Scenario) -> Digest:
    """Read one replicate's measures; `sc` is the scenario it ran (its drawn parameters are applied here)."""
    years = float(res.meta["years"])
    drawn = apply(sc, res.meta.get("params") or {})
    horizon = horizon_values(res, drawn, [y for y in COHORT_YEARS if y < years])
    rows = []
    for name in FY_MEASURES:
        m = SERIES[name]
        s = m.series(res).astype(float) / res.scale  # type: ignore[misc]
        g = s.groupby([fiscal_year(d.date()) for d in s.index])
        for fy, v in (g.last() if m.stock else g.sum()).items():
            rows.append((name, fy, int(g.size()[fy]), float(v)))
    fiscal = pd.DataFrame(rows, columns=["measure", "fiscal_year", "months", "value"])
    monthly = {name: SERIES[name].series(res).astype(float) / res.scale  # type: ignore[misc]
               for name in MONTHLY.values()}
    marginal = res.costs.groupby("measure", observed=True)["value"].sum()
    loaded = loaded_costs(res).sum()
    costs = pd.DataFrame({"marginal": marginal.reindex(names(Cost), fill_value=0.0),
                          "loaded": loaded.reindex(names(Cost), fill_value=0.0)}) / res.scale / years
    return Digest(horizon, fiscal, monthly, costs)


class _Sides(Runs):
    """A comparison whose "scenarios" are named by side (base and variant may share a scenario name)."""

    sides: tuple[str, ...] = SIDES

    @property
    def names(self) -> list[str]:
        return list(self.sides)


def _runs(sides: dict[str, Sequence[Digest]]) -> _Sides:
    runs = _Sides([], 0, 0.0, 0, 0.0)
    runs.sides = tuple(sides)
    rows = [(side, r, k, v) for side, ds in sides.items() for r, d in enumerate(ds) for k, v in d.horizon.items()]
    runs.measures = pd.DataFrame(rows, columns=["scenario", "replicate", "measure", "value"])
    return runs


def measures_table(base: Sequence[Digest], variant: Sequence[Digest]) -> pd.DataFrame:
    """Every catalogued horizon measure: section, label, unit, base and variant medians, the difference and its
    90% interval across replicates."""
    d = differences(_runs({"base": base, "variant": variant}), "base", "variant")
    d = d[d["measure"].isin(list(HORIZON))].copy()
    d.insert(1, "section", [HORIZON[m].section for m in d["measure"]])
    d.insert(2, "label", [HORIZON[m].label for m in d["measure"]])
    d.insert(3, "unit", [HORIZON[m].unit for m in d["measure"]])
    d = d.rename(columns={"other": "variant"})
    order = {m: i for i, m in enumerate(HORIZON)}
    return d.sort_values("measure", key=lambda s: s.map(order)).reset_index(drop=True)


def fiscal_years(sides: dict[str, Sequence[Digest]]) -> pd.DataFrame:
    """Removals (sum), court backlog and detention (at the year's end) per fiscal year: p05, median, p95 across
    replicates for each side; `months` says how much of the fiscal year the run covers."""
    frames = []
    for side, ds in sides.items():
        long = pd.concat([d.fiscal.assign(replicate=r) for r, d in enumerate(ds)], ignore_index=True)
        g = long.groupby(["measure", "fiscal_year", "months"], sort=False)["value"]
        b = bands_of(g, levels=NINETY).reset_index()
        b.insert(0, "side", side)
        frames.append(b)
    out = pd.concat(frames, ignore_index=True)
    out.insert(2, "label", [SERIES[m].label for m in out["measure"]])
    return out


def monthly(sides: dict[str, Sequence[Digest]], name: str) -> pd.DataFrame:
    """One stock measure at the end of each month: p05, median, p95 across replicates for each side."""
    frames = []
    for side, ds in sides.items():
        b = bands_of(pd.concat([d.monthly[name] for d in ds], axis=1), axis=1, levels=NINETY)
        b.insert(0, "side", side)
        b.insert(1, "measure", name)
        frames.append(b.rename_axis("date").reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out[["date", "side", "measure", "p05", "median", "p95"]]


def costs(base: Sequence[Digest], variant: Sequence[Digest]) -> pd.DataFrame:
    """Cost per year by component on both bases (marginal: what is used; fully loaded: what is funded plus
    per-use costs): medians across replicates for each side, and the median paired difference."""
    rows = []
    for basis in ("marginal", "loaded"):
        b = pd.concat([d.costs[basis] for d in base], axis=1)
        v = pd.concat([d.costs[basis] for d in variant], axis=1)
        diff = v.to_numpy() - b.to_numpy()
        for i, comp in enumerate(b.index):
            rows.append((basis, comp, float(b.loc[comp].median()), float(v.loc[comp].median()),
                         float(np.median(diff[i]))))
    return pd.DataFrame(rows, columns=["basis", "component", "base", "variant", "diff"])


def china(side: str, results: Sequence[Result], ds: Sequence[Digest]) -> pd.DataFrame | None:
    """The China answers of one side (`compare.china.china_answers`), or None without a China group."""
    from ..compare.china import china_answers

    if not results or any("China" not in res.meta.get("groups", ()) for res in results):
        return None
    runs = _runs({side: ds})
    runs.results = {side: list(results)}
    runs.years = float(results[0].meta["years"])
    return china_answers(runs).rename(columns={"scenario": "side"})


def tables(base: Sequence[Digest], variant: Sequence[Digest],
           china_tables: Sequence[pd.DataFrame | None] = ()) -> dict[str, pd.DataFrame]:
    """Every table of a run, by the name the download links use."""
    sides = {"base": base, "variant": variant}
    out = {"measures": measures_table(base, variant), "fiscal_years": fiscal_years(sides),
           "costs": costs(base, variant)}
    for key, name in MONTHLY.items():
        out[key] = monthly(sides, name)
    if china_tables and all(t is not None for t in china_tables):
        out["china"] = pd.concat(list(china_tables), ignore_index=True)  # type: ignore[arg-type]
    return out


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON records; NaN and infinities become null (JSON has no NaN)."""
    out = df.astype(object).where(pd.notna(df), None).to_dict(orient="records")
    for row in out:
        for k, v in row.items():
            if isinstance(v, (float, np.floating)) and not np.isfinite(v):
                row[k] = None
            elif isinstance(v, np.generic):
                row[k] = v.item()
    return out
