"""`removalsim report`: run scenarios with common random numbers and write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import options as opt
from .compare import execute
from .console import out, progress
from .errors import command, fail, guard
from .settings import RunSettings


def report(
    scenarios: Annotated[list[str], typer.Argument(help="Scenarios; the first is the reference for differences.")],
    out_file: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    replicates: Annotated[int, opt.replicates("Replicates per scenario")] = 3,
    years: opt.Years = 5.0,
    scale: opt.Scale = 0.01,
    seed: Annotated[int, opt.seed("Base seed.")] = 0,
    fixed_params: opt.FixedParams = False,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    runs_dir: opt.RunsFolder = None,
    levers_for: Annotated[list[str] | None, typer.Option(
        "--levers-for", help="Scenarios whose levers (what +10% of each capacity buys) the report runs; repeatable "
                             "(default: every scenario; each adds about 9 runs per replicate).")] = None,
    quiet: opt.Quiet = False,
) -> None:
    """Write one self-contained HTML report (figures embedded) answering the six questions."""
    from ..report.build import build_report

    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, fixed_params=fixed_params)
    opt.check_file(out_file, "--out")  # before any simulation: a report that cannot be written loses the work
    runs = execute(list(scenarios), settings, quiet, checkpoints=(1, 2, 5), workers=workers, scheduler=scheduler,
                   runs=runs_dir)
    chosen = list(levers_for) if levers_for else runs.names
    for name in chosen:
        if name not in runs.names:
            fail(f"--levers-for {name!r} is not one of the report's scenarios; expected one of {', '.join(runs.names)}")
    levers = lever_runs(runs, chosen, quiet, workers, scheduler, runs_dir, settings.fixed_params)
    try:
        path = build_report(runs, out_file, levers=levers)
    except OSError as e:
        fail(f"--out {out_file}: cannot write ({e.strerror or e})")
    out.print(f"Report written to {path} ({path.stat().st_size / 1e6:.1f} MB)", markup=False)


def lever_runs(runs, names: list[str], quiet: bool, workers: int | None, scheduler: str | None,
               runs_dir: Path | None, fixed_params: bool = False) -> dict:
    """Each named scenario's marginal returns over the report's levers, at the report's settings."""
    from ..levers import REPORT_LEVERS, applies, levers_of, marginal_returns

    tables = {}
    for sc in runs.scenarios:
        if sc.name not in names:
            continue
        keys = [lv.key for lv in levers_of(sc) if lv.key in REPORT_LEVERS]
        n = sum(applies(sc, lv) for lv in levers_of(sc) if lv.key in keys)
        with progress(quiet, f"{sc.name}: {n} levers", "runs", total=(n + 1) * runs.replicates,
                      remaining=False) as update:
            tables[sc.name] = guard(marginal_returns, sc, scale=runs.scale, replicates=runs.replicates,
                                    seed=runs.seed, years=runs.years, levers=keys, workers=workers,
                                    scheduler=scheduler, out=runs_dir, progress=update,
                                    fixed_params=fixed_params)
    return tables


def register(app: typer.Typer) -> None:
    """Add `report` to the command line."""
    command(app, "report")(report)
