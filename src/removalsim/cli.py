"""The `removalsim` command line: a thin layer over the Python API.

Errors in a scenario or an option print one line (file, parameter path, bad
value, what is allowed) and exit with status 2; never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from . import __version__
from .scenario import ScenarioError, load_scenario, shipped_names

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Person-level simulator of the U.S. immigration removal system (aggregate analysis).")
scenarios_app = typer.Typer(no_args_is_help=True, help="List and inspect scenarios.")
data_app = typer.Typer(no_args_is_help=True, help="The public statistics the scenarios cite.")
app.add_typer(scenarios_app, name="scenarios")
app.add_typer(data_app, name="data")
out = Console()
err = Console(stderr=True)


def fail(message: str) -> None:
    """One clear line on stderr and exit status 2."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _load(name: str):
    try:
        return load_scenario(name)
    except ScenarioError as e:
        fail(str(e))


@app.command()
def run(
    scenario: str = typer.Argument("baseline", help="Shipped scenario name or path to a .toml file."),
    years: float = typer.Option(10.0, help="Years to simulate from the scenario's start date (0 < years <= 50)."),
    seed: int = typer.Option(0, help="Random seed; same scenario and seed give the same numbers."),
    scale: float = typer.Option(1.0, help="Proportional sample of the country (0 < scale <= 1)."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Folder for Parquet tables (default out/<scenario>-seed<seed>)."),
    freq: str = typer.Option("MS", help="Table frequency: MS (monthly) or D (daily)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    replicates: Optional[int] = typer.Option(None, "--replicates", "-r", help="Run R replicates and report medians with 50%/90% bands (results under --out, default out/, recorded in out/catalogue.duckdb)."),
    fixed_params: bool = typer.Option(False, "--fixed-params", help="With --replicates: keep uncertain parameters at their values instead of drawing them."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="With --replicates: local worker processes (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="REMOVALSIM_SCHEDULER", help="With --replicates: Dask scheduler address (or $REMOVALSIM_SCHEDULER)."),
) -> None:
    """Simulate a scenario and print removals, backlog, detention and cost per year."""
    from .api import simulate

    if replicates is not None:
        from .uncertainty.cli import run_replicated

        return run_replicated(scenario, years, seed, scale, out_dir, freq, quiet, replicates, fixed_params, workers,
                              scheduler)
    if fixed_params or workers is not None:
        fail("--fixed-params and --workers only apply to replicated runs; add --replicates R")

    if not 0 < scale <= 1:
        fail(f"--scale {scale:g} is out of range; expected 0 < scale <= 1")
    if not 0 < years <= 50:
        fail(f"--years {years:g} is out of range; expected 0 < years <= 50")
    if freq not in ("MS", "D"):
        fail(f"--freq {freq!r} is not allowed; expected MS (monthly) or D (daily)")
    sc = _load(scenario)
    target = out_dir or Path("out") / f"{sc.name}-seed{seed}"
    if target.exists() and not target.is_dir():
        fail(f"--out {target}: exists and is not a folder")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} days"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err, disable=quiet or not err.is_terminal
                  ) as bar:
        task = bar.add_task(f"{sc.name} x{scale:g}", total=1)
        result = simulate(sc, years=years, seed=seed, scale=scale, freq=freq,
                          progress=lambda d, n: bar.update(task, completed=d, total=n))
    table = summary_table(result.summary(), f"{sc.name}: seed {seed}, scale {scale:g} (figures for the whole country)")
    out.print(table)
    try:
        result.to_parquet(target)
    except OSError as e:
        fail(f"--out {target}: cannot write results ({e.strerror or e})")
    out.print(f"Tables written to {target}/ (stocks, flows, costs, waits .parquet; meta.json)")


def summary_table(df, title: str) -> Table:
    t = Table(title=title, show_lines=False)
    t.add_column("measure", style="bold")
    for y in df.index:
        t.add_column(f"year {y}", justify="right")
    for col in df.columns:
        vals = df[col]
        if col.startswith("cost_"):
            label = col.removeprefix("cost_").removesuffix("_usd") + " ($M)"
            t.add_row(label, *(f"{v / 1e6:,.0f}" for v in vals))
        else:
            t.add_row(col.replace("_", " "), *(f"{v:,.0f}" for v in vals))
    return t


@scenarios_app.command("list")
def scenarios_list() -> None:
    """Shipped scenarios with their descriptions."""
    t = Table(title="Shipped scenarios")
    t.add_column("name", style="bold")
    t.add_column("extends")
    t.add_column("description")
    for name in shipped_names():
        sc = _load(name)
        t.add_row(name, sc.extends or "", sc.description)
    out.print(t)


@scenarios_app.command("show")
def scenarios_show(name: str, sources: bool = typer.Option(False, "--sources", help="Show each parameter's source.")) -> None:
    """Every parameter of a scenario with its value and unit (and source with --sources)."""
    sc = _load(name)
    t = Table(title=f"{sc.name}: {sc.description}", show_lines=False)
    for col in ("parameter", "value", "unit") + (("source", "note") if sources else ()):
        t.add_column(col, overflow="fold")
    for path, p in iter_params(sc):
        value = (", ".join(f"{s.from_}: {s.value:g}" for s in p.steps) if p.steps
                 else (f"{p.value:,.6g}" if isinstance(p.value, (int, float)) else str(p.value)))
        row = [path, value, p.unit]
        if sources:
            rng = f" [range {p.low:g}-{p.high:g}]" if p.low is not None and p.high is not None else ""
            row += [p.source, (p.note or "") + rng]
        t.add_row(*row)
    out.print(t)


def iter_params(sc):
    """(dotted path, Param) for every parameter of a scenario."""
    from .scenario.params import Section

    for section in ("population", "arrests", "detention", "atd", "court", "appeals", "travel_documents",
                    "self_departure", "legalization", "mortality", "expedited_removal"):
        s: Section = getattr(sc, section)
        for k, p in s.params().items():
            yield f"{section}.{k}", p
    for kind in ("land", "air"):
        for r, sec in getattr(sc.transport, kind).items():
            for k, p in sec.params().items():
                yield f"transport.{kind}.{r}.{k}", p
    for g, sec in sc.groups.items():
        for k, p in sec.params().items():
            yield f"groups.{g}.{k}", p


@data_app.command("list")
def data_list(contains: Optional[str] = typer.Argument(None, help="Only ids containing this text.")) -> None:
    """Statistics ids with value, unit and reliability."""
    from .data import statistics

    df = statistics()
    if contains:
        df = df[df["id"].str.contains(contains, regex=False)]
    t = Table(title=f"{len(df)} statistics")
    for col in ("id", "value", "unit", "group", "period", "reliability"):
        t.add_column(col, overflow="fold")
    for r in df.itertuples():
        t.add_row(r.id, f"{r.value:,.6g}", r.unit, r.group, r.period, r.reliability)
    out.print(t)


@data_app.command("show")
def data_show(stat_id: str) -> None:
    """One statistic with its full source."""
    from .data import get

    try:
        row = get(stat_id)
    except KeyError as e:
        fail(str(e.args[0]) if e.args else f"unknown id {stat_id!r}")
    for k, v in row.items():
        out.print(f"[bold]{k}[/]: {v}", highlight=False)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


# -- commands defined in other modules: each registers itself with one line below -------------
# (keep one line per module so that work on different commands does not collide)
from .compare.cli import register as _register_compare; _register_compare(app)  # noqa: E402,E702
from .report.cli import register as _register_report; _register_report(app)  # noqa: E402,E702
from .uncertainty.cli import register as _register_uncertainty; _register_uncertainty(app)  # noqa: E402,E702
from .backtest.cli import register as _register_backtest; _register_backtest(app)  # noqa: E402,E702


def main() -> None:  # pragma: no cover
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
