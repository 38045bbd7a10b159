"""Sweeps: one base scenario, a grid and/or a list of override points, replicates at every point.

Every point runs with the same seed, so replicate r of every point uses the same
engine random numbers and the same parameter draws (common random numbers): the
differences between points are the policies', not the dice's. A sweep file:

    name = "judges-by-beds"
    scenario = "baseline"        # shipped name, or a path relative to this file
    years = 5
    scale = 0.01
    seed = 0
    replicates = 4
    fixed_params = false         # true: no parameter draws

    [grid]                       # every combination of these values
    "court.judges" = [734, 1100, 1434]
    "detention.beds" = [41500, 60000]

    [[points]]                   # and/or named points, each a set of overrides
    name = "surge"
    overrides = { "court.judges" = 1434, "arrests.officers" = 9000 }

A value may be a number or a dated path: [["2025-01-20", 734], ["2026-01-01", 1434]].
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..scenario import ScenarioError, load_scenario
from ..scenario.loader import parse_toml, read_text
from ..scenario.schema import name_from_stem, name_problem
from .jobs import RunSpec, make_run

_KEYS = {"name": str, "scenario": str, "years": (int, float), "scale": (int, float), "seed": int,
         "replicates": int, "fixed_params": bool, "freq": str, "description": str, "out": str,
         "grid": dict, "points": list}


class SweepError(ValueError):
    """A sweep file that cannot be used; one line naming the file, the key and what is allowed."""


@dataclass
class Sweep:
    name: str
    specs: list[RunSpec]
    out: str | None
    source: str


def _label(overrides: dict[str, Any]) -> str:
    def short(v: Any) -> str:
        if isinstance(v, list):
            return "[" + "; ".join(f"{d}: {x:g}" if isinstance(x, (int, float)) else str(x) for d, x in v) + "]"
        return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
    return ", ".join(f"{k}={short(v)}" for k, v in overrides.items()) or "base"


def _value(v: Any, where: str) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float, list)):
        raise SweepError(f"{where}: {v!r} is not allowed; expected a number or [[date, number], ...]")
    if isinstance(v, list):
        if not v or not all(isinstance(s, list) and len(s) == 2 for s in v):
            raise SweepError(f"{where}: {v!r} is not a dated path; expected [[date, number], ...]")
        return [(str(d), x) for d, x in v]
    return v


def load_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file; returns its runs (every override is validated against the scenario)."""
    p = Path(path)
    if not p.is_file():
        raise SweepError(f"{p}: no such sweep file")
    raw = parse_toml(str(p), read_text(p, str(p), SweepError), SweepError)
    for k, v in raw.items():
        if k not in _KEYS:
            raise SweepError(f"{p}: unknown key {k!r}; allowed: {', '.join(_KEYS)}")
        if not isinstance(v, _KEYS[k]) or (isinstance(v, bool) and _KEYS[k] is not bool):
            raise SweepError(f"{p}: {k} = {v!r} has the wrong type")
    name = raw.get("name", name_from_stem(p.stem))
    problem = name_problem(name)
    if problem:
        raise SweepError(f"{p}: name: {problem}")
    years, scale = float(raw.get("years", 10)), float(raw.get("scale", 0.01))
    reps, seed = int(raw.get("replicates", 1)), int(raw.get("seed", 0))
    freq = raw.get("freq", "MS")
    if not 0 < years <= 50:
        raise SweepError(f"{p}: years = {years:g} is out of range; expected 0 < years <= 50")
    if not 0 < scale <= 1:
        raise SweepError(f"{p}: scale = {scale:g} is out of range; expected 0 < scale <= 1")
    if not 0 <= seed < 2**63:
        raise SweepError(f"{p}: seed = {seed} is out of range; expected 0 to {2**63 - 1}")
    if reps < 1:
        raise SweepError(f"{p}: replicates = {reps} is out of range; expected at least 1")
    if freq not in ("MS", "D"):
        raise SweepError(f"{p}: freq = {freq!r} is not allowed; expected MS or D")
    points: list[tuple[str, dict[str, Any]]] = []
    grid = raw.get("grid", {})
    if grid:
        axes = []
        for key, values in grid.items():
            if not isinstance(values, list) or not values:
                raise SweepError(f"{p}: grid.{key} must be a non-empty list of values")
            axes.append([(key, _value(v, f"{p}: grid.{key}")) for v in values])
        for combo in itertools.product(*axes):
            ov = dict(combo)
            points.append((_label(ov), ov))
    for i, pt in enumerate(raw.get("points", [])):
        if not isinstance(pt, dict) or set(pt) - {"name", "overrides"}:
            raise SweepError(f"{p}: points[{i}] must be a table with name and overrides")
        if not isinstance(pt.get("overrides", {}), dict):
            raise SweepError(f"{p}: points[{i}].overrides = {pt['overrides']!r} is not allowed; expected a table "
                             "such as { \"court.judges\" = 1434 }")
        ov = {k: _value(v, f"{p}: points[{i}].overrides.{k}") for k, v in pt.get("overrides", {}).items()}
        points.append((str(pt.get("name", _label(ov))), ov))
    if not points:
        raise SweepError(f"{p}: no points; give a [grid] table or [[points]]")
    names = [n for n, _ in points]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        raise SweepError(f"{p}: two points are both named {dup!r}")
    scen = raw.get("scenario", "baseline")
    rel = p.parent / scen
    try:
        base = load_scenario(rel if rel.suffix == ".toml" and rel.is_file() else scen)
        specs = [make_run(base, ov, seed=seed, years=years, scale=scale, freq=freq,
                          fixed_params=bool(raw.get("fixed_params", False)), replicates=reps, sweep=name, point=pname)
                 for pname, ov in points]
    except ScenarioError as e:
        raise SweepError(f"{p}: {e}") from None
    ids = [s.run_id for s in specs]
    dup = next((s.point for s in specs if ids.count(s.run_id) > 1), None)
    if dup:
        raise SweepError(f"{p}: point {dup!r} repeats another point's overrides")
    return Sweep(name, specs, raw.get("out"), str(p))
