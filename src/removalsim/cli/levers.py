"""`removalsim levers`: what +10% of each capacity, and $1 billion a year spent on it, buys (and costs in due
process), ranked by removals per dollar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import options as opt
from .console import lit, out, progress
from .errors import command, fail, guard, load
from .settings import RunSettings
from .tables import write_csv


def _cell(mid: float, lo: float, hi: float, unit: str = "") -> str:
    """'median' over 'low to high' (both signed), for a two-line table cell."""
    from ..formatting import amount

    if mid != mid:  # NaN
        return "-"
    return f"{amount(mid, unit, True)}\n{amount(lo, unit, True)} to {amount(hi, unit, True)}"


def ranking_table(df) -> Table:
    """One row per lever in rank order; each cell a median over its interval, units in the headers."""
    from ..formatting import amount
    from ..levers import headline

    h = headline(df)
    kind = h["interval"].iloc[0]
    t = Table(title=f"{lit(df.attrs['scenario'])}: what +10% of each capacity buys, ranked by removals per "
                    f"$1 bn a year (median of the paired differences; below it their {kind} over "
                    f"{int(h['replicates'].max())} replicates)", title_justify="left")
    t.add_column("lever (+10%)", overflow="fold")
    t.add_column("removals a year", justify="right", no_wrap=True)
    t.add_column("cost a year, fully loaded", justify="right")
    t.add_column("removals a year\nper $1 bn", justify="right", no_wrap=True)
    for _, r in h.iterrows():
        per = _cell(r["per_bn"], r["per_bn_low"], r["per_bn_high"]) if r["per_bn"] == r["per_bn"] else "not priced"
        t.add_row(f"{r['rank']}. {lit(r['label'])}", _cell(r["effect"], r["effect_low"], r["effect_high"]),
                  amount(r["cost"], "USD/yr", signed=True), per)
    return t


def detail_table(df, lever: str) -> Table:
    """Every outcome of one lever: per +10% and per $1 bn a year, with intervals; units with the outcome."""
    from ..formatting import unit_words
    from ..measures import label

    part = df[df["lever"] == lever]
    first = part.iloc[0]
    since = f" from {first['level_from']}" if first.get("level_from") else ""
    t = Table(title=f"{first['rank']}. {lit(first['label'])} +10%: {first['level']:,.6g} to "
                    f"{first['level_changed']:,.6g} {lit(first['level_unit'])}{since} (median; below it the "
                    f"{first['interval']} over {first['replicates']} replicates)", title_justify="left")
    t.add_column("outcome", overflow="fold")
    t.add_column("per +10%", justify="right", no_wrap=True)
    t.add_column("per $1 bn a year", justify="right", no_wrap=True)
    for r in part.itertuples():
        shown = "USD/yr" if r.unit == "USD/yr" else ""
        bn = _cell(r.per_bn, r.per_bn_low, r.per_bn_high)
        t.add_row(f"{lit(label(r.measure)[1])} ({unit_words(r.unit)})",
                  _cell(r.effect, r.effect_low, r.effect_high, shown), bn)
    return t


def levers(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or path to a .toml file.")] = "baseline",
    replicates: Annotated[int, opt.replicates(
        "Replicates, each run with and without every change (common random numbers)")] = 10,
    years: opt.Years = 3.0,
    scale: opt.Scale = 0.01,
    seed: Annotated[int, opt.seed("Base seed; replicate r uses the same random numbers with and without "
                                  "the change.")] = 0,
    lever: Annotated[list[str] | None, typer.Option(
        "--lever", "-l", help="Only this lever (repeatable); `--list` names them.")] = None,
    list_levers: Annotated[bool, typer.Option("--list", help="Name the scenario's levers and stop.")] = False,
    detail: Annotated[bool, typer.Option(
        "--detail", help="Also every outcome of each lever: backlog, waits, detention, due process.")] = False,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write the whole table (every lever x outcome) "
                                                           "here.")] = None,
    fixed_params: opt.FixedParams = False,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    runs_dir: opt.RunsFolder = None,
    quiet: opt.Quiet = False,
) -> None:
    """Marginal returns: the change in removals, cost, backlog, waits, detention and due process per +10% of
    each capacity and per $1 billion a year (fully loaded), ranked by removals per dollar."""
    from ..levers import applies, levers_of, marginal_returns

    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, fixed_params=fixed_params)
    sc = load(scenario)
    every = levers_of(sc)
    if list_levers:
        for lv in every:
            note = "" if applies(sc, lv) else "  (zero in this scenario: left out)"
            out.print(f"{lv.key:<26} {lv.label}{note}", markup=False, highlight=False)
        return
    known = [lv.key for lv in every]
    for k in lever or []:
        if k not in known:
            fail(f"--lever {k!r} is not a lever of {sc.name}; expected one of {', '.join(known)}")
    if csv is not None:
        opt.check_file(csv, "--csv")
    n = len([lv for lv in every if (not lever or lv.key in lever) and applies(sc, lv)])
    with progress(quiet, f"{sc.name}: {n} levers + base x {settings.replicates}", "runs",
                  total=(n + 1) * (settings.replicates or 1), remaining=False) as update:
        df = guard(marginal_returns, sc, scale=settings.scale, replicates=settings.replicates, seed=settings.seed,
                   years=settings.years, levers=lever or None, fixed_params=settings.fixed_params, workers=workers,
                   scheduler=scheduler, out=runs_dir, progress=update)
    out.print(ranking_table(df))
    if detail:
        for key in dict.fromkeys(df["lever"]):
            out.print(detail_table(df, key))
    skipped = df.attrs.get("skipped") or []
    notes = [f"Whole country, mean over {settings.years:g} years from the scenario's start; scale "
             f"{settings.scale:g}, seed {settings.seed}. Each lever's whole path is raised by 10%.",
             "Cost: the change in the fully loaded cost a year (funded capacity plus what is used). \"Not "
             "priced\": a rate the model does not buy (productivity, a country's documents); its cost is only the "
             "extra work, so it ranks after the priced levers, by removals per +10%."]
    if skipped:
        notes.append(f"Left out (zero in this scenario): {', '.join(skipped)}.")
    if settings.replicates and settings.replicates < 10:
        notes.append("With fewer than 10 replicates the interval is the range of the paired differences, not a "
                     "90% band.")
    for line in notes:
        out.print(line, markup=False, highlight=False)
    if csv is not None:
        write_csv(df, csv)
        out.print(f"Table written to {csv}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `levers` to the command line."""
    command(app, "levers")(levers)
