"""The pinned numbers: a few small, fixed-seed runs whose summary and totals are committed and compared exactly.

A change to any of them must be deliberate: regenerate the file with
`python scripts/pin_numbers.py` and say why in CHANGELOG.md. The runs are small
(scale 0.002, three years) so the comparison costs seconds, and exact because
the engine is deterministic for a given scenario and seed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

PINNED_SCENARIOS = ("baseline", "china", "mass_removal_650k")
PINNED_RUN = {"years": 3.0, "seed": 11, "scale": 0.002}
PINNED_FILE = Path(__file__).resolve().parents[3] / "tests" / "regression" / "pinned.json"


def pinned_numbers(scenario: str) -> dict:
    """Summary per year, and flow, cost and end-of-run stock totals, of one pinned run (JSON-ready)."""
    from ..api import simulate

    r = simulate(scenario, years=PINNED_RUN["years"], seed=int(PINNED_RUN["seed"]), scale=PINNED_RUN["scale"])
    summary = {col: [_plain(v) for v in r.summary()[col]] for col in r.summary().columns}
    totals = {table: {m: _plain(v) for m, v in getattr(r, table).groupby("measure")["value"].sum().items()}
              for table in ("flows", "costs")}
    last = r.stocks[r.stocks["date"] == r.stocks["date"].max()]
    end_stocks = {m: _plain(v) for m, v in last.groupby("measure")["value"].sum().items()}
    w = r.waits.assign(days=r.waits["bin_days"] * r.waits["count"]).groupby("measure")[["count", "days"]].sum()
    waits = {m: {"count": _plain(row["count"]), "binned_days": _plain(row["days"])} for m, row in w.iterrows()}
    return {"run": dict(PINNED_RUN), "summary": summary, "flows": totals["flows"], "costs": totals["costs"],
            "end_stocks": end_stocks, "waits": waits}


def all_pinned() -> dict:
    return {name: pinned_numbers(name) for name in PINNED_SCENARIOS}


def differences(expected: dict, actual: dict, path: str = "") -> list[str]:
    """Every place where two pinned-number trees differ, as 'path: expected -> actual' lines."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for k in sorted(set(expected) | set(actual)):
            where = f"{path}.{k}" if path else k
            if k not in expected or k not in actual:
                out.append(f"{where}: {expected.get(k, '<absent>')!r} -> {actual.get(k, '<absent>')!r}")
            else:
                out += differences(expected[k], actual[k], where)
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    return [] if expected == actual else [f"{path}: {expected!r} -> {actual!r}"]


def write(path: Path = PINNED_FILE) -> dict:
    numbers = all_pinned()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(numbers, indent=1, sort_keys=True) + "\n")
    return numbers


def _plain(v) -> float | int:
    """A number JSON keeps exactly: int when whole and small enough, else the float itself."""
    f = float(v)
    if math.isfinite(f) and f == int(f) and abs(f) < 2**53:
        return int(f)
    return f
