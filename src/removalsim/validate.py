"""The model next to the record for the base years: each target series, record, model median with a 90% band,
error, the bar it must stay within, and whether any parameter was fitted to it.

A target is a figure of the package's statistics table (cited by id) and the same quantity read from
runs of a shipped scenario started on its own start date: removals between two dates, removals a day
over a window, or a stock on a date. Runs use daily tables so windows and dates are exact, and
replicates draw the uncertain parameters. Every record figure is from before 2025-11-30; the two
`baseline` rows check that stocks the record shows holding (detention, ATD at 2024-25 capacities) do
not drain in a year of the baseline.

Definitions: "ICE removals" is ICE's count of removals it carried out, interior (after an ICE arrest) and
border-origin (people apprehended by CBP); the model's `removed` flow is the same definition and
`removed_border` its border-origin part. DHS "removals and returns" also count CBP's voluntary returns
(the model's `voluntary_return`, not a removal); self-departures are neither, and none of these is
compared here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from .formatting import fmt, interval, interval_name, nice

if TYPE_CHECKING:
    import pandas as pd

    from .results import Result

@dataclass(frozen=True)
class Target:
    """One base-year series: `measure` (a flow or a catalogue series) read as `kind` over [start, end]."""

    scenario: str
    series: str
    stat_id: str
    kind: str            # "total" (a flow summed over the window), "per_day" / "per_year" (its mean), "on" (a
                         # stock on the end date), "mean" (a stock's daily mean over the window: an average daily
                         # population)
    measure: str
    start: dt.date
    end: dt.date
    bar: float           # the allowed relative error of the median
    fitted: str = ""     # the parameter fitted to this series, if any ("" for none)
    group: str = ""      # one nationality group ("" for all)
    miss: str = ""       # why the model misses this series today ("" when it is expected within its bar)
    min_scale: float = 0.0  # run this target's scenario at least at this scale (small groups need a larger sample)

    def days(self) -> int:
        return (self.end - self.start).days + 1


# The China group is under 3% of the population: at 1% it has a few people a month and charters of about one seat,
# so its targets run on a 5% sample.
CHINA_SCALE = 0.05

TARGETS: tuple[Target, ...] = (
    Target("fy2024", "ICE removals, FY2024", "ice-removals-fy2024", "total", "removals", dt.date(2023, 10, 1),
           dt.date(2024, 9, 30), 0.10, fitted="border.cbp_custody_removal_share"),
    Target("fy2024", "detention average daily population, FY2024", "detention-adp-fy2024", "mean", "detained",
           dt.date(2023, 10, 1), dt.date(2024, 9, 30), 0.10),
    Target("fy2024", "ATD enrolment on 2024-08-10 (capacity held at the 2023-24 level)", "atd-enrollment-2024-08-10",
           "on", "on_atd", dt.date(2024, 8, 10), dt.date(2024, 8, 10), 0.10),
    Target("fy2024", "new court cases, FY2024", "trac-receipts-fy2024", "total", "case_filed", dt.date(2023, 10, 1),
           dt.date(2024, 9, 30), 0.10),
    Target("fy2024", "court completions, FY2024", "trac-completions-fy2024", "total", "court_completion",
           dt.date(2023, 10, 1), dt.date(2024, 9, 30), 0.10, fitted="court.completions_per_judge_day"),
    Target("fy2024", "court cases pending at the end of FY2024", "trac-pending-fy2024", "on", "court_backlog",
           dt.date(2024, 9, 30), dt.date(2024, 9, 30), 0.10),
    Target("current_policy", "ICE removals, 2025-01-20 to 2025-08-27", "ice-removals-since-inauguration-2025-08-27",
           "total", "removals", dt.date(2025, 1, 20), dt.date(2025, 8, 27), 0.10),
    Target("current_policy", "people detained on 2025-08-29", "detention-count-2025-08-29", "on", "detained",
           dt.date(2025, 8, 29), dt.date(2025, 8, 29), 0.10),
    Target("current_policy", "ICE removals a day, 2025-10-01 to 2025-11-15", "ice-removals-per-day-2025-11",
           "per_day", "removals", dt.date(2025, 10, 1), dt.date(2025, 11, 15), 0.15),
    Target("current_policy", "court backlog at the end of June 2025", "court-pending-2025-06", "on", "court_backlog",
           dt.date(2025, 6, 30), dt.date(2025, 6, 30), 0.10),
    Target("current_policy", "ATD enrolment, end of April 2025", "atd-enrollment-2025-04", "on", "on_atd",
           dt.date(2025, 4, 30), dt.date(2025, 4, 30), 0.10),
    Target("china_2024_25", "removals to China a year, 2025-01-20 to 2025-11-30", "china-removals-charter-pace-2024-25",
           "per_year", "removed", dt.date(2025, 1, 20), dt.date(2025, 11, 30), 0.25, group="China",
           min_scale=CHINA_SCALE),
    Target("china_2024_25", "removals to China a year, years 2-4 of the run (the steady pace)",
           "china-removals-charter-pace-2024-25", "per_year", "removed", dt.date(2026, 1, 20), dt.date(2029, 1, 19),
           0.25, group="China", min_scale=CHINA_SCALE),
    Target("baseline", "ATD enrolment a year on (held at 2025-01 capacity)", "atd-enrollment-2025-01", "on", "on_atd",
           dt.date(2026, 1, 19), dt.date(2026, 1, 19), 0.10),
    Target("baseline", "people detained a year on (beds held at 41,500)", "detention-count-2024-12", "on", "detained",
           dt.date(2026, 1, 19), dt.date(2026, 1, 19), 0.10,
           miss="the baseline holds ICE arrests at the FY2024 pace (about 310 a day, all held, as in 2025) while its "
                "border is that of 2025, which sends about 195 people a day into ICE detention against about 500 a "
                "day from CBP in late 2024 (stats:detention-book-ins-cbp-2024-10); an intake of about 505 a day at "
                "the recorded 49-day stay (stats:detention-alos-2025) holds about 24,700 people; with the central "
                "values the model falls to about 25,000 within a month and stays there for years (the drawn "
                "arrest rates spread it): the stock follows the recorded stay, and the 39,000 of December 2024 "
                "were held by about 760 book-ins a day (stats:detention-book-ins-2024-10)"),
)


STOCK_KINDS = ("on", "mean")


def read(res: Result, t: Target, cache: dict | None = None) -> float:
    """The target's quantity in one run (whole country). `cache` keeps each run's daily series across targets
    (a history has a hundred targets over the same few measures)."""
    key = (id(res), t.measure, t.group, t.kind in STOCK_KINDS)
    if cache is not None and key in cache:
        s, dates = cache[key]
    else:
        s = _series_of(res, t)
        dates = s.index.date
        if cache is not None:
            cache[key] = s, dates
    if t.kind == "on":
        return float(s[dates == t.end].sum())
    inside = s[(dates >= t.start) & (dates <= t.end)]
    if t.kind == "mean":
        return float(inside.mean())
    window = float(inside.sum())
    return {"total": window, "per_day": window / t.days(), "per_year": window / t.days() * 365.25}[t.kind]


def _series_of(res: Result, t: Target) -> pd.Series:
    from .measures import series

    if t.group:
        table = "stocks" if t.kind in STOCK_KINDS else "flows"
        df = getattr(res, table)
        return df[(df["measure"] == t.measure) & (df["group"] == t.group)].groupby("date")["value"].sum() / res.scale
    return series(res, t.measure) if t.kind in STOCK_KINDS else _daily(res, t.measure)


def _daily(res: Result, measure: str) -> pd.Series:
    """A flow per day, whole country (daily tables keep every day, part-months included)."""
    from .measures import SERIES

    m = SERIES.get(measure)
    s = m.series(res) if m is not None and m.series is not None else res.total("flows", measure)
    return s.astype(float) / res.scale


def scenario_scale(targets: Sequence[Target], scenario: str, scale: float) -> float:
    """The scale a scenario runs at: `scale`, or more where one of its targets needs a larger sample."""
    return max([scale] + [t.min_scale for t in targets if t.scenario == scenario])


def horizon_years(targets: Sequence[Target], start: dt.date) -> float:
    """Years to simulate from `start` so every target's window is covered."""
    last = max(t.end for t in targets)
    return max(0.1, ((last - start).days + 1) / 365.25 + 1 / 365.25)


