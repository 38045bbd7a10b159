"""Fit the history scenario's share of ICE arrests released at booking, one value per fit year FY2020-FY2023.

The record shows removals per ICE arrest collapsing after 2020 (COVID-19 releases, then the 2021
enforcement priorities): interior removals were 62,739 of 103,603 arrests in FY2020 but 28,204 of 142,750 in
FY2022. The engine holds everyone it arrests unless told otherwise; `arrests.release_share` releases a
share of those without a final order at booking. Each fit year's value is found by bisection so that the
history run's interior removals (removals less border-origin ones) match the record's ICE interior removals
of that year, years in order (an earlier year's value shapes the later ones). Before FY2020 the share is 0
and FY2015-FY2019 are validation years, never fitted. From FY2024 it is 0: releasing half the FY2024
arrests to reach the approximate 47,000 interior removals of the record (a secondary summary) would put
detention 18% below the recorded FY2024 average (37,745), which the scenario meets holding everyone; the
FY2024 gap is the model's border side (see `removalsim validate`), not releases.

    python scripts/fit_history_release.py [--scale 0.01] [--seeds 2] [--write]
"""

from __future__ import annotations

import datetime as dt

from removalsim import load_scenario
from removalsim.backtest.fit_files import calibration_folder, fit_arguments, write_calibration
from removalsim.backtest.history import fy_start
from removalsim.data import get
from removalsim.engine.loop import run
from removalsim.vocabulary import Flow

FIT_YEARS = (2020, 2021, 2022, 2023)
TARGET = "ice-removals-interior-fy{fy}"
CALIBRATION = calibration_folder() / "history-release-fy2020-fy2023.toml"


def steps(values: dict[int, float]) -> list[tuple[str, float]]:
    """The dated share: 0 from the start, each fit year's value from its first day, 0 again from FY2025."""
    out = [("2014-10-01", 0.0)] + [(fy_start(fy).isoformat(), v) for fy, v in sorted(values.items())]
    return out + [(fy_start(FIT_YEARS[-1] + 1).isoformat(), 0.0)]


def interior(values: dict[int, float], fy: int, scale: float, seeds: int) -> float:
    """The history run's interior removals in fiscal year `fy` (whole country), pooled over seeds."""
    sc = load_scenario("history").with_overrides({"arrests.release_share": steps(values)})
    a, b = (fy_start(fy) - sc.start_date).days, (dt.date(fy, 9, 30) - sc.start_date).days
    total = 0.0
    for seed in range(seeds):
        w = run(sc, (b + 2) / 365.25, seed, scale)
        total += (w.flows[a:b + 1, Flow.REMOVED, :].sum() - w.flows[a:b + 1, Flow.REMOVED_BORDER, :].sum()) / scale
    return total / seeds


def fit_year(earlier: dict[int, float], fy: int, want: float, scale: float, seeds: int) -> tuple[float, float]:
    """The share for fiscal year `fy` (earlier years' shares fixed) and the interior removals it gives."""
    runs: dict[float, float] = {}  # interior removals by share, each share run once

    def removed(share: float) -> float:
        if share not in runs:
            runs[share] = interior(earlier | {fy: share}, fy, scale, seeds)
        return runs[share]

    lo, hi = 0.0, 0.95
    if removed(lo) <= want:
        return lo, removed(lo)  # the model removes too few even holding everyone: no release
    for _ in range(8):  # interior removals fall as the share rises
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if removed(mid) > want else (lo, mid)
    share = round((lo + hi) / 2, 3)
    return share, removed(share)


def fit(scale: float = 0.01, seeds: int = 2, say=print) -> tuple[dict[int, float], dict[int, float], dict]:
    """The fitted shares by fiscal year, the record and the model's interior removals with them."""
    values: dict[int, float] = {}
    got: dict[int, float] = {}
    want = {fy: float(get(TARGET.format(fy=fy))["value"]) for fy in FIT_YEARS}
    for fy in FIT_YEARS:
        values[fy], got[fy] = fit_year(values, fy, want[fy], scale, seeds)
        say(f"FY{fy}: release_share {values[fy]:.3f}: interior removals {got[fy]:,.0f} (record {want[fy]:,.0f})")
    return values, want, got


def calibration_toml(values: dict[int, float], want: dict, got: dict, scale: float, seeds: int) -> str:
    ids = ", ".join(TARGET.format(fy=fy) for fy in FIT_YEARS)
    shown = ", ".join(f"{{ from = {d}, value = {v} }}" for d, v in steps(values))
    fits = "; ".join(f"FY{fy} {values[fy]:g} ({got[fy]:,.0f} against {want[fy]:,.0f})" for fy in FIT_YEARS)
    return "\n".join([
        f"# Calibration written by scripts/fit_history_release.py on {dt.date.today().isoformat()}.",
        f"# Command: python scripts/fit_history_release.py --scale {scale:g} --seeds {seeds} --write",
        "# Fit: the history run's interior removals (removals less border-origin ones) in each fit year against",
        "# ICE's interior removals of that year, one share per year, years in order.",
        f"# Data (statistics ids): {ids}",
        'extends = "history"', 'name = "history-release-fy2020-fy2023"',
        'description = "history with the share of ICE arrests released at booking fitted to FY2020-FY2023 interior '
        'removals"', "", "[arrests]",
        f'release_share = {{ steps = [{shown}], unit = "share", source = "calibration:{CALIBRATION.name}", '
        f'note = "Fitted per fit year to ICE interior removals: {fits}. 0 before FY2020 (FY2015-FY2019 are '
        'validation years) and from FY2024 (holding everyone meets the recorded FY2024 detention)." }', ""])


def main() -> None:
    ap = fit_arguments(__doc__, CALIBRATION.name, seeds=2)
    args = ap.parse_args()
    values, want, got = fit(args.scale, args.seeds)
    if args.write:
        write_calibration(CALIBRATION, calibration_toml(values, want, got, args.scale, args.seeds))


if __name__ == "__main__":
    main()
