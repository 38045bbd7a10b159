"""The backtest: fit on stated years, simulate every year the record can drive, compare, plot.

Parameters are fitted only on the fit years (court: completions and pending; ICE:
interior removals); every other year is held out. Replicates draw the fitted
parameter from its standard error and a per-year productivity factor whose spread
is the fit years' own unexplained year-to-year variation, plus Poisson receipts and
capacity; the table gives the median and the 5-95% band.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..uncertainty.bands import NINETY, bands_of
from .calibrate import TARGETS, Fit, fit, mape, model_years, simulate
from .history import COURT_EXCLUDED, court_segments, series

SERIES_LABELS = {
    "court-pending": "Immigration court cases pending at FY end",
    "court-completions": "Immigration court completions per FY",
    "ice-interior-removals": "ICE interior removals per FY (removals that began with an ICE arrest)",
}
COURT_PARAMS = ("completions_per_judge_day",)
ICE_PARAMS = ("removal_share_per_arrest",)


@dataclass
class Backtest:
    """Year-by-year comparison (`table`), the fits behind it and the years that could not be run."""

    table: pd.DataFrame       # target, fy, history, stat_id, reliability, median, p05, p95, error, split
    fits: dict[str, Fit]      # "court", "ice"
    not_driven: list[int]     # court years with an outcome in the record but no recorded receipts
    replicates: int
    seed: int

    def mape(self, target: str | None = None, split: str | None = None) -> float:
        t = self.table
        if target:
            t = t[t.target == target]
        if split:
            t = t[t.split == split]
        return mape(t["median"].to_numpy(), t["history"].to_numpy())


def run_backtest(court_fit_years: tuple[int, ...] = tuple(range(2009, 2015)),
                 ice_fit_years: tuple[int, ...] = tuple(range(2020, 2025)),
                 replicates: int = 200, seed: int = 0, progress=None) -> Backtest:
    """Fit on the given fiscal years, then simulate all drivable years with replicates."""
    rng = np.random.default_rng(seed)
    step = progress or (lambda msg: None)
    rows, fits = [], {}
    for model, targets, params, years in (
            ("court", ("court-completions", "court-pending"), COURT_PARAMS, court_fit_years),
            ("ice", ("ice-interior-removals",), ICE_PARAMS, ice_fit_years)):
        step(f"fitting the {model} model on FY{years[0]}-FY{years[-1]}")
        f = fit(targets, params, years)
        fits[model] = f
        step(f"simulating the {model} model, {replicates} replicates")
        draws = {p: f.values[p] * np.exp(_finite(f.se_log[p]) * rng.standard_normal(replicates)
                                          - _finite(f.se_log[p]) ** 2 / 2) for p in params}
        sigma = f.year_sigma(targets[0])
        sim = simulate(model, f.values | draws, rng=rng, replicates=replicates, year_sigma=sigma)
        for t in targets:
            rec = series(TARGETS[t][2])
            out = sim[TARGETS[t][1]]
            for y in sorted(set(rec) & set(out)):
                b = bands_of(out[y], levels=NINETY)
                med = b["median"]
                rows.append({"target": t, "fy": y, "history": rec[y].value, "stat_id": rec[y].stat_id,
                             "reliability": rec[y].reliability, "median": med, "p05": b["p05"], "p95": b["p95"],
                             "error": med / rec[y].value - 1, "split": "fit" if y in f.years else "held-out"})
    _, gaps = court_segments()
    return Backtest(pd.DataFrame(rows), fits, gaps, replicates, seed)


def _finite(x: float) -> float:
    return x if np.isfinite(x) else 0.0


def report_lines(bt: Backtest) -> list[str]:
    """Plain-text notes that go with the table: what was fit, what was held out, what is missing."""
    c, i = bt.fits["court"], bt.fits["ice"]
    segs, _ = court_segments()
    lines = [
        f"Court: fit {c.summary_line()}",
        f"  fit years: FY{c.years[0]}-FY{c.years[-1]}; every other year below is held out.",
        "  runs (each from a recorded stock, driven by recorded receipts and judge counts): "
        + "; ".join(f"FY{s.years[0]}-FY{s.years[-1]} from {s.start_stock.stat_id} ({s.start_stock.value:,.0f})"
                    if len(s.years) > 1 else f"FY{s.years[0]} from {s.start_stock.stat_id} ({s.start_stock.value:,.0f})"
                    for s in segs),
        "  not run: FY" + ", FY".join(map(str, bt.not_driven)) + " (the record has outcomes but no receipts)",
        "  left out: " + "; ".join(f"{k} ({v})" for k, v in COURT_EXCLUDED.items()),
        "  judges: linear between the recorded counts (ij-count-*); receipts spread evenly over each FY.",
        f"ICE: fit {i.summary_line()}",
        f"  fit years: FY{i.years[0]}-FY{i.years[-1]}; driven by recorded ICE arrests FY2016-FY2024 "
        "(ice-arrests-fy*). Total ICE removals (including border cases) cannot be backtested: the record "
        "has no arrest or apprehension series for FY2008-FY2015 and no full border series.",
    ]
    for target in SERIES_LABELS:
        for split in ("fit", "held-out"):
            n = int(((bt.table.target == target) & (bt.table.split == split)).sum())
            if n:
                lines.append(f"MAPE {target} {split}: {100 * bt.mape(target, split):.1f}% ({n} years)")
    return lines


def record_balance(fy_from: int, fy_to: int) -> list[tuple[int, float]]:
    """The record's own balance gap per year: pending[y] - (pending[y-1] + receipts[y] - completions[y])."""
    from .history import COURT_COMPLETIONS, COURT_PENDING, COURT_RECEIPTS

    p, r, c = series(COURT_PENDING), series(COURT_RECEIPTS), series(COURT_COMPLETIONS)
    return [(y, p[y].value - (p[y - 1].value + r[y].value - c[y].value)) for y in range(fy_from, fy_to + 1)
            if y in p and y - 1 in p and y in r and y in c]


