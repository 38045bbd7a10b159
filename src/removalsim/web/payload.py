"""What the explorer shows for one run: tables computed from the Results of a base and a variant.

Both sides ran replicate by replicate with common random numbers (same seeds, same
parameter draws), so the per-replicate difference is the changes' effect. Every
number comes from the measure catalogue (`removalsim.measures`), the comparison
helpers (`compare.runner.differences`, `compare.china.china_answers`) and the
bands of `uncertainty.bands`; this module only arranges them into tables.
"""

from __future__ import annotations

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
HEADLINE = ("removals_per_year", "border_removals_per_year", "self_departures_per_year", "court_backlog_end",
            "detained_mean", "detained_end", "cost_total_per_year", "cost_loaded_per_year", "cost_per_removal",
            "cost_loaded_per_removal", "wait_arrest_to_removal_days", "wait_filing_to_decision_days")
FY_MEASURES = ("removals", "court_backlog", "detained")
COHORT_YEARS = (1.0, 2.0)  # the China questions ask after 1, 2 and 5 years (the horizon)


class Pair(Runs):
    """A base and a variant as a comparison of two "scenarios" named base and variant (they may share a name)."""

    @property
    def names(self) -> list[str]:
        return list(SIDES)


def pair(base: tuple[Scenario, Sequence[Result]], variant: tuple[Scenario, Sequence[Result]], *, years: float,
         seed: int, scale: float) -> Pair:
    """The measures of every replicate of both sides, as `compare.runner.run_scenarios` computes them."""
    runs = Pair([base[0], variant[0]], len(base[1]), years, seed, scale)
    rows = []
    for side, (sc, results) in zip(SIDES, (base, variant)):
        runs.results[side] = list(results)
        for r, res in enumerate(results):
            drawn = apply(sc, res.meta.get("params") or {})
            for k, v in horizon_values(res, drawn, [y for y in COHORT_YEARS if y < years]).items():
                rows.append((side, r, k, v))
    runs.measures = pd.DataFrame(rows, columns=["scenario", "replicate", "measure", "value"])
    return runs


def measures_table(runs: Pair) -> pd.DataFrame:
    """Every catalogued horizon measure: section, label, unit, base and variant medians, the difference and its
    90% interval across replicates."""
    d = differences(runs, "base", "variant")
    d = d[d["measure"].isin(list(HORIZON))].copy()
    d.insert(1, "section", [HORIZON[m].section for m in d["measure"]])
    d.insert(2, "label", [HORIZON[m].label for m in d["measure"]])
    d.insert(3, "unit", [HORIZON[m].unit for m in d["measure"]])
    d = d.rename(columns={"other": "variant"})
    order = {m: i for i, m in enumerate(HORIZON)}
    return d.sort_values("measure", key=lambda s: s.map(order)).reset_index(drop=True)


def fiscal_years(runs: Pair) -> pd.DataFrame:
    """Removals (sum), court backlog and detention (at the year's end) per fiscal year, whole country: p05,
    median and p95 across replicates for each side; `months` says how much of the year the run covers."""
    rows = []
    for side in SIDES:
        for name in FY_MEASURES:
            m = SERIES[name]
            per_rep = []
            for res in runs.results[side]:
                s = m.series(res).astype(float) / res.scale  # type: ignore[misc]
                fy = [fiscal_year(d.date()) for d in s.index]
                g = s.groupby(fy)
                per_rep.append(g.last() if m.stock else g.sum())
                months = g.size()
            wide = pd.concat(per_rep, axis=1)
            b = bands_of(wide, axis=1, levels=NINETY)
            for fy, row in b.iterrows():
                rows.append((side, name, m.label, fy, int(months[fy]), row["p05"], row["median"], row["p95"]))
    return pd.DataFrame(rows, columns=["side", "measure", "label", "fiscal_year", "months", "p05", "median", "p95"])


def monthly(runs: Pair, name: str) -> pd.DataFrame:
    """One stock measure per month (end of month), whole country: p05, median, p95 for each side."""
    frames = []
    for side in SIDES:
        wide = pd.concat([SERIES[name].series(r).astype(float) / r.scale for r in runs.results[side]],  # type: ignore[misc]
                         axis=1)
        b = bands_of(wide, axis=1, levels=NINETY)
        b.insert(0, "side", side)
        b.insert(1, "measure", name)
        frames.append(b.rename_axis("date").reset_index())
    out = pd.concat(frames, ignore_index=True)
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out


def costs(runs: Pair) -> pd.DataFrame:
    """Cost per year by component on both bases (marginal: what is used; fully loaded: what is funded plus
    per-use costs), median across replicates, whole country, for each side and the difference."""
    rows = []
    for basis in ("marginal", "loaded"):
        per_side = {}
        for side in SIDES:
            reps = []
            for res in runs.results[side]:
                if basis == "marginal":
                    c = res.costs.groupby("measure", observed=True)["value"].sum()
                else:
                    c = loaded_costs(res).sum()
                reps.append(c.reindex(names(Cost), fill_value=0.0) / res.scale / float(res.meta["years"]))
            per_side[side] = pd.concat(reps, axis=1)
        diff = per_side["variant"] - per_side["base"]
        for comp in names(Cost):
            rows.append((basis, comp, float(per_side["base"].loc[comp].median()),
                         float(per_side["variant"].loc[comp].median()), float(diff.loc[comp].median())))
    return pd.DataFrame(rows, columns=["basis", "component", "base", "variant", "diff"])


def china(runs: Pair) -> pd.DataFrame | None:
    """The China answers for both sides, or None when the scenario has no China group."""
    from ..compare.china import china_answers

    if any("China" not in res.meta.get("groups", ()) for side in SIDES for res in runs.results[side]):
        return None
    return china_answers(runs).rename(columns={"scenario": "side"})


def tables(runs: Pair) -> dict[str, pd.DataFrame]:
    """Every table of a run, by the name the download links use."""
    out = {"measures": measures_table(runs), "fiscal_years": fiscal_years(runs), "costs": costs(runs),
           "backlog": monthly(runs, "court_backlog"), "detention": monthly(runs, "detained")}
    ch = china(runs)
    if ch is not None:
        out["china"] = ch
    return out


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A table as JSON records; NaN and infinities become null (JSON has no NaN)."""
    clean = df.astype(object).where(pd.notna(df), None)
    out = clean.to_dict(orient="records")
    for row in out:
        for k, v in row.items():
            if isinstance(v, (float, np.floating)) and not np.isfinite(v):
                row[k] = None
            elif isinstance(v, np.generic):
                row[k] = v.item()
    return out
