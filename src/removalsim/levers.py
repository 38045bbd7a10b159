"""What each capacity buys: marginal returns per +10% of a lever and per $1 billion a year (fully loaded).

For one scenario, each *lever* (a capacity the government can buy or negotiate: officers, beds,
judges, flights, a country's travel documents, ...) is raised by 10% over its whole dated path, and
the changed scenario is run replicate by replicate with the same random numbers and parameter draws
as the unchanged one (common random numbers, `compare.run_scenarios`). Per replicate r:

    effect_r   = measure(changed, r) - measure(base, r)             per +10% of the lever
    cost_r     = fully loaded cost per year(changed, r) - (base, r)
    per_bn_r   = effect_r / cost_r x $1 billion                     per $1 billion a year

The tables give the median across replicates and its interval (`formatting.interval`: the 90% band
with 10 or more replicates, else the range of the replicates). A lever is *priced* when the fully
loaded basis pays for the capacity itself (officers and judges on the payroll, funded beds,
scheduled charters, stipends paid); the others are rates the model does not buy (arrests per
officer-day, court productivity, the Board's pace, a country's documents, land capacity): their added
cost is only the extra work they cause, so no "per $1 billion" is given for them and they are ranked
after the priced ones, by removals per +10%.

Why not "the binding stage": a stage at capacity can hold people because a later one is full (beds
held by people waiting for documents), so the label can point at a lever that buys little. The
marginal return is what a reader asks: what another billion, spent here or there, would buy.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from .formatting import interval, place
from .scenario import Scenario, load_scenario

STEP = 0.10  # each lever is raised by 10%
BILLION = 1e9
MIN_COST = 1e6  # a paired cost change under $1 million a year gives no "per $1 billion" (nothing was bought)

# The measures reported for each lever, in order: the horizon measures of `removalsim.measures`.
OUTCOMES = ("removals_per_year", "cost_loaded_per_year", "court_backlog_end", "wait_arrest_to_removal_days",
            "wait_filing_to_decision_days", "detained_mean", "orders_without_counsel_per_year",
            "removed_in_absentia_per_year", "pending_relief_removed_via_er_per_year",
            "usc_relatives_of_removed_per_year", "final_orders_unexecutable_end")
COST = "cost_loaded_per_year"
# The levers of the report: the national capacities, and documents and flights for every country and region
REPORT_LEVERS = ("officers", "arrests_per_officer", "beds", "judges", "court_productivity", "bia", "documents",
                 "flights", "stipend")


@dataclass(frozen=True)
class Lever:
    """One capacity: a key, a reader's label, the scenario paths it scales, and whether the money buys it."""

    key: str
    label: str
    paths: tuple[str, ...]
    priced: bool
    transform: str = "scale"  # "scale": x -> x (1 + step); "stipend": the amount so, and the multiplier's excess over 1


def levers_of(sc: Scenario) -> list[Lever]:
    """Every lever the scenario has: the national capacities, then documents by country and transport by region."""
    out = [
        Lever("officers", "ICE officers", ("arrests.officers",), True),
        Lever("arrests_per_officer", "arrests per officer-day", ("arrests.arrests_per_officer_day",), False),
        Lever("beds", "detention beds", ("detention.beds",), True),
        Lever("judges", "immigration judges", ("court.judges",), True),
        Lever("court_productivity", "court completions per judge-day", ("court.completions_per_judge_day",), False),
        Lever("bia", "Board of Immigration Appeals capacity", ("appeals.completions_per_day",), False),
    ]
    docs = tuple(f"groups.{g}.doc_monthly_capacity" for g in sc.groups)
    out.append(Lever("documents", "travel documents, every country", docs, False))
    for g, path in zip(sc.groups, docs):
        out.append(Lever(f"documents.{g}", f"travel documents, {place(g)}", (path,), False))
    flights: dict[str, tuple[str, ...]] = {}
    for r, region in sc.transport.air.items():
        flights[r] = (f"transport.air.{r}.flights_per_week",)
        if region.max_flights_per_week is not None:
            flights[r] += (f"transport.air.{r}.max_flights_per_week",)
    out.append(Lever("flights", "charter flights, every region", sum(flights.values(), ()), True))
    for r, paths in flights.items():
        out.append(Lever(f"flights.{r}", f"charter flights, {place(r)}", paths, True))
    for r in sc.transport.land:
        out.append(Lever(f"land.{r}", f"land removals, {place(r)}", (f"transport.land.{r}.capacity_per_day",), False))
    out.append(Lever("stipend", "self-departure stipend (amount and its effect)",
                     ("self_departure.stipend_usd", "self_departure.stipend_multiplier"), True, "stipend"))
    return out


