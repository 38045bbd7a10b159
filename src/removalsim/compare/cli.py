"""`removalsim compare` and `removalsim china`: policy differences with 90% intervals on the command line."""

from __future__ import annotations

import math
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

DEFAULT_CHINA = ["china_2024_25", "china_full_cooperation", "china_paused"]


def fmt(value: float, unit: str = "") -> str:
    """A number as a journalist would print it: $ millions for money, whole numbers otherwise.

    >>> fmt(1.23e9, "USD/yr"), fmt(17121.4, "USD"), fmt(-1234.6, "people"), fmt(float("nan"))
    ('$1,230M', '$17,121', '-1,235', '-')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    sign = "-" if value < 0 else ""
    if unit == "USD/yr":
        return f"{sign}${abs(value) / 1e6:,.0f}M"
    if unit == "USD":
        return f"{sign}${abs(value):,.0f}"
    return f"{value:,.0f}"


def _check(replicates: int, years: float, scale: float) -> None:
    from ..cli import fail

    if replicates < 1:
        fail(f"--replicates {replicates}: must be at least 1 (2 or more for intervals)")
    if not 0 < scale <= 1:
        fail(f"--scale {scale:g} is out of range; expected 0 < scale <= 1")
    if not 0 < years <= 50:
        fail(f"--years {years:g} is out of range; expected 0 < years <= 50")


def execute(names: list[str], replicates: int, years: float, seed: int, scale: float, quiet: bool,
            fixed_params: bool = False, checkpoints: tuple[float, ...] = ()):
    """Load the scenarios (failing cleanly) and run them with a progress bar."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..cli import _load, err, fail
    from .runner import run_scenarios

    scs = [_load(n) for n in names]
    seen = [s.name for s in scs]
    if len(set(seen)) != len(seen):
        fail(f"scenarios must differ; got {', '.join(seen)}")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} runs"),
                  TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal) as bar:
        task = bar.add_task(f"{len(scs)} scenarios x {replicates} replicates", total=len(scs) * replicates)
        return run_scenarios(scs, replicates, years, seed, scale, fixed_params=fixed_params, checkpoints=checkpoints,
                             progress=lambda d, n: bar.update(task, completed=d, total=n))


def difference_table(runs, base: str, other: str) -> Table:
    from .measures import label
    from .runner import differences

    d = differences(runs, base, other)
    d["section"], d["label"], d["unit"] = zip(*(label(m) for m in d["measure"]))
    d = d[~d["measure"].str.startswith("cohort_")]
    order = {s: i for i, s in enumerate(dict.fromkeys(label(m)[0] for m in _catalogue_order()))}
    d["o1"] = d["section"].map(lambda s: order.get(s, 99))
    d["o2"] = d["measure"].map(lambda m: _catalogue_order().index(m) if m in _catalogue_order() else 999)
    d = d.sort_values(["o1", "o2", "measure"])
    t = Table(title=f"{other} minus {base}: median and 90% interval of the per-replicate difference "
                    f"({runs.replicates} replicates, common random numbers; whole country, per year unless stated)")
    for col, just in (("measure", "left"), (base, "right"), (other, "right"), ("difference", "right"),
                      ("90% interval", "right")):
        t.add_column(col, justify=just, overflow="fold")
    section = None
    for row in d.itertuples():
        if row.section != section:
            section = row.section
            t.add_row(f"[bold]{section}[/]", "", "", "", "")
        t.add_row(f"  {row.label}", fmt(row.base, row.unit), fmt(row.other, row.unit), fmt(row.diff, row.unit),
                  f"{fmt(row.diff_p05, row.unit)} to {fmt(row.diff_p95, row.unit)}")
    return t


def _catalogue_order() -> list[str]:
    from .measures import CATALOGUE

    return list(CATALOGUE)


def register(app: typer.Typer) -> None:
    """Add `compare` and `china` to the command line."""

    @app.command()
    def compare(
        base: str = typer.Argument(..., help="Reference scenario (name or .toml path)."),
        others: List[str] = typer.Argument(..., help="Scenarios to compare with it."),
        replicates: int = typer.Option(3, "--replicates", "-r", help="Replicates per scenario (common random numbers)."),
        years: float = typer.Option(5.0, help="Years to simulate (0 < years <= 50)."),
        scale: float = typer.Option(0.01, help="Proportional sample of the country (0 < scale <= 1)."),
        seed: int = typer.Option(0, help="Base seed; replicate r uses the same engine seed in every scenario."),
        fixed_params: bool = typer.Option(False, "--fixed-params", help="Keep uncertain parameters at their values."),
        csv: Optional[Path] = typer.Option(None, "--csv", help="Also write every scenario x replicate x measure here."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Differences (other - base) with 90% intervals: removals, cost by component, backlog, detention, waits, due process."""
        from ..cli import fail, out

        _check(replicates, years, scale)
        runs = execute([base] + list(others), replicates, years, seed, scale, quiet, fixed_params)
        for other in runs.names[1:]:
            out.print(difference_table(runs, runs.names[0], other))
        out.print(f"90% interval: 5th-95th percentile of the {replicates} per-replicate differences "
                  "(with few replicates, close to their range). Scale {:g}; figures scaled to the whole country.".format(scale))
        if csv is not None:
            try:
                csv.parent.mkdir(parents=True, exist_ok=True)
                runs.measures.to_csv(csv, index=False)
            except OSError as e:
                fail(f"--csv {csv}: cannot write ({e.strerror or e})")
            out.print(f"Measures written to {csv}")

    @app.command()
    def china(
        scenarios: Optional[List[str]] = typer.Argument(None, help="Scenarios (default: the three cooperation levels)."),
        replicates: int = typer.Option(5, "--replicates", "-r", help="Replicates per scenario."),
        years: float = typer.Option(5.0, help="Years to simulate; the cohort is also read after 1 and 2 years."),
        scale: float = typer.Option(0.05, help="Proportional sample (China is small: keep it at 0.02 or more)."),
        seed: int = typer.Option(0, help="Base seed."),
        fixed_params: bool = typer.Option(False, "--fixed-params", help="Keep uncertain parameters at their values."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """The China questions: 2023-24 arrivals' final orders after 1, 2, 5 years; executable orders; cost per removal."""
        from ..cli import fail, out
        from .china import china_answers

        _check(replicates, years, scale)
        names = list(scenarios) if scenarios else DEFAULT_CHINA
        runs = execute(names, replicates, years, seed, scale, quiet, fixed_params, checkpoints=(1, 2, 5))
        if any("China" not in s.groups for s in runs.scenarios):
            fail("every scenario needs a China group")
        ans = china_answers(runs)
        for q, part in ans.groupby("question", sort=True):
            t = Table(title=f"{q} (median [90% band] across {replicates} replicates; whole country)")
            t.add_column("measure")
            for n in runs.names:
                t.add_column(n, justify="right")
            for meas in dict.fromkeys(part["measure"]):
                cells = []
                for n in runs.names:
                    r = part[(part["scenario"] == n) & (part["measure"] == meas)]
                    unit = "USD" if "USD" in meas else ""
                    cells.append("-" if r.empty else f"{fmt(r['median'].iloc[0], unit)} "
                                 f"[{fmt(r['p05'].iloc[0], unit)}-{fmt(r['p95'].iloc[0], unit)}]")
                t.add_row(meas, *cells)
            out.print(t)
