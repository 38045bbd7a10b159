"""The backtest through the engine: the `history` scenario (2014-10-01 to 2025-09-30, recorded drivers) run
with replicates and set, fiscal year by fiscal year, against every series the record holds.

Each (series, fiscal year, record figure) becomes a `validate.Target`, so the runs, the reading of a window
and the bands are the base-year table's. Years are labelled: FY2015-FY2019 are validation years (no outcome
of those years enters any fit, calibration or hand-tuning; see `validation_leaks`), FY2020-FY2025 fit years.
Bars follow the issue that set them: in validation years court pending and completions within 15%, ICE
removals and detention within 20%; in fit years 10%; the other series are shown without a bar.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..validate import Target
from .history import fy_start

if TYPE_CHECKING:
    import pandas as pd

SCENARIO = "history"
FIRST_FY, LAST_FY = 2015, 2025
VALIDATION_YEARS = tuple(range(2015, 2020))
FIT_BAR = 0.10
NO_BAR = math.inf


@dataclass(frozen=True)
class HistorySeries:
    """A series the record holds by fiscal year, and how the model's runs read it."""

    name: str
    label: str
    definition: str
    kind: str                   # validate.Target kind: "total" over the FY, "on" its last day, "mean" over it
    measure: str
    ids: tuple[str, ...]        # statistics ids, "{fy}" for the fiscal year; several series where the record has
    validation_bar: float = NO_BAR  # allowed error in validation years (NO_BAR: shown, not judged)

    def bar(self, fy: int) -> float:
        if fy in VALIDATION_YEARS:
            return self.validation_bar
        return FIT_BAR if self.validation_bar != NO_BAR else NO_BAR


SERIES: tuple[HistorySeries, ...] = (
    HistorySeries("court_pending", "court cases pending at FY end",
                  "cases pending before immigration judges on 30 September (EOIR via CRS, or TRAC)", "on",
                  "court_backlog", ("eoir-pending-fy{fy}", "trac-pending-fy{fy}"), 0.15),
    HistorySeries("court_completions", "court completions",
                  "initial case completions by immigration judges in the fiscal year (EOIR, or TRAC)", "total",
                  "court_completion", ("eoir-completions-fy{fy}", "trac-completions-fy{fy}"), 0.15),
    HistorySeries("court_receipts", "new court cases",
                  "new cases (notices to appear filed) in the fiscal year; reopened cases are not receipts",
                  "total", "case_filed", ("eoir-receipts-fy{fy}", "trac-receipts-fy{fy}")),
    HistorySeries("ice_removals", "ICE removals",
                  "ICE's count of removals it carried out, interior and border-origin; not DHS 'removals and "
                  "returns', not Title 42 expulsions, not self-departures", "total", "removals",
                  ("ice-removals-fy{fy}",), 0.20),
    HistorySeries("ice_interior_removals", "ICE interior removals",
                  "ICE removals of people first arrested by ICE (the model: removals not of border-origin)",
                  "total", "removals_interior", ("ice-removals-interior-fy{fy}",)),
    HistorySeries("detention_adp", "people detained, daily average",
                  "ICE detention average daily population over the fiscal year", "mean", "detained",
                  ("detention-adp-fy{fy}",), 0.20),
    HistorySeries("atd", "ATD enrolment", "people enrolled in Alternatives to Detention, on the date the record "
                  "gives", "on", "on_atd", ()),
    HistorySeries("in_absentia", "in-absentia orders", "removal orders given in absentia in the fiscal year",
                  "total", "in_absentia_order", ("in-absentia-orders-fy{fy}",)),
)

#: Series the record gives on dates rather than at fiscal-year ends: (series name, statistics id, date).
DATED: tuple[tuple[str, str, dt.date], ...] = (
    ("atd", "atd-enrollment-2024-04", dt.date(2024, 4, 30)),
    ("atd", "atd-enrollment-2024-08-10", dt.date(2024, 8, 10)),
    ("atd", "atd-enrollment-2025-01", dt.date(2025, 1, 31)),
    ("atd", "atd-enrollment-2025-04", dt.date(2025, 4, 30)),
)

