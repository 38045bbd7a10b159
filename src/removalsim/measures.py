"""The one catalogue of what the outputs report: each measure's name, section, label, unit and how it is
computed from a `Result` (whole-country figures).

Two kinds, both read only from a Result (and, for two due-process measures, the scenario
the run used):

- *series* measures (`SERIES`): a value per table period, summed over groups; flows and
  costs are sums over the period, stocks the value at its end. The yearly summary
  (`yearly`, `Result.summary()`), the fan charts and bands over time, `sensitivity --output`
  and the catalogue's per-year bands read these.
- *horizon* measures (`HORIZON`): one number per run (per year over the horizon, at the end,
  a median wait), for `compare`, `china` and the report.

>>> label("court_backlog")
('Backlog and detention', 'court backlog', 'cases')
>>> label("cost_loaded_per_removal")
('Cost', 'cost per removal, fully loaded', 'USD')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from .formatting import place
from .vocabulary import BACKLOG, CUSTODY, Cost, label as vocab_label, measure_names

if TYPE_CHECKING:  # pandas is imported where it is used, so the command line can read names and labels fast
    import pandas as pd

    from .results import Result

CUSTODY_STOCKS = measure_names(CUSTODY)
BACKLOG_STOCKS = measure_names(BACKLOG)


@dataclass(frozen=True)
class Measure:
    """A reported measure. `series(res)` gives sample-unit values per table period (None for horizon measures);
    `horizon(res, sc)` one whole-country number per run (None for series measures)."""

    name: str
    section: str
    label: str
    unit: str
    stock: bool = False
    series: Callable[[Result], pd.Series] | None = None
    horizon: Callable[[Result, Any], float] | None = None


def _stocks(*measures: str) -> Callable[[Result], pd.Series]:
    return lambda res: sum(res.total("stocks", m) for m in measures)


def _flow(table: str, measure: str) -> Callable[[Result], pd.Series]:
    return lambda res: res.total(table, measure)


def _interior(res: Result) -> pd.Series:
    return res.total("flows", "removed") - res.total("flows", "removed_border")


def _cost_label(c: Cost) -> str:
    """A cost component's name, with the abbreviation the record uses for alternatives to detention (ATD)."""
    return vocab_label(c) + (" (ATD)" if c == Cost.ATD else "")


_SERIES = [
    Measure("removals", "Removals", "removals (ICE definition: interior and border-origin)", "people",
            series=_flow("flows", "removed")),
    Measure("removals_border", "Removals", "border-origin removals (CBP apprehension, no ICE arrest)", "people",
            series=_flow("flows", "removed_border")),
    Measure("removals_interior", "Removals", "interior removals (after an ICE arrest)", "people", series=_interior),
    Measure("court_backlog", "Backlog and detention", "court backlog", "cases", True, _stocks(*BACKLOG_STOCKS)),
    Measure("detained", "Backlog and detention", "people in detention", "people", True, _stocks(*CUSTODY_STOCKS)),
    Measure("final_orders_unexecutable", "Due process", "final orders that cannot be executed", "people", True,
            _stocks("final_order_unexecutable")),
    Measure("final_orders_at_large", "Backlog and detention", "final orders, at large", "people", True,
            _stocks("final_order")),
    *(Measure(f"cost_{c.name.lower()}_usd", "Cost", f"cost: {_cost_label(c)} (marginal)", "USD",
              series=_flow("costs", c.name.lower())) for c in Cost),
    Measure("cost_loaded_usd", "Cost", "total cost, fully loaded (funded capacity plus per-use costs)", "USD",
            series=lambda res: loaded_costs(res).sum(axis=1)),
]
SERIES: dict[str, Measure] = {m.name: m for m in _SERIES}
SUMMARY = tuple(SERIES)  # the columns of Result.summary(), in order
TOTAL_COST = Measure("cost_total_usd", "Cost", "total cost (marginal: what is used)", "USD",
                     series=lambda res: res.costs.groupby("date")["value"].sum())

