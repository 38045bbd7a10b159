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
