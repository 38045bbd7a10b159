"""Commands for many runs: `run --replicates`, `sweep`, `sensitivity` and `runs list|show|compare|sql|figures`."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

runs_app = typer.Typer(no_args_is_help=True, help="The run catalogue: list, show and compare replicated runs.")
_CAT_HELP = "Catalogue file (default <out>/catalogue.duckdb, out/ unless --out)."


def _cli():
    from .. import cli

    return cli


def _fmt(v: float, measure: str = "") -> str:
    if v != v:
        return "-"
    if measure.startswith("cost_"):
        return f"{v / 1e6:,.0f}M"
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.2f}M"
    if a >= 1e4:
        return f"{v / 1e3:.0f}k"
    return f"{v:,.3g}" if a < 10 else f"{v:,.0f}"


def _label(measure: str) -> str:
    if measure.startswith("cost_"):
        return measure.removeprefix("cost_").removesuffix("_usd") + " cost ($)"
    return measure.replace("_", " ")


@contextmanager
def _progress(quiet: bool, label: str):
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    err = _cli().err
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} replicates"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err, disable=quiet or not err.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        yield lambda d, n: bar.update(task, completed=d, total=n)


def _guard(fn, *args, **kwargs):
    """Call fn; turn the errors a user can cause into one line and exit status 2."""
    from ..scenario import ScenarioError
    from .catalogue import CatalogueError
    from .sweep import SweepError

    try:
        return fn(*args, **kwargs)
    except (ScenarioError, SweepError, CatalogueError, ValueError, KeyError, RuntimeError) as e:
        _cli().fail(str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e))
    except OSError as e:
        _cli().fail(f"{getattr(e, 'filename', '') or ''}: {e.strerror or e}")


def _check_common(years: float, scale: float, workers: Optional[int], replicates: int | None = None) -> None:
    fail = _cli().fail
    if not 0 < scale <= 1:
        fail(f"--scale {scale:g} is out of range; expected 0 < scale <= 1")
    if not 0 < years <= 50:
        fail(f"--years {years:g} is out of range; expected 0 < years <= 50")
    if workers is not None and workers < 1:
        fail(f"--workers {workers} is out of range; expected at least 1")
    if replicates is not None and replicates < 1:
        fail(f"--replicates {replicates} is out of range; expected at least 1")


def bands_table(bands, title: str) -> Table:
    """Rows: measures; columns: years; each cell the median with its 50% and 90% bands."""
    t = Table(title=title, show_lines=True)
    t.add_column("measure", style="bold")
    years = sorted(bands["year"].unique())
    for y in years:
        t.add_column(f"year {y}", justify="right")
    for m in dict.fromkeys(bands["measure"]):
        sub = bands[bands["measure"] == m].set_index("year")
        cells = []
        for y in years:
            r = sub.loc[y]
            cells.append(f"[bold]{_fmt(r['median'], m)}[/]\n50% {_fmt(r['p25'], m)}-{_fmt(r['p75'], m)}\n"
                         f"90% {_fmt(r['p05'], m)}-{_fmt(r['p95'], m)}")
        t.add_row(_label(m), *cells)
    return t


def run_replicated(scenario: str, years: float, seed: int, scale: float, out_dir: Optional[Path], freq: str,
                   quiet: bool, replicates: int, fixed_params: bool, workers: Optional[int],
                   scheduler: Optional[str]) -> None:
    """`removalsim run --replicates R`: R replicates, medians and bands per year, catalogued under --out."""
    from .bands import summarize
    from .jobs import make_run
    from .runner import run_specs

    cli = _cli()
    _check_common(years, scale, workers, replicates)
    if freq not in ("MS", "D"):
        cli.fail(f"--freq {freq!r} is not allowed; expected MS (monthly) or D (daily)")
    sc = cli._load(scenario)
    out = out_dir or Path("out")
    if out.exists() and not out.is_dir():
        cli.fail(f"--out {out}: exists and is not a folder")
    spec = make_run(sc, seed=seed, years=years, scale=scale, freq=freq, fixed_params=fixed_params,
                    replicates=replicates)
    with _progress(quiet, f"{sc.name} x{scale:g}") as prog:
        oc = _guard(run_specs, [spec], workers=workers, scheduler=scheduler, out=out, keep_results=True,
                    progress=prog)
    results = oc.results[spec.run_id]
    bands = summarize(results)
    draws = "parameters fixed" if fixed_params else "parameters drawn"
    cli.out.print(bands_table(bands, f"{sc.name}: {replicates} replicates, seed {seed}, scale {scale:g}, {draws} "
                                     "(whole country; median, 50% and 90% bands)"))
    bands.to_csv(out / spec.run_id / "bands.csv", index=False)
    cli.out.print(f"Run {spec.run_id}: {oc.computed} replicates computed, {oc.reused} already done "
                  f"({oc.executor or 'nothing to compute'}); tables in {out / spec.run_id}/, "
                  f"catalogue {out / 'catalogue.duckdb'}", highlight=False)


def sweep(
    sweep_file: Path = typer.Argument(..., help="Sweep TOML: base scenario, [grid] and/or [[points]], replicates."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Results folder (default: the file's `out`, else out/)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Local worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="REMOVALSIM_SCHEDULER", help="Dask scheduler address."),
    batch: int = typer.Option(1, "--batch", help="Replicates per task."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Run every point of a sweep (common random numbers across points); rerun to finish an interrupted one."""
    from .bands import horizon_bands
    from .runner import run_specs
    from .sweep import load_sweep

    cli = _cli()
    if workers is not None and workers < 1:
        cli.fail(f"--workers {workers} is out of range; expected at least 1")
    if batch < 1:
        cli.fail(f"--batch {batch} is out of range; expected at least 1")
    sw = _guard(load_sweep, sweep_file)
    out = out_dir or Path(sw.out or "out")
    with _progress(quiet, f"sweep {sw.name}") as prog:
        oc = _guard(run_specs, sw.specs, workers=workers, scheduler=scheduler, out=out, batch_size=batch,
                    keep_results=False, progress=prog)
    long = _long(oc.records)
    hb = horizon_bands(long, ["run_id"])
    t = Table(title=f"sweep {sw.name}: {len(sw.specs)} points x {sw.specs[0].replicates} replicates, "
                    f"{sw.specs[0].years:g} years (whole country; median [90% band])")
    t.add_column("point", style="bold", overflow="fold")
    shown = ("removals", "court_backlog", "detained", "cost_total_usd")
    for m in shown:
        t.add_column({"removals": "removals (total)", "court_backlog": "backlog (end)", "detained": "detained (end)",
                      "cost_total_usd": "cost (total $)"}[m], justify="right")
    rows = []
    for s in sw.specs:
        sub = hb[hb["run_id"] == s.run_id].set_index("measure")
        cells = [f"{_fmt(sub.loc[m, 'median'], m)} [{_fmt(sub.loc[m, 'p05'], m)}-{_fmt(sub.loc[m, 'p95'], m)}]"
                 for m in shown]
        t.add_row(s.point or "", *cells)
        rows.append(sub.reset_index().assign(point=s.point, run_id=s.run_id))
    cli.out.print(t)
    import pandas as pd

    csv = out / f"sweep-{sw.name}.csv"
    pd.concat(rows, ignore_index=True).to_csv(csv, index=False)
    cli.out.print(f"{oc.computed} replicates computed, {oc.reused} already done; horizon bands in {csv}; "
                  f"run ids: removalsim runs list --sweep {sw.name} --catalogue {out / 'catalogue.duckdb'}",
                  highlight=False)