# The two cost bases. Marginal: what a run uses (bed-days used, arrests made, completions decided, flights
# flown). Fully loaded: what is funded whether used or not (every funded bed-day, every officer and judge on
# the payroll, every ATD place, every scheduled charter), plus what is bought per use (travel documents,
# appeals, land transport, extra charters, stipends).
LOADED_FUNDED = {"arrest": ("officer_days", "officer_year"), "detention": ("bed_days", "bed_day"),
                 "atd": ("atd_place_days", "atd_day"), "court": ("judge_days", "judge_year")}


def loaded_costs(res: Result) -> pd.DataFrame:
    """Per table period and cost component: the fully loaded cost (sample units, USD).

    Computed once per result and kept on it (a run's measures ask for it several times); callers get a copy.
    """
    cached = res.__dict__.get("_loaded_costs")
    if cached is None:
        cached = res.__dict__["_loaded_costs"] = _loaded_costs(res)
    return cached.copy()


def _loaded_costs(res: Result) -> pd.DataFrame:
    import pandas as pd

    cap, unit = res.capacity, res.meta["unit_costs"]
    marginal = res.costs.pivot_table(index="date", columns="measure", values="value", aggfunc="sum",
                                     observed=True)
    out = marginal.copy()
    for component, (measure, price) in LOADED_FUNDED.items():
        amount = cap[cap["measure"] == measure].groupby("date")["value"].sum()
        per_day = unit[price] / 365.25 if price.endswith("_year") else unit[price]
        out[component] = (amount * per_day).reindex(out.index, fill_value=0.0)
    scheduled = cap[cap["measure"] == "scheduled_flights"].pivot_table(index="date", columns="group", values="value")
    flown = cap[cap["measure"] == "flights_flown"].pivot_table(index="date", columns="group", values="value")
    idle = (scheduled - flown.reindex_like(scheduled).fillna(0)).clip(lower=0)  # charters paid, not flown
    price = pd.Series(unit["flight"]).reindex(idle.columns).fillna(0)
    out["transport"] = out["transport"] + (idle * price).sum(axis=1).reindex(out.index, fill_value=0.0)
    return out


def fiscal_year_numbers(dates: Any) -> np.ndarray:
    """The U.S. federal fiscal year (October to September) of each date: 2024-10-01 is in 2025."""
    import pandas as pd

    d = pd.DatetimeIndex(dates)
    return np.asarray(d.year + (d.month >= 10), dtype=int)


def fiscal_years(res: Result) -> pd.DataFrame:
    """The fiscal years a run covers (index: 2025, 2026, ...): first and last simulated day, days simulated and
    whether that is only part of the year (the first and last usually are; their figures are not annualised)."""
    import pandas as pd

    start = pd.Timestamp(res.meta["start_date"])
    days = pd.date_range(start, periods=int(res.meta["days"]), freq="D")
    fy = pd.Series(fiscal_year_numbers(days), index=days)
    g = fy.groupby(fy.to_numpy())
    out = pd.DataFrame({"first": g.apply(lambda s: s.index.min()), "last": g.apply(lambda s: s.index.max()),
                        "days": g.size()})
    full = [(pd.Timestamp(f"{y}-09-30") - pd.Timestamp(f"{y - 1}-10-01")).days + 1 for y in out.index]
    out["partial"] = out["days"].to_numpy() < np.asarray(full)
    out.index.name = "fiscal_year"
    return out


def yearly(res: Result) -> pd.DataFrame:
    """Per U.S. federal fiscal year (index `year`: 2025 for FY2025, October to September), scaled to the whole
    country: every SUMMARY measure (flows summed over the days simulated in the year, stocks at its end). The
    first and last fiscal years are usually partial; `df.attrs["partial"]` maps each to its days simulated
    ("2025-01-20 to 2025-09-30, 254 days"), and nothing is annualised."""
    import pandas as pd

    k = 1.0 / res.scale
    out = pd.DataFrame()
    for m in SERIES.values():
        if m.name == "cost_loaded_usd" and "unit_costs" not in res.meta:
            continue  # a Result written before the funded capacity was recorded
        s = m.series(res)  # type: ignore[misc]
        g = s.groupby(fiscal_year_numbers(s.index))
        out[m.name] = (g.last() if m.stock else g.sum()) * k
    out.index.name = "year"
    out.attrs["partial"] = partial_years(res)
    return out


