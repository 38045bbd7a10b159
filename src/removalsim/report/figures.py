"""The report's figures, drawn with matplotlib and returned as base64 PNG for embedding in one HTML file."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..compare.bottleneck import CHAIN, STAGES  # noqa: E402

COLORS = ["#1f4e79", "#c0504d", "#4f8a3c", "#8064a2", "#d08a1c", "#2c9fa6", "#7f7f7f", "#b5487e", "#6b8e23",
          "#a0522d", "#4682b4", "#9acd32", "#cd5c5c", "#20b2aa"]
STAGE_COLORS = {"none": "#dddddd", "officers": "#4f8a3c", "beds": "#c0504d", "documents": "#8064a2",
                "transport": "#d08a1c"}


def png(fig) -> str:
    """The figure as a base64 PNG string (and close it)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def fan(series: dict[str, pd.DataFrame], title: str, ylabel: str, per_year: float = 1.0) -> str:
    """Median lines with shaded 90% bands, one per scenario; frames have p05, median, p95 by date."""
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    for i, (name, df) in enumerate(series.items()):
        c = COLORS[i % len(COLORS)]
        ax.fill_between(df.index, df["p05"] * per_year, df["p95"] * per_year, color=c, alpha=0.18, lw=0)
        ax.plot(df.index, df["median"] * per_year, color=c, lw=1.8, label=name)
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2, frameon=False)
    ax.set_ylim(bottom=0)
    fiscal_years(ax, [df.index for df in series.values()])
    return png(fig)


def fiscal_years(ax, indexes) -> None:
    """Mark where each U.S. fiscal year begins (October 1) on a time axis, and name the years."""
    dates = [d for idx in indexes for d in idx]
    if not dates:
        return
    lo, hi = min(dates), max(dates)
    top = ax.get_ylim()[1]
    for year in range(lo.year, hi.year + 2):
        start = pd.Timestamp(f"{year - 1}-10-01")
        if lo < start <= hi:
            ax.axvline(start, color="#888", lw=0.8, ls=":")
        mid = max(start, lo) + (min(pd.Timestamp(f"{year}-09-30"), hi) - max(start, lo)) / 2
        if start <= hi and pd.Timestamp(f"{year}-09-30") >= lo:
            ax.text(mid, top * 0.99, f"FY{year}", ha="center", va="top", fontsize=7, color="#555")


def bottleneck(name: str, df: pd.DataFrame) -> str:
    """One scenario: utilisation of each stage by month (heat map, each cell labelled in the legend's terms).

    The heat map explains; it does not say which capacity to buy (a full stage can be held by the next
    one), which is what the report's marginal returns by lever do."""
    fig, ax = plt.subplots(figsize=(8.5, 2.3))
    im = ax.imshow(df[list(STAGES)].T.to_numpy() * 100, aspect="auto", vmin=0, vmax=100, cmap="Blues",
                   interpolation="nearest")
    ax.set_yticks(range(len(STAGES)), STAGES, fontsize=8)
    ax.set_title(f"{name}: how full each stage is, by month (% of capacity used)", fontsize=10, loc="left")
    fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01, label="% of capacity used")
    ticks = list(range(0, len(df), max(1, len(df) // 10)))
    ax.set_xticks(ticks, [d.strftime("%Y-%m") for d in df.index[ticks]], fontsize=7)
    return png(fig)


def cost_bars(costs: pd.DataFrame) -> str:
    """Stacked bars: median cost per year by component (rows components, columns scenarios), $ billions."""
    fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(costs.columns) + 1.6))
    left = np.zeros(len(costs.columns))
    for i, comp in enumerate(costs.index):
        vals = costs.loc[comp].to_numpy() / 1e9
        ax.barh(costs.columns, vals, left=left, color=COLORS[i % len(COLORS)], label=comp)
        left += vals
    ax.invert_yaxis()
    ax.set_xlabel("$ billion per year (median across replicates)")
    ax.legend(fontsize=8, ncol=4, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.25))
    ax.grid(axis="x", alpha=0.3)
    return png(fig)


def composition(stocks: dict[str, pd.Series], title: str) -> str:
    """Stacked areas of custody by what people wait for (one scenario)."""
    fig, ax = plt.subplots(figsize=(8.5, 3.2))
    df = pd.DataFrame(stocks).fillna(0)
    ax.stackplot(df.index, df.T.to_numpy(), labels=df.columns, colors=COLORS[: len(df.columns)], alpha=0.85)
    ax.set_title(title, fontsize=11, loc="left")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.grid(alpha=0.3)
    return png(fig)


def chain_stages() -> tuple[str, ...]:
    return CHAIN
