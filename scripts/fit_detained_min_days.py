"""Fit the detained docket's earliest decision (`court.detained_min_days`) to the recorded 2025 length of stay.

ICE's detention statistics put the average stay at 46-52 days through 2025 (the statistics table's
`detention-alos-2025`, 49 days). The model's average stay is read as Little's law reads it: people in
custody over book-ins, both averaged from 2025-03-01 to 2025-09-30 in `current_policy`. The earliest
decision after detention is the stage that sets most of a detained stay, and the record has no 2025
figure for it; it is found by bisection and written to the calibration file `baseline.toml` cites.
The fit uses only 2025 records, before 2025-11-30.

    python scripts/fit_detained_min_days.py [--scale 0.01] [--seeds 4] [--write]
"""

from __future__ import annotations

import datetime as dt

from removalsim import load_scenario
from removalsim.backtest.fit_files import calibration_folder, fit_main, one_parameter_file
from removalsim.data import get
from removalsim.engine.loop import run
from removalsim.vocabulary import CUSTODY, Flow

TARGET = "detention-alos-2025"
WINDOW = (dt.date(2025, 3, 1), dt.date(2025, 9, 30))
CALIBRATION = calibration_folder() / "detention-alos-2025.toml"


def model_alos(days: int, scale: float, seeds: int) -> float:
    """Average stay in custody (people in custody / book-ins a day) over the window, pooled over seeds."""
    sc = load_scenario("current_policy").with_overrides({"court.detained_min_days": days})
    a, b = ((d - sc.start_date).days for d in WINDOW)
    held = booked = 0.0
    for seed in range(seeds):
        w = run(sc, (b + 2) / 365.25, seed, scale)
        held += w.stocks[a:b + 1, [int(s) for s in CUSTODY], :].sum()
        booked += w.flows[a:b + 1, Flow.DETAINED, :].sum()
    return held / booked


def fit(scale: float = 0.01, seeds: int = 4, say=print) -> tuple[int, float, float]:
    """The whole number of days whose average stay is nearest the record; (days, record, model)."""
    want = float(get(TARGET)["value"])
    stays: dict[int, float] = {}  # each value run once

    def stay(days: int) -> float:
        if days not in stays:
            stays[days] = model_alos(days, scale, seeds)
        return stays[days]

    lo, hi = 14, 90
    while hi - lo > 1:  # the stay grows with the earliest decision
        mid = (lo + hi) // 2
        say(f"detained_min_days {mid}: average stay {stay(mid):.1f} days (record {want:g})")
        lo, hi = (mid, hi) if stay(mid) < want else (lo, mid)
    best = min((lo, hi), key=lambda d: abs(stay(d) - want))
    return best, want, stay(best)


def calibration_toml(days: int, want: float, got: float, scale: float, seeds: int) -> str:
    return one_parameter_file(
        "fit_detained_min_days.py", scale, seeds,
        [f"Fit: average stay in custody in current_policy, {WINDOW[0]} to {WINDOW[1]} (people in custody over",
         f"book-ins), against the record's {want:g} days; model {got:.1f} days."], TARGET, "baseline",
        CALIBRATION.stem, "baseline with the detained docket's earliest decision fitted to the 2025 length of stay",
        "court.detained_min_days", f"{days}", "days",
        f"Fitted to the {want:g}-day average stay of 2025 (stats:{TARGET}); model {got:.1f} days.")


def report(value, want: float, got: float) -> str:
    return f"court.detained_min_days = {value}  # average stay {got:.1f} days, record {want:g}"


def main() -> None:
    fit_main(__doc__, CALIBRATION, 4, fit, report, calibration_toml)


if __name__ == "__main__":
    main()
