"""`removalsim compare` and `removalsim china`: policy differences with 90% intervals on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import options as opt
from .console import lit, out, progress
from .errors import command, fail, guard, load
from .settings import RunSettings
from .tables import fmt, write_csv

DEFAULT_CHINA = ["china_2024_25", "china_full_cooperation", "china_paused"]


def execute(names: list[str], settings: RunSettings, quiet: bool, checkpoints: tuple[float, ...] = (), *,
            workers: int | None = None, scheduler: str | None = None, runs: Path | None = None,
            need_group: str | None = None):
    """Load the scenarios (failing cleanly, before anything runs: also when one lacks the group `need_group` or
    the sample holds nobody) and run each `settings.replicates` times with a progress bar, on the experiments
    stack (local processes or Dask; written and resumable under `runs`)."""
    from ..compare.runner import run_scenarios

    from .run import refuse_empty_sample

    scs = [load(n) for n in names]
    seen = [s.name for s in scs]
    if len(set(seen)) != len(seen):
        fail(f"scenarios must differ; got {', '.join(seen)}")
    if need_group:
        lacking = [s.name for s in scs if need_group not in s.groups]
        if lacking:
            fail(f"{', '.join(lacking)}: no {need_group} group; every scenario of this command needs one "
                 f"(such as {', '.join(DEFAULT_CHINA)})")
    for sc in scs:
        refuse_empty_sample(sc, settings.scale)
    reps = settings.replicates or 1
    with progress(quiet, f"{len(scs)} scenarios x {reps} replicates", "runs", total=len(scs) * reps,
                  remaining=False) as update:
        return guard(run_scenarios, scs, reps, settings.years, settings.seed, settings.scale,
                     freq=settings.freq, fixed_params=settings.fixed_params, checkpoints=checkpoints,
                     progress=update, workers=workers, scheduler=scheduler, out=runs)


def difference_table(runs, base: str, other: str) -> Table:
    """Each measure with the two medians and, beside them, the median of the paired differences over its
    interval (a range below 10 replicates); units with the measure, money as $ bn / $ m."""
    from ..compare.runner import differences
    from ..formatting import amount, unit_words
    from ..measures import HORIZON, label

    catalogue = list(HORIZON)
    d = differences(runs, base, other)
    d["section"], d["label"], d["unit"] = zip(*(label(m) for m in d["measure"]))
    d = d[~d["measure"].str.startswith("cohort_")]
    order = {s: i for i, s in enumerate(dict.fromkeys(label(m)[0] for m in catalogue))}
    d["o1"] = d["section"].map(lambda s: order.get(s, 99))
    d["o2"] = d["measure"].map(lambda m: catalogue.index(m) if m in catalogue else 999)
    d = d.sort_values(["o1", "o2", "measure"])
    n = int(d["replicates"].max())
    kind = d["interval"].iloc[0]
    t = Table(title=f"{lit(other)} minus {lit(base)}, whole country: the two medians, and the median of the "
                    f"{n} paired differences (replicate r of each, same random numbers) over their {kind}",
              title_justify="left")
    t.add_column("measure (unit)", overflow="fold")
    t.add_column(f"{lit(base)}\nmedian", justify="right", overflow="fold")
    t.add_column(f"{lit(other)}\nmedian", justify="right", overflow="fold")
    t.add_column(f"paired difference\n({kind} below)", justify="right", overflow="fold")
    section = None
    for row in d.itertuples():
        if row.section != section:
            section = row.section
            t.add_row(f"[bold]{lit(section)}[/]", "", "", "")
        u = row.unit
        shown = f"  {lit(row.label)} ({unit_words(u)})" if u and not u.startswith("USD") else f"  {lit(row.label)}"
        t.add_row(shown, amount(row.base, u),
                  amount(row.other, u), f"{amount(row.diff, u, True)}\n{amount(row.diff_low, u, True)} to "
                  f"{amount(row.diff_high, u, True)}")
    return t


def compare(
    base: Annotated[str, typer.Argument(help="Reference scenario (name or .toml path).")],
    others: Annotated[list[str], typer.Argument(help="Scenarios to compare with it.")],
    replicates: Annotated[int, opt.replicates(
        "Replicates per scenario (common random numbers; 2 or more for intervals)")] = 3,
    years: opt.Years = 5.0,
    scale: opt.Scale = 0.01,
    seed: Annotated[int, opt.seed("Base seed; replicate r uses the same engine seed in every scenario.")] = 0,
    fixed_params: opt.FixedParams = False,
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="Also write every scenario x replicate x measure here.")] = None,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    runs_dir: opt.RunsFolder = None,
    quiet: opt.Quiet = False,
) -> None:
    """Differences (other - base) with 90% intervals: removals, cost by component, backlog, detention, waits,
    due process."""
    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, fixed_params=fixed_params)
    if csv is not None:
        opt.check_file(csv, "--csv")
    runs = execute([base] + list(others), settings, quiet, workers=workers, scheduler=scheduler, runs=runs_dir)
    for other in runs.names[1:]:
        out.print(difference_table(runs, runs.names[0], other))
    from ..formatting import RANGE_BELOW

    kind = ("90% band: the 5th to 95th percentile" if replicates >= RANGE_BELOW else
            f"range: the lowest and highest (below {RANGE_BELOW} replicates a 90% band would mean little)")
    out.print(f"The paired difference is the median over the {replicates} replicates of (scenario minus "
              f"{runs.names[0]}) in the same replicate; it need not equal the difference of the two medians. "
              f"Below it, the {kind} of those differences. Scale {settings.scale:g}, seed {settings.seed}; "
              "figures scaled to the whole country; per year: the mean over the years simulated.",
              markup=False, highlight=False)
    if csv is not None:
        write_csv(runs.measures, csv)
        out.print(f"Measures written to {csv}", markup=False)


def china(
    scenarios: Annotated[list[str] | None, typer.Argument(
        help="Scenarios (default: the three cooperation levels).")] = None,
    replicates: Annotated[int, opt.replicates("Replicates per scenario")] = 5,
    years: Annotated[float, opt.years("Years to simulate; the cohort is also read after 1 and 2 years")] = 5.0,
    scale: Annotated[float, opt.scale("Proportional sample (China is small: keep it at 0.02 or more)")] = 0.05,
    seed: Annotated[int, opt.seed("Base seed.")] = 0,
    fixed_params: opt.FixedParams = False,
    workers: opt.Workers = None,
    scheduler: opt.Scheduler = None,
    runs_dir: opt.RunsFolder = None,
    quiet: opt.Quiet = False,
) -> None:
    """The China questions: 2023-24 arrivals' final orders after 1, 2, 5 years; executable orders; cost per removal."""
    from ..compare.china import china_answers

    settings = guard(RunSettings, years=years, scale=scale, seed=seed, replicates=replicates, fixed_params=fixed_params)
    names = list(scenarios) if scenarios else DEFAULT_CHINA
    runs = execute(names, settings, quiet, checkpoints=(1, 2, 5), workers=workers, scheduler=scheduler, runs=runs_dir,
                   need_group="China")
    ans = china_answers(runs)
    for q, part in ans.groupby("question", sort=True):
        kind = part["interval"].iloc[0]
        t = Table(title=f"{q} (median, and below it the {kind} of {replicates} replicates; whole country)",
                  title_justify="left")
        t.add_column("measure", overflow="fold")
        for n in runs.names:
            t.add_column(lit(n), justify="right", overflow="fold")
        for meas in dict.fromkeys(part["measure"]):
            cells = []
            for n in runs.names:
                r = part[(part["scenario"] == n) & (part["measure"] == meas)]
                unit = "USD" if "USD" in meas else ""
                cells.append("-" if r.empty else f"{fmt(r['median'].iloc[0], unit)}\n"
                             f"{fmt(r['low'].iloc[0], unit)} to {fmt(r['high'].iloc[0], unit)}")
            t.add_row(lit(meas.replace(" (USD)", "")), *cells)
        out.print(t)


def register(app: typer.Typer) -> None:
    """Add `compare` and `china` to the command line."""
    command(app, "compare")(compare)
    command(app, "china")(china)
