"""What a run produces: tidy tables (date x group x measure) of stocks, flows, costs and waiting times.

Tables hold the simulated counts (at `scale` < 1 a proportional sample);
`summary()` and the command line scale them back to the whole country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..vocabulary import BACKLOG, CUSTODY, EXTRA_STOCKS, Cost, Flow, State, Wait, measure_names, names

if TYPE_CHECKING:
    from ..engine.world import World

TABLES = ("stocks", "flows", "costs", "waits")
WAIT_BIN_DAYS = 7
BACKLOG_STATES = measure_names(BACKLOG)
CUSTODY_STATES = measure_names(CUSTODY)


@dataclass
class Result:
    """Tidy tables and the run's metadata (scenario, seed, scale, years, frequency)."""

    stocks: pd.DataFrame
    flows: pd.DataFrame
    costs: pd.DataFrame
    waits: pd.DataFrame
    meta: dict = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return float(self.meta["scale"])

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def from_world(cls, w: World, meta: dict, freq: str = "MS") -> "Result":
        start = pd.Timestamp(w.sc.start_date)
        dates = pd.date_range(start, periods=w.days, freq="D")
        period = dates if freq == "D" else dates.to_period(freq.rstrip("S") or "M").start_time
        groups = w.inp.groups
        stock_names = names(State) + list(EXTRA_STOCKS)
        daily_stocks = np.concatenate([w.stocks, w.extra_stocks], axis=1)
        last = ~pd.Series(period).duplicated(keep="last").to_numpy()
        stocks = _tidy(daily_stocks[last], period[last], stock_names, groups)
        flows = _tidy(_sum_by(w.flows, period), pd.Index(period).unique(), names(Flow), groups)
        costs = _tidy(_sum_by(w.costs, period), pd.Index(period).unique(), names(Cost), groups)
        waits = _waits(w, dates, period, groups)
        meta = dict(meta, freq=freq, groups=groups, days=w.days, start_date=str(w.sc.start_date))
        return cls(stocks, flows, costs, waits, meta)

    # -- reading ----------------------------------------------------------------------------
    def total(self, table: str, measure: str) -> pd.Series:
        """One measure summed over groups, indexed by date."""
        df = getattr(self, table)
        return df[df["measure"] == measure].groupby("date")["value"].sum()

    def summary(self) -> pd.DataFrame:
        """Per simulated year, scaled to the whole country: removals, backlog, detention, costs."""
        start = pd.Timestamp(self.meta["start_date"])
        year = lambda s: np.maximum((s.index - start).days // 365.25, 0).astype(int) + 1  # noqa: E731
        k = 1.0 / self.scale
        out = pd.DataFrame()
        removed = self.total("flows", "removed")
        out["removals"] = removed.groupby(year(removed)).sum() * k
        for label, table, measures in (("court_backlog", "stocks", BACKLOG_STATES),
                                       ("detained", "stocks", CUSTODY_STATES),
                                       ("final_orders_unexecutable", "stocks", ("final_order_unexecutable",)),
                                       ("final_orders_at_large", "stocks", ("final_order",))):
            s = sum(self.total(table, m) for m in measures)
            out[label] = s.groupby(year(s)).last() * k
        for m in names(Cost):
            s = self.total("costs", m)
            out[f"cost_{m}_usd"] = s.groupby(year(s)).sum() * k
        out.index.name = "year"
        return out

    # -- storage ----------------------------------------------------------------------------
    def to_parquet(self, folder: str | Path) -> Path:
        """Write each table to `folder/<table>.parquet` and the metadata to `folder/meta.json`."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            tmp = folder / f".{t}.parquet.tmp"
            getattr(self, t).to_parquet(tmp, index=False)
            tmp.replace(folder / f"{t}.parquet")
        (folder / "meta.json").write_text(json.dumps(self.meta, indent=1, sort_keys=True))
        return folder

    @classmethod
    def read_parquet(cls, folder: str | Path) -> "Result":
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text())
        stocks, flows, costs, waits = (pd.read_parquet(folder / f"{t}.parquet") for t in TABLES)
        return cls(stocks, flows, costs, waits, meta=meta)

    def equals(self, other: "Result") -> bool:
        return self.meta == other.meta and all(getattr(self, t).equals(getattr(other, t)) for t in TABLES)


def _sum_by(daily: np.ndarray, period: pd.Index) -> np.ndarray:
    codes, _ = pd.factorize(np.asarray(period))
    out = np.zeros((codes.max() + 1,) + daily.shape[1:], dtype=daily.dtype)
    np.add.at(out, codes, daily)
    return out


def _tidy(arr: np.ndarray, dates, measures: list[str], groups: list[str]) -> pd.DataFrame:
    """[date, measure, group] array to a long table with columns date, group, measure, value."""
    T, M, G = arr.shape
    return pd.DataFrame({
        "date": np.repeat(np.asarray(dates, dtype="datetime64[ns]"), M * G),
        "group": pd.Categorical(np.tile(groups, T * M), categories=groups),
        "measure": pd.Categorical(np.tile(np.repeat(measures, G), T), categories=measures),
        "value": arr.reshape(-1),
    })


def _waits(w: World, dates, period, groups) -> pd.DataFrame:
    frames = []
    pser = pd.Series(np.asarray(period, dtype="datetime64[ns]"))
    for wait in Wait:
        rec = w.waits[wait]
        if rec.n == 0:
            continue
        df = pd.DataFrame({"date": pser.iloc[rec.col("day")].to_numpy(),
                           "group": np.asarray(groups)[rec.col("group")],
                           "bin_days": (rec.col("wait") // WAIT_BIN_DAYS) * WAIT_BIN_DAYS})
        df = df.groupby(["date", "group", "bin_days"], observed=True).size().rename("count").reset_index()
        df.insert(2, "measure", wait.name.lower() + "_days")
        frames.append(df)
    cols = ["date", "group", "measure", "bin_days", "count"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out["group"] = pd.Categorical(out["group"], categories=groups)
    out["measure"] = pd.Categorical(out["measure"], categories=[x.name.lower() + "_days" for x in Wait])
    out["bin_days"] = out["bin_days"].astype(np.int64)
    out["count"] = out["count"].astype(np.int64)
    return out[cols]
