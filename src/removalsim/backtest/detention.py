"""People booked into custody followed to removal or release: the measures the detained docket is fitted to
(`scripts/fit_detained_docket.py`) and explained by (`scripts/detention_2025.py`).

The average stay is read as Little's law reads it: people in custody over book-ins, both averaged over a
window. The 60-day outcomes follow each person booked in during a cohort window, as the Deportation Data
Project counted ICE's records: removed, released, or still held 60 days on. Two regimes are read: 2025 in
`current_policy` (stay March-September 2025, cohort booked in 2025-01-20 to 2025-08-15), and late 2024 in
`fy2024` (stay over FY2024, cohort booked in October-December 2024, after the fiscal year the scenario
replays: its last drivers are held).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..engine.loop import advance, new_world
from ..scenario import load_scenario
from ..vocabulary import CUSTODY, Flow, State

FOLLOW_UP = 60  # days after book-in


@dataclass(frozen=True)
class Regime:
    """A scenario and the windows its detained docket is read over; `pace` (removals a day, people held at its
    end) is read only when the run reaches it."""

    scenario: str
    stay: tuple[dt.date, dt.date]
    cohort: tuple[dt.date, dt.date]
    stay_record: str
    removed_record: str
    released_record: str
    pace: tuple[dt.date, dt.date] | None = None

    @property
    def followed_through(self) -> dt.date:
        """The last day the cohort's 60 days and the stay window need."""
        return max(self.cohort[1] + dt.timedelta(days=FOLLOW_UP + 1), self.stay[1])


Y2025 = Regime("current_policy", (dt.date(2025, 3, 1), dt.date(2025, 9, 30)),
               (dt.date(2025, 1, 20), dt.date(2025, 8, 15)), "detention-alos-2025",
               "detention-removed-within-60-days-2025", "detention-released-within-60-days-2025",
               (dt.date(2025, 10, 1), dt.date(2025, 11, 15)))
LATE_2024 = Regime("fy2024", (dt.date(2023, 10, 1), dt.date(2024, 9, 30)),
                   (dt.date(2024, 10, 1), dt.date(2024, 12, 31)), "detention-alos-fy2024",
                   "detention-removed-within-60-days-2024-12", "detention-released-within-60-days-2024-12")
RECORD_2025 = {"stay": Y2025.stay_record, "held": "detention-count-2025-11-15", "pace": "ice-removals-per-day-2025-11",
               "removed": Y2025.removed_record, "released": Y2025.released_record}


def follow(regime: Regime, overrides: Mapping[str, object], scale: float, seed: int,
           through: dt.date | None = None) -> dict[str, float]:
    """One replicate of the regime's scenario with `overrides`, stepped a day at a time to `through` (by default
    the end of its pace window, else what the cohort and stay need): average stay, people held at the end and
    removals a day over the pace window (NaN when not reached), and the cohort's shares removed and released
    within 60 days."""
    sc = load_scenario(regime.scenario).with_overrides(dict(overrides))
    through = through or (regime.pace[1] if regime.pace else regime.followed_through)
    day = lambda d: (d - sc.start_date).days  # noqa: E731
    end = day(through)
    w = new_world(sc, (end + 2) / 365.25, seed, scale)
    custody = np.zeros(max(int(s) for s in State) + 1, bool)
    custody[[int(s) for s in CUSTODY]] = True
    n = len(w.people.state)
    booked = np.full(n, -1, np.int64)  # book-in day of the cohort's people; -1 for everyone else
    outcome = np.zeros(n, np.int8)  # 0 still held (or not in the cohort), 1 removed, 2 released
    held_before = custody[w.people.state]
    removed, died = int(State.REMOVED), int(State.DIED)
    first, last = day(regime.cohort[0]), day(regime.cohort[1])
    for d in range(end + 1):
        advance(w, 1)
        state = w.people.state
        held = custody[state]
        if first <= d <= last:
            booked[held & ~held_before & (booked < 0)] = d
        left = held_before & ~held & (booked >= 0) & (outcome == 0) & (d - booked <= FOLLOW_UP)
        outcome[left & (state == removed)] = 1
        outcome[left & (state != removed) & (state != died)] = 2
        held_before = held
    in_custody = w.stocks[:, [int(s) for s in CUSTODY], :].sum(axis=(1, 2))
    removals = w.flows[:, [Flow.REMOVED_LAND, Flow.REMOVED_AIR], :].sum(axis=(1, 2))
    a, b = day(regime.stay[0]), day(regime.stay[1])
    reached = regime.pace is not None and end >= day(regime.pace[1])
    cohort = max(int((booked >= 0).sum()), 1)
    out = {"stay": in_custody[a:b + 1].sum() / w.flows[a:b + 1, Flow.DETAINED, :].sum(),
           "held": in_custody[end] / scale if reached else np.nan,
           "pace": removals[day(regime.pace[0]):end + 1].mean() / scale if reached else np.nan,
           "removed": (outcome == 1).sum() / cohort, "released": (outcome == 2).sum() / cohort}
    return {k: float(v) for k, v in out.items()}


def mean_of(regime: Regime, overrides: Mapping[str, object], scale: float, seeds: int,
            through: dt.date | None = None) -> dict[str, float]:
    """`follow` averaged over seeds 0..seeds-1."""
    runs = [follow(regime, overrides, scale, seed, through) for seed in range(seeds)]
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
