"""`removalsim sensitivity`: which uncertain parameter drives a measure (SALib Sobol or Morris)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..measures import SUMMARY, TOTAL_COST
from . import options as opt
from .console import lit, out, progress
from .errors import command, guard, load
from .settings import RunSettings
from .tables import short

METHOD = opt.Choices(("sobol", "morris"))  # first/total-order indices, or elementary-effects screening
OUTPUT = opt.Choices((*SUMMARY, TOTAL_COST.name), noun="a measure")  # the yearly summary's measures


def sensitivity_cmd(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or path to a .toml file.")] = "baseline",
    method: Annotated[str, METHOD.option(
        "--method", help="sobol (first/total-order indices) or morris (screening).")] = "sobol",
    output: Annotated[str, OUTPUT.option(
        "--output", metavar="MEASURE", help="Measure over the horizon (stocks at the end, flows and costs summed)"
    )] = "removals",
    n: Annotated[int | None, typer.Option(
        "--n", help="Sobol base sample (power of two, default 16) or Morris trajectories (default 8); at least 1.",
        callback=opt.Bound("n", 1).callback())] = None,
    years: opt.Years = 5.0,
    scale: opt.Scale = 0.001,
    seed: Annotated[int, opt.seed("Seed of the engine and of the design.")] = 0,
    out_dir: Annotated[Path, opt.out_folder("Results folder (samples are catalogued runs).")] = Path("out"),
    figure: Annotated[Path | None, typer.Option(
        "--figure", help="Bar chart PNG (default <out>/sensitivity-<method>-<output>.png).")] = None,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    quiet: opt.Quiet = False,
) -> None:
    """Which uncertain parameter drives a measure: SALib Sobol or Morris indices with 95% confidence intervals."""
    from ..figures import sensitivity_bars
    from ..uncertainty.sensitivity import sensitivity

    settings = guard(RunSettings, years=years, scale=scale, seed=seed)
    opt.check_folder(out_dir)
    if figure is not None:
        opt.check_file(figure, "--figure")
    sc = load(scenario)
    from .run import refuse_empty_sample

    refuse_empty_sample(sc, settings.scale)
    with progress(quiet, f"{method} {sc.name}", "replicates") as update:
        res = guard(sensitivity, sc, method, output, n, settings.years, settings.scale, settings.seed, workers,
                    scheduler, out_dir, update)
    span = "end of" if output in ("court_backlog", "detained") else "total over"
    t = Table(title=f"{method.capitalize()} sensitivity of {output} ({span} {settings.years:g} years, {lit(sc.name)}, "
                    f"scale {settings.scale:g}, {res.samples} runs; 95% confidence intervals)")
    for col in ("parameter", "distribution"):
        t.add_column(col, overflow="fold")
    if method == "sobol":
        t.add_column("first order S1", justify="right")
        t.add_column("total order ST", justify="right")
        for r in res.table.itertuples():
            t.add_row(lit(r.parameter), f"{r.dist} {r.low:g}/{r.mode:g}/{r.high:g}", f"{r.S1:.3f} ± {r.S1_conf:.3f}",
                      f"{r.ST:.3f} ± {r.ST_conf:.3f}")
    else:
        for col in ("mu*", "sigma", "mu"):
            t.add_column(col, justify="right")
        for r in res.table.itertuples():
            t.add_row(lit(r.parameter), f"{r.dist} {r.low:g}/{r.mode:g}/{r.high:g}",
                      f"{short(r.mu_star, output)} ± {short(r.mu_star_conf, output)}", short(r.sigma, output),
                      short(r.mu, output))
    out.print(t)
    fig = figure or out_dir / f"sensitivity-{method}-{output}.png"
    sensitivity_bars(res.table, fig, f"{method.capitalize()} sensitivity of {output} ({sc.name}, "
                                     f"{settings.years:g} years, {res.samples} runs)")
    res.table.to_csv(fig.with_suffix(".csv"), index=False)
    out.print(f"Figure {fig}; indices {fig.with_suffix('.csv')}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    command(app, "sensitivity")(sensitivity_cmd)
