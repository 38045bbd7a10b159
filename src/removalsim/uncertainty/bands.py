"""Medians and bands across replicates: the 50% (25th-75th percentile) and 90% (5th-95th) ranges."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from ..results import Result

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}


def stack_summaries(results: Sequence[Result]) -> pd.DataFrame:
    """Every replicate's yearly summary in one long table: replicate, year, measure, value."""
    frames = []
    for r, res in enumerate(results):
        s = res.summary().reset_index().melt(id_vars="year", var_name="measure", value_name="value")
        s.insert(0, "replicate", res.meta.get("replicate", r))
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def summarize(results: Sequence[Result]) -> pd.DataFrame:
    """Per year and measure: median and the 50%/90% bands across replicates (whole-country figures).

    Columns: year, measure, p05, p25, median, p75, p95, replicates.
    """
    long = stack_summaries(results)
    g = long.groupby(["year", "measure"])["value"]
    out = pd.DataFrame({name: g.quantile(q) for name, q in QUANTILES.items()})
    out["replicates"] = g.size()
    return out.reset_index()


STOCK_MEASURES = ("court_backlog", "detained", "final_orders_unexecutable", "final_orders_at_large")


def horizon_measures(long: pd.DataFrame) -> pd.DataFrame:
    """One number per replicate and measure over the whole horizon (a wide table, one row per replicate).

    Removals and costs are summed over the years; stocks (backlog, detained, final
    orders) are taken at the end of the last year; `cost_total_usd` adds all costs.
    `long` has columns replicate, year, measure, value (see :func:`stack_summaries`).
    """
    keys = [c for c in long.columns if c not in ("year", "measure", "value")]
    wide = long.pivot_table(index=keys + ["year"], columns="measure", values="value", observed=True).sort_index()
    g = wide.groupby(level=keys)
    stocks = [c for c in wide.columns if c in STOCK_MEASURES]
    out = g[[c for c in wide.columns if c not in STOCK_MEASURES]].sum()
    out[stocks] = g[stocks].last()
    out["cost_total_usd"] = out[[c for c in out.columns if c.startswith("cost_") and c != "cost_total_usd"]].sum(axis=1)
    out.columns.name = None
    return out


def horizon_bands(long: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Median and 5/25/75/95th percentiles across replicates of each horizon measure (rows: measure)."""
    wide = horizon_measures(long)
    by = by or []
    stacked = wide.stack().rename("value").reset_index().rename(columns={"level_%d" % wide.index.nlevels: "measure"})
    g = stacked.groupby(by + ["measure"])["value"]
    out = pd.DataFrame({name: g.quantile(q) for name, q in QUANTILES.items()})
    out["replicates"] = g.size()
    return out.reset_index()


def measure_series(res: Result, measure: str) -> pd.Series:
    """One summary measure of one run at table frequency, scaled to the whole country.

    Measures as in `Result.summary()` (removals, court_backlog, detained, final_orders_unexecutable,
    final_orders_at_large, cost_<component>_usd) plus cost_total_usd; also any flow or stock name.
    """
    from ..results.result import BACKLOG_STATES, CUSTODY_STATES

    k = 1.0 / res.scale
    if measure == "removals":
        s = res.total("flows", "removed")
    elif measure == "court_backlog":
        s = sum(res.total("stocks", m) for m in BACKLOG_STATES)
    elif measure == "detained":
        s = sum(res.total("stocks", m) for m in CUSTODY_STATES)
    elif measure == "final_orders_unexecutable":
        s = res.total("stocks", "final_order_unexecutable")
    elif measure == "final_orders_at_large":
        s = res.total("stocks", "final_order")
    elif measure == "cost_total_usd":
        s = res.costs.groupby("date")["value"].sum()
    elif measure.startswith("cost_") and measure.endswith("_usd"):
        s = res.total("costs", measure.removeprefix("cost_").removesuffix("_usd"))
    elif measure in set(res.flows["measure"].astype(str)):
        s = res.total("flows", measure)
    elif measure in set(res.stocks["measure"].astype(str)):
        s = res.total("stocks", measure)
    else:
        raise KeyError(f"unknown measure {measure!r}")
    s = s.astype(float) * k
    is_stock = measure in STOCK_MEASURES or measure in set(res.stocks["measure"].astype(str))
    if not is_stock and res.meta.get("freq", "MS") == "MS":
        # a sum over a month the run only partly covers (it starts on the 20th) is not a monthly figure
        start = pd.Timestamp(res.meta["start_date"])
        end = start + pd.Timedelta(days=int(res.meta["days"]))
        nxt = s.index + pd.offsets.MonthBegin(1)
        s = s[(s.index >= start) & (nxt <= end)]
    return s


def time_bands(results: Sequence[Result], measure: str) -> pd.DataFrame:
    """Per date: median and 5/25/75/95th percentiles of `measure` across replicates (whole country)."""
    wide = pd.concat([measure_series(r, measure) for r in results], axis=1)
    out = pd.DataFrame({name: wide.quantile(q, axis=1) for name, q in QUANTILES.items()})
    out["replicates"] = wide.shape[1]
    out.index.name = "date"
    return out.reset_index()
