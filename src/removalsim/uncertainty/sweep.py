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
from ..errors import RemovalsimInputError
from .jobs import RunSpec, make_run

_KEYS = {"name": str, "scenario": str, "years": (int, float), "scale": (int, float), "seed": int,
         "replicates": int, "fixed_params": bool, "freq": str, "description": str, "out": str,
         "grid": dict, "points": list}


class SweepError(RemovalsimInputError):
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


def _value(v: Any, where: str, problems: list[str]) -> Any:
    """An override value as written (a number or [[date, number], ...]); a bad one adds a line to `problems`."""
    if isinstance(v, bool) or not isinstance(v, (int, float, list)):
        problems.append(f"{where}: {v!r} is not allowed; expected a number or [[date, number], ...]")
        return None
    if isinstance(v, list):
        if not v or not all(isinstance(s, list) and len(s) == 2 for s in v):
            problems.append(f"{where}: {v!r} is not a dated path; expected [[date, number], ...]")
            return None
        return [(str(d), x) for d, x in v]
    return v


def load_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file; returns its runs (every override is validated against the scenario).

    Every problem of the file is reported at once, one line each (file: key: what is wrong).
    """
    if not isinstance(path, (str, Path)):
        raise SweepError(f"{str(path)[:40]!r} ({type(path).__name__}) is not a sweep file; expected a path")
    p = Path(path)
    if not p.is_file():
        raise SweepError(f"{p}: no such sweep file")
    raw = parse_toml(str(p), read_text(p, str(p), SweepError), SweepError)
    problems: list[str] = []
    for k, v in list(raw.items()):
        if k not in _KEYS:
            problems.append(f"unknown key {k!r}; allowed: {', '.join(_KEYS)}")
            del raw[k]
        elif not isinstance(v, _KEYS[k]) or (isinstance(v, bool) and _KEYS[k] is not bool):
            problems.append(f"{k} = {v!r} has the wrong type; expected {_TYPE_NAMES[k]}")
            del raw[k]
    name = raw.get("name", name_from_stem(p.stem))
    problem = name_problem(name)
    if problem:
        problems.append(f"name: {problem}")
    years, scale = float(raw.get("years", 10)), float(raw.get("scale", 0.01))
    reps, seed = int(raw.get("replicates", 1)), int(raw.get("seed", 0))
    freq = raw.get("freq", "MS")
    if not 0 < years <= 50:
        problems.append(f"years = {years:g} is out of range; expected 0 < years <= 50")
    if not 0 < scale <= 1:
        problems.append(f"scale = {scale:g} is out of range; expected 0 < scale <= 1")
    if not 0 <= seed < 2**63:
        problems.append(f"seed = {seed} is out of range; expected 0 to {2**63 - 1}")
    if reps < 1:
        problems.append(f"replicates = {reps} is out of range; expected at least 1")
    if freq not in ("MS", "D"):
        problems.append(f"freq = {freq!r} is not allowed; expected MS or D")
    points = _points(raw, problems)
    if not points and not problems:
        problems.append("no points; give a [grid] table or [[points]]")
    names = [n for n, _ in points]
    dup = next((n for n in names if names.count(n) > 1), None)
    if dup:
        problems.append(f"two points are both named {dup!r}")
    scen = raw.get("scenario", "baseline")
    rel = p.parent / scen
    try:
        base = load_scenario(rel if rel.suffix == ".toml" and rel.is_file() else scen)
    except ScenarioError as e:
        raise _error(p, problems + str(e).splitlines()) from None
    from ..scenario.schema import sample_problem

    empty = sample_problem(base, scale)
    if empty:
        problems.append(empty.replace(f"scale {scale:g}", f"scale = {scale:g}", 1))
        points = []
    specs = []
    for (pname, ov), where in zip(points, _wheres(raw)):
        if any(v is None for v in ov.values()):  # already reported
            continue
        try:
            specs.append(make_run(base, ov, seed=seed, years=years, scale=scale, freq=freq,
                                  fixed_params=bool(raw.get("fixed_params", False)), replicates=reps, sweep=name,
                                  point=pname))
        except RemovalsimInputError as e:
            for line in str(e).splitlines():
                line = line.removeprefix("override: ")
                about_a_value = any(line.startswith((f"{k}: value", f"{k}: step")) for k in ov)
                # a grid value is wrong in every combination (reported once); a check across parameters
                # names the combination that fails it
                problems.append(f"{where if where != 'grid' or about_a_value else f'grid point {_label(ov)}'}: {line}")
    if problems:
        raise _error(p, problems)
    ids = [s.run_id for s in specs]
    dup = next((s.point for s in specs if ids.count(s.run_id) > 1), None)
    if dup:
        raise SweepError(f"{p}: point {dup!r} repeats another point's overrides")
    return Sweep(name, specs, raw.get("out"), str(p))


_TYPE_NAMES = {k: {str: "text", bool: "true or false", int: "a whole number", dict: "a table",
                   list: "a list of tables"}.get(t, "a number") for k, t in _KEYS.items()}  # type: ignore[call-overload]


def _error(p: Path, problems: list[str]) -> SweepError:
    """One SweepError, one line per distinct problem, each naming the file."""
    lines = list(dict.fromkeys(problems))
    if len(lines) > 30:
        lines = lines[:29] + [f"and {len(lines) - 29} more problems"]
    return SweepError("\n".join(f"{p}: {line}" for line in lines))


def _points(raw: dict[str, Any], problems: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(name, overrides) of every grid combination, then every [[points]] entry; bad values go to `problems`."""
    points: list[tuple[str, dict[str, Any]]] = []
    axes = []
    for key, values in raw.get("grid", {}).items():
        if not isinstance(values, list) or not values:
            problems.append(f"grid.{key} must be a non-empty list of values")
            continue
        axes.append([(key, _value(v, f"grid.{key}", problems)) for v in values])
    if axes:
        for combo in itertools.product(*axes):
            ov = dict(combo)
            points.append((_label(ov), ov))
    for i, pt in enumerate(raw.get("points", [])):
        if not isinstance(pt, dict) or set(pt) - {"name", "overrides"}:
            problems.append(f"points[{i}] must be a table with name and overrides")
            continue
        if not isinstance(pt.get("overrides", {}), dict):
            problems.append(f"points[{i}].overrides = {pt['overrides']!r} is not allowed; expected a table such as "
                            "{ \"court.judges\" = 1434 }")
            continue
        ov = {k: _value(v, f"points[{i}].overrides.{k}", problems) for k, v in pt.get("overrides", {}).items()}
        points.append((str(pt.get("name", _label(ov))), ov))
    return points


def _wheres(raw: dict[str, Any]) -> list[str]:
    """Where each point of `_points` comes from, for messages: "grid" or "points[i]"."""
    n_grid = len(list(itertools.product(*raw.get("grid", {}).values()))) if raw.get("grid") else 0
    return ["grid"] * n_grid + [f"points[{i}]" for i in range(len(raw.get("points", [])))]
