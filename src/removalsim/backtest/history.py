"""Historical series for the backtest, assembled from the package's statistics table.

Every number here is looked up by its statistics id (``removalsim data show ID``);
this module only says which id stands for which fiscal year of which series, and
where the record has no figure. Series from EOIR and TRAC differ; each observation
keeps its id so the report can say which series a year comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import get

# -- court: pending at FY end, new receipts, completions ---------------------------------------
_EOIR_YEARS = (2008, 2009, 2010, 2011, 2012, 2013, 2014, 2020)

COURT_PENDING: dict[int, str] = {y: f"eoir-pending-fy{y}" for y in _EOIR_YEARS} | {
    2019: "trac-pending-fy2019",      # TRAC series; EOIR's own FY2019 figure is not in the record
    2022: "eoir-pending-fy2022",      # EOIR, stated as pending at the start of FY2023
    2023: "eoir-pending-fy2023",
    2024: "eoir-pending-fy2024",      # CRS, "approximately 3.6 million"
    2025: "trac-pending-2025",        # TRAC, "later in 2025"; closest figure to the FY2025 end
}
COURT_RECEIPTS: dict[int, str] = {y: f"eoir-receipts-fy{y}" for y in _EOIR_YEARS} | {
    2023: "eoir-receipts-fy2023",     # EOIR: DHS charging documents, "almost 1.2 million"
    2024: "eoir-receipts-fy2024",     # CRS: "nearly 1.8 million"
    2025: "court-receipts-fy2025",    # news, series not stated
}
COURT_COMPLETIONS: dict[int, str] = {y: f"eoir-completions-fy{y}" for y in _EOIR_YEARS} | {
    2021: "trac-completions-fy2021",
    2022: "trac-completions-projected-fy2022",
    2023: "trac-completions-fy2023",
    2024: "trac-completions-fy2024",
    2025: "court-completions-fy2025",
}
#: Left out on purpose, with the reason (reported by the backtest and the model card).
COURT_EXCLUDED: dict[str, str] = {
    "eoir-pending-fy2021": "an unverified placeholder (about 1.6 million), not a published figure",
    "ij-count-fy2023": "734 at the end of FY2023 (secondary) conflicts with TRAC's 682 three months later",
}

# Judges on board: (statistics id, the date the count refers to). Linear between dates, flat outside.
JUDGE_ANCHORS: tuple[tuple[str, dt.date], ...] = (
    ("ij-count-2006-08", dt.date(2006, 8, 15)),
    ("ij-count-2009-04", dt.date(2009, 4, 15)),
    ("ij-count-fy2016", dt.date(2016, 4, 1)),     # FY2016, no month given: taken at mid-year
    ("ij-count-2017-09", dt.date(2017, 9, 15)),
    ("ij-count-fy2019", dt.date(2019, 9, 30)),    # "end FY2019"
    ("ij-count-2020-03", dt.date(2020, 3, 31)),   # "FY2020 Q2"
    ("ij-count-2021-10", dt.date(2021, 10, 1)),   # "start FY2022"
    ("ij-count-2023-03", dt.date(2023, 3, 31)),   # "end FY2023 Q2"
    ("ij-count-2023-12", dt.date(2023, 12, 15)),
    ("ij-count-2025-01", dt.date(2025, 1, 15)),
    ("ij-count-late-2025", dt.date(2025, 10, 1)),  # "late 2025", "less than 600"
)

# -- ICE: interior removals (removals that began with an ICE arrest) and ICE arrests -------------
ICE_ARRESTS: dict[int, str] = {y: f"ice-arrests-fy{y}" for y in range(2016, 2025)}
ICE_INTERIOR_REMOVALS: dict[int, str] = {y: f"ice-removals-interior-fy{y}" for y in range(2016, 2025)}
ICE_TOTAL_REMOVALS: dict[int, str] = {y: f"ice-removals-fy{y}" for y in
                                      (2005, 2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013, 2014,
                                       2018, 2020, 2021, 2022, 2023, 2024)}
#: Arrest-to-removal lag for people removed: the average detention stay (FY2014).
ICE_LAG_ID = "detention-avg-stay-fy2014"


@dataclass(frozen=True)
class Obs:
    """One historical figure: fiscal year, value, and the statistics row it comes from."""

    fy: int
    value: float
    stat_id: str
    reliability: str

    @property
    def series(self) -> str:
        return self.stat_id.split("-")[0].upper()  # EOIR, TRAC, COURT (not stated), ICE


def series(ids: dict[int, str]) -> dict[int, Obs]:
    """Look up each fiscal year's id in the statistics table."""
    out = {}
    for fy, sid in sorted(ids.items()):
        row = get(sid)
        out[fy] = Obs(fy, float(row["value"]), sid, row["reliability"])
    return out


def fy_start(fy: int) -> dt.date:
    """First day of federal fiscal year `fy` (1 October of the year before)."""
    return dt.date(fy - 1, 10, 1)


def fy_days(fy: int) -> int:
    return (fy_start(fy + 1) - fy_start(fy)).days


def judges_on(dates: list[dt.date] | np.ndarray) -> np.ndarray:
    """Judges on board on each date: linear between the recorded counts, flat before and after."""
    xs = np.array([d.toordinal() for _, d in JUDGE_ANCHORS], dtype=float)
    ys = np.array([get(sid)["value"] for sid, _ in JUDGE_ANCHORS], dtype=float)
    q = np.array([d.toordinal() if isinstance(d, dt.date) else int(d) for d in dates], dtype=float)
    return np.interp(q, xs, ys)


@dataclass(frozen=True)
class Segment:
    """A run of consecutive fiscal years whose receipts are all in the record, from a recorded stock."""

    start_stock: Obs          # pending at the end of the year before the first
    years: tuple[int, ...]

    @property
    def start(self) -> dt.date:
        return fy_start(self.years[0])


def court_segments(first_stock_fy: int = 2008) -> tuple[list[Segment], list[int]]:
    """Split the record into runs that can be driven with recorded receipts.

    The first run starts from the pending stock at the end of `first_stock_fy`.
    Returns the segments and the fiscal years the record has an outcome for but
    that cannot be driven (no receipts in the record, or no stock to start from).
    """
    receipts, pending = series(COURT_RECEIPTS), series(COURT_PENDING)
    completions = series(COURT_COMPLETIONS)
    driven = sorted(y for y in receipts if y > first_stock_fy)
    runs: list[list[int]] = []
    for y in driven:
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    segments = []
    for r in runs:
        if r[0] - 1 in pending:
            segments.append(Segment(pending[r[0] - 1], tuple(r)))
    covered = {y for s in segments for y in s.years}
    outcome_years = {y for y in set(pending) | set(completions) if y > first_stock_fy}
    return segments, sorted(outcome_years - covered)


def history_table() -> pd.DataFrame:
    """All series used by the backtest as one tidy table (series, fy, value, stat_id, reliability)."""
    rows = []
    for name, ids in (("court_pending", COURT_PENDING), ("court_receipts", COURT_RECEIPTS),
                      ("court_completions", COURT_COMPLETIONS), ("ice_arrests", ICE_ARRESTS),
                      ("ice_interior_removals", ICE_INTERIOR_REMOVALS), ("ice_removals", ICE_TOTAL_REMOVALS)):
        for o in series(ids).values():
            rows.append({"series": name, "fy": o.fy, "value": o.value, "stat_id": o.stat_id,
                         "reliability": o.reliability})
    return pd.DataFrame(rows)