def validate(replicates: int = 5, scale: float = 0.01, seed: int = 0, *, targets: Sequence[Target] = TARGETS,
             workers: int | None = None, scheduler: str | None = None, progress=None) -> pd.DataFrame:
    """Run each target scenario `replicates` times (parameters drawn) and compare with the record.

    Columns: scenario, series, stat_id, record, median, p05, p95, low, high, interval, replicates, error
    (median / record - 1), bar, within (|error| <= bar), fitted. `low`-`high` is what to show: the 90% band
    from 10 replicates, else the lowest to highest value, and `interval` names it ("range of 5").
    """
    import pandas as pd

    from .data import get
    from .scenario import load_scenario
    from .uncertainty.bands import NINETY, bands_of
    from .uncertainty.jobs import make_run
    from .uncertainty.runner import run_specs

    names = list(dict.fromkeys(t.scenario for t in targets))
    scs = {n: load_scenario(n) for n in names}
    specs = {n: make_run(scs[n], seed=seed, scale=scenario_scale(targets, n, scale), freq="D",
                         replicates=replicates,
                         years=horizon_years([t for t in targets if t.scenario == n], scs[n].start_date))
             for n in names}
    done = run_specs(list(specs.values()), workers=workers, scheduler=scheduler, progress=progress)
    rows = []
    cache: dict = {}
    for t in targets:
        record = float(get(t.stat_id)["value"])
        values = [read(res, t, cache) for res in done.results[specs[t.scenario].run_id]]
        b = bands_of(values, levels=NINETY)
        low, high, _ = interval(values)
        error = b["median"] / record - 1
        rows.append({"scenario": t.scenario, "series": t.series, "stat_id": t.stat_id, "record": record,
                     "median": b["median"], "p05": b["p05"], "p95": b["p95"], "low": low, "high": high,
                     "interval": interval_name(len(values)), "replicates": len(values), "error": error, "bar": t.bar,
                     "within": bool(abs(error) <= t.bar), "fitted": t.fitted or "no", "known_miss": t.miss})
    return pd.DataFrame(rows)


