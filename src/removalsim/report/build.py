"""Build the policy report: one self-contained HTML file that answers the six questions with numbers and bands.

Every number is a median across replicates with its 90% band (5th-95th percentile across
replicates); differences between scenarios are per-replicate differences under common
random numbers. Figures are embedded as base64 PNG; the file links to nothing outside.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..compare.bottleneck import AT_CAPACITY, CHAIN, STAGES, binding_summary
from ..compare.china import china_answers
from ..formatting import RANGE_BELOW, amount, exact, fmt, interval, money, nice, param_range, param_value
from ..uncertainty.bands import NINETY, bands_of
from ..measures import HORIZON, er_claim_share, label, partial_years
from ..compare.runner import Runs, differences, daily_bands
from ..vocabulary import Cost, names
from . import figures
from .template import TEMPLATE

SECTIONS = ("summary", "q1", "bottleneck", "q2", "q3", "q4", "q5", "q6", "record", "assumptions", "terms")
# The words a reader meets in the report, each said once in plain terms (the glossary at its end).
GLOSSARY = (
    ("ATD", "Alternatives to detention: ICE's supervision of people released onto the non-detained docket "
            "(check-ins, phone or ankle monitoring)."),
    ("BIA", "Board of Immigration Appeals: the body that hears appeals of immigration judges' decisions."),
    ("expedited removal (ER)", "Removal ordered by an immigration officer without a court hearing, for border "
                               "arrivals and, by policy, some recent entrants; a fear claim sends the case to court "
                               "if found credible."),
    ("final order", "A removal order that can no longer be appealed; 'cannot be executed' when the person's country "
                    "does not issue a travel document."),
    ("in absentia", "An order given when the respondent does not appear at the hearing."),
    ("backlog", "Cases pending before the immigration courts, detained and non-detained."),
    ("marginal cost", "What a run uses: bed-days used, arrests made, cases decided, charters flown."),
    ("fully loaded cost", "What is funded whether used or not (every funded bed, officer, judge, ATD place and "
                          "scheduled charter) plus what is bought per use."),
    ("fiscal year (FY)", "The U.S. federal year from October 1 to September 30: FY2026 runs from 2025-10-01. A year "
                         "the run covers only in part is marked 'part' and is not annualised."),
    ("replicate", "One run of the model with its own random numbers and parameter draws; replicate r of every "
                  "scenario shares them (common random numbers)."),
    ("paired difference", "Scenario minus reference within the same replicate; the report gives the median of these "
                          "differences, which need not equal the difference of the two medians."),
    ("90% band, range", "The 5th to 95th percentile of the replicates' values; with fewer than 10 replicates the "
                        "report gives their lowest and highest instead and calls it a range."),
    ("lever", "A capacity raised by 10% to see what it buys (officers, beds, judges, flights, documents ...); "
              "'not priced' when the model does not buy it (a rate such as court productivity)."),
    ("utilisation", "What a stage served in a month divided by what it could serve."),
    ("scale", "The share of the country simulated (0.01: one person in a hundred); every figure is scaled back to "
              "the whole country."),
)
CHINA_MIN_SCALE = 0.02  # below it the China group is too small to answer its questions (`removalsim china --help`)
DUE_PROCESS = [name for name, m in HORIZON.items() if m.section == "Due process"]
KEY_DIFFS = ["removals_per_year", "self_departures_per_year", "cost_total_per_year", "cost_per_removal",
             "court_backlog_end", "detained_mean", "wait_arrest_to_removal_days", "wait_filing_to_decision_days",
             "orders_without_counsel_per_year", "removed_in_absentia_per_year", "removed_via_er_per_year",
             "usc_relatives_of_removed_per_year", "final_orders_unexecutable_end"]
DEBATE_FIGURES = ("cost-per-removal-dhs-2025", "cost-per-removal-pwbm-2025", "cost-per-removal-aic-2024",
                  "cost-per-removal-cap-2010", "obbba-immigration-total-2025", "ice-budget-pre-obbba-2025",
                  "ice-removals-fy2024")


def band(vals, unit: str = "") -> str:
    """'median [low to high]' of replicate values: the 90% band from 10 replicates, else their range
    (`formatting.interval`)."""
    b = bands_of(vals, levels=("median",))
    if math.isnan(b["median"]):
        return "-"
    lo, hi, _ = interval(vals)
    if nice(lo, unit) == nice(hi, unit):  # not "[2,520,000 to 2,520,000]"
        return f"{nice(b['median'], unit)} (every replicate)"
    return f"{nice(b['median'], unit)} [{nice(lo, unit)} to {nice(hi, unit)}]"


def _vals(runs: Runs, scenario: str, measure: str) -> np.ndarray:
    m = runs.measures
    return m[(m["scenario"] == scenario) & (m["measure"] == measure)]["value"].to_numpy()


def _table(runs: Runs, measures: list[str]) -> dict:
    rows = []
    for meas in measures:
        _, lab, unit = label(meas)
        rows.append({"label": lab, "cells": [band(_vals(runs, n, meas), unit) for n in runs.names]})
    return {"head": runs.names, "rows": rows}


def _param_rows(sc) -> dict[str, object]:
    return dict(sc.params_by_path())


def cite(stat_id: str) -> dict:
    """How the report cites a statistic: its id, what it is, a link to its primary source where the table holds
    one, the intermediary it was read through (named, linked where known), and why there is no primary link."""
    from ..data import NO_URL_REASONS, get

    sid = stat_id.removeprefix("stats:")
    try:
        row = get(sid)
    except KeyError:
        return {"id": sid, "text": stat_id, "url": None, "via": "", "via_url": None, "no_url": ""}

    def link(value) -> str | None:
        return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None

    reason = row.get("no_url") or ""
    return {"id": sid, "text": f"{row['source_org']}: {row['document']}; {exact(row['value'])} {row['unit']}, "
                              f"{row['period']}", "url": link(row.get("url")),
            "via": row.get("via") or "", "via_url": link(row.get("via_url")),
            "no_url": _NO_URL_WORDS.get(reason, reason) if reason in NO_URL_REASONS else ""}


#: What the report says where a statistic has no primary link (keys: the table's ``no_url`` reasons).
_NO_URL_WORDS = {"derived": "derived from other figures", "assumption": "an assumption",
                 "not-published": "no public source document", "not-located": "source address not recorded"}


def _source(p) -> list[dict]:
    """A parameter's sources: statistics cited as `cite` gives them, anything else (assumption, calibration) as text."""
    return [cite(s) if s.startswith("stats:") else {"id": "", "text": s, "url": None, "via": "", "via_url": None,
                                                      "no_url": ""}
            for s in p.sources]


