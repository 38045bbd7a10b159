"""`removalsim backtest` and `removalsim calibrate`: the model against the historical record."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import options as opt
from .console import err, out
from .errors import command, fail

BACKTEST_REPLICATES = opt.Bound("replicates", 1, 5000)


def backtest(
    court_fit_years: Annotated[str, typer.Option(
        "--court-fit-years",
        help="Fiscal years the court parameter is fitted on (the rest are held out).")] = "2009-2014",
    ice_fit_years: Annotated[str, typer.Option(
        "--ice-fit-years", help="Fiscal years the ICE removal share is fitted on.")] = "2016-2019",
    replicates: Annotated[int, opt.replicates("Replicates for the median and 90% band", BACKTEST_REPLICATES,
                                              short=False)] = 200,
    seed: Annotated[int, opt.seed("Random seed.")] = 0,
    out_dir: Annotated[Path, opt.out_folder("Folder for backtest.png and backtest.csv.")] = Path("out/backtest"),
) -> None:
    """Simulate the court stage and ICE interior removals over the recorded years and compare with history."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..backtest.calibrate import CalibrationError, parse_years
    from ..backtest.run import plot, record_balance, report_lines, run_backtest

    try:
        cy, iy = parse_years(court_fit_years), parse_years(ice_fit_years)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                      transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("backtest", total=None)
            bt = run_backtest(cy, iy, replicates=replicates, seed=seed,
                              progress=lambda msg: bar.update(task, description=msg))
    except CalibrationError as e:
        fail(str(e).replace("--years", "--court-fit-years/--ice-fit-years"))
    for target, label in (("court-pending", "Court cases pending at FY end"),
                          ("court-completions", "Court completions per FY"),
                          ("ice-interior-removals", "ICE interior removals per FY")):
        t = Table(title=label)
        for col in ("FY", "history", "source id", "simulated median", "90% band", "error", "years"):
            t.add_column(col, justify="right" if col not in ("source id", "years") else "left")
        for r in bt.table[bt.table.target == target].itertuples():
            t.add_row(f"FY{r.fy}", f"{r.history:,.0f}", f"{r.stat_id} ({r.reliability})", f"{r.median:,.0f}",
                      f"{r.p05:,.0f}-{r.p95:,.0f}", f"{100 * r.error:+.1f}%", r.split)
        out.print(t)
    for line in report_lines(bt):
        out.print(line, highlight=False, markup=False)
    gaps = record_balance(2009, 2025)
    out.print("Record's own balance gap, pending[y] - (pending[y-1] + receipts[y] - completions[y]): "
              + ", ".join(f"FY{y} {g:+,.0f}" for y, g in gaps)
              + " (cases the model cannot reproduce from the recorded flows)", highlight=False, markup=False)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        bt.table.to_csv(out_dir / "backtest.csv", index=False)
        png = plot(bt, out_dir / "backtest.png")
    except OSError as e:
        fail(f"--out {out_dir}: cannot write results ({e.strerror or e})")
    out.print(f"Wrote {png} and {out_dir / 'backtest.csv'}")


def calibrate(
    target: Annotated[str, typer.Option("--target", help="Series to fit, comma-separated: court-completions, "
                                                         "court-pending, ice-interior-removals.")],
    params: Annotated[str, typer.Option("--params", help="Parameters to fit, comma-separated (court: "
                                                         "completions_per_judge_day, nondetained_min_days; ICE: "
                                                         "removal_share_per_arrest, arrest_to_removal_days).")],
    years: Annotated[str, typer.Option("--years", help="Fiscal years to fit on, e.g. 2024-2025.")],
    extends: Annotated[str, typer.Option("--extends", help="Scenario the override file extends.")] = "baseline",
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="Override file to write (default calibration/<target>-fy<first>-fy<last>.toml).")] = None,
) -> None:
    """Fit free parameters to a historical series and write them as a scenario override file."""
    from ..backtest.calibrate import CalibrationError, fit, override_toml, parse_years, scenario_params
    from ..scenario import ScenarioError, load_scenario

    try:
        ys = parse_years(years)
        f = fit([t.strip() for t in target.split(",") if t.strip()],
                [p.strip() for p in params.split(",") if p.strip()], ys)
    except CalibrationError as e:
        fail(str(e))
    out.print(f.summary_line(), highlight=False)
    t = Table(title="fit: recorded and simulated")
    for col in ("series", "FY", "recorded", "source id", "simulated", "error"):
        t.add_column(col, justify="left" if col in ("series", "source id") else "right")
    for (tgt, o), s in zip(f.observations, f.simulated):
        t.add_row(tgt, f"FY{o.fy}", f"{o.value:,.0f}", o.stat_id, f"{s:,.0f}", f"{100 * (s / o.value - 1):+.1f}%")
    out.print(t)
    for n in f.notes:
        out.print(f"note: {n}", highlight=False)
    if not scenario_params(f):
        out.print("No scenario parameter among " + ", ".join(f.fitted) + " (backtest-only); no override written.")
        return
    span = f"fy{f.years[0]}" + (f"-fy{f.years[-1]}" if len(f.years) > 1 else "")
    path = out_file or Path("calibration") / f"{'+'.join(f.targets)}-{span}.toml"
    if path.suffix != ".toml":
        fail(f"--out {path}: the override file must end in .toml")
    command_line = "removalsim calibrate " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 2 else ""
    try:
        load_scenario(extends)
    except ScenarioError as e:
        fail(f"--extends: {e}")
    text = override_toml(f, path.name, extends=extends, command=command_line)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        load_scenario(path)
    except OSError as e:
        fail(f"--out {path}: cannot write ({e.strerror or e})")
    except ScenarioError as e:
        fail(f"the written override does not load: {e}")
    out.print(f"Wrote {path} (load it with: removalsim run {path})")


def register(app: typer.Typer) -> None:
    """Add the `backtest` and `calibrate` commands to a Typer app (the main one, or a test's)."""
    command(app, "backtest")(backtest)
    command(app, "calibrate")(calibrate)