def fitted_parameters(scenarios: Sequence[str]) -> list[str]:
    """One line per calibration file the scenarios cite (source `calibration:<file>`): the parameters fitted in
    it and the record series it names, so a reader sees what agrees with the record by construction."""
    from .backtest.fit_files import calibration_folder
    from .backtest.modelcard import _params
    from .scenario import load_scenario

    folder = calibration_folder()
    fitted: dict[str, dict[str, str]] = {}
    for name in scenarios:
        for path, p in _params(load_scenario(name)):
            for src in p.sources:
                if src.startswith("calibration:"):
                    value = "dated (fitted steps)" if p.steps else f"{p.number():g}"
                    fitted.setdefault(src.removeprefix("calibration:"), {}).setdefault(path, value)
    lines = []
    for file, params in fitted.items():
        data = [line.split(":", 1)[1] for line in (folder / file).read_text().splitlines()
                if line.startswith("# Data (statistics ids):")]
        ids = ", ".join(f"`{i.strip()}`" for i in (data[0].split(",") if data else []))
        values = ", ".join(f"`{path}` = {value}" for path, value in params.items())
        lines.append(f"{values} (`{file}`), fitted to {ids or 'the series the file names'}")
    return lines


def misses_explained(table: pd.DataFrame) -> list[str]:
    """One line per series outside its bar: the series and why the model misses it (or that it is new)."""
    lines = []
    for r in table.itertuples():
        if not r.within:
            why = getattr(r, "known_miss", "") or "not yet explained: a new miss"
            lines.append(f"`{r.scenario}`, {r.series}: {why}.")
    return lines


def interval_label(table: pd.DataFrame) -> str:
    """What the table's intervals are, for a column header: '90% band of 20', 'range of 5' or, when scenarios
    ran different numbers of replicates, each name joined."""
    return " or ".join(dict.fromkeys(table["interval"]))


def markdown(table: pd.DataFrame) -> str:
    """The validation table as Markdown (for the README and the report), then why each miss misses."""
    lines = [f"| scenario | series | record | model median [{interval_label(table)}] | error | bar | fitted |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in table.itertuples():
        lines.append(f"| `{r.scenario}` | {r.series} (`{r.stat_id}`) | {fmt(r.record)} | {nice(r.median)} "
                     f"[{nice(r.low)} to {nice(r.high)}] | {r.error:+.0%}{'' if r.within else ' (miss)'} | "
                     f"{r.bar:.0%} | {r.fitted} |")
    why = misses_explained(table)
    if why:
        lines += ["", "Why the misses miss:", ""] + [f"- {w}" for w in why]
    fitted = fitted_parameters(list(dict.fromkeys(table["scenario"])))
    if fitted:
        lines += ["", "Parameters fitted to the record (calibration years only, before 2025-11-30):", ""]
        lines += [f"- {f}" for f in fitted]
    return "\n".join(lines)
