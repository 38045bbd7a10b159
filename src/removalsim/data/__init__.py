"""Citable public statistics on the U.S. removal system.

The table ``statistics.csv`` (shipped as package data) holds one row per
published figure and period, each with its issuing organisation, the
document it came from and a reliability grade. It was compiled from
``shared/research/public-statistics.md``; figures the research marked as
coming from content-farm "statistics" sites are deliberately left out.

Columns: ``id, quantity, group, period, value, unit, source_org, document,
url, reliability, note``.

* ``id`` -- stable kebab-case key, ``<topic>-<detail>-<period>``. Series
  from EOIR and from TRAC carry different prefixes (``eoir-``/``trac-``) and
  are never mixed; ``court-`` marks figures whose series is not stated.
* ``group`` -- ``all`` or a nationality as written in the source.
* ``period`` -- see :data:`PERIOD_PATTERN`.
* ``value`` -- a plain number; shares are fractions in 0..1.
* ``reliability`` -- ``primary`` (seen in the issuing agency's or named
  study's own text), ``secondary`` (seen in a text quoting that source),
  ``derived`` (arithmetic in ``note``) or ``assumption`` (unverified).

Scenario files and validation code should cite figures by id:

>>> from removalsim.data import get
>>> get("ice-removals-fy2024")["value"]
271484.0
>>> get("final-orders-nondetained-china-2024-11")["group"]
'China'
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import math
import re
from datetime import date

import pandas as pd

__all__ = [
    "ALLOWED_RELIABILITY",
    "ALLOWED_UNITS",
    "COLUMNS",
    "LOW_RELIABILITY_DOMAINS",
    "PERIOD_PATTERN",
    "get",
    "statistics",
    "validate_table",
]

COLUMNS: tuple[str, ...] = (
    "id",
    "quantity",
    "group",
    "period",
    "value",
    "unit",
    "source_org",
    "document",
    "url",
    "reliability",
    "note",
)

ALLOWED_UNITS: frozenset[str] = frozenset(
    {
        "people",
        "cases",
        "judges",
        "officers",
        "beds",
        "flights",
        "flights/day",
        "countries",
        "days",
        "share",
        "USD",
        "USD/day",
        "USD/hour",
        "USD/person",
        "people/day",
        "people/month",
        "people/year",
        "cases/year",
        "applications",
        # additions beyond the original list:
        "cases/month",  # monthly court flows (NTAs filed, closures)
        "cases/judge",  # pending caseload per immigration judge
        "aircraft",  # charter aircraft available
        "facilities",  # authorised detention facilities
        "relative_change",  # signed fractional change, e.g. -0.62 for -62%
    }
)

ALLOWED_RELIABILITY: frozenset[str] = frozenset(
    {"primary", "secondary", "derived", "assumption"}
)

#: Accepted ``period`` formats:
#: ``FY2024`` (fiscal year), ``FY2011-FY2020`` (range of fiscal years),
#: ``CY2023`` (calendar year), ``CY2010-CY2019`` (range of calendar years),
#: ``2025`` (year, FY/CY unclear), ``2013-2014`` (range of such years),
#: ``2024-11`` (month) and ``2024-11-24`` (date).
PERIOD_PATTERN: re.Pattern[str] = re.compile(
    r"^(?:"
    r"FY(?P<fy>\d{4})(?:-FY(?P<fy_end>\d{4}))?"
    r"|CY(?P<cy>\d{4})(?:-CY(?P<cy_end>\d{4}))?"
    r"|(?P<y0>\d{4})-(?P<y1>\d{4})"
    r"|(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r")$"
)

#: Content-farm sites whose figures must never enter the table.
LOW_RELIABILITY_DOMAINS: tuple[str, ...] = ("gitnux", "wifitalents", "worldmetrics")

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_COLUMNS = tuple(c for c in COLUMNS if c != "value")


@functools.lru_cache(maxsize=1)
def _load() -> pd.DataFrame:
    resource = importlib.resources.files(__name__).joinpath("statistics.csv")
    with resource.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(
            fh,
            dtype={c: str for c in _TEXT_COLUMNS},
            keep_default_na=False,
            na_values={"value": [""]},
        )
    df["value"] = df["value"].astype(float)
    return df


def statistics() -> pd.DataFrame:
    """Return the statistics table (a fresh copy; ``value`` is float)."""
    return _load().copy()


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    return {row["id"]: row for row in _load().to_dict(orient="records")}


def get(stat_id: str) -> dict:
    """Return the row with id ``stat_id`` as a dict.

    Raises ``KeyError`` naming the id, with close matches when there are any.
    """
    index = _index()
    try:
        return dict(index[stat_id])
    except KeyError:
        close = difflib.get_close_matches(str(stat_id), list(index), n=5, cutoff=0.6)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown statistic id {stat_id!r}{hint}") from None


def _period_problem(period: str) -> str | None:
    """Return a description of what is wrong with ``period``, or None."""
    m = PERIOD_PATTERN.match(period)
    if m is None:
        return "does not match any accepted format"
    for start, end in (("fy", "fy_end"), ("cy", "cy_end"), ("y0", "y1")):
        if m.group(start) and m.group(end) and int(m.group(end)) <= int(m.group(start)):
            return "range does not run forward"
    if m.group("month"):
        month = int(m.group("month"))
        day = int(m.group("day")) if m.group("day") else 1
        try:
            date(int(m.group("year")), month, day)
        except ValueError:
            return "not a real month or date"
    return None


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def validate_table(df: pd.DataFrame) -> list[str]:
    """Return a list of problems found in a statistics table (empty if none).

    Checks: expected columns; id present, kebab-case and unique; source
    organisation and document present; unit, period and reliability
    allowed; value numeric and finite; shares within 0..1; derived and
    assumption rows explain themselves in ``note``; no URL from a
    content-farm statistics site.
    """
    problems: list[str] = []
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        return [f"missing columns: {', '.join(missing)}"]
    extra = [c for c in df.columns if c not in COLUMNS]
    if extra:
        problems.append(f"unexpected columns: {', '.join(map(str, extra))}")

    seen: set[str] = set()
    for pos, row in enumerate(df.to_dict(orient="records")):
        sid = "" if _blank(row["id"]) else str(row["id"])
        where = f"row {pos} ({sid or 'no id'})"
        if not sid:
            problems.append(f"{where}: missing id")
        else:
            if not _ID_PATTERN.match(sid):
                problems.append(f"{where}: id is not lowercase kebab-case")
            if sid in seen:
                problems.append(f"{where}: duplicate id")
            seen.add(sid)
        for col in ("quantity", "group"):
            if _blank(row[col]):
                problems.append(f"{where}: missing {col}")
        if _blank(row["source_org"]):
            problems.append(f"{where}: missing source_org")
        if _blank(row["document"]):
            problems.append(f"{where}: missing document")

        unit = "" if _blank(row["unit"]) else str(row["unit"])
        if unit not in ALLOWED_UNITS:
            problems.append(f"{where}: unit {unit!r} not allowed")

        period = "" if _blank(row["period"]) else str(row["period"])
        why = _period_problem(period)
        if why:
            problems.append(f"{where}: period {period!r} {why}")

        rel = "" if _blank(row["reliability"]) else str(row["reliability"])
        if rel not in ALLOWED_RELIABILITY:
            problems.append(f"{where}: reliability {rel!r} not allowed")
        elif rel in ("derived", "assumption") and _blank(row["note"]):
            problems.append(f"{where}: {rel} row needs a note")

        try:
            value = float(row["value"])
        except (TypeError, ValueError):
            problems.append(f"{where}: value {row['value']!r} is not numeric")
        else:
            if not math.isfinite(value):
                problems.append(f"{where}: value {row['value']!r} is not finite")
            elif unit == "share" and not 0.0 <= value <= 1.0:
                problems.append(f"{where}: share {value} outside 0..1")

        url = "" if _blank(row["url"]) else str(row["url"]).lower()
        for domain in LOW_RELIABILITY_DOMAINS:
            if domain in url:
                problems.append(f"{where}: url is from low-reliability site {domain}")
    return problems