def partial_years(res: Result) -> dict[int, str]:
    """The fiscal years the run covers only in part, each with what it covers: {2025: '2025-01-20 to 2025-09-30,
    254 days'}."""
    fy = fiscal_years(res)
    return {int(y): f"{r['first']:%Y-%m-%d} to {r['last']:%Y-%m-%d}, {int(r['days'])} days"
            for y, r in fy[fy["partial"]].iterrows()}


def _measure_names(table: pd.DataFrame) -> set[str]:
    """The measures a tidy table can hold: its categories (a daily table has millions of rows to look through)."""
    col = table["measure"]
    return set(map(str, col.cat.categories if hasattr(col, "cat") else col.unique()))


def series(res: Result, name: str) -> pd.Series:
    """One measure of one run at table frequency, whole country: a SERIES measure, cost_total_usd, or any flow
    or stock name. Monthly flow sums leave out the part-months at the start and end (they are not monthly figures).
    """
    import pandas as pd

    if name in SERIES or name == TOTAL_COST.name:
        m = SERIES.get(name, TOTAL_COST)
        s, is_stock = m.series(res), m.stock  # type: ignore[misc]
    elif name in _measure_names(res.flows):
        s, is_stock = res.total("flows", name), False
    elif name in _measure_names(res.stocks):
        s, is_stock = res.total("stocks", name), True
    else:
        raise KeyError(f"unknown measure {name!r}; expected one of {', '.join(list(SERIES) + [TOTAL_COST.name])}, "
                       "or a flow or stock name")
    s = s.astype(float) / res.scale
    if not is_stock and res.meta.get("freq", "MS") == "MS":
        start = pd.Timestamp(res.meta["start_date"])
        end = start + pd.Timedelta(days=int(res.meta["days"]))
        s = s[(s.index >= start) & (s.index + pd.offsets.MonthBegin(1) <= end)]
    return s


# -- horizon measures ------------------------------------------------------------------------------
def er_claim_share(sc) -> float:
    """Share of expedited removal orders given to people who claimed fear and were screened out.

    Fear claims and screening are independent draws with the scenario's shares c and p,
    so of the ER orders a share c(1-p) / (1 - c p) had a claim.
    """
    c = sc.expedited_removal.fear_claim_share.number()
    p = sc.expedited_removal.fear_pass_share.number()
    return c * (1 - p) / (1 - c * p) if c * p < 1 else 0.0


def _median_wait(res: Result, measure: str) -> float:
    waits = res.waits
    w = waits[waits["measure"] == measure].groupby("bin_days")["count"].sum().sort_index()
    if w.sum() == 0:
        return float("nan")
    cum = w.cumsum() / w.sum()
    return float(cum.index[int(np.searchsorted(cum.to_numpy(), 0.5))]) + 3.5  # middle of the 7-day bin


def _per_year(*flows: str, table: str = "flows") -> Callable[[Result, Any], float]:
    def f(res: Result, sc: Any) -> float:
        df = getattr(res, table)
        total = float(df[df["measure"].isin(flows)]["value"].sum())
        return total / res.scale / float(res.meta["years"])
    return f


def _total_cost(res: Result, sc: Any) -> float:
    return float(res.costs["value"].sum()) / res.scale / float(res.meta["years"])


def _cost_per_removal(res: Result, sc: Any) -> float:
    removals = _per_year("removed")(res, sc)
    return _total_cost(res, sc) / removals if removals else float("nan")


def _loaded_total(res: Result, sc: Any) -> float:
    return float(loaded_costs(res).to_numpy().sum()) / res.scale / float(res.meta["years"])


