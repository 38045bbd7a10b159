"""`removalsim runs list|show|compare|sql|figures`: the catalogue of replicated runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..formatting import RANGE_BELOW
from .console import lit, out
from .errors import command, fail, group, guard
from .options import check_folder
from .tables import measure_label, print_bands, short

runs_app = group(help="The run catalogue: list, show and compare replicated runs.")

CatalogueFile = Annotated[Path | None, typer.Option(
    "--catalogue", help="Catalogue file (default <out>/catalogue.duckdb, out/ unless --out).")]


def _open(cat: Path | None):
    from ..uncertainty.catalogue import Catalogue

    return Catalogue(cat or Path("out") / "catalogue.duckdb")


@command(runs_app, "list")
def runs_list(catalogue: CatalogueFile = None,
              sweep: Annotated[str | None, typer.Option("--sweep", help="Only runs of this sweep.")] = None) -> None:
    """Every catalogued run, one line each (a sweep's point below its id): id, seed, scale, years, replicates
    done, status, start (month-day hour:minute, UTC)."""
    from rich import box

    cat = _open(catalogue)
    df = guard(cat.runs)
    if sweep:
        df = df[df["sweep"] == sweep]
    counts = df["status"].value_counts()
    out.print(f"{len(df)} runs ({', '.join(f'{n} {s}' for s, n in counts.items())}) in {lit(cat.path)}",
              highlight=False)
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), collapse_padding=True)
    longest = max((len(str(x)) for x in df["run_id"]), default=10)
    t.add_column("run id (sweep / point)", overflow="fold", min_width=min(longest, 40))
    for col in ("seed", "scale", "years", "reps"):
        t.add_column(col, justify="right", no_wrap=True)
    t.add_column("status", no_wrap=True)
    t.add_column("started", no_wrap=True)
    for r in df.itertuples():
        sp = " / ".join(x for x in (r.sweep, r.point) if isinstance(x, str))
        t.add_row(lit(r.run_id) + (f"\n  {lit(sp)}" if sp else ""), str(r.seed), f"{r.scale:g}", f"{r.years:g}",
                  f"{r.done}/{r.replicates}", lit(r.status), str(r.started)[5:16])
    out.print(t)


@command(runs_app, "show")
def runs_show(run_id: Annotated[str, typer.Argument(help="A run id (or an unambiguous prefix).")],
              catalogue: CatalogueFile = None) -> None:
    """One run: its settings, its replicates' drawn parameters and the bands of every measure."""
    cat = _open(catalogue)
    info = guard(cat.run, run_id)
    for k, v in info.items():
        out.print(f"[bold]{lit(k)}[/]: {lit(v)}", highlight=False)
    reps = guard(cat.replicates, info["run_id"])
    out.print(f"[bold]replicates done[/]: {len(reps)}; seconds in simulate: {reps['sim_seconds'].sum():.1f}")
    bands = guard(cat.bands, info["run_id"])
    if len(bands):
        spread = "50% and 90% bands" if len(reps) >= RANGE_BELOW else f"the range of {len(reps)} replicates"
        print_bands(out, bands, f"{info['run_id']}: median, {spread} (whole country)")


@command(runs_app, "compare")
def runs_compare(run_ids: Annotated[list[str], typer.Argument(help="Two or more run ids (or unambiguous prefixes).")],
                 catalogue: CatalogueFile = None) -> None:
    """Horizon measures of several runs side by side (median and interval), and each run's paired difference from
    the first (the median over replicates of run minus first in the same replicate)."""
    from ..formatting import interval, interval_name
    from ..uncertainty.bands import horizon_measures

    cat = _open(catalogue)
    ids = [guard(cat.resolve, r) for r in run_ids]
    long = guard(cat.measures, ids)
    wide = horizon_measures(long)
    first = wide.xs(ids[0], level="run_id")
    n = len(first)
    t = Table(title=f"Over the horizon (removals and costs summed, stocks at the end; whole country): each run's "
                    f"median and, in brackets, the {interval_name(n)} replicates; below it, the paired difference from "
                    "the first (median over replicates of run minus first in the same replicate)",
              title_justify="left", show_lines=True)
    t.add_column("measure", style="bold", overflow="fold")
    for i, rid in enumerate(ids):
        t.add_column(lit(rid) + ("" if i == 0 else "\n(paired difference\nfrom the first below)"), justify="right",
                     overflow="fold")

    def cell(values, m: str) -> str:
        lo, hi, _ = interval(values)
        return lit(f"{short(float(values.median()), m)}\n[{short(lo, m)} to {short(hi, m)}]")

    for m in sorted(c for c in wide.columns):
        cells = []
        for i, rid in enumerate(ids):
            mine = wide.xs(rid, level="run_id")[m].dropna()
            text = cell(mine, m) if len(mine) else "-"
            if i:
                d = (mine - first[m]).dropna()  # same replicate = same random numbers
                if len(d):
                    text += "\n" + cell(d, m)
            cells.append(text)
        t.add_row(measure_label(m), *cells)
    out.print(t)


@command(runs_app, "sql")
def runs_sql(query: Annotated[str, typer.Argument(help="SQL over tables runs, replicates, measures and view bands.")],
             catalogue: CatalogueFile = None) -> None:
    """Run a read-only SQL query on the catalogue and print the result."""
    if not query.strip():
        fail("runs sql: the query is empty; give SQL such as \"SELECT * FROM runs\"")
    df = guard(_open(catalogue).query, query)
    t = Table(title=f"{len(df)} rows")
    for c in df.columns:
        t.add_column(lit(c), overflow="fold")
    for row in df.head(200).itertuples(index=False):
        t.add_row(*(lit(v) for v in row))
    out.print(t)


@command(runs_app, "figures")
def runs_figures(run_id: Annotated[str, typer.Argument(help="A run id (or an unambiguous prefix).")],
                 catalogue: CatalogueFile = None,
                 folder: Annotated[Path | None, typer.Option(
                     "--folder", help="Where to write (default <run folder>/figures).")] = None,
                 html: Annotated[bool, typer.Option("--html", help="Interactive HTML instead of PNG.")] = False,
                 ) -> None:
    """Fan charts (removals, backlog, detention, cost) and a Sankey of replicate 0 for a catalogued run."""
    from ..figures import FAN_MEASURES, fan_chart, sankey
    from ..uncertainty.storage import load

    cat = _open(catalogue)
    info = guard(cat.run, run_id)
    reps = guard(cat.replicates, info["run_id"])
    if not len(reps):
        fail(f"run {info['run_id']} has no finished replicates")
    # stored paths are relative to the catalogue's folder; every replicate is checked against its checksums
    results = [guard(load, cat.locate(p), info["run_id"]) for p in reps["path"]]
    dest = folder or cat.locate(info["path"]) / "figures"
    check_folder(dest, "--folder")
    ext = ".html" if html else ".png"
    # a run shorter than two months has no fan to draw: refused (one line) before the first figure is written
    written = [guard(fan_chart, results, m, dest / f"fan-{m}{ext}") for m in FAN_MEASURES]
    written.append(sankey(results[0], dest / f"sankey{ext}"))
    for p in written:
        out.print(str(p), highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(runs_app, name="runs")
