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

from ..vocabulary import CHECKPOINT_MEASURES, EXTRA_STOCKS, Cost, Flow, State, Wait, names
from .histogram import nonzero_cells, wait_histogram

if TYPE_CHECKING:
    from ..engine.world import World

TABLES = ("stocks", "flows", "costs", "waits", "checkpoints", "capacity")
WAIT_BIN_DAYS = 7


@dataclass(repr=False)
class Result:
    """Tidy tables and the run's metadata (scenario, seed, scale, years, frequency).

    Displayed, it says what was run and its headline numbers (`results.display`); `summary()` gives the fiscal
    years, `whole_country(table)` any table scaled to the country, `plot(measure)` a quick chart, and `to_csv`,
    `to_excel` and `to_parquet` write it out."""

    stocks: pd.DataFrame
    flows: pd.DataFrame
    costs: pd.DataFrame
    waits: pd.DataFrame
    meta: dict = field(default_factory=dict)
    checkpoints: pd.DataFrame = field(default_factory=pd.DataFrame)  # date, years, group, measure, value
    capacity: pd.DataFrame = field(default_factory=pd.DataFrame)     # date, group (or region), measure, value

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
        meta = dict(meta, freq=freq, groups=groups, days=w.days, start_date=str(w.sc.start_date),
                    regions={r: bool(air) for r, air in zip(w.inp.regions, w.inp.region_is_air.tolist())},
                    group_region={g: w.inp.regions[int(r)] for g, r in zip(groups, w.inp.group_region)},
                    unit_costs=_unit_costs(w))
        return cls(stocks, flows, costs, waits, meta, _checkpoints(w, dates), _capacity(w, period))

    # -- reading ----------------------------------------------------------------------------
    def total(self, table: str, measure: str) -> pd.Series:
        """One measure summed over groups, indexed by date."""
        df = getattr(self, table)
        return df[df["measure"] == measure].groupby("date")["value"].sum()

    def summary(self) -> pd.DataFrame:
        """Per fiscal year (FY2025, ...; years covered in part named in `attrs["partial"]`), scaled to the whole
        country: removals, backlog, detention, costs (`measures.SUMMARY`)."""
        from ..measures import yearly

        return yearly(self)

    def whole_country(self, table: str) -> pd.DataFrame:
        """A copy of a table (`stocks`, `flows`, ...) with whole-country values: the sample's divided by `scale`.

        >>> import removalsim
        >>> r = removalsim.simulate("china", years=0.25, seed=1, scale=0.01)
        >>> china = r.whole_country("stocks").query("measure == 'final_order' and group == 'China'")
        >>> bool(china["value"].iloc[-1] == r.stocks.query("measure == 'final_order' and group == 'China'")
        ...      ["value"].iloc[-1] / 0.01)
        True
        """
        from .display import whole_country

        return whole_country(self, table)

    # -- display and export -------------------------------------------------------------------
    def __repr__(self) -> str:
        from .display import text

        try:
            return text(self)
        except Exception:  # noqa: BLE001 (a display must never fail: fall back to the bare facts)
            return f"Result({self.meta.get('scenario', '?')}, scale {self.meta.get('scale', '?')})"

    def _repr_html_(self) -> str:
        from .display import to_html

        return to_html(self)

    def plot(self, measure: str = "removals", ax=None, path: str | Path | None = None):
        """Draw one measure over time, whole country (a SUMMARY measure, cost_total_usd, or a flow or stock name);
        returns the matplotlib Axes, and writes a PNG to `path` if given."""
        from .display import plot

        return plot(self, measure, ax, path)

    def to_csv(self, folder: str | Path) -> Path:
        """Write summary.csv (by fiscal year) and each table as CSV with whole-country values, and meta.json."""
        from .display import to_csv

        return to_csv(self, folder)

    def to_excel(self, path: str | Path) -> Path:
        """Write one Excel workbook: the summary by fiscal year, each table (whole country), and the run's settings."""
        from .display import to_excel

        return to_excel(self, path)

    # -- storage ----------------------------------------------------------------------------
    def to_parquet(self, folder: str | Path) -> Path:
        """Write each table to `folder/<table>.parquet` and the metadata to `folder/meta.json`."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            tmp = folder / f".{t}.parquet.tmp"
            getattr(self, t).to_parquet(tmp, index=False)
            tmp.replace(folder / f"{t}.parquet")
        tmp = folder / ".meta.json.tmp"
        tmp.write_text(json.dumps(self.meta, indent=1, sort_keys=True))
        tmp.replace(folder / "meta.json")
        return folder

    @classmethod
    def read_parquet(cls, folder: str | Path) -> "Result":
        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text())
        tables = {t: pd.read_parquet(folder / f"{t}.parquet") if (folder / f"{t}.parquet").exists()
                  else pd.DataFrame() for t in TABLES}  # results written before a table existed lack it
        return cls(**tables, meta=meta)

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
        "group": pd.Categorical.from_codes(np.tile(np.arange(G), T * M), categories=groups),
        "measure": pd.Categorical.from_codes(np.tile(np.repeat(np.arange(M), G), T), categories=measures),
        "value": arr.reshape(-1),
    })


def _checkpoints(w: World, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """The checkpoint snapshots (see `engine.checkpoints`) as a long table; `years` is the time simulated."""
    days = sorted(w.checkpoints)
    if not days:
        return pd.DataFrame(columns=["date", "years", "group", "measure", "value"])
    arr = np.stack([w.checkpoints[d] for d in days])
    out = _tidy(arr, dates[np.array(days) - 1], list(CHECKPOINT_MEASURES), w.inp.groups)
    out.insert(1, "years", np.repeat([w.checkpoint_days[d] for d in days], arr.shape[1] * arr.shape[2]))
    return out


def _capacity(w: World, period: pd.Index) -> pd.DataFrame:
    """Each stage's capacity per table period (sample units): arrests, court and appeal completions, travel documents
    by group and seats by transport region are sums over the period; beds are its last day's."""
    inp = w.inp
    months = pd.Index(period)
    frames = []

    def add(measure: str, who: str, daily: np.ndarray, last: bool = False) -> None:
        s = pd.Series(np.asarray(daily, dtype=float), index=months).groupby(level=0)
        v = s.last() if last else s.sum()
        frames.append(pd.DataFrame({"date": v.index, "group": who, "measure": measure, "value": v.to_numpy()}))

    add("arrests", "all", inp.arrest_capacity)
    add("beds", "all", inp.beds, last=True)
    add("court_completions", "all", inp.court_capacity)
    add("appeal_completions", "all", inp.appeal_capacity)
    for i, g in enumerate(inp.groups):
        add("travel_documents", g, inp.doc_capacity[i])
    for r, name in enumerate(inp.regions):
        add("seats", name, inp.flights[r] * inp.seats[r] if inp.region_is_air[r] else inp.land_capacity[r])
    # what is funded whether used or not, for the fully loaded cost basis (person-, bed- and place-days)
    add("officer_days", "all", inp.officers)
    add("judge_days", "all", inp.judges)
    add("bed_days", "all", inp.beds)
    add("atd_place_days", "all", inp.atd_capacity)
    for r, name in enumerate(inp.regions):
        if inp.region_is_air[r]:
            add("scheduled_flights", name, inp.flights[r])
            add("flights_flown", name, w.flown[:, r])
    return pd.concat(frames, ignore_index=True)


