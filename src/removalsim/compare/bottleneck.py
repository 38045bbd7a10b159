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

from ..results import Result
from ..measures import SERIES

AT_CAPACITY = 0.95
STAGES = ("officers", "beds", "court", "documents", "transport")
CHAIN = ("officers", "beds", "documents", "transport")


def _table(res: Result, table: str, measure: str) -> pd.DataFrame:
    """[month x group] of one measure."""
    df = getattr(res, table)
    df = df[df["measure"] == measure]
    return df.pivot_table(index="date", columns="group", values="value", aggfunc="sum", observed=True).fillna(0)


def utilisation(res: Result) -> pd.DataFrame:
    """Per month: utilisation of each stage (columns in `STAGES`) and the binding stage (column `binding`).

    Capacities come from the Result's `capacity` table, which the engine records from the run's inputs.
    """
    groups = list(res.meta["groups"])
    cap = _table(res, "capacity", "arrests")["all"]
    out = pd.DataFrame(index=pd.Index(cap.index, name="date"))
    total = lambda table, m: res.total(table, m).reindex(out.index, fill_value=0)  # noqa: E731
    out["officers"] = _ratio(total("flows", "arrest"), cap)
    held = SERIES["detained"].series(res).reindex(out.index, fill_value=0)  # type: ignore[misc]
    out["beds"] = _ratio(held, _table(res, "capacity", "beds")["all"])
    out["court"] = _ratio(total("flows", "court_completion"), _table(res, "capacity", "court_completions")["all"])

    frame = lambda table, m, cols: _table(res, table, m).reindex(index=out.index, columns=cols, fill_value=0)  # noqa: E731
    issued = frame("flows", "doc_issued", groups)
    waiting = frame("stocks", "detained_final", groups)
    docs = frame("capacity", "travel_documents", groups).to_numpy()
    util = pd.DataFrame(np.where(docs > 0, issued.to_numpy() / np.maximum(docs, 1e-12), 1.0),
                        index=out.index, columns=groups).clip(upper=1.0)
    out["documents"] = _weighted(util, waiting)

    removed = frame("flows", "removed", groups)
    awaiting = frame("stocks", "awaiting_transport", groups)
    seats = frame("capacity", "seats", list(res.meta["regions"]))
    r_util, r_weight = {}, {}
    for name in res.meta["regions"]:
        members = [g for g in groups if res.meta["group_region"][g] == name]
        served = removed[members].sum(axis=1)
        r_util[name] = np.where(seats[name] > 0, served / np.maximum(seats[name], 1e-12), 1.0)
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
