"""`removalsim run`: one scenario, once (a table per year) or R times (medians with 50%/90% bands)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import options as opt
from .console import lit, note, out, progress
from .errors import command, fail, guard, load
from .settings import RunSettings
from .tables import print_bands, print_summary


def run(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name or path to a .toml file.")] = "baseline",
    years: opt.Years = 10.0,
    seed: opt.Seed = 0,
    scale: opt.Scale = 1.0,
    out_dir: Annotated[Path | None, opt.out_folder(
        "Folder for the tables (default out/<scenario>-seed<seed>; with --replicates: out/, recorded in "
        "out/catalogue.duckdb).")] = None,
    freq: opt.Freq = "MS",
    quiet: opt.Quiet = False,
    replicates: Annotated[int | None, opt.replicates(
        "Run R replicates and report medians with 50%/90% bands")] = None,
    fixed_params: Annotated[bool, opt.fixed_params(
        "With --replicates: keep uncertain parameters at their values instead of drawing them.")] = False,
    workers: Annotated[int | None, opt.workers("With --replicates: local worker processes")] = None,
    scheduler: Annotated[str | None, opt.scheduler(
        "With --replicates: Dask scheduler address (or $REMOVALSIM_SCHEDULER).")] = None,
) -> None:
    """Simulate a scenario and print removals, backlog, detention and cost per year."""
    if replicates is None and (fixed_params or workers is not None):
        fail("--fixed-params and --workers only apply to replicated runs; add --replicates R")
    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, freq=freq,
                     fixed_params=fixed_params)
    sc = load(scenario)
    refuse_empty_sample(sc, settings.scale)
    if settings.replicates is None:
        run_once(sc, settings, out_dir, quiet)
    else:
        run_replicated(sc, settings, out_dir, quiet, workers, scheduler)


def refuse_empty_sample(sc, scale: float) -> None:
    """A sample that holds nobody is refused before anything runs (it would print zeros for the country)."""
    from ..scenario.schema import sample_problem

    problem = sample_problem(sc, scale, "--scale")
    if problem:
        fail(problem)


def run_once(sc, settings: RunSettings, out_dir: Path | None, quiet: bool) -> None:
    """One simulation: the yearly table on stdout, the tables as Parquet under out_dir."""
    from ..api import simulate

    target = opt.check_folder(out_dir or Path("out") / f"{sc.name}-seed{settings.seed}")
    with progress(quiet, f"{sc.name} x{settings.scale:g}", "days", total=1) as update:
        result = simulate(sc, years=settings.years, seed=settings.seed, scale=settings.scale, freq=settings.freq,
                          progress=update)
    print_summary(out, result.summary(), f"{lit(sc.name)}: {settings.sample} (figures for the whole country)")
    try:
        result.to_parquet(target)
    except OSError as e:
        fail(f"--out {target}: cannot write results ({e.strerror or e})")
    from ..results.result import TABLES

    out.print(f"Tables written to {target}/ ({', '.join(TABLES)} as .parquet; meta.json)", markup=False)


def run_replicated(sc, settings: RunSettings, out_dir: Path | None, quiet: bool, workers: int | None,
                   scheduler: str | None) -> None:
    """R replicates, medians and bands per year, catalogued under out_dir (default out/)."""
    from ..uncertainty.bands import summarize
    from ..uncertainty.jobs import make_run
    from ..uncertainty.runner import run_specs

    assert settings.replicates is not None
    where = opt.check_folder(out_dir or Path("out"))
    spec = make_run(sc, seed=settings.seed, years=settings.years, scale=settings.scale, freq=settings.freq,
                    fixed_params=settings.fixed_params, replicates=settings.replicates)
    with progress(quiet, f"{sc.name} x{settings.scale:g}", "replicates") as update:
        oc = guard(run_specs, [spec], workers=workers, scheduler=scheduler, out=where, keep_results=True,
                   progress=update, notice=note)
    bands = summarize(oc.results[spec.run_id])
    draws = "parameters drawn" if settings.draws else "parameters fixed"
    spread = "median, 50% and 90% bands" if (settings.replicates or 0) >= 10 else "median and range"
    print_bands(out, bands, f"{lit(sc.name)}: {settings.replicates} replicates, {settings.sample}, {draws} "
                            f"(whole country; {spread})")
    bands.to_csv(where / spec.run_id / "bands.csv", index=False)
    out.print(f"Run {spec.run_id}: {oc.computed} replicates computed, {oc.reused} already done "
              f"({oc.executor or 'nothing to compute'}); tables in {where / spec.run_id}/, "
              f"catalogue {where / 'catalogue.duckdb'}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    command(app, "run")(run)