def _numbers(table: dict) -> list[float]:
    steps = table.get("steps")
    return [float(s["value"]) for s in steps] if steps else [float(table.get("value", 0.0))]


def _changed_table(table: dict, f: Callable[[float], float]) -> dict:
    """A parameter table with its value (or every step), low and high mapped by `f`; dist and source kept,
    so replicate r draws the changed parameter from the same quantile as the unchanged one."""
    new = copy.deepcopy(table)
    if new.get("steps"):
        new["steps"] = [dict(s, value=f(float(s["value"]))) for s in new["steps"]]
    else:
        new["value"] = f(float(new["value"]))
    for k in ("low", "high"):
        if isinstance(new.get(k), (int, float)):
            new[k] = f(float(new[k]))
    return new


def _raw_param(raw: dict, path: str) -> dict:
    parts = path.split(".")
    node: Any = raw
    for p in parts[:-1]:
        node = node[p]
    if parts[-1] in node:
        return node[parts[-1]]
    if parts[0] == "groups":  # inherited from group_defaults
        return raw["group_defaults"][parts[-1]]
    raise KeyError(path)


def applies(sc: Scenario, lever: Lever) -> bool:
    """Whether raising the lever changes anything: its capacity is not zero throughout (a stipend is paid)."""
    raw = sc._raw  # type: ignore[attr-defined]
    paths = lever.paths[:1] if lever.transform == "stipend" else lever.paths  # the amount, not its effect
    try:
        return any(v != 0 for p in paths for v in _numbers(_raw_param(raw, p)))
    except KeyError:
        return False


def _counted(path: str) -> bool:
    """Whether the parameter counts whole things (judges, officers, beds): a raised value is rounded."""
    from .uncertainty.sampling import _spec_for

    return bool(getattr(_spec_for(path), "count", False))


def raised(sc: Scenario, lever: Lever, step: float = STEP) -> Scenario:
    """`sc` with the lever raised by `step` over its whole path, named '<scenario>.<lever>'. Counts of whole
    things are rounded (734 judges + 10% = 807), so the change is within half a unit of `step`."""
    from .scenario.loader import validate

    k = 1.0 + step
    raw = copy.deepcopy(sc._raw)  # type: ignore[attr-defined]
    origins = dict(sc._origins)  # type: ignore[attr-defined]
    for path in lever.paths:
        excess = lever.transform == "stipend" and path.endswith("multiplier")
        f = (lambda x: 1.0 + (x - 1.0) * k) if excess else (lambda x: x * k)
        if _counted(path):
            f = (lambda g: lambda x: float(round(g(x))))(f)
        table = _changed_table(_raw_param(raw, path), f)
        parts = path.split(".")
        node = raw
        for p in parts[:-1]:
            node = node[p]
        node[parts[-1]] = table
        origins[path] = "override"
    raw["name"] = f"{sc.name}.{lever.key}"
    return validate(raw, origins)


def levels(sc: Scenario, changed: Scenario, lever: Lever) -> tuple[float, float, str, str]:
    """The lever's value before and after the change, its unit and since when: the last step of a dated path, which
    a run reaches and holds (mass_removal_650k's 15,000 officers from 2026, not its 6,000 at the start); summed over
    the countries or regions of a lever that spans them (the parameter of its first path in each)."""
    key = lever.paths[0].rsplit(".", 1)[1]
    paths = [p for p in lever.paths if p.rsplit(".", 1)[1] == key]
    last = lambda s, p: s.param(p).schedule()[-1]  # noqa: E731
    a = sum(float(last(sc, p)[1]) for p in paths)
    b = sum(float(last(changed, p)[1]) for p in paths)
    since = max(last(sc, p)[0] for p in paths)
    shown = "" if since <= sc.start_date else since.isoformat()
    return a, b, str(sc.param(paths[0]).unit), shown


