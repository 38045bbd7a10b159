"""`removalsim backtest` and `removalsim calibrate`: the command-line side of this package."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

# Own consoles and error helper (same behaviour as removalsim.cli.fail), so that these commands do not
# depend on importing the main CLI module.
out = Console()
err = Console(stderr=True)


def fail(message: str) -> None:
    """One clear line on stderr and exit status 2."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """Add the `backtest` and `calibrate` commands to the main app."""
    app.command("backtest")(backtest)
    app.command("calibrate")(calibrate)


def backtest(
    court_fit_years: str = typer.Option("2009-2014", "--court-fit-years",
                                        help="Fiscal years the court parameter is fitted on (the rest are held out)."),
    ice_fit_years: str = typer.Option("2016-2019", "--ice-fit-years",
                                      help="Fiscal years the ICE removal share is fitted on."),
    replicates: int = typer.Option(200, help="Replicates for the median and 90% band (1-5000)."),
    seed: int = typer.Option(0, help="Random seed."),
    out_dir: Path = typer.Option(Path("out/backtest"), "--out", help="Folder for backtest.png and backtest.csv."),
) -> None:
    """Simulate the court stage and ICE interior removals over the recorded years and compare with history."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .calibrate import CalibrationError, parse_years
    from .run import plot, record_balance, report_lines, run_backtest

    if not 1 <= replicates <= 5000:
        fail(f"--replicates {replicates} is out of range; expected 1 to 5000")
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"--out {out_dir}: exists and is not a folder")
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
    target: str = typer.Option(..., "--target", help="Series to fit, comma-separated: court-completions, "
                                                     "court-pending, ice-interior-removals."),
    params: str = typer.Option(..., "--params", help="Parameters to fit, comma-separated (court: "
                                                     "completions_per_judge_day, nondetained_min_days; ICE: "
                                                     "removal_share_per_arrest, arrest_to_removal_days)."),
    years: str = typer.Option(..., "--years", help="Fiscal years to fit on, e.g. 2024-2025."),
    extends: str = typer.Option("baseline", help="Scenario the override file extends."),
    out_file: Optional[Path] = typer.Option(None, "--out",
                                            help="Override file to write (default calibration/<target>-fy<first>-fy<last>.toml)."),
) -> None:
    """Fit free parameters to a historical series and write them as a scenario override file."""
    from ..scenario import ScenarioError, load_scenario
    from .calibrate import CalibrationError, fit, override_toml, parse_years, scenario_params

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
    command = "removalsim calibrate " + " ".join(shlex.quote(a) for a in sys.argv[2:]) if len(sys.argv) > 2 else ""
    try:
        load_scenario(extends)
    except ScenarioError as e:
        fail(f"--extends: {e}")
    text = override_toml(f, path.name, extends=extends, command=command)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        load_scenario(path)
    except OSError as e:
        fail(f"--out {path}: cannot write ({e.strerror or e})")
    except ScenarioError as e:
        fail(f"the written override does not load: {e}")
    out.print(f"Wrote {path} (load it with: removalsim run {path})")