#: Record figures left out on purpose, with the reason (shown with the backtest).
EXCLUDED: dict[str, str] = {
    "eoir-pending-fy2021": "an unverified placeholder (about 1.6 million), not a published figure",
}


def fy_window(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of federal fiscal year `fy`."""
    return fy_start(fy), fy_start(fy + 1) - dt.timedelta(days=1)


def split(fy: int) -> str:
    return "validation" if fy in VALIDATION_YEARS else "fit"


def targets(series: Sequence[HistorySeries] = SERIES, first: int = FIRST_FY, last: int = LAST_FY,
            scenario: str = SCENARIO) -> list[Target]:
    """One target per series, fiscal year and record figure the statistics table holds."""
    out = []
    for s in series:
        for fy in range(first, last + 1):
            start, end = fy_window(fy)
            for template in s.ids:
                sid = template.format(fy=fy)
                if sid in EXCLUDED or not _known(sid):
                    continue
                out.append(Target(scenario, f"{s.label}, FY{fy}", sid, s.kind, s.measure,
                                  start if s.kind != "on" else end, end, s.bar(fy)))
    by_name = {s.name: s for s in series}
    for name, sid, day in DATED:
        fy = day.year + (day.month >= 10)
        if name in by_name and first <= fy <= last and _known(sid):
            s = by_name[name]
            out.append(Target(scenario, f"{s.label}, FY{fy}", sid, s.kind, s.measure, day, day, s.bar(fy)))
    return out


def _known(sid: str) -> bool:
    """Whether the statistics table holds `sid` (with a positive figure, as every record here must)."""
    from ..data import get

    try:
        value = get(sid)["value"]
    except KeyError:
        return False
    assert value > 0, sid
    return True


def run_history(replicates: int = 5, scale: float = 0.01, seed: int = 0, *, workers: int | None = None,
                scheduler: str | None = None, progress=None, scenario: str = SCENARIO,
                first: int = FIRST_FY, last: int = LAST_FY) -> pd.DataFrame:
    """The history table: series, fy, split, definition, record, stat_id, median, p05, p95, low, high, interval,
    error, bar, within (`low`-`high` named by `interval`, as in :func:`removalsim.validate.validate`)."""
    from ..validate import validate

    ts = targets(first=first, last=last, scenario=scenario)
    if not ts:
        raise ValueError(f"the record holds no figure for FY{first}-FY{last} in any backtest series")
    table = validate(replicates, scale, seed, targets=ts, workers=workers, scheduler=scheduler, progress=progress)
    by_label = {f"{s.label}, FY{fy}": (s, fy) for s in SERIES for fy in range(first, last + 1)}
    table.insert(1, "fy", [by_label[x][1] for x in table["series"]])
    table.insert(2, "split", [split(fy) for fy in table["fy"]])
    table["definition"] = [by_label[x][0].definition for x in table["series"]]
    table["series"] = [by_label[x][0].name for x in table["series"]]
    table["within"] = [bool(abs(e) <= b) for e, b in zip(table["error"], table["bar"])]
    return table.drop(columns=["fitted", "known_miss"])


def summary_lines(table: pd.DataFrame) -> list[str]:
    """Per series and split: years, mean absolute error, years outside the bar."""
    lines = []
    for s in SERIES:
        for sp in ("validation", "fit"):
            t = table[(table.series == s.name) & (table.split == sp)]
            if len(t):
                judged = t[t.bar != NO_BAR]
                miss = "" if judged.empty else f", {int((~judged.within).sum())} outside the bar"
                lines.append(f"{s.label}, {sp} years: {len(t)} figure{'s' if len(t) != 1 else ''}, mean absolute error "
                             f"{100 * t.error.abs().mean():.0f}%{miss}")
    return lines


def markdown(table: pd.DataFrame) -> str:
    """The history table as Markdown, by series (model card, report)."""
    from ..formatting import fmt, nice
    from ..validate import interval_label

    lines = [f"| series | FY | split | record | model median [{interval_label(table)}] | error | bar |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for r in table.itertuples():
        bar = "none" if r.bar == NO_BAR else f"{r.bar:.0%}"
        miss = "" if r.within or r.bar == NO_BAR else " (miss)"
        lines.append(f"| {r.series} (`{r.stat_id}`) | FY{r.fy} | {r.split} | {fmt(r.record)} | {nice(r.median)} "
                     f"[{nice(r.low)} to {nice(r.high)}] | {r.error:+.0%}{miss} | {bar} |")
    return "\n".join(lines)


def validation_leaks(folder=None) -> list[str]:
    """Outcome figures of the validation years that a fit names as its data: must be empty.

    Calibration files list their data (`# Data (statistics ids): ...`); an id of a validation-year outcome
    (court pending or completions, ICE removals, detention population, FY2015-FY2019) there is a leak.
    """
    from .fit_files import calibration_folder

    folder = folder if folder is not None else calibration_folder()
    outcome = [t for s in SERIES if s.validation_bar != NO_BAR for t in s.ids]
    bad_ids = {t.format(fy=fy) for t in outcome for fy in VALIDATION_YEARS}
    bad_ids |= {f"detention-count-{fy}-{m:02d}" for fy in range(2014, 2020) for m in range(1, 13)}
    leaks = []
    for f in folder.iterdir():
        if not f.name.endswith(".toml"):
            continue
        for line in f.read_text().splitlines():
            if line.startswith("# Data (statistics ids):"):
                ids = {i.strip() for i in line.split(":", 1)[1].split(",")}
                leaks += [f"{f.name}: {i}" for i in sorted(ids & bad_ids)]
    return leaks


def plot(table: pd.DataFrame, folder) -> list:
    """One figure per series (`history-<series>.png` in `folder`): the record against the simulated median and
    90% band by fiscal year, validation years shaded. Returns the paths written."""
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = Path(folder)
    written = []
    for s in SERIES:
        t = table[table.series == s.name].sort_values("fy")
        if t.empty:
            continue
        fig, ax = plt.subplots(figsize=(8, 4.2), constrained_layout=True)
        ax.axvspan(VALIDATION_YEARS[0] - 0.5, VALIDATION_YEARS[-1] + 0.5, color="#e8e2c8", zorder=0,
                   label="validation years (no fit)")
        one = t.drop_duplicates("fy")
        ax.fill_between(one.fy, one.low, one.high, color="#4c72b0", alpha=0.25, lw=0,
                        label=f"simulated {one['interval'].iloc[0]} replicates")
        ax.plot(one.fy, one["median"], "-o", color="#4c72b0", ms=3, label="simulated median")
        for prefix, marker, name in (("eoir", "s", "EOIR"), ("trac", "^", "TRAC")):
            r = t[t.stat_id.str.startswith(prefix)]
            if len(r):
                ax.plot(r.fy, r.record, marker, color="#c44e52", mfc="none", ms=7, mew=1.5, label=f"recorded ({name})")
        other = t[~t.stat_id.str.startswith(("eoir", "trac"))]
        if len(other):
            ax.plot(other.fy, other.record, "s", color="#c44e52", mfc="none", ms=7, mew=1.5, label="recorded")
        ax.set_title(f"{s.label}: the record against the history run ({s.definition})", fontsize=9, wrap=True)
        ax.set_xlabel("federal fiscal year")
        ax.set_xlim(FIRST_FY - 0.6, LAST_FY + 0.6)
        ax.set_xticks(range(FIRST_FY, LAST_FY + 1))
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
            lambda v, _: f"{v / 1e6:,.1f}M" if abs(v) >= 1e6 else f"{v / 1e3:,.0f}k"))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
        path = folder / f"history-{s.name}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    return written
