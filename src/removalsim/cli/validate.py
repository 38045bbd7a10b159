"""`removalsim validate`: the model next to the record for the base years."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..formatting import fmt, nice, short
from . import options as opt
from .console import out, progress
from .errors import command, guard
from .settings import RunSettings
from .tables import write_csv


def validate(
    replicates: Annotated[int, opt.replicates("Replicates per scenario (uncertain parameters drawn)")] = 5,
    scale: opt.Scale = 0.01,
    seed: Annotated[int, opt.seed("Base seed.")] = 0,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Also write the table here.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the table as Markdown (README, report).")] = False,
    quiet: opt.Quiet = False,
) -> None:
    """Base-year series: record, model median with its range (a 90% band from 10 replicates), error, the bar
    it must stay within, and whether a parameter was fitted to it."""
    from ..validate import TARGETS, markdown as as_markdown, validate as run_validation

    settings = guard(RunSettings, years=1.0, scale=scale, seed=seed, replicates=replicates)
    runs = len({t.scenario for t in TARGETS}) * replicates
    with progress(quiet, f"validation: {runs} runs", "runs", total=runs, remaining=False) as update:
        table = guard(run_validation, replicates, settings.scale, settings.seed, workers=workers,
                      scheduler=scheduler, progress=update)
    if markdown:
        print(as_markdown(table))
    else:
        from ..validate import TARGETS as targets, scenario_scale

        larger = sorted({f"{t.scenario} at {scenario_scale(targets, t.scenario, settings.scale):g}" for t in targets
                         if scenario_scale(targets, t.scenario, settings.scale) > settings.scale})
        t = Table(title=f"The model against the record ({replicates} replicates, scale {settings.scale:g}"
                        + (f", {', '.join(larger)}" if larger else "") + "; error = median / record - 1)")
        from rich.markup import escape

        from ..validate import interval_label

        model_column = escape(f"model [{interval_label(table)}]")  # brackets are Rich markup otherwise
        for col, just in (("scenario: series", "left"), ("record", "right"), (model_column, "right"),
                          ("error", "right"), ("bar", "right"), ("fitted", "left")):
            t.add_column(col, justify=just, overflow="fold")
        for r in table.itertuples():
            t.add_row(f"{r.scenario}: {r.series}", fmt(r.record), f"{nice(r.median)}\n[{short(r.low)}-{short(r.high)}]",
                      f"{r.error:+.0%}" + ("" if r.within else " miss"), f"{r.bar:.0%}",
                      "no" if r.fitted == "no" else "yes")
        out.print(t)
        misses = int((~table["within"]).sum())
        out.print(f"{len(table) - misses} of {len(table)} series within their bar." if misses == 0 else
                  f"{misses} of {len(table)} series miss their bar: the model does not yet reproduce them.")
        from ..validate import fitted_parameters, misses_explained

        for line in misses_explained(table):
            out.print(f"- {line}", highlight=False)
        out.print("Parameters fitted to the record (calibration years only, before 2025-11-30):")
        for line in fitted_parameters(list(dict.fromkeys(table["scenario"]))):
            out.print(f"- {line}", highlight=False)
    if csv is not None:
        write_csv(table, csv)


def register(app: typer.Typer) -> None:
    """Add `validate` to the command line."""
    command(app, "validate")(validate)
