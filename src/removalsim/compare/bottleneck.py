"""Which capacity binds, month by month: utilisation of each stage and the rule that names the binding one.

Utilisation of a stage in a month is what it served divided by what it could serve:

- officers: arrests / arrest capacity (officers x arrests per officer-day);
- beds: people in custody at the end of the month / beds that day;
- court: completions / capacity (judges x completions per judge-day);
- documents: per country, documents issued / issuance capacity, averaged over countries
  weighted by the people in custody waiting for a document at the end of the month (a
  country with nobody waiting does not count; one with people waiting and no capacity is 1);
- transport: per region, removals / seats (flights x seats, or the land capacity), averaged
  over regions weighted by the people waiting for a seat plus those removed in the month.

Binding rule: a stage is at capacity when its utilisation is at least `AT_CAPACITY` (0.95).
A removal passes officers -> beds -> documents -> transport in that order, and a full stage
makes the lines upstream of it fill (people waiting for a flight hold beds), so the binding
stage is the most downstream one at capacity. Officers are almost always at capacity (there
are always people to arrest), so "officers" means nothing downstream is full and more officers
would mean more removals. The court is shown but left out of the rule: its detained docket is
heard first, and its utilisation reflects the non-detained backlog (question 3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine.inputs import Inputs
from ..results import Result

AT_CAPACITY = 0.95
STAGES = ("officers", "beds", "court", "documents", "transport")
CHAIN = ("officers", "beds", "documents", "transport")
CUSTODY = ("detained_pending", "detained_final", "awaiting_transport", "appeal_detained")


def _by_month(daily: np.ndarray, months: pd.DatetimeIndex) -> pd.Series:
    """Sum a daily array (last axis = day) into months."""
    return pd.Series(daily, index=months).groupby(level=0).sum()


def _table(res: Result, table: str, measure: str) -> pd.DataFrame:
    """[month x group] of one measure."""
    df = getattr(res, table)
    df = df[df["measure"] == measure]
    return df.pivot_table(index="date", columns="group", values="value", aggfunc="sum", observed=False).fillna(0)


def utilisation(res: Result, sc) -> pd.DataFrame:
    """Per month: utilisation of each stage (columns in `STAGES`) and the binding stage (column `binding`)."""
    days, scale = int(res.meta["days"]), res.scale
    inp = Inputs.compile(sc, days, scale)
    dates = pd.date_range(pd.Timestamp(sc.start_date), periods=days, freq="D")
    months = dates.to_period("M").start_time
    groups = list(inp.groups)
    out = pd.DataFrame(index=pd.Index(months.unique(), name="date"))

    arrests = res.total("flows", "arrest").reindex(out.index, fill_value=0)
    out["officers"] = _ratio(arrests, _by_month(inp.arrest_capacity, months))
    custody = sum(res.total("stocks", m) for m in CUSTODY).reindex(out.index, fill_value=0)
    last_day = pd.Series(np.arange(days), index=months).groupby(level=0).max()
    out["beds"] = _ratio(custody, pd.Series(inp.beds[last_day.to_numpy()], index=last_day.index))
    completions = res.total("flows", "court_completion").reindex(out.index, fill_value=0)
    out["court"] = _ratio(completions, _by_month(inp.court_capacity, months))

    issued = _table(res, "flows", "doc_issued").reindex(index=out.index, columns=groups, fill_value=0)
    waiting = _table(res, "stocks", "detained_final").reindex(index=out.index, columns=groups, fill_value=0)
    cap = pd.DataFrame({g: _by_month(inp.doc_capacity[i], months) for i, g in enumerate(groups)})
    util = pd.DataFrame(np.where(cap.to_numpy() > 0, issued.to_numpy() / np.maximum(cap.to_numpy(), 1e-12), 1.0),
                        index=out.index, columns=groups).clip(upper=1.0)
    out["documents"] = _weighted(util, waiting)

    regions = list(inp.regions)
    removed = _table(res, "flows", "removed").reindex(index=out.index, columns=groups, fill_value=0)
    awaiting = _table(res, "stocks", "awaiting_transport").reindex(index=out.index, columns=groups, fill_value=0)
    r_util, r_weight = {}, {}
    for r, name in enumerate(regions):
        members = [g for i, g in enumerate(groups) if inp.group_region[i] == r]
        served = removed[members].sum(axis=1)
        if inp.region_is_air[r]:
            seats = _by_month(inp.flights[r] * inp.seats[r], months)
        else:
            seats = _by_month(inp.land_capacity[r], months)
        r_util[name] = np.where(seats > 0, served / np.maximum(seats, 1e-12), 1.0)
        r_weight[name] = awaiting[members].sum(axis=1) + served
    out["transport"] = _weighted(pd.DataFrame(r_util, index=out.index).clip(upper=1.0),
                                 pd.DataFrame(r_weight, index=out.index))
    out["binding"] = [binding_stage(row) for row in out[list(CHAIN)].to_dict("records")]
    return out


def binding_stage(util: dict[str, float]) -> str:
    """The most downstream stage of officers -> beds -> documents -> transport at capacity ("none" if none).

    >>> binding_stage({"officers": 1.0, "beds": 0.99, "documents": 0.4, "transport": 0.7})
    'beds'
    >>> binding_stage({"officers": 0.5, "beds": 0.2, "documents": 0.1, "transport": 0.1})
    'none'
    """
    full = [s for s in CHAIN if util.get(s, 0.0) >= AT_CAPACITY]
    return full[-1] if full else "none"


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.reindex(num.index, fill_value=0).astype(float)
    return pd.Series(np.where(den > 0, num.to_numpy() / np.maximum(den.to_numpy(), 1e-12), 0.0),
                     index=num.index).clip(upper=1.0)


def _weighted(util: pd.DataFrame, weight: pd.DataFrame) -> pd.Series:
    w = weight.to_numpy(dtype=float)
    tot = w.sum(axis=1)
    val = (util.to_numpy() * w).sum(axis=1) / np.maximum(tot, 1e-12)
    return pd.Series(np.where(tot > 0, val, 0.0), index=util.index)


def binding_summary(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Across replicates: per month, mean utilisation of each stage and the most common binding stage."""
    stacked = pd.concat(frames, keys=range(len(frames)), names=["replicate", "date"])
    util = stacked[list(STAGES)].groupby(level="date").mean()
    util["binding"] = stacked["binding"].groupby(level="date").agg(lambda s: s.value_counts().index[0])
    return util