def _long(records: dict):
    import pandas as pd

    frames = []
    for rid, recs in records.items():
        for rec in recs:
            s = rec["summary"]
            frames.append(pd.DataFrame({"run_id": rid, "replicate": rec["replicate"], "year": s["year"],
                                        "measure": s["measure"], "value": s["value"]}))
    return pd.concat(frames, ignore_index=True)


def sensitivity_cmd(
    scenario: str = typer.Argument("baseline", help="Shipped scenario name or path to a .toml file."),
    method: str = typer.Option("sobol", "--method", help="sobol (first/total-order indices) or morris (screening)."),
    output: str = typer.Option("removals", "--output", help="Measure over the horizon: removals, cost_total_usd, court_backlog, detained, ..."),
    n: Optional[int] = typer.Option(None, "--n", help="Sobol base sample (power of two, default 16) or Morris trajectories (default 8)."),
    years: float = typer.Option(5.0, help="Years to simulate."),
    scale: float = typer.Option(0.001, help="Proportional sample of the country."),
    seed: int = typer.Option(0, help="Seed of the engine and of the design."),
    out_dir: Path = typer.Option(Path("out"), "--out", help="Results folder (samples are catalogued runs)."),
    figure: Optional[Path] = typer.Option(None, "--figure", help="Bar chart PNG (default <out>/sensitivity-<method>-<output>.png)."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Local worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="REMOVALSIM_SCHEDULER", help="Dask scheduler address."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Which uncertain parameter drives a measure: SALib Sobol or Morris indices with 95% confidence intervals."""
    from ..figures import sensitivity_bars
    from .bands import horizon_measures  # noqa: F401 (validates the measure list below)
    from .sensitivity import METHODS, sensitivity

    cli = _cli()
    if method not in METHODS:
        cli.fail(f"--method {method!r} is not allowed; expected one of {', '.join(METHODS)}")
    _check_common(years, scale, workers)
    allowed = {"removals", "court_backlog", "detained", "final_orders_unexecutable", "final_orders_at_large",
               "cost_total_usd"} | {f"cost_{c}_usd" for c in ("arrest", "detention", "atd", "court", "appeals",
                                                                 "travel_documents", "transport", "stipends")}
    if output not in allowed:
        cli.fail(f"--output {output!r} is not a measure; expected one of {', '.join(sorted(allowed))}")
    sc = cli._load(scenario)
    with _progress(quiet, f"{method} {sc.name}") as prog:
        res = _guard(sensitivity, sc, method, output, n, years, scale, seed, workers, scheduler, out_dir, prog)
    t = Table(title=f"{method.capitalize()} sensitivity of {output} ({'end of' if output in ('court_backlog', 'detained') else 'total over'} "
                    f"{years:g} years, {sc.name}, scale {scale:g}, {res.samples} runs; 95% confidence intervals)")
    for col in ("parameter", "distribution"):
        t.add_column(col, overflow="fold")
    if method == "sobol":
        t.add_column("first order S1", justify="right")
        t.add_column("total order ST", justify="right")
        for r in res.table.itertuples():
            t.add_row(r.parameter, f"{r.dist} {r.low:g}/{r.mode:g}/{r.high:g}", f"{r.S1:.3f} ± {r.S1_conf:.3f}",
                      f"{r.ST:.3f} ± {r.ST_conf:.3f}")
    else:
        for col in ("mu*", "sigma", "mu"):
            t.add_column(col, justify="right")
        for r in res.table.itertuples():
            t.add_row(r.parameter, f"{r.dist} {r.low:g}/{r.mode:g}/{r.high:g}",
                      f"{_fmt(r.mu_star, output)} ± {_fmt(r.mu_star_conf, output)}", _fmt(r.sigma, output),
                      _fmt(r.mu, output))
    cli.out.print(t)
    fig = figure or out_dir / f"sensitivity-{method}-{output}.png"
    sensitivity_bars(res.table, fig, f"{method.capitalize()} sensitivity of {output} ({sc.name}, {years:g} years, "
                                     f"{res.samples} runs)")
    res.table.to_csv(fig.with_suffix(".csv"), index=False)
    cli.out.print(f"Figure {fig}; indices {fig.with_suffix('.csv')}", highlight=False)


def _catalogue(cat: Optional[Path]):
    from .catalogue import Catalogue

    return Catalogue(cat or Path("out") / "catalogue.duckdb")


@runs_app.command("list")
def runs_list(catalogue: Optional[Path] = typer.Option(None, "--catalogue", help=_CAT_HELP),
              sweep: Optional[str] = typer.Option(None, "--sweep", help="Only runs of this sweep.")) -> None:
    """Every catalogued run: id, scenario, seed, scale, years, replicates done, status."""
    cat = _catalogue(catalogue)
    df = _guard(cat.runs)
    if sweep:
        df = df[df["sweep"] == sweep]
    t = Table(title=f"{len(df)} runs in {cat.path}")
    for col in ("run id", "scenario", "sweep / point", "seed", "scale", "years", "replicates", "status", "started"):
        t.add_column(col, overflow="fold", no_wrap=col in ("run id", "status"))
    for r in df.itertuples():
        sp = " / ".join(x for x in (r.sweep, r.point) if isinstance(x, str))
        t.add_row(r.run_id, r.scenario, sp, str(r.seed), f"{r.scale:g}", f"{r.years:g}", f"{r.done}/{r.replicates}",
                  r.status, str(r.started)[:19])
    _cli().out.print(t)


@runs_app.command("show")
def runs_show(run_id: str, catalogue: Optional[Path] = typer.Option(None, "--catalogue", help=_CAT_HELP)) -> None:
    """One run: its settings, its replicates' drawn parameters and the bands of every measure."""
    cli = _cli()
    cat = _catalogue(catalogue)
    info = _guard(cat.run, run_id)
    for k, v in info.items():
        cli.out.print(f"[bold]{k}[/]: {v}", highlight=False)
    reps = _guard(cat.replicates, info["run_id"])
    cli.out.print(f"[bold]replicates done[/]: {len(reps)}; seconds in simulate: {reps['sim_seconds'].sum():.1f}")
    bands = _guard(cat.bands, info["run_id"])
    if len(bands):
        cli.out.print(bands_table(bands, f"{info['run_id']}: median, 50% and 90% bands (whole country)"))


@runs_app.command("compare")
def runs_compare(run_ids: List[str] = typer.Argument(..., help="Two or more run ids (or unambiguous prefixes)."),
                 catalogue: Optional[Path] = typer.Option(None, "--catalogue", help=_CAT_HELP)) -> None:
    """Horizon measures of several runs side by side (median [90% band]), and each run's difference from the first."""
    from .bands import horizon_bands, horizon_measures

    cli = _cli()
    cat = _catalogue(catalogue)
    ids = [_guard(cat.resolve, r) for r in run_ids]
    long = _guard(cat.measures, ids)
    hb = horizon_bands(long, ["run_id"])
    t = Table(title="Over the horizon (removals and costs summed, stocks at the end; whole country)", show_lines=True)
    t.add_column("measure", style="bold")
    for i, rid in enumerate(ids):
        t.add_column(rid + ("" if i == 0 else "\n(minus first, paired)"), justify="right", overflow="fold")
    wide = horizon_measures(long)
    first = wide.xs(ids[0], level="run_id")
    for m in sorted(hb["measure"].unique()):
        cells = []
        for i, rid in enumerate(ids):
            r = hb[(hb["run_id"] == rid) & (hb["measure"] == m)].iloc[0]
            cell = f"{_fmt(r['median'], m)} [{_fmt(r['p05'], m)}-{_fmt(r['p95'], m)}]"
            if i:
                d = (wide.xs(rid, level="run_id")[m] - first[m]).dropna()  # same replicate = same random numbers
                if len(d):
                    cell += f"\n{_fmt(d.median(), m)} [{_fmt(d.quantile(0.05), m)}-{_fmt(d.quantile(0.95), m)}]"
            cells.append(cell)
        t.add_row(_label(m), *cells)
    cli.out.print(t)


@runs_app.command("sql")
def runs_sql(query: str = typer.Argument(..., help="SQL over tables runs, replicates, measures and view bands."),
             catalogue: Optional[Path] = typer.Option(None, "--catalogue", help=_CAT_HELP)) -> None:
    """Run a read-only SQL query on the catalogue and print the result."""
    df = _guard(_catalogue(catalogue).query, query)
    t = Table(title=f"{len(df)} rows")
    for c in df.columns:
        t.add_column(str(c), overflow="fold")
    for row in df.head(200).itertuples(index=False):
        t.add_row(*(str(v) for v in row))
    _cli().out.print(t)


@runs_app.command("figures")
def runs_figures(run_id: str, catalogue: Optional[Path] = typer.Option(None, "--catalogue", help=_CAT_HELP),
                 folder: Optional[Path] = typer.Option(None, "--folder", help="Where to write (default <run folder>/figures)."),
                 html: bool = typer.Option(False, "--html", help="Interactive HTML instead of PNG.")) -> None:
    """Fan charts (removals, backlog, detention, cost) and a Sankey of replicate 0 for a catalogued run."""
    from ..figures import FAN_MEASURES, fan_chart, sankey
    from ..results import Result

    cli = _cli()
    cat = _catalogue(catalogue)
    info = _guard(cat.run, run_id)
    reps = _guard(cat.replicates, info["run_id"])
    if not len(reps):
        cli.fail(f"run {info['run_id']} has no finished replicates")
    results = [_guard(Result.read_parquet, p) for p in reps["path"]]
    dest = folder or Path(info["path"]) / "figures"
    ext = ".html" if html else ".png"
    written = [fan_chart(results, m, dest / f"fan-{m}{ext}") for m in FAN_MEASURES]
    written.append(sankey(results[0], dest / f"sankey{ext}"))
    for p in written:
        cli.out.print(str(p), highlight=False)


def register(app: typer.Typer) -> None:
    """Add `sweep`, `sensitivity` and `runs` to the main command line."""
    app.command("sweep")(sweep)
    app.command("sensitivity")(sensitivity_cmd)
    app.add_typer(runs_app, name="runs")