def marginal_returns(scenario: Scenario | str, *, scale: float = 0.01, replicates: int = 10, seed: int = 0,
                     years: float = 3, levers: Sequence[str] | None = None, step: float = STEP,
                     fixed_params: bool = False, workers: int | None = None, scheduler: str | None = None,
                     out: str | Path | None = None,
                     progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """The change each lever makes per +10% and per $1 billion a year, ranked by removals per dollar.

    One row per lever and measure (`OUTCOMES`). Columns: rank, lever, label, priced, level,
    level_changed, level_unit, level_from (the lever's value before and after, its unit, and the date of that
    last step when it is later than the start: `levels`), measure, unit,
    base, changed (medians), effect (median paired difference per +10%), effect_low, effect_high,
    cost (median paired change in the fully loaded cost per year), per_bn, per_bn_low, per_bn_high
    (per $1 billion a year; NaN for levers the model does not price), replicates and interval
    ("90% band" or "range"). `levers`: keys of `levers_of` to run (default: all that apply).
    Levers whose capacity is zero throughout are left out; `df.attrs["skipped"]` names them.
    """
    from .compare.runner import run_scenarios
    from .measures import label

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    every = levers_of(sc)
    if levers is not None:
        known = {lv.key for lv in every}
        unknown = [k for k in levers if k not in known]
        if unknown:
            raise ValueError(f"unknown lever {unknown[0]!r}; expected one of {', '.join(sorted(known))}")
        every = [lv for lv in every if lv.key in set(levers)]
    chosen = [lv for lv in every if applies(sc, lv)]
    skipped = [lv.key for lv in every if not applies(sc, lv)]
    if not chosen:
        raise ValueError(f"no lever applies to {sc.name}: {', '.join(skipped)} are zero throughout")
    changed = [raised(sc, lv, step) for lv in chosen]
    runs = run_scenarios([sc, *changed], replicates, years, seed, scale, fixed_params=fixed_params,
                         workers=workers, scheduler=scheduler, out=out, progress=progress)
    wide = runs.wide()
    base = wide.loc[sc.name]
    rows = []
    for lv, ch in zip(chosen, changed):
        other = wide.loc[ch.name]
        dcost = (other[COST] - base[COST]).to_numpy(dtype=float)
        level = levels(sc, ch, lv)
        for m in OUTCOMES:
            d = (other[m] - base[m]).to_numpy(dtype=float)
            lo, hi, kind = interval(d)
            row: dict[str, Any] = {"lever": lv.key, "label": lv.label, "priced": lv.priced, "level": level[0],
                                   "level_changed": level[1], "level_unit": level[2], "level_from": level[3],
                                   "measure": m, "unit": label(m)[2],
                                   "base": float(np.nanmedian(base[m])), "changed": float(np.nanmedian(other[m])),
                                   "effect": float(np.nanmedian(d)), "effect_low": lo, "effect_high": hi,
                                   "cost": float(np.nanmedian(dcost)), "per_bn": np.nan, "per_bn_low": np.nan,
                                   "per_bn_high": np.nan, "replicates": int(np.isfinite(d).sum()), "interval": kind}
            if lv.priced and float(np.nanmedian(dcost)) > MIN_COST and m != COST:
                ok = dcost > MIN_COST
                ratio = np.where(ok, d / np.where(ok, dcost, 1.0) * BILLION, np.nan)
                lo, hi, _ = interval(ratio)
                row.update(per_bn=float(np.nanmedian(ratio)), per_bn_low=lo, per_bn_high=hi)
            rows.append(row)
    df = pd.DataFrame(rows)
    df = _ranked(df)
    df.attrs.update(scenario=sc.name, skipped=skipped, replicates=replicates, scale=scale, years=years,
                    seed=seed, step=step)
    return df


def _ranked(df: pd.DataFrame) -> pd.DataFrame:
    """Rank levers: priced ones by removals per $1 billion, then the others by removals per +10%."""
    rem = df[df["measure"] == "removals_per_year"].set_index("lever")
    priced = rem[rem["per_bn"].notna()].sort_values("per_bn", ascending=False).index.tolist()
    rest = rem[rem["per_bn"].isna()].sort_values("effect", ascending=False).index.tolist()
    order = {k: i + 1 for i, k in enumerate(priced + rest)}
    df = df.assign(rank=df["lever"].map(order))
    mpos = {m: i for i, m in enumerate(OUTCOMES)}
    df = df.assign(_m=df["measure"].map(mpos)).sort_values(["rank", "_m"]).drop(columns="_m")
    cols = ["rank"] + [c for c in df.columns if c != "rank"]
    return df[cols].reset_index(drop=True)


def headline(df: pd.DataFrame) -> pd.DataFrame:
    """One row per lever in rank order: removals and cost per +10%, removals per $1 billion (with intervals)."""
    rem = df[df["measure"] == "removals_per_year"].set_index("lever")
    return rem[["rank", "label", "priced", "effect", "effect_low", "effect_high", "cost", "per_bn", "per_bn_low",
                "per_bn_high", "replicates", "interval"]].sort_values("rank")
