"""How `current_policy` holds and removes people in 2025, next to the record: a diagnostic, not a fit.

For each variant of `current_policy` it prints the average stay (people in custody over book-ins, March to
September 2025, as `fit_detained_min_days.py` reads it), the people held on 2025-11-15, the removals a day
from 2025-10-01 to 2025-11-15, and what became of the people booked into custody from 2025-01-20 to
2025-08-15 sixty days on: removed, released, or still held. The record's figures come from the statistics
table. The variants show what the model would need to reach the record's pace in October and November:
"fastest" decides every detained case 14 days after book-in and releases no one through the court or the
Board (no relief, closure or appeal), an upper bound on removals that no recorded figure supports.

    python scripts/detention_2025.py [--scale 0.01] [--seeds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt

import numpy as np

from removalsim import load_scenario
from removalsim.data import get
from removalsim.engine.loop import advance, new_world
from removalsim.vocabulary import CUSTODY, Flow, State

VARIANTS = {
    "central values": {},
    "no release by a court": {"court.closure_share_detained": 0, "court.grant_factor_detained": 0},
    "fastest": {"court.closure_share_detained": 0, "court.grant_factor_detained": 0,
                "court.detained_min_days": 14, "appeals.appeal_share_represented": 0,
                "appeals.appeal_share_unrepresented": 0},
}
STAY = (dt.date(2025, 3, 1), dt.date(2025, 9, 30))
PACE = (dt.date(2025, 10, 1), dt.date(2025, 11, 15))
COHORT = (dt.date(2025, 1, 20), dt.date(2025, 8, 15))
FOLLOW_UP = 60  # days after book-in, as the Deportation Data Project counts
RECORD = {"stay": "detention-alos-2025", "held": "detention-count-2025-11-15",
          "pace": "ice-removals-per-day-2025-11", "removed": "detention-removed-within-60-days-2025",
          "released": "detention-released-within-60-days-2025"}


def one_run(overrides: dict, scale: float, seed: int) -> dict[str, float]:
    """One replicate, stepped a day at a time so each person's book-in and exit can be followed."""
    sc = load_scenario("current_policy").with_overrides(overrides)
    day = {d: (d - sc.start_date).days for d in (*STAY, *PACE, *COHORT)}
    w = new_world(sc, (day[PACE[1]] + 2) / 365.25, seed, scale)
    custody = np.zeros(max(int(s) for s in State) + 1, bool)
    custody[[int(s) for s in CUSTODY]] = True
    n = len(w.people.state)
    booked = np.full(n, -1, np.int64)  # book-in day of the cohort's people; -1 for everyone else
    outcome = np.zeros(n, np.int8)  # 0 still held (or never booked), 1 removed, 2 released
    held_before = custody[w.people.state]
    last_book_in, end = day[COHORT[1]], day[PACE[1]]
    for d in range(end + 1):
        advance(w, 1)
        state = w.people.state
        held = custody[state]
        if day[COHORT[0]] <= d <= last_book_in:
            booked[held & ~held_before & (booked < 0)] = d
        left = held_before & ~held & (booked >= 0) & (outcome == 0) & (d - booked <= FOLLOW_UP)
        outcome[left & (state == int(State.REMOVED))] = 1
        outcome[left & (state != int(State.REMOVED)) & (state != int(State.DIED))] = 2
        held_before = held
    in_custody = w.stocks[:, [int(s) for s in CUSTODY], :].sum(axis=(1, 2))
    removed = w.flows[:, [Flow.REMOVED_LAND, Flow.REMOVED_AIR], :].sum(axis=(1, 2))
    a, b = day[STAY[0]], day[STAY[1]]
    cohort = max(int((booked >= 0).sum()), 1)
    return {"stay": in_custody[a:b + 1].sum() / w.flows[a:b + 1, Flow.DETAINED, :].sum(),
            "held": in_custody[end] / scale,
            "pace": removed[day[PACE[0]]:end + 1].mean() / scale,
            "removed": (outcome == 1).sum() / cohort, "released": (outcome == 2).sum() / cohort}


def table(scale: float, seeds: int) -> list[tuple[str, dict[str, float]]]:
    """The record, then each variant's means over `seeds` replicates."""
    rows = [("record", {k: float(get(i)["value"]) for k, i in RECORD.items()})]
    for name, overrides in VARIANTS.items():
        runs = [one_run(overrides, scale, seed) for seed in range(seeds)]
        rows.append((name, {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.01, help="share of the country simulated (default 0.01)")
    ap.add_argument("--seeds", type=int, default=2, help="replicates per variant (default 2)")
    args = ap.parse_args()
    if not (0 < args.scale <= 0.05) or not (1 <= args.seeds <= 20):
        ap.error("--scale must be in (0, 0.05] and --seeds in 1..20")
    replicates = f"{args.seeds} replicate{'s' if args.seeds > 1 else ''}"
    print(f"current_policy in 2025 (scale {args.scale:g}, {replicates} a variant, means)")
    print(f"{'':22}{'stay,':>9}{'held on':>9}{'removals':>10}{'book-ins, 60 days on':>24}")
    print(f"{'':22}{'days':>9}{'Nov 15':>9}{'a day,':>10}{'removed':>12}{'released':>12}")
    print(f"{'':22}{'Mar-Sep':>9}{'':>9}{'Oct-Nov':>10}")
    for name, r in table(args.scale, args.seeds):
        print(f"{name:22}{r['stay']:9.0f}{round(r['held'], -2):9,.0f}{r['pace']:10,.0f}{r['removed']:12.0%}"
              f"{r['released']:12.0%}")


if __name__ == "__main__":
    main()
