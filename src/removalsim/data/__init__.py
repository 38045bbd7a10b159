"""Citable public statistics on the U.S. removal system.

The table ``statistics.csv`` (shipped as package data) holds one row per
published figure and period, each with its issuing organisation, the
document it came from and a reliability grade. It was compiled from
``shared/research/public-statistics.md``; figures the research marked as
coming from content-farm "statistics" sites are deliberately left out.

Columns: ``id, quantity, group, period, value, unit, source_org, document,
url, via, via_url, no_url, reliability, note``.

* ``id`` -- stable kebab-case key, ``<topic>-<detail>-<period>``. Series
  from EOIR and from TRAC carry different prefixes (``eoir-``/``trac-``) and
  are never mixed; ``court-`` marks figures whose series is not stated.
* ``group`` -- ``all`` or a nationality as written in the source.
* ``period`` -- see :data:`PERIOD_PATTERN`.
* ``value`` -- a plain number; shares are fractions in 0..1.
* ``url`` -- the address of the primary source: the issuing body's own
  release, page, report or dataset (or the named study itself), https where
  the publisher serves it. Never a repost, mirror or aggregator (see
  :data:`MIRROR_DOMAINS`); those go in ``via_url``.
* ``via`` -- the intermediary the figure was read through (a news report, a
  blog, an advocacy group or a mirror quoting the source); blank when the
  figure was read in the primary source itself. Every ``secondary`` row
  names one.
* ``via_url`` -- the intermediary's address, where known (needs ``via``).
* ``no_url`` -- why ``url`` is blank (blank when it is not), one of
  :data:`NO_URL_REASONS`.
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
from urllib.parse import urlsplit

import pandas as pd

__all__ = [
    "ALLOWED_RELIABILITY",
    "ALLOWED_UNITS",
    "COLUMNS",
    "LOW_RELIABILITY_DOMAINS",
    "MIRROR_DOMAINS",
    "NO_URL_REASONS",
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
    "via",
    "via_url",
    "no_url",
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

#: Why a statistic has no primary ``url`` (the ``no_url`` column).
NO_URL_REASONS: dict[str, str] = {
    "derived": "computed from other statistics (note shows how); their rows carry the links",
    "assumption": "not seen in any source; an unverified placeholder",
    "not-published": "the issuing body gave the figure only to the press or an intermediary "
    "(a spokesperson, a letter, a leaked or unreleased document); no primary text is public",
    "not-located": "a primary document exists (the named report, release, article or testimony) "
    "but its address was not recorded and could not be confirmed; via names any intermediary",
}

#: Sites that repost, mirror or aggregate other people's texts. They may be
#: an intermediary (``via_url``, with ``via`` naming them) but never the
#: primary ``url``.
MIRROR_DOMAINS: tuple[str, ...] = (
    "abdpost.com",
    "adanvega.com",
    "americanfaith.com",
    "brighteon.com",
    "conservativenewsbriefing.com",
    "deported.news",
    "docslib.org",
    "documentcloud.org",
    "einpresswire.com",
    "factually.co",
    "forextv.com",
    "iminstory",
    "kxegradio.com",
    "lawandborder",
    "lebpc.com",
    "localnewswave.com",
    "mesazona.com",
    "minutemencoffee",
    "mixedtimes",
    "myorlandoimmigrationlawyer.com",
    "particle.news",
    "pledgetimes.com",
    "redcensor",
    "scmeike.com",
    "scribd.com",
    "seedz.ai",
    "srlawpa.com",
    "theactualnews",
    "thefederalnewswire",
    "todayeducationnews.com",
    "trance369",
    "truepundit.com",
    "ussanews",
    "visaverge.com",
)

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT_COLUMNS = tuple(c for c in COLUMNS if c != "value")


def _url_problem(url: str) -> str | None:
    """Return what is wrong with an address (not absolute http(s), spaces), or None."""
    if any(ch.isspace() for ch in url):
        return "contains white space"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) address"
    if not parts.hostname or "." not in parts.hostname:
        return "has no host name"
    return None


def _mirror(url: str) -> str | None:
    """The mirror or aggregator domain ``url`` is on, or None."""
    host = (urlsplit(url).hostname or "").lower()
    return next((d for d in MIRROR_DOMAINS if d in host), None)


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
    content-farm statistics site. Links: every row has a primary ``url`` or
    says in ``no_url`` why not; addresses are absolute http(s); ``url`` is
    never a mirror or aggregator; ``via_url`` comes with ``via``; secondary
    rows, and rows whose figure was never published, name their
    intermediary.
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

        text = {c: "" if _blank(row[c]) else str(row[c]).strip()
                for c in ("url", "via", "via_url", "no_url")}
        for col in ("url", "via_url"):
            if text[col]:
                why = _url_problem(text[col])
                if why:
                    problems.append(f"{where}: {col} {text[col]!r} {why}")
                for domain in LOW_RELIABILITY_DOMAINS:
                    if domain in text[col].lower():
                        problems.append(f"{where}: {col} is from low-reliability site {domain}")
        mirror = _mirror(text["url"]) if text["url"] else None
        if mirror:
            problems.append(f"{where}: url is on {mirror}, a mirror or aggregator; put the primary "
                            "source's address in url and this one in via_url, with via naming it")
        if text["via_url"] and not text["via"]:
            problems.append(f"{where}: via_url given without via naming the intermediary")
        if text["url"] and text["via_url"] and text["url"] == text["via_url"]:
            problems.append(f"{where}: url and via_url are the same address")
        reason = text["no_url"]
        if reason and reason not in NO_URL_REASONS:
            problems.append(f"{where}: no_url {reason!r} not allowed; expected one of "
                            f"{', '.join(NO_URL_REASONS)}")
        elif text["url"] and reason:
            problems.append(f"{where}: no_url {reason!r} given but url is present")
        elif not text["url"] and not reason:
            problems.append(f"{where}: no url and no no_url reason; give the primary source's "
                            f"address or one of {', '.join(NO_URL_REASONS)}")
        if not text["via"]:
            if rel == "secondary":
                problems.append(f"{where}: secondary row does not name its intermediary in via")
            elif reason == "not-published":
                problems.append(f"{where}: no_url {reason!r} needs via naming where the figure was read")
        if reason == "derived" and rel != "derived":
            problems.append(f"{where}: no_url 'derived' on a {rel or 'blank'} row")
        if reason == "assumption" and rel != "assumption":
            problems.append(f"{where}: no_url 'assumption' on a {rel or 'blank'} row")
    return problems
