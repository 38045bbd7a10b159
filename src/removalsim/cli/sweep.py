"""`removalsim sweep`: every point of a sweep file, resumable, with horizon bands per point."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import options as opt
from .console import lit, note, out, progress
from .errors import command, guard
from ..formatting import RANGE_BELOW, interval_name
from .tables import short

BATCH = opt.Bound("batch", 1)
SHOWN = {"removals": "removals (total)", "court_backlog": "backlog (end)", "detained": "detained (end)",
         "cost_total_usd": "cost (total $)"}


def sweep(
    sweep_file: Annotated[Path, typer.Argument(
        help="Sweep TOML: base scenario, [grid] and/or [[points]], replicates.")],
    out_dir: Annotated[Path | None, opt.out_folder("Results folder (default: the file's `out`, else out/).")] = None,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    batch: Annotated[int, typer.Option("--batch", help=f"Replicates per task ({BATCH.describe()}).",
                                       callback=BATCH.callback())] = 1,
    quiet: opt.Quiet = False,
) -> None:
    """Run every point of a sweep (common random numbers across points); rerun to finish an interrupted one."""
    from ..uncertainty.bands import horizon_bands
    from ..uncertainty.runner import run_specs
    from ..uncertainty.sweep import load_sweep

    sw = guard(load_sweep, sweep_file)
    where = opt.check_folder(out_dir or Path(sw.out or "out"))
    with progress(quiet, f"sweep {sw.name}", "replicates") as update:
        oc = guard(run_specs, sw.specs, workers=workers, scheduler=scheduler, out=where, batch_size=batch,
                   keep_results=False, progress=update, notice=note)
    hb = horizon_bands(long_records(oc.records), ["run_id"])
    reps = sw.specs[0].replicates
    kind = interval_name(reps)  # below 10 replicates, the lowest to highest value: a range, not a 90% band
    lo, hi = ("p05", "p95") if reps >= RANGE_BELOW else ("min", "max")
    t = Table(title=f"sweep {sw.name}: {len(sw.specs)} points x {reps} replicates, "
                    f"{sw.specs[0].years:g} years (whole country; median and below it the {kind})")
    t.add_column("point", style="bold", overflow="fold")
    for title in SHOWN.values():
        t.add_column(title, justify="right")
    rows = []
    for s in sw.specs:
        sub = hb[hb["run_id"] == s.run_id].set_index("measure")
        t.add_row(lit(s.point or ""), *(lit(f"{short(sub.loc[m, 'median'], m)}\n{short(sub.loc[m, lo], m)} to "
                                       f"{short(sub.loc[m, hi], m)}") for m in SHOWN))
        rows.append(sub.reset_index().assign(point=s.point, run_id=s.run_id))
    out.print(t)
    import pandas as pd

    csv = where / f"sweep-{sw.name}.csv"
    pd.concat(rows, ignore_index=True).to_csv(csv, index=False)
    out.print(f"{oc.computed} replicates computed, {oc.reused} already done; horizon bands in {csv}; "
              f"run ids: removalsim runs list --sweep {sw.name} --catalogue {where / 'catalogue.duckdb'}",
              highlight=False, markup=False)


def long_records(records: dict):
    """The runner's per-replicate summaries as one long frame: run_id, replicate, year, measure, value."""
    import pandas as pd

    frames = []
    for rid, recs in records.items():
        for rec in recs:
            s = rec["summary"]
            frames.append(pd.DataFrame({"run_id": rid, "replicate": rec["replicate"], "year": s["year"],
                                        "measure": s["measure"], "value": s["value"]}))
    return pd.concat(frames, ignore_index=True)


def register(app: typer.Typer) -> None:
    command(app, "sweep")(sweep)