def _param_dict(path: str, p) -> dict:
    rng = param_range(p)
    return {"path": path, "value": param_value(p), "unit": p.unit, "sources": _source(p), "note": p.note or "",
            "range": rng}


def assumptions(runs: Runs) -> dict:
    """Per scenario, the parameters that differ from the first scenario; and the first one's full list."""
    base = _param_rows(runs.scenarios[0])
    changed = []
    for sc in runs.scenarios[1:]:
        mine = _param_rows(sc)
        diff = [_param_dict(k, p) for k, p in mine.items() if k not in base or base[k] != p]
        changed.append({"name": sc.name, "description": sc.description, "params": diff})
    full = [_param_dict(k, p) for k, p in base.items()]
    return {"base": runs.scenarios[0].name, "base_description": runs.scenarios[0].description,
            "changed": changed, "full": full}


def _binding_rows(runs: Runs, util: dict[str, pd.DataFrame]) -> list[dict]:
    rows = []
    for name, df in util.items():
        counts = df["binding"].value_counts(normalize=True)
        last = df["binding"].iloc[-12:].value_counts().index[0]
        first = {s: next((d.strftime("%Y-%m") for d, b in df["binding"].items() if b == s), "never")
                 for s in CHAIN[1:]}
        rows.append({"name": name, "last": last, "shares": {s: f"{counts.get(s, 0):.0%}" for s in ("none",) + CHAIN},
                     "first": first,
                     "util": {s: f"{df[s].iloc[-12:].mean():.0%}" for s in STAGES}})
    return rows


