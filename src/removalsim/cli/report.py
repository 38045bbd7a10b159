"""`removalsim report`: run scenarios with common random numbers and write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import options as opt
from .compare import execute
from .console import out
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
    quiet: opt.Quiet = False,
) -> None:
    """Write one self-contained HTML report (figures embedded) answering the six questions."""
    from ..report.build import build_report

    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, fixed_params=fixed_params)
    opt.check_file(out_file, "--out")  # before any simulation: a report that cannot be written loses the work
    runs = execute(list(scenarios), settings, quiet, checkpoints=(1, 2, 5), workers=workers, scheduler=scheduler,
                   runs=runs_dir)
    try:
        path = build_report(runs, out_file)
    except OSError as e:
        fail(f"--out {out_file}: cannot write ({e.strerror or e})")
    out.print(f"Report written to {path} ({path.stat().st_size / 1e6:.1f} MB)", markup=False)


def register(app: typer.Typer) -> None:
    """Add `report` to the command line."""
    command(app, "report")(report)
