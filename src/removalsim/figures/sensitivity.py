"""Bar chart of sensitivity indices with their confidence intervals, one bar group per parameter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def sensitivity_bars(table: pd.DataFrame, path: str | Path, title: str) -> Path:
    """Draw Sobol S1/ST (or Morris mu*) with confidence intervals; `table` from `uncertainty.sensitivity`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if "ST" in table:
        series = [("S1", "S1_conf", "first order", "#4c72b0"), ("ST", "ST_conf", "total order", "#dd8452")]
        xlabel = "Sobol index (share of output variance)"
    else:
        series = [("mu_star", "mu_star_conf", "mu* (mean absolute elementary effect)", "#4c72b0")]
        xlabel = "Morris mu* (output units per unit of parameter probability)"
    t = table.iloc[::-1]
    y = np.arange(len(t))
    hgt = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(t) + 1.6), dpi=120)
    for i, (col, conf, label, color) in enumerate(series):
        ax.barh(y + (i - (len(series) - 1) / 2) * hgt, t[col], height=hgt, xerr=t[conf], color=color,
                label=label, error_kw=dict(ecolor="#333333", capsize=3, lw=1))
    ax.set_yticks(y)
    ax.set_yticklabels(t["parameter"], fontsize=8.5)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10.5)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", frameon=False, fontsize=8.5)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
