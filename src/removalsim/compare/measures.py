"""The measures a policy comparison reports, computed from one run (whole-country figures).

Most come from the run's tidy tables. Three are derived and documented here:

- `usc_relatives_of_removed`: the engine marks removed people who have at least one
  U.S.-citizen spouse or child (`removed_with_usc_family`); the number of such
  relatives is that count times the scenario's `population.usc_relatives_per_person` (an assumption).
- `pending_relief_removed_via_er`: people removed by expedited removal who had claimed
  fear (an asylum claim) and were screened out. Fear claims and screening are
  independent draws with the scenario's shares c and p, so of the ER orders a share
  c(1-p) / (1 - c p) had a claim; removals via ER are multiplied by that share.
- `orders_without_counsel`: the engine's count at the end of the run (its checkpoints) of
  people given an in-absentia, court or expedited removal order without counsel.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..vocabulary import CUSTODY as CUSTODY_GROUP, FINAL, PENDING, Cost, State, measure_names, names
from ..results import Result

CUSTODY = measure_names(CUSTODY_GROUP)
FINAL_STATES = FINAL
PENDING_STATES = PENDING

# measure -> (section, label, unit); the order is the order of printed tables
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "removals_per_year": ("Removals", "removals per year", "people/yr"),
    "self_departures_per_year": ("Removals", "self-departures per year", "people/yr"),
    "relief_per_year": ("Removals", "relief granted per year", "people/yr"),
    "cost_total_per_year": ("Cost", "total cost per year", "USD/yr"),
    **{f"cost_{c}_per_year": ("Cost", f"cost: {c.replace('_', ' ')} per year", "USD/yr") for c in names(Cost)},
    "cost_per_removal": ("Cost", "cost per removal (all costs / removals)", "USD"),
    "court_backlog_end": ("Backlog and detention", "court backlog at the end", "cases"),
    "detained_mean": ("Backlog and detention", "people in detention, average", "people"),
    "detained_end": ("Backlog and detention", "people in detention at the end", "people"),
    "wait_arrest_to_removal_days": ("Waiting times", "arrest to removal, median", "days"),
    "wait_filing_to_decision_days": ("Waiting times", "case filing to decision, median", "days"),
    "removed_in_absentia_per_year": ("Due process", "removals after an in-absentia order per year", "people/yr"),
    "in_absentia_orders_per_year": ("Due process", "in-absentia orders per year", "people/yr"),
    "orders_without_counsel_per_year": ("Due process", "removal orders for people without counsel per year",
                                        "people/yr"),
    "removed_unrepresented_per_year": ("Due process", "removals after an order without counsel per year",
                                       "people/yr"),
    "expedited_removal_orders_per_year": ("Due process", "expedited removal orders (no hearing) per year",
                                          "people/yr"),
    "removed_via_er_per_year": ("Due process", "removals via expedited removal per year", "people/yr"),
    "pending_relief_removed_via_er_per_year": ("Due process", "people with a fear (asylum) claim removed via ER "
                                               "per year", "people/yr"),
    "removed_with_usc_family_per_year": ("Due process", "removed people with U.S.-citizen family per year",
                                         "people/yr"),
    "usc_relatives_of_removed_per_year": ("Due process", "U.S.-citizen spouses and children of removed people "
                                          "per year", "people/yr"),
    "final_orders_unexecutable_end": ("Due process", "final orders that cannot be executed, at the end", "people"),
}
UNEXECUTABLE_PREFIX = "unexecutable_end:"  # + group: final orders that cannot be executed, by country


def label(measure: str) -> tuple[str, str, str]:
    """(section, label, unit) of a measure, including the per-country and per-year ones."""
    if measure in CATALOGUE:
        return CATALOGUE[measure]
    if measure.startswith(UNEXECUTABLE_PREFIX):
        return ("Final orders that cannot be executed, by country", measure[len(UNEXECUTABLE_PREFIX):], "people")
    if measure.startswith("removals_year_"):
        return ("Removals", f"removals in year {measure.rsplit('_', 1)[1]}", "people")
    if measure.startswith("cohort_"):
        return ("Recent arrivals (entered in the two years before the start)", measure, "people")
    return ("Other", measure, "")


def er_claim_share(sc) -> float:
    """Share of expedited removal orders given to people who claimed fear and were screened out."""
    c = sc.expedited_removal.fear_claim_share.number()
    p = sc.expedited_removal.fear_pass_share.number()
    return c * (1 - p) / (1 - c * p) if c * p < 1 else 0.0


def _median_wait(waits: pd.DataFrame, measure: str) -> float:
    w = waits[waits["measure"] == measure].groupby("bin_days")["count"].sum().sort_index()
    if w.sum() == 0:
        return float("nan")
    cum = w.cumsum() / w.sum()
    return float(cum.index[int(np.searchsorted(cum.to_numpy(), 0.5))]) + 3.5  # middle of the 7-day bin


def run_measures(res: Result, sc, extras: dict[str, float] | None = None) -> dict[str, float]:
    """Every comparison measure of one run, scaled to the whole country; flows and costs per year."""
    k = 1.0 / res.scale
    years = float(res.meta["years"])
    flows = res.flows.groupby("measure", observed=True)["value"].sum() * k
    per_year = lambda m: float(flows.get(m, 0.0)) / years  # noqa: E731
    costs = res.costs.groupby("measure", observed=True)["value"].sum() * k
    summ = res.summary()
    out: dict[str, float] = {}
    out["removals_per_year"] = per_year("removed")
    for y, v in summ["removals"].items():
        out[f"removals_year_{int(y)}"] = float(v)
    out["self_departures_per_year"] = per_year("self_departure") + per_year("vd_departed")
    out["relief_per_year"] = per_year("relief_granted") + per_year("appeal_reversed")
    total = 0.0
    for c in names(Cost):
        v = float(costs.get(c, 0.0)) / years
        out[f"cost_{c}_per_year"] = v
        total += v
    out["cost_total_per_year"] = total
    out["cost_per_removal"] = total / out["removals_per_year"] if out["removals_per_year"] else float("nan")
    out["court_backlog_end"] = float(summ["court_backlog"].iloc[-1])
    custody = sum(res.total("stocks", m) for m in CUSTODY) * k
    out["detained_mean"] = float(custody.mean())
    out["detained_end"] = float(custody.iloc[-1])
    out["wait_arrest_to_removal_days"] = _median_wait(res.waits, "arrest_to_removal_days")
    out["wait_filing_to_decision_days"] = _median_wait(res.waits, "filing_to_decision_days")
    out["removed_in_absentia_per_year"] = per_year("removed_in_absentia")
    out["in_absentia_orders_per_year"] = per_year("in_absentia_order")
    out["removed_unrepresented_per_year"] = per_year("removed_unrepresented")
    out["expedited_removal_orders_per_year"] = per_year("expedited_removal_order")
    out["removed_via_er_per_year"] = per_year("removed_via_er")
    out["pending_relief_removed_via_er_per_year"] = per_year("removed_via_er") * er_claim_share(sc)
    out["removed_with_usc_family_per_year"] = per_year("removed_with_usc_family")
    out["usc_relatives_of_removed_per_year"] = per_year("removed_with_usc_family") * sc.population.usc_relatives_per_person.number()
    last = res.stocks[(res.stocks["date"] == res.stocks["date"].max())
                      & (res.stocks["measure"] == "final_order_unexecutable")]
    by_group = last.groupby("group", observed=True)["value"].sum() * k
    out["final_orders_unexecutable_end"] = float(by_group.sum())
    for g, v in by_group.items():
        out[f"{UNEXECUTABLE_PREFIX}{g}"] = float(v)
    out.update(extras or {})
    return out


def checkpoint_measures(res: Result, years: Sequence[float] = ()) -> dict[str, float]:
    """Measures read from the run's checkpoints (whole-country figures).

    `orders_without_counsel_per_year`: people given an in-absentia, court or expedited removal order
    without counsel during the run, per year. For each checkpoint year in `years` that the run
    recorded, and for the run's end (tag "@<years>y"): the recent-arrival cohort (people of the
    start-date population who entered within the recent-entrant window before the start), all and
    China: how many there are, have a final order (or were already removed on one), were removed,
    are still waiting for a decision, got relief.
    """
    cp = res.checkpoints
    k = 1.0 / res.scale
    run_years = float(res.meta["years"])
    table = cp.groupby(["years", "measure"], observed=True)["value"].sum()
    out = {"orders_without_counsel_per_year": float(table[(run_years, "ordered_without_counsel")]) * k / run_years}
    china = cp[cp["group"] == "China"].groupby(["years", "measure"], observed=True)["value"].sum()
    recorded = set(table.index.get_level_values(0))
    for y in sorted({float(y) for y in years if 0 < y < run_years} | {run_years}):
        if y not in recorded:
            continue
        tag = f"@{y:g}y"
        for m in ("cohort_size", "cohort_final_order", "cohort_removed", "cohort_pending", "cohort_legalized"):
            out[f"{m}:all{tag}"] = float(table[(y, m)]) * k
            if "China" in res.meta["groups"]:
                out[f"{m}:China{tag}"] = float(china.get((y, m), 0)) * k
    return out
