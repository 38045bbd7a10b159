"""Medians and bands across replicates: the 50% (25th-75th percentile) and 90% (5th-95th) ranges."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy

from ..measures import SERIES, series
from ..results import Result

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}
NINETY = ("p05", "median", "p95")  # the median and the 90% band


def bands_of(values: Any, axis: int = 0, levels: Sequence[str] = tuple(QUANTILES)) -> Any:
    """The median and percentile bands across replicates, the one way every output computes them.

    `values`: a pandas GroupBy (a row per group), a DataFrame (bands along `axis`; axis=1 across
    columns gives a row per index entry), or a Series or array (a dict; NaN and infinite values left
    out, all-missing gives NaN). Linear interpolation between order statistics, as numpy and pandas do.

    >>> bands_of([1.0, 2.0, 3.0, float("nan")], levels=NINETY)
    {'p05': 1.1, 'median': 2.0, 'p95': 2.9}
    """
    if isinstance(values, (pd.DataFrame, DataFrameGroupBy, SeriesGroupBy)):
        kw = {"axis": axis} if isinstance(values, pd.DataFrame) else {}
        return pd.DataFrame({name: values.quantile(QUANTILES[name], **kw) for name in levels})
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    return {name: float(np.quantile(x, QUANTILES[name])) if len(x) else float("nan") for name in levels}


def stack_summaries(results: Sequence[Result]) -> pd.DataFrame:
    """Every replicate's yearly summary in one long table: replicate, year, measure, value."""
    frames = []
    for r, res in enumerate(results):
        s = res.summary().reset_index().melt(id_vars="year", var_name="measure", value_name="value")
        s.insert(0, "replicate", res.meta.get("replicate", r))
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def summarize(results: Sequence[Result]) -> pd.DataFrame:
    """Per fiscal year and measure: median and the 50%/90% bands across replicates (whole-country figures).

    Columns: year (2025 for FY2025), measure, p05, p25, median, p75, p95, min, max, replicates (below 10
    replicates the outputs show the range, min to max, rather than bands); `attrs["partial"]` names
    the fiscal years the runs cover only in part.
    """
    long = stack_summaries(results)
    g = long.groupby(["year", "measure"])["value"]
    out = bands_of(g)
    out["min"], out["max"] = g.min(), g.max()
    out["replicates"] = g.size()
    out = out.reset_index()
    if results:  # the fiscal years covered in part (the same in every replicate: same start and horizon)
        from ..measures import partial_years

        out.attrs["partial"] = partial_years(results[0])
    return out


STOCK_MEASURES = tuple(name for name, m in SERIES.items() if m.stock)


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
    """Median, 5/25/75/95th percentiles, lowest and highest across replicates of each horizon measure (rows:
    measure); below 10 replicates outputs show min to max, a range."""
    wide = horizon_measures(long)
    by = by or []
    stacked = wide.stack().rename("value").reset_index().rename(columns={"level_%d" % wide.index.nlevels: "measure"})
    g = stacked.groupby(by + ["measure"])["value"]
    out = bands_of(g)
    out["min"], out["max"] = g.min(), g.max()
    out["replicates"] = g.size()
    return out.reset_index()


def time_bands(results: Sequence[Result], measure: str) -> pd.DataFrame:
    """Per date: median and 5/25/75/95th percentiles of `measure` across replicates (whole country)."""
    wide = pd.concat([series(r, measure) for r in results], axis=1)
    out = bands_of(wide, axis=1)
    out["replicates"] = wide.shape[1]
    out.index.name = "date"
    return out.reset_index()