def _unit_costs(w: World) -> dict:
    """The unit costs the fully loaded basis prices funded capacity with (USD; a flight at the run's scale)."""
    sc, inp = w.sc, w.inp
    flights = {name: float(inp.flight_cost[r]) for r, name in enumerate(inp.regions) if inp.region_is_air[r]}
    return {"officer_year": sc.arrests.cost_per_officer_year.number(),
            "judge_year": sc.court.cost_per_judge_year.number(), "bed_day": sc.detention.bed_day_cost.number(),
            "atd_day": sc.atd.day_cost.number(), "flight": flights}


def _waits(w: World, dates, period, groups) -> pd.DataFrame:
    """Waiting times counted by (kind, period, group, 7-day bin), rows in the order a pandas group-by on
    (date, group name, bin) gives, one kind after the other."""
    day_period, periods = pd.factorize(pd.DatetimeIndex(period))  # period is non-decreasing: uniques come sorted
    names_ = np.asarray(groups, dtype=object)
    by_name = np.argsort(names_, kind="stable")  # a group-by on names sorts them alphabetically
    rank = np.empty(len(groups), np.int64)
    rank[by_name] = np.arange(len(groups))
    counts, low_bin = wait_histogram(w.wait_blocks(), day_period, rank, len(Wait), len(periods), WAIT_BIN_DAYS)
    (k, p, g, b), n = nonzero_cells(counts)  # C order: kind, period, group rank, bin
    measures = [x.name.lower() + "_days" for x in Wait]
    return pd.DataFrame({
        "date": periods.values.astype("datetime64[ns]")[p],
        "group": pd.Categorical.from_codes(by_name[g], categories=groups),
        "measure": pd.Categorical.from_codes(k, categories=measures),
        "bin_days": ((b + low_bin) * WAIT_BIN_DAYS).astype(np.int64),
        "count": n.astype(np.int64)})
