"""Fit the share of FY2024 border apprehensions removed by ICE straight from CBP custody to FY2024 ICE removals.

ICE counts among its removals people Border Patrol apprehended and ordered removed (expedited removal or
reinstatement) whom ICE removed without booking them into its detention. The record gives no count of them
for FY2024, only that Border Patrol processed more arrivals for expedited removal (18.5% in March 2024,
`usbp-er-share-2024-03`) than it booked into ICE detention. `fy2024` books the recorded CBP book-ins through
`expedited_removal.arrival_share`; this script finds, by bisection, the constant share
`border.cbp_custody_removal_share` whose FY2024 ICE removals (2023-10-01 to 2024-09-30, whole country,
pooled over seeds) meet the record (`ice-removals-fy2024`, 271,484). FY2024 is a fit year; no
validation-year (FY2015-FY2019) figure is read.

    python scripts/fit_cbp_custody_removals.py [--scale 0.01] [--seeds 4] [--write]
"""

from __future__ import annotations

import datetime as dt

from removalsim import load_scenario
from removalsim.backtest.fit_files import calibration_folder, fit_main, one_parameter_file
from removalsim.data import get
from removalsim.engine.loop import run
from removalsim.vocabulary import Flow

TARGET = "ice-removals-fy2024"
PARAM = "border.cbp_custody_removal_share"
CALIBRATION = calibration_folder() / "cbp-custody-removals-fy2024.toml"


def model_removals(share: float, scale: float, seeds: int) -> float:
    """FY2024 ICE removals (whole country) in `fy2024` with the share set, averaged over seeds."""
    sc = load_scenario("fy2024").with_overrides({PARAM: share})
    days = (dt.date(2024, 9, 30) - sc.start_date).days + 1
    total = 0.0
    for seed in range(seeds):
        w = run(sc, (days + 1) / 365.25, seed, scale)
        total += w.flows[:days, Flow.REMOVED, :].sum() / scale
    return total / seeds


def fit(scale: float = 0.01, seeds: int = 4, say=print) -> tuple[float, float, float]:
    """The share (to 0.001) whose FY2024 removals are nearest the record; (share, record, model)."""
    want = float(get(TARGET)["value"])
    lo, hi = 0.0, 0.3
    got = {lo: model_removals(lo, scale, seeds)}
    say(f"{PARAM} {lo:.3f}: {got[lo]:,.0f} removals (record {want:,.0f})")
    if got[lo] >= want:
        return lo, want, got[lo]
    while hi - lo > 0.001:  # removals grow with the share
        mid = round((lo + hi) / 2, 4)
        got[mid] = model_removals(mid, scale, seeds)
        say(f"{PARAM} {mid:.4f}: {got[mid]:,.0f} removals (record {want:,.0f})")
        lo, hi = (mid, hi) if got[mid] < want else (lo, mid)
    best = min(got, key=lambda s: abs(got[s] - want))
    return round(best, 3), want, got[best]


def calibration_toml(share: float, want: float, got: float, scale: float, seeds: int) -> str:
    return one_parameter_file(
        "fit_cbp_custody_removals.py", scale, seeds,
        [f"Fit: ICE removals in fy2024, 2023-10-01 to 2024-09-30, against the record's {want:,.0f};",
         f"model {got:,.0f}."], TARGET, "fy2024", CALIBRATION.stem,
        "fy2024 with the share of border apprehensions removed from CBP custody fitted to FY2024 ICE removals",
        PARAM, f"{share:g}", "share", f"Fitted to FY2024 ICE removals (stats:{TARGET}, {want:,.0f}); model {got:,.0f}.")


def report(value, want: float, got: float) -> str:
    return f"{PARAM} = {value:g}  # FY2024 ICE removals {got:,.0f}, record {want:,.0f}"


def main() -> None:
    fit_main(__doc__, CALIBRATION, 4, fit, report, calibration_toml)


if __name__ == "__main__":
    main()
