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
    replicates: Annotated[int, opt.replicates("Replicates (uncertain parameters drawn)", BACKTEST_REPLICATES)] = 5,
    scale: opt.Scale = 0.01,
    seed: Annotated[int, opt.seed("Random seed.")] = 0,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    out_dir: Annotated[Path, opt.out_folder("Folder for the table (CSV) and figures (PNG).")] = Path("out/backtest"),
    side_model: Annotated[bool, typer.Option(
        "--side-model", help="Run the fast case-count court model and ICE interior model instead of the engine "
                             "(see --court-fit-years, --ice-fit-years).")] = False,
    court_fit_years: Annotated[str, typer.Option(
        "--court-fit-years",
        help="Side model: fiscal years the court parameter is fitted on (the rest are held out).")] = "2009-2014",
    ice_fit_years: Annotated[str, typer.Option(
        "--ice-fit-years", help="Side model: fiscal years the ICE removal share is fitted on (never FY2015-FY2019, "
                                "the validation years).")] = "2020-2024",
) -> None:
    """History through the engine: the `history` scenario (FY2015-FY2025, recorded drivers) against every series
    the record holds, year by year, validation years (FY2015-FY2019) apart from fit years."""
    if side_model:
        _side_model(court_fit_years, ice_fit_years, 200 if replicates == 5 else replicates, seed, out_dir)
        return
    from ..backtest.engine import EXCLUDED, NO_BAR, SERIES, plot, run_history, summary_lines
    from ..formatting import fmt, nice, short
    from .console import progress
    from .errors import guard
    from .settings import RunSettings

    settings = guard(RunSettings, years=1.0, scale=scale, seed=seed, replicates=replicates)
    _writable(out_dir)
    with progress(False, f"history: {replicates} runs of FY2015-FY2025", "runs", total=replicates,
                  remaining=False) as update:
        table = guard(run_history, replicates, settings.scale, settings.seed, workers=workers,
                      scheduler=scheduler, progress=update)
    for s in SERIES:
        rows = table[table.series == s.name]
        if rows.empty:
            continue
        t = Table(title=f"{s.label} ({s.definition})")
        from rich.markup import escape

        from ..validate import interval_label

        for col in ("FY", "years", "record", escape(f"model [{interval_label(rows)}]"), "error", "bar"):
            t.add_column(col, justify="left" if col == "years" else "right", overflow="fold")
        for r in rows.itertuples():
            source = r.stat_id.split("-")[0].upper()
            t.add_row(f"FY{r.fy}", r.split, f"{fmt(r.record)}\n{source}",
                      f"{nice(r.median)}\n[{short(r.low)}-{short(r.high)}]",
                      f"{r.error:+.0%}" + ("" if r.within or r.bar == NO_BAR else " miss"),
                      "none" if r.bar == NO_BAR else f"{r.bar:.0%}")
        out.print(t)
    for line in summary_lines(table):
        out.print(line, highlight=False, markup=False)
    out.print("Left out: " + "; ".join(f"{k} ({v})" for k, v in EXCLUDED.items()), highlight=False, markup=False)
    try:
        table.to_csv(out_dir / "history.csv", index=False)
        pngs = plot(table, out_dir)
    except OSError as e:
        fail(f"--out {out_dir}: cannot write results ({e.strerror or e})")
    out.print(f"Wrote {out_dir / 'history.csv'} (every record id, definition and band) and {len(pngs)} figures, "
              f"{out_dir}/history-<series>.png", highlight=False, markup=False)


def _writable(folder: Path) -> None:
    """Fail before any computation when `folder` cannot take the results."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        fail(f"--out {folder}: cannot write results there ({e.strerror or e})")


def _side_model(court_fit_years: str, ice_fit_years: str, replicates: int, seed: int, out_dir: Path) -> None:
    """The fast case-count court model and ICE interior model (no engine), fitted on the given years."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..backtest.calibrate import CalibrationError, parse_years
    from ..backtest.run import plot, record_balance, report_lines, run_backtest

    _writable(out_dir)
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
