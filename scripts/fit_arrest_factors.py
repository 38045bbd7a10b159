"""Fit the groups' arrest factors to the recorded 2025 shares of ICE arrests by nationality.

ICE's arrest records released to the Deportation Data Project give the shares of Mexican, Guatemalan and
Honduran nationals among arrests from 2025-01-20 to 2025-10-15, and of Venezuelan and Salvadoran nationals
to 2025-06-27 (rows of the statistics table). `current_policy` is run over each window; each fitted factor
is multiplied by its odds ratio (record share / model share, over the same ratio for all the other groups
together, which stay at the reference level of 1), until the shares agree within 2%. The factors are
written to the calibration file that `baseline.toml` cites (the fit uses only 2025 records, before
2025-11-30).

    python scripts/fit_arrest_factors.py [--scale 0.01] [--seeds 4] [--write]
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from removalsim import load_scenario
from removalsim.backtest.fit_files import calibration_folder, fit_arguments, parameters_file, write_calibration
from removalsim.data import get
from removalsim.engine.loop import run
from removalsim.vocabulary import Flow

# group -> (arrests of the group, all arrests, window end): rows of the statistics table
TARGETS = {
    "Mexico": ("ice-arrests-mexico-jan20-oct15-2025", "ice-arrests-jan20-oct15-2025", dt.date(2025, 10, 15)),
    "Guatemala": ("ice-arrests-guatemala-jan20-oct15-2025", "ice-arrests-jan20-oct15-2025", dt.date(2025, 10, 15)),
    "Honduras": ("ice-arrests-honduras-jan20-oct15-2025", "ice-arrests-jan20-oct15-2025", dt.date(2025, 10, 15)),
    "Venezuela": ("ice-arrests-venezuela-jan20-jun27-2025", "ice-arrests-since-inauguration-2025-06-27",
                  dt.date(2025, 6, 27)),
    "ElSalvador": ("ice-arrests-el-salvador-jan20-jun27-2025", "ice-arrests-since-inauguration-2025-06-27",
                   dt.date(2025, 6, 27)),
}


CALIBRATION = calibration_folder() / "ice-arrests-by-nationality-2025.toml"


def record_shares() -> dict[str, float]:
    return {g: get(part)["value"] / get(whole)["value"] for g, (part, whole, _) in TARGETS.items()}


def model_shares(factors: dict[str, float], scale: float, seeds: int) -> dict[str, float]:
    """Each target group's share of arrests over its own window, pooled over seeds."""
    sc = load_scenario("current_policy").with_overrides({f"groups.{g}.arrest_factor": f for g, f in factors.items()})
    start = sc.start_date
    last = max(end for _, _, end in TARGETS.values())
    years = ((last - start).days + 1) / 365.25
    part = {g: 0.0 for g in TARGETS}
    whole = {g: 0.0 for g in TARGETS}
    for seed in range(seeds):
        w = run(sc, years, seed, scale)
        arrests = w.flows[:, Flow.ARREST, :]
        for g, (_, _, end) in TARGETS.items():
            days = (end - start).days + 1
            part[g] += arrests[:days, w.inp.groups.index(g)].sum()
            whole[g] += arrests[:days].sum()
    return {g: part[g] / whole[g] for g in TARGETS}


def fit(scale: float = 0.01, seeds: int = 4, rounds: int = 6, say=print) -> tuple[dict, dict, dict]:
    """The fitted factors, the record shares and the model's shares with those factors."""
    want = record_shares()
    factors = {g: 1.0 for g in TARGETS}
    for r in range(rounds):
        got = model_shares(factors, scale, seeds)
        say(f"round {r}: " + ", ".join(f"{g} {got[g]:.3f}/{want[g]:.3f} (x{factors[g]:.2f})" for g in TARGETS))
        if max(abs(got[g] / want[g] - 1) for g in TARGETS) < 0.02:
            break
        # odds against the reference groups (factor 1): their share of arrests is what the targets leave
        rest = (1 - sum(want.values())) / (1 - sum(got.values()))
        factors = {g: factors[g] * want[g] / got[g] / rest for g in TARGETS}
    return {g: float(np.round(f, 2)) for g, f in factors.items()}, want, got


def calibration_toml(factors: dict, want: dict, got: dict, scale: float, seeds: int) -> str:
    """The calibration file: a scenario extending the baseline with the fitted factors."""
    ids = sorted({i for part, whole, _ in TARGETS.values() for i in (part, whole)})
    return parameters_file(
        "fit_arrest_factors.py", scale, seeds,
        ["Fit: each group's share of ICE arrests in current_policy over the recorded window (2025-01-20 to",
         "2025-10-15, or to 2025-06-27 for Venezuela and El Salvador) against the record, other groups at 1."],
        ", ".join(ids), "baseline", CALIBRATION.stem,
        "baseline with the arrest factors of five groups fitted to their 2025 shares of ICE arrests",
        [(f"groups.{g}.arrest_factor", f"{f}", "relative",
          f"Fitted to {want[g]:.1%} of ICE arrests (stats:{TARGETS[g][0]} over stats:{TARGETS[g][1]}); model "
          f"{got[g]:.1%}.") for g, f in factors.items()])


def main() -> None:
    ap = fit_arguments(__doc__, CALIBRATION.name, seeds=4)
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args()
    factors, want, got = fit(args.scale, args.seeds, args.rounds)
    for g, f in factors.items():
        print(f"groups.{g}.arrest_factor = {f}  # record share {want[g]:.3f}, model {got[g]:.3f}")
    if args.write:
        write_calibration(CALIBRATION, calibration_toml(factors, want, got, args.scale, args.seeds))


if __name__ == "__main__":
    main()