def plot(bt: Backtest, path: Path) -> Path:
    """History against simulation (median and 90% band) per series; fit years shaded."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(10, 11), constrained_layout=True)
    for ax, target in zip(axes, SERIES_LABELS):
        t = bt.table[bt.table.target == target].sort_values("fy")
        model = TARGETS[target][0]
        f = bt.fits[model]
        ax.axvspan(min(f.years) - 0.5, max(f.years) + 0.5, color="#e8e2c8", zorder=0,
                   label=f"fit years FY{f.years[0]}-FY{f.years[-1]}")
        runs = _runs(t.fy.tolist()) if model == "court" else [t.fy.tolist()]
        for k, years in enumerate(runs):
            s = t[t.fy.isin(years)]
            if len(s) == 1:  # a one-year run: the band as an error bar
                ax.errorbar(s.fy, s["median"], yerr=[s["median"] - s.p05, s.p95 - s["median"]], fmt="none",
                            ecolor="#4c72b0", alpha=0.5, lw=6)
            ax.fill_between(s.fy, s.p05, s.p95, color="#4c72b0", alpha=0.25, lw=0,
                            label="simulated 90% band" if k == 0 else None)
            ax.plot(s.fy, s["median"], "-o", color="#4c72b0", ms=4, label="simulated median" if k == 0 else None)
        rec = series(TARGETS[target][2])
        ys = sorted(rec)
        ax.plot(ys, [rec[y].value for y in ys], "s", color="#c44e52", ms=6, mfc="none", mew=1.5,
                label="recorded (statistics table)")
        ax.set_title(f"{SERIES_LABELS[target]}: MAPE fit {100 * bt.mape(target, 'fit'):.0f}%, "
                     f"held-out {100 * bt.mape(target, 'held-out'):.0f}%", fontsize=10)
        ax.set_xlabel("federal fiscal year")
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v / 1e3:,.0f}k"))
        ax.set_xticks(range(min(ys + t.fy.tolist()), max(ys + t.fy.tolist()) + 1, 2))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    fig.suptitle("removalsim backtest: history against simulation (parameters fitted on the shaded years only)",
                 fontsize=11)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _runs(years: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for y in sorted(years):
        if out and out[-1][-1] == y - 1:
            out[-1].append(y)
        else:
            out.append([y])
    return out


__all__ = ["Backtest", "run_backtest", "report_lines", "plot", "record_balance", "model_years"]