def build_report(runs: Runs, path: str | Path, title: str | None = None, validation=None, history=None,
                 levers: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the report for `runs` (the first scenario is the reference) to `path`; returns the path.

    `levers`: per scenario, its `removalsim.levers.marginal_returns` table (default: every scenario's, run with
    the report's replicates, horizon, scale and seed over `levers.REPORT_LEVERS`).

    `validation`: the `removalsim.validate` table to show (default: run at the report's replicates, scale and
    seed, as `removalsim validate` prints it). `history`: the `removalsim.backtest.engine` table (default: run
    likewise, as `removalsim backtest` prints it).
    """
    from jinja2 import Environment

    from .. import __version__
    from ..backtest.engine import NO_BAR, run_history, summary_lines
    from ..validate import fitted_parameters, misses_explained, validate

    names_ = runs.names
    base = names_[0]
    util = {n: binding_summary(runs.util[n]) for n in names_}
    ctx: dict = {"title": title or "Removal system: what binds, what it costs, who is affected",
                 "generated": dt.date.today().isoformat(), "version": __version__, "names": names_, "base": base,
                 "replicates": runs.replicates, "years": f"{runs.years:g}", "scale": f"{runs.scale:g}",
                 "seed": runs.seed, "at_capacity": f"{AT_CAPACITY:.0%}", "sections": SECTIONS,
                 "interval": ("90% band (5th to 95th percentile)" if runs.replicates >= RANGE_BELOW else
                              f"range (lowest to highest; below {RANGE_BELOW} replicates a 90% band would mean "
                              "little)"),
                 "interval_short": "90% band" if runs.replicates >= RANGE_BELOW else "range",
                 "descriptions": {s.name: s.description for s in runs.scenarios}}
    # Q1: removals and what binds
    year_measures = sorted({m for m in runs.measures["measure"] if m.startswith("removals_fy")})
    ctx["q1"] = _table(runs, ["removals_per_year"] + year_measures)
    partial = partial_years(runs.results[base][0])
    for row, m in zip(ctx["q1"]["rows"][1:], year_measures):  # a fiscal year covered in part says so
        span = partial.get(int(m.removeprefix("removals_fy")))
        if span:
            row["label"] += f" (part of the year: {span}; not annualised)"
    ctx["fig_removals"] = figures.fan({n: daily_bands(runs, n, "flows:removed") for n in names_},
                                      "Removals a year at each whole month's pace (median and band)",
                                      "removals a year",
                                      per_year=365.25)
    if levers is None:
        levers = lever_tables(runs)
    ctx["levers"] = [lever_section(name, df) for name, df in levers.items()]
    ctx["binding"] = _binding_rows(runs, util)
    ctx["fig_bottleneck"] = [figures.bottleneck(n, util[n]) for n in names_]
    res0 = runs.results[names_[-1]][0]
    k = 1 / res0.scale
    ctx["composition_name"] = names_[-1]
    ctx["composition_beds"] = ctx["binding"][-1]["util"]["beds"]
    ctx["fig_composition"] = figures.composition(
        {lab: res0.total("stocks", m) * k for m, lab in (("detained_pending", "waiting for a hearing"),
                                                         ("appeal_detained", "waiting for an appeal"),
                                                         ("detained_final", "waiting for a travel document"),
                                                         ("awaiting_transport", "waiting for a seat"))},
        f"{names_[-1]}, replicate 0: people in detention by what they wait for "
        f"(beds {ctx['composition_beds']} used, last 12 months)")
    # Q2: costs
    comps = [f"cost_{c}_per_year" for c in names(Cost)]
    ctx["q2"] = _table(runs, ["cost_total_per_year"] + comps + ["cost_per_removal", "cost_loaded_per_year",
                                                                 "cost_loaded_per_removal"])
    med = pd.DataFrame({n: [float(np.median(_vals(runs, n, c))) for c in comps] for n in names_},
                       index=[c[5:-9].replace("_", " ") for c in comps])
    ctx["fig_costs"] = figures.cost_bars(med)
    ctx["debate"] = _debate_figures()
    # Q3: backlog shield
    cohort_all = sorted({m for m in runs.measures["measure"] if m.startswith("cohort_pending:all@")},
                        key=lambda m: float(m.rsplit("@", 1)[1].rstrip("y")))
    rows = []
    for m in cohort_all:
        h = m.rsplit("@", 1)[1]
        rows.append(("cohort_pending:all@" + h, f"still waiting for a decision after {h.rstrip('y')} yr"))
        rows.append(("cohort_final_order:all@" + h, f"with a final order after {h.rstrip('y')} yr"))
    size = f"cohort_size:all@{cohort_all[0].rsplit('@', 1)[1]}" if cohort_all else None
    ctx["q3"] = {"head": names_, "rows": [{"label": lab, "cells": [band(_vals(runs, n, m)) for n in names_]}
                                          for m, lab in rows]}
    ctx["q3_size"] = band(_vals(runs, base, size)) if size else "-"
    ctx["q3_backlog"] = _table(runs, ["court_backlog_end", "wait_filing_to_decision_days"])
    ctx["fig_backlog"] = figures.fan({n: _stock_bands(runs, n, ("case_pending", "detained_pending")) for n in names_},
                                     "Immigration court backlog (median and 90% band)", "pending cases")
    # Q4: China
    has_china = all("China" in s.groups for s in runs.scenarios)
    ctx["q4"] = None
    ctx["china_small"] = runs.scale < CHINA_MIN_SCALE
    if has_china:
        ans = china_answers(runs)
        q4rows = []
        for meas in dict.fromkeys(ans["measure"]):
            unit = "USD" if "USD" in meas else ""
            cells = []
            for n in names_:
                r = ans[(ans["scenario"] == n) & (ans["measure"] == meas)]
                cells.append("-" if r.empty else f"{nice(r['median'].iloc[0], unit)} [{nice(r['low'].iloc[0], unit)}"
                             f" to {nice(r['high'].iloc[0], unit)}]")
            q4rows.append({"label": meas, "cells": cells})
        ctx["q4"] = {"head": names_, "rows": q4rows}
        ctx["fig_china"] = figures.fan({n: _stock_bands(runs, n, ("final_order_unexecutable",), group="China")
                                        for n in names_},
                                       "Chinese final orders that cannot be executed (median and 90% band)", "people")
    # Q5: policy differences
    ctx["q5"] = []
    for other in names_[1:]:
        d = differences(runs, base, other).set_index("measure")
        diff_rows: list[dict] = []
        for m in KEY_DIFFS:
            if m not in d.index:
                continue
            _, lab, unit = label(m)
            r = d.loc[m]
            diff_rows.append({"label": lab, "base": nice(r["base"], unit), "other": nice(r["other"], unit),
                              "diff": amount(r["diff"], unit, signed=True),
                              "interval": f"{amount(r['diff_low'], unit, True)} to "
                                          f"{amount(r['diff_high'], unit, True)}"})
        ctx["q5"].append({"name": other, "rows": diff_rows})
    # Q6: due process
    ctx["q6"] = _table(runs, DUE_PROCESS)
    ctx["summary"] = summary_page(runs, ctx)
    ctx["glossary"] = GLOSSARY
    groups = sorted({m for m in runs.measures["measure"] if m.startswith("unexecutable_end:")})
    ctx["q6_countries"] = _table(runs, groups)
    ctx["er_share"] = f"{er_claim_share(runs.scenarios[0]):.0%}"
    usc = runs.scenarios[0].population.usc_relatives_per_person
    ctx["usc"] = {"per": usc.number(), "low": usc.low, "high": usc.high, "note": usc.note}
    ctx["assumptions"] = assumptions(runs)
    table = validation if validation is not None else validate(runs.replicates, runs.scale, runs.seed, workers=1)
    ctx["record"] = [{"scenario": r.scenario, "series": r.series, "stat_id": r.stat_id, "cite": cite(r.stat_id),
                      "record": fmt(r.record),
                      "model": f"{nice(r.median)} [{nice(r.low)} to {nice(r.high)}]", "error": f"{r.error:+.0%}",
                      "bar": f"{r.bar:.0%}", "within": r.within, "fitted": r.fitted} for r in table.itertuples()]
    hist = history if history is not None else run_history(runs.replicates, runs.scale, runs.seed, workers=1)
    ctx["history"] = [{"series": r.series, "fy": f"FY{r.fy}", "split": r.split, "stat_id": r.stat_id,
                       "cite": cite(r.stat_id),
                       "record": fmt(r.record), "model": f"{nice(r.median)} [{nice(r.low)} to {nice(r.high)}]",
                       "error": f"{r.error:+.0%}", "bar": "none" if r.bar == NO_BAR else f"{r.bar:.0%}",
                       "miss": not r.within and r.bar != NO_BAR} for r in hist.itertuples()]
    ctx["history_summary"] = summary_lines(hist)
    ctx["record_misses"] = misses_explained(table)
    ctx["record_fitted"] = fitted_parameters(list(dict.fromkeys(table["scenario"])))
    html = Environment(autoescape=True).from_string(TEMPLATE).render(**ctx)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def summary_page(runs: Runs, ctx: dict) -> list[dict]:
    """The one-page answer: per scenario, one line for each of the six questions (median and interval)."""
    q = {
        "removals": "removals_per_year", "cost": "cost_loaded_per_year", "backlog": "court_backlog_end",
        "due process": "orders_without_counsel_per_year"}
    best = {lv["name"]: lv["best"] for lv in ctx.get("levers", [])}
    out = []
    for n in runs.names:
        lines = []
        _, lab, unit = label(q["removals"])
        extra = ""
        if best.get(n):
            extra = f"; another $1 bn a year buys most as {best[n]['label']}: {best[n]['per_bn']} removals a year"
        lines.append(("1. Removals", f"{band(_vals(runs, n, q['removals']))} a year{extra}"))
        lines.append(("2. Cost", f"{band(_vals(runs, n, q['cost']), 'USD/yr')} a year, fully loaded; "
                                 f"{band(_vals(runs, n, 'cost_loaded_per_removal'), 'USD')} per removal"))
        lines.append(("3. Backlog", f"{band(_vals(runs, n, q['backlog']))} cases at the end"))
        china = _vals(runs, n, "unexecutable_end:China")
        if len(china):
            lines.append(("4. China", f"{band(china)} Chinese final orders that cannot be executed at the end"))
        if n != runs.names[0]:
            d = differences(runs, runs.names[0], n).set_index("measure").loc["removals_per_year"]
            lines.append(("5. Policy", f"{amount(d['diff'], signed=True)} removals a year against {runs.names[0]} "
                                       f"({d['interval']} {amount(d['diff_low'], signed=True)} to "
                                       f"{amount(d['diff_high'], signed=True)})"))
        lines.append(("6. Due process", f"{band(_vals(runs, n, q['due process']))} removal orders a year for "
                                        "people without counsel"))
        out.append({"name": n, "lines": lines})
    return out


def lever_tables(runs: Runs, keys: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Every scenario's marginal returns, at the report's replicates, horizon, scale and seed (same seeds as its
    runs, so the unchanged runs are the report's own)."""
    from ..levers import REPORT_LEVERS, levers_of, marginal_returns

    out = {}
    for sc in runs.scenarios:
        known = {lv.key for lv in levers_of(sc)}
        wanted = [k for k in (keys or REPORT_LEVERS) if k in known]
        out[sc.name] = marginal_returns(sc, scale=runs.scale, replicates=runs.replicates, seed=runs.seed,
                                        years=runs.years, levers=wanted, workers=1)
    return out


LEVER_DETAIL = ("court_backlog_end", "wait_filing_to_decision_days", "wait_arrest_to_removal_days", "detained_mean",
                "orders_without_counsel_per_year", "removed_in_absentia_per_year",
                "pending_relief_removed_via_er_per_year", "usc_relatives_of_removed_per_year",
                "final_orders_unexecutable_end")


def _level(v: float) -> str:
    """A capacity as set: whole from 1,000 (1,434 judges, 41,500 beds), else three significant figures (3.7, 0.052).
    """
    return f"{round(v):,}" if abs(v) >= 1000 else f"{v:,.3g}"


def _lever_cell(mid: float, lo: float, hi: float, unit: str = "") -> str:
    from ..formatting import amount

    if mid != mid:
        return "-"
    return f"{amount(mid, unit, True)} [{amount(lo, unit, True)} to {amount(hi, unit, True)}]"


def lever_section(name: str, df: pd.DataFrame) -> dict:
    """One scenario's ranking (removals and cost per +10%, removals per $1 bn) and the other outcomes per +10%."""
    from ..formatting import amount
    from ..levers import headline

    h = headline(df)
    rows, detail = [], []
    for key, r in h.iterrows():
        part = df[df["lever"] == key].set_index("measure")
        lv = part.iloc[0]
        change = f"{_level(lv['level'])} to {_level(lv['level_changed'])} {lv['level_unit']}" + (
            f" (from {lv['level_from']})" if lv.get("level_from") else "")
        rows.append({"rank": int(r["rank"]), "label": r["label"], "change": change, "priced": bool(r["priced"]),
                     "removals": _lever_cell(r["effect"], r["effect_low"], r["effect_high"]),
                     "cost": amount(r["cost"], "USD/yr", signed=True),
                     "per_bn": _lever_cell(r["per_bn"], r["per_bn_low"], r["per_bn_high"]) if r["priced"]
                     and r["per_bn"] == r["per_bn"] else "not priced"})
        detail.append({"label": r["label"], "cells": [
            _lever_cell(part.loc[m, "effect"], part.loc[m, "effect_low"], part.loc[m, "effect_high"],
                        "USD/yr" if part.loc[m, "unit"] == "USD/yr" else "") for m in LEVER_DETAIL]})
    first = h.iloc[0]
    best = None
    if first["per_bn"] == first["per_bn"]:
        best = {"label": first["label"], "per_bn": _lever_cell(first["per_bn"], first["per_bn_low"],
                                                               first["per_bn_high"])}
    heads = []
    for m in LEVER_DETAIL:
        _, lab, unit = label(m)
        heads.append(f"{lab} ({ {'people/yr': 'people a year', 'USD/yr': '$ a year'}.get(unit, unit)})")
    return {"name": name, "rows": rows, "detail_head": heads, "detail": detail, "best": best,
            "interval": f"{h['interval'].iloc[0]} of {int(h['replicates'].max())} replicates",
            "skipped": df.attrs.get("skipped", [])}


def _stock_bands(runs: Runs, scenario: str, measures: tuple[str, ...], group: str | None = None) -> pd.DataFrame:
    series = []
    for r in runs.results[scenario]:
        df = r.stocks[r.stocks["measure"].isin(measures)]
        if group is not None:
            df = df[df["group"] == group]
        series.append(df.groupby("date")["value"].sum() / r.scale)
    df = pd.concat(series, axis=1)
    return bands_of(df, axis=1, levels=NINETY)


def _debate_figures() -> list[dict]:
    from ..data import get

    out = []
    for sid in DEBATE_FIGURES:
        try:
            row = get(sid)
        except KeyError:
            continue
        unit = "USD" if str(row["unit"]).startswith("USD") else ""
        value = float(row["value"])  # a cited figure is shown as cited; only billions are abbreviated
        shown = money(value, exact=True) if unit else fmt(value, "people")
        out.append({"id": sid, "quantity": row["quantity"], "value": shown, "cite": cite(sid),
                    "period": row["period"], "source": f"{row['source_org']}: {row['document']}"})
    return out
