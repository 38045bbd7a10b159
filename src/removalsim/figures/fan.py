"""Fan charts: the median of a measure over time with its 50% and 90% bands across replicates."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

FAN_MEASURES = {
    "removals": ("Removals per month", "people"),
    "court_backlog": ("Immigration court backlog", "pending cases"),
    "detained": ("Detention population", "people in custody"),
    "cost_total_usd": ("Cost per month, all components", "USD"),
}
_YEARLY_TITLES = {"removals": "Removals in each fiscal year",
                  "cost_total_usd": "Cost in each fiscal year, all components"}


def _bands(data, measure: str) -> tuple[pd.DataFrame, str]:
    """(table with x, p05..p95; x label) from Results, a `summarize()` table or a catalogue bands table."""
    from ..uncertainty.bands import time_bands

    if isinstance(data, pd.DataFrame):
        df = data
        if measure == "cost_total_usd" and measure not in set(df["measure"]):
            costs = df[df["measure"].str.startswith("cost_")]
            if costs.empty:
                raise KeyError(f"no measure {measure!r} in the band table")
            # medians and quantiles do not add up exactly; the sum of component medians is shown
            df = costs.groupby("year", as_index=False)[["p05", "p25", "median", "p75", "p95"]].sum()
        else:
            df = df[df["measure"] == measure]
            if df.empty:
                have = ", ".join(sorted(set(data["measure"])))
                raise KeyError(f"no measure {measure!r} in the band table; have {have}")
        return df.sort_values("year").rename(columns={"year": "x"}), "fiscal year (October to September)"
    results: Sequence = data
    return time_bands(results, measure).rename(columns={"date": "x"}), ""


def fan_chart(band_table_or_results, measure: str, path: str | Path, title: str | None = None) -> Path:
    """Draw `measure` (median, 50% and 90% bands) to `path`: PNG, or interactive HTML if it ends in .html.

    `band_table_or_results` is a list of replicate Results (monthly fan), or a
    per-year band table from `uncertainty.summarize` or the catalogue's `bands`.
    """
    path = Path(path)
    df, xlabel = _bands(band_table_or_results, measure)
    if df.empty:  # a run shorter than its first full month has no monthly flow to draw
        from ..errors import RemovalsimInputError

        raise RemovalsimInputError(f"fan chart of {measure}: no point in time to draw (a run shorter than two "
                                   "calendar months); rerun with --years 0.2 or more")
    yearly = xlabel != ""
    label, unit = FAN_MEASURES.get(measure, (measure.replace("_", " "), ""))
    if yearly:
        label = _YEARLY_TITLES.get(measure, label)
    n = int(df["replicates"].max()) if "replicates" in df else None
    title = title or f"{label}: median, 50% and 90% bands" + (f" ({n} replicates)" if n else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".html":
        return _html(df, title, unit, xlabel, path)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    partial = (getattr(band_table_or_results, "attrs", {}).get("partial") or {}) if yearly else {}
    part = df["x"].isin(list(partial)).to_numpy() if partial else np.zeros(len(df), dtype=bool)
    full = df[~part]  # a fiscal year covered in part is a point apart, never joined to the whole years
    ax.fill_between(full["x"], full["p05"], full["p95"], color="#4c72b0", alpha=0.2, lw=0, label="90% band")
    ax.fill_between(full["x"], full["p25"], full["p75"], color="#4c72b0", alpha=0.4, lw=0, label="50% band")
    ax.plot(full["x"], full["median"], color="#1f3b70", lw=2, marker="o" if yearly else None, label="median")
    if part.any():
        p = df[part]
        ax.errorbar(p["x"], p["median"], yerr=[p["median"] - p["p05"], p["p95"] - p["median"]], fmt="o",
                    mfc="white", color="#1f3b70", capsize=3, label="part of a year (not annualised)")
    ax.set_title(title, fontsize=11)
    ax.set_ylabel(unit)
    if xlabel:
        ax.set_xlabel(xlabel)
        ax.set_xticks(df["x"], [f"FY{int(x)}" + (" (part)" if int(x) in partial else "") for x in df["x"]])
    ax.yaxis.set_major_formatter(EngFormatter(sep=""))
    ax.set_ylim(bottom=min(0, float(df["p05"].min())))
    ax.grid(alpha=0.3)
    ax.legend(loc="best", frameon=False, fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _html(df: pd.DataFrame, title: str, unit: str, xlabel: str, path: Path) -> Path:
    import plotly.graph_objects as go

    x = list(df["x"])
    fig = go.Figure()
    for lo, hi, alpha, name in (("p05", "p95", 0.2, "90% band"), ("p25", "p75", 0.4, "50% band")):
        fig.add_trace(go.Scatter(x=x + x[::-1], y=list(df[hi]) + list(df[lo])[::-1], fill="toself", name=name,
                                 fillcolor=f"rgba(76,114,176,{alpha})", line=dict(width=0), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=x, y=df["median"], name="median", line=dict(color="#1f3b70", width=2)))
    fig.update_layout(title=title, yaxis_title=unit, xaxis_title=xlabel or None, template="plotly_white")
    fig.write_html(path, include_plotlyjs=True)
    return path