def _loaded_per_removal(res: Result, sc: Any) -> float:
    removals = _per_year("removed")(res, sc)
    return _loaded_total(res, sc) / removals if removals else float("nan")


def _end(name: str) -> Callable[[Result, Any], float]:
    return lambda res, sc: float(SERIES[name].series(res).iloc[-1]) / res.scale  # type: ignore[misc]


def _detained_mean(res: Result, sc: Any) -> float:
    return float(SERIES["detained"].series(res).mean()) / res.scale  # type: ignore[misc]


_DP, _PY = "Due process", "people/yr"
_HORIZON = [
    Measure("removals_per_year", "Removals", "removals per year", _PY, horizon=_per_year("removed")),
    Measure("border_removals_per_year", "Removals", "border-origin removals per year", _PY,
            horizon=_per_year("removed_border")),
    Measure("voluntary_returns_per_year", "Removals", "voluntary returns at the border per year (not removals)", _PY,
            horizon=_per_year("voluntary_return")),
    Measure("self_departures_per_year", "Removals", "self-departures per year", _PY,
            horizon=_per_year("self_departure", "vd_departed")),
    Measure("relief_per_year", "Removals", "relief granted per year", _PY,
            horizon=_per_year("relief_granted", "appeal_reversed")),
    Measure("cost_total_per_year", "Cost", "total cost per year (marginal)", "USD/yr", horizon=_total_cost),
    *(Measure(f"cost_{c.name.lower()}_per_year", "Cost", f"cost: {_cost_label(c)} per year (marginal)", "USD/yr",
              horizon=_per_year(c.name.lower(), table="costs")) for c in Cost),
    Measure("cost_per_removal", "Cost", "cost per removal, marginal (all costs / removals)", "USD",
            horizon=_cost_per_removal),
    Measure("cost_loaded_per_year", "Cost", "total cost per year (fully loaded)", "USD/yr", horizon=_loaded_total),
    Measure("cost_loaded_per_removal", "Cost", "cost per removal, fully loaded", "USD", horizon=_loaded_per_removal),
    Measure("court_backlog_end", "Backlog and detention", "court backlog at the end", "cases",
            horizon=_end("court_backlog")),
    Measure("detained_mean", "Backlog and detention", "people in detention, average", "people",
            horizon=_detained_mean),
    Measure("detained_end", "Backlog and detention", "people in detention at the end", "people",
            horizon=_end("detained")),
    Measure("wait_arrest_to_removal_days", "Waiting times", "arrest to removal, median", "days",
            horizon=lambda res, sc: _median_wait(res, "arrest_to_removal_days")),
    Measure("wait_filing_to_decision_days", "Waiting times", "case filing to decision, median", "days",
            horizon=lambda res, sc: _median_wait(res, "filing_to_decision_days")),
    Measure("removed_in_absentia_per_year", _DP, "removals after an in-absentia order per year", _PY,
            horizon=_per_year("removed_in_absentia")),
    Measure("in_absentia_orders_per_year", _DP, "in-absentia orders per year", _PY,
            horizon=_per_year("in_absentia_order")),
    Measure("orders_without_counsel_per_year", _DP, "removal orders for people without counsel per year", _PY,
            horizon=lambda res, sc: _checkpoint_end(res, "ordered_without_counsel") / float(res.meta["years"])),
    Measure("removed_unrepresented_per_year", _DP, "removals after an order without counsel per year", _PY,
            horizon=_per_year("removed_unrepresented")),
    Measure("expedited_removal_orders_per_year", _DP, "expedited removal orders (no hearing) per year", _PY,
            horizon=_per_year("expedited_removal_order")),
    Measure("removed_via_er_per_year", _DP, "removals via expedited removal per year", _PY,
            horizon=_per_year("removed_via_er")),
    Measure("pending_relief_removed_via_er_per_year", _DP, "people with a fear (asylum) claim removed via ER "
            "per year", _PY, horizon=lambda res, sc: _per_year("removed_via_er")(res, sc) * er_claim_share(sc)),
    Measure("removed_with_usc_family_per_year", _DP, "removed people with U.S.-citizen family per year", _PY,
            horizon=_per_year("removed_with_usc_family")),
    Measure("usc_relatives_of_removed_per_year", _DP, "U.S.-citizen spouses and children of removed people "
            "per year", _PY, horizon=lambda res, sc: _per_year("removed_with_usc_family")(res, sc)
            * sc.population.usc_relatives_per_person.number()),
    Measure("final_orders_unexecutable_end", _DP, "final orders that cannot be executed, at the end", "people",
            horizon=_end("final_orders_unexecutable")),
]
HORIZON: dict[str, Measure] = {m.name: m for m in _HORIZON}
UNEXECUTABLE_PREFIX = "unexecutable_end:"  # + group: final orders that cannot be executed, by country
COHORT_KINDS = ("cohort_size", "cohort_final_order", "cohort_removed", "cohort_pending", "cohort_legalized")


