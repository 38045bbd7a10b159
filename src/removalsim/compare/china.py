"""The China questions: the 2023-24 arrivals' final orders after 1, 2 and 5 years, how many Chinese
final orders can be executed under each cooperation level, and the cost per removal to China vs Mexico.

"Cost per removal" for a country is every cost the model attributes to its nationals (arrests,
detention, travel documents, transport; court, ATD and appeals are left out because they are
spent whether or not anyone is removed) divided by their removals. The transport cost per
removal (charter hours over people on board, or the bus fare) is given separately.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..formatting import interval
from ..measures import COHORT_KINDS
from ..uncertainty.bands import NINETY, bands_of
from .runner import Runs, group_measure

ENFORCEMENT_COSTS = ("arrest", "detention", "travel_documents", "transport")


def _q(x: np.ndarray) -> tuple[float, float, float, float, float, str]:
    """p05, median, p95, and the interval to show (low, high, name: a range below 10 replicates)."""
    b = bands_of(x, levels=NINETY)
    return (b["p05"], b["median"], b["p95"], *interval(x))


def china_answers(runs: Runs, group: str = "China", compare_to: str = "Mexico") -> pd.DataFrame:
    """One row per (scenario, question, measure): p05, median, p95 across replicates (whole country), and low,
    high, interval: what to show (`formatting.interval`: the 90% band from 10 replicates, else the range)."""
    rows = []
    m = runs.measures
    for name in runs.names:
        mine = m[m["scenario"] == name]
        cohort = mine[mine["measure"].str.startswith("cohort_") & mine["measure"].str.contains(f":{group}@")]
        order = lambda m: (float(m.rsplit("@", 1)[1].rstrip("y")), COHORT_KINDS.index(m.split(":")[0]))  # noqa: E731
        for meas in sorted(cohort["measure"].unique(), key=order):
            vals = cohort[cohort["measure"] == meas]["value"]
            kind, rest = meas.split(":", 1)
            horizon = rest.split("@", 1)[1]
            label = {"cohort_size": "2023-24 arrivals (cohort size)", "cohort_final_order": "with a final order",
                     "cohort_removed": "already removed", "cohort_pending": "still waiting for a decision",
                     "cohort_legalized": "granted relief"}[kind]
            rows.append((name, "1. 2023-24 arrivals", f"{label}, after {horizon.rstrip('y')} yr",
                         *_q(vals.to_numpy())))
        years = runs.years
        removed = group_measure(runs, name, "flows", "removed", group)
        rows.append((name, "2. final orders executed", "removals per year", *_q(removed)))
        for flow, lab in (("doc_issued", "travel documents issued per year"),
                          ("doc_refused", "travel documents refused per year"),
                          ("custody_limit_release", "released at the custody limit per year")):
            rows.append((name, "2. final orders executed", lab, *_q(group_measure(runs, name, "flows", flow, group))))
        stuck = mine[mine["measure"] == f"unexecutable_end:{group}"]["value"].to_numpy()
        rows.append((name, "2. final orders executed", f"final orders that cannot be executed after {years:g} years",
                     *_q(stuck)))
        for g in (group, compare_to):
            rem = group_measure(runs, name, "flows", "removed", g, per_year=False)
            cost = sum(group_measure(runs, name, "costs", c, g, per_year=False) for c in ENFORCEMENT_COSTS)
            trans = group_measure(runs, name, "costs", "transport", g, per_year=False)
            with np.errstate(divide="ignore", invalid="ignore"):
                rows.append((name, "3. cost per removal", f"{g}: enforcement cost per removal (USD)",
                             *_q(np.where(rem > 0, cost / rem, np.nan))))
                rows.append((name, "3. cost per removal", f"{g}: transport cost per removal (USD)",
                             *_q(np.where(rem > 0, trans / rem, np.nan))))
    return pd.DataFrame(rows, columns=["scenario", "question", "measure", "p05", "median", "p95", "low", "high",
                                       "interval"])
