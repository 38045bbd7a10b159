"""How `current_policy` holds and removes people in 2025, next to the record: a diagnostic, not a fit.

For each variant of `current_policy` it prints the average stay (people in custody over book-ins, March to
September 2025), the people held on 2025-11-15, the removals a day from 2025-10-01 to 2025-11-15, and what
became of the people booked into custody from 2025-01-20 to 2025-08-15 sixty days on: removed or released
(`removalsim.backtest.detention`). The record's figures come from the statistics table. "all contest"
sends every detained case to a merits hearing, as the model did before it had first hearings; "fastest"
decides every detained case 14 days after book-in and releases no one through the court or the Board (no
relief, closure or appeal), an upper bound on removals that no recorded figure supports.

    python scripts/detention_2025.py [--scale 0.01] [--seeds 2]
"""

from __future__ import annotations

import argparse

from removalsim.backtest.detention import RECORD_2025, Y2025, mean_of
from removalsim.data import get

VARIANTS = {
    "central values": {},
    "all contest": {"court.detained_contested_share": 1, "court.detained_min_days": 48},
    "fastest": {"court.detained_contested_share": 1, "court.detained_min_days": 14,
                "court.closure_share_detained": 0, "court.grant_factor_detained": 0,
                "appeals.appeal_share_represented": 0, "appeals.appeal_share_unrepresented": 0},
}


def table(scale: float, seeds: int) -> list[tuple[str, dict[str, float]]]:
    """The record, then each variant's means over `seeds` replicates."""
    rows = [("record", {k: float(get(i)["value"]) for k, i in RECORD_2025.items()})]
    rows += [(name, mean_of(Y2025, overrides, scale, seeds)) for name, overrides in VARIANTS.items()]
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