def _checkpoint_end(res: Result, measure: str) -> float:
    cp = res.checkpoints
    last = cp[(cp["years"] == cp["years"].max()) & (cp["measure"] == measure)]
    return float(last["value"].sum()) / res.scale


def horizon_values(res: Result, sc: Any, cohort_years: tuple[float, ...] | list[float] = ()) -> dict[str, float]:
    """Every horizon measure of one run, plus removals in each fiscal year (`removals_fy2025`: the days simulated
    in it, not annualised), final orders that cannot be executed by
    country, and the recent-arrival cohort (all and China) at each of `cohort_years` and at the end."""
    out = {name: m.horizon(res, sc) for name, m in HORIZON.items()}  # type: ignore[misc]
    for y, v in yearly(res)["removals"].items():
        out[f"removals_fy{int(y)}"] = float(v)
    stocks = res.stocks
    last = stocks[(stocks["date"] == stocks["date"].max()) & (stocks["measure"] == "final_order_unexecutable")]
    for g, v in last.groupby("group", observed=True)["value"].sum().items():
        out[f"{UNEXECUTABLE_PREFIX}{g}"] = float(v) / res.scale
    out.update(_cohort(res, cohort_years))
    return out


def _cohort(res: Result, years: tuple[float, ...] | list[float]) -> dict[str, float]:
    """The recent-arrival cohort (people of the start-date population who entered within the recent-entrant
    window before the start), all and China, by where they stand at each checkpoint in `years` and at the end."""
    cp = res.checkpoints
    run_years = float(res.meta["years"])
    table = cp.groupby(["years", "measure"], observed=True)["value"].sum()
    china = cp[cp["group"] == "China"].groupby(["years", "measure"], observed=True)["value"].sum()
    recorded = set(table.index.get_level_values(0))
    out = {}
    for y in sorted({float(y) for y in years if 0 < y < run_years} | {run_years}):
        if y not in recorded:
            continue
        for m in COHORT_KINDS:
            out[f"{m}:all@{y:g}y"] = float(table[(y, m)]) / res.scale
            if "China" in res.meta["groups"]:
                out[f"{m}:China@{y:g}y"] = float(china.get((y, m), 0)) / res.scale
    return out


def label(name: str) -> tuple[str, str, str]:
    """(section, label, unit) of any measure: catalogued, per country, per year or cohort."""
    m = HORIZON.get(name) or SERIES.get(name) or (TOTAL_COST if name == TOTAL_COST.name else None)
    if m is not None:
        return m.section, m.label, m.unit
    if name.startswith(UNEXECUTABLE_PREFIX):
        return ("Final orders that cannot be executed, by country", place(name[len(UNEXECUTABLE_PREFIX):]), "people")
    if name.startswith("removals_fy"):
        return ("Removals", f"removals in FY{name.removeprefix('removals_fy')}", "people")
    if name.startswith("cohort_"):
        return ("Recent arrivals (entered within the recent-entrant window before the start)", name, "people")
    return ("Other", name.replace("_", " "), "")
