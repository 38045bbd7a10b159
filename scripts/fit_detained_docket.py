"""Fit the detained docket to the recorded stay and 60-day outcomes of people held by ICE, in two regimes.

Two values per regime: the share of detained respondents who contest removal at their first hearing
(`court.detained_contested_share`), fitted to the share of detainees deported within 60 days of book-in, and
the days from book-in to a contested case's merits hearing (`court.detained_min_days`), fitted to the average
stay, both read as `removalsim.backtest.detention` reads them. 2025 (`current_policy`, the baseline's values):
69% deported within 60 days (`detention-removed-within-60-days-2025`) and a 49-day stay
(`detention-alos-2025`). Late 2024 (`fy2024`, and `history` before 2025-01-20): 55%
(`detention-removed-within-60-days-2024-12`) and the FY2024 stay of 47 days (`detention-alos-fy2024`). For
each contested share the merits delay that gives the recorded stay is found by bisection, and the contested
share by bisection around that. The first hearing (`court.detained_first_hearing_days`) is an assumption.
Only fit years are read, before 2025-11-30 (the 60-day shares were published in January 2026 about ICE
records to 2025-10-15).

    python scripts/fit_detained_docket.py [--scale 0.01] [--seeds 4] [--write]
"""

from __future__ import annotations

from removalsim.backtest.detention import FOLLOW_UP, LATE_2024, Y2025, Regime, mean_of
from removalsim.backtest.fit_files import calibration_folder, fit_arguments, parameters_file, write_calibration
from removalsim.data import get

REGIMES = {"2025": (Y2025, calibration_folder() / "detained-docket-2025.toml", "baseline"),
           "late 2024": (LATE_2024, calibration_folder() / "detained-docket-fy2024.toml", "fy2024")}


def model(regime: Regime, share: float, days: int, scale: float, seeds: int) -> dict[str, float]:
    return mean_of(regime, {"court.detained_contested_share": share, "court.detained_min_days": days}, scale,
                   seeds, regime.followed_through)


def record(regime: Regime) -> dict[str, float]:
    return {"stay": float(get(regime.stay_record)["value"]), "removed": float(get(regime.removed_record)["value"])}


def fit(regime: Regime, scale: float = 0.01, seeds: int = 4, say=print) -> tuple[tuple[float, int], dict, dict]:
    """((contested share, merits days), record, model at those values) for one regime."""
    want = record(regime)
    runs: dict[tuple[float, int], dict[str, float]] = {}

    def at(share: float, days: int) -> dict[str, float]:
        if (share, days) not in runs:
            runs[share, days] = model(regime, share, days, scale, seeds)
        return runs[share, days]

    def merits_days(share: float) -> int:
        """The whole number of days whose average stay is nearest the record at this contested share."""
        lo, hi = 15, 400
        while hi - lo > 1:  # the stay grows with the merits delay
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if at(share, mid)["stay"] < want["stay"] else (lo, mid)
        return min((lo, hi), key=lambda d: abs(at(share, d)["stay"] - want["stay"]))

    lo, hi = 0.05, 0.95
    while hi - lo > 0.015:  # fewer are removed within 60 days as more contest
        mid = round((lo + hi) / 2, 3)
        got = at(mid, merits_days(mid))
        say(f"{regime.scenario}: contested {mid:.3f}, merits at {merits_days(mid)} days: stay {got['stay']:.1f} "
            f"(record {want['stay']:g}), removed within {FOLLOW_UP} days {got['removed']:.1%} (record "
            f"{want['removed']:.0%})")
        lo, hi = (mid, hi) if got["removed"] > want["removed"] else (lo, mid)
    best = min((round(lo, 2), round(hi, 2)), key=lambda s: abs(at(s, merits_days(s))["removed"] - want["removed"]))
    days = merits_days(best)
    return (best, days), want, at(best, days)


def calibration_toml(label: str, value: tuple[float, int], want: dict, got: dict, scale: float, seeds: int) -> str:
    """A calibration file: a scenario extending the regime's scenario with its two fitted values."""
    regime, path, extends = REGIMES[label]
    share, days = value
    return parameters_file(
        "fit_detained_docket.py", scale, seeds,
        [f"Fit ({label}): in {regime.scenario}, the share of people booked in from {regime.cohort[0]} to "
         f"{regime.cohort[1]} removed",
         f"within {FOLLOW_UP} days (model {got['removed']:.1%}, record {want['removed']:.0%}) and the average stay, "
         f"people in custody over",
         f"book-ins, {regime.stay[0]} to {regime.stay[1]} (model {got['stay']:.1f} days, record {want['stay']:g})."],
        f"{regime.stay_record}, {regime.removed_record}", extends, path.stem,
        f"{extends} with the detained docket fitted to the {label} stay and 60-day outcomes",
        [("court.detained_contested_share", f"{share:g}", "share",
          f"Fitted so that {want['removed']:.0%} of the people booked in ({label}) are removed within {FOLLOW_UP} "
          f"days (stats:{regime.removed_record}); model {got['removed']:.1%}."),
         ("court.detained_min_days", f"{days}", "days",
          f"Fitted so that the average stay in custody ({label}) is the recorded {want['stay']:g} days "
          f"(stats:{regime.stay_record}); model {got['stay']:.1f} days.")])


def main() -> None:
    args = fit_arguments(__doc__, "the two calibration files", 4).parse_args()
    for label, (regime, path, _) in REGIMES.items():
        (share, days), want, got = fit(regime, args.scale, args.seeds)
        print(f"{label}: court.detained_contested_share = {share:g}  # removed within {FOLLOW_UP} days "
              f"{got['removed']:.1%}, record {want['removed']:.0%}")
        print(f"{label}: court.detained_min_days = {days}  # average stay {got['stay']:.1f} days, record "
              f"{want['stay']:g}")
        if args.write:
            write_calibration(path, calibration_toml(label, (share, days), want, got, args.scale, args.seeds))


if __name__ == "__main__":
    main()
