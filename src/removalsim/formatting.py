"""The one place numbers, money and fiscal years are written for a reader (tables, report, figures).

Three widths of the same conventions: `fmt` for full tables (whole numbers, money in $
or $ millions a year), `short` for band tables where a cell holds three numbers, and
`nice` for prose and the report (three significant figures, $M or $B). A missing or
undefined value is '-' everywhere. Imports nothing heavy, so the command line can use it.

>>> fmt(1.23e9, "USD/yr"), short(1234567), nice(2.5e9, "USD/yr"), fiscal_year("2024-10-01"), in_words(1.5e6)
('$1,230M', '1.23M', '$2.50B', 'FY2025', '1.50 million')
"""

from __future__ import annotations

import datetime as dt
import math


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt(value: float, unit: str = "") -> str:
    """A number as a journalist would print it in a table: $ millions a year, dollars, whole numbers otherwise.

    >>> fmt(1.23e9, "USD/yr"), fmt(17121.4, "USD"), fmt(-1234.6, "people"), fmt(float("nan"))
    ('$1,230M', '$17,121', '-1,235', '-')
    """
    if _missing(value):
        return "-"
    sign = "-" if value < 0 else ""
    if unit == "USD/yr":
        return f"{sign}${abs(value) / 1e6:,.0f}M"
    if unit == "USD":
        return f"{sign}${abs(value):,.0f}"
    return f"{value:,.0f}"


def short(v: float, measure: str = "") -> str:
    """A number in a few characters, for band tables: costs in $ millions, else k/M above 10,000.

    >>> short(2.5e9, "cost_total_usd"), short(1234567), short(45678), short(3.14159), short(float("nan"))
    ('2,500M', '1.23M', '46k', '3.14', '-')
    """
    if _missing(v):
        return "-"
    if measure.startswith("cost_"):
        return f"{v / 1e6:,.0f}M"
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.2f}M"
    if a >= 1e4:
        return f"{v / 1e3:.0f}k"
    return f"{v:,.3g}" if a < 10 else f"{v:,.0f}"


def significant(v: float, n: int = 3) -> float:
    """`v` rounded to `n` significant figures."""
    if v == 0 or not math.isfinite(v):
        return v
    return round(v, -int(math.floor(math.log10(abs(v)))) + (n - 1))


def nice(v: float, unit: str = "") -> str:
    """Three significant figures, money as $ (M or B), shares as percentages.

    >>> nice(1234567), nice(2.5e9, "USD/yr"), nice(-45.2e6, "USD/yr"), nice(0.456, "share"), nice(float("nan"))
    ('1,230,000', '$2.50B', '-$45.2M', '46%', '-')
    """
    if _missing(v):
        return "-"
    if unit == "share":
        return f"{v:.0%}"
    r = significant(v)
    if unit in ("USD/yr", "USD"):
        sign, a = ("-" if r < 0 else ""), abs(r)
        if a >= 1e9:
            return f"{sign}${a / 1e9:,.2f}B"
        if a >= 1e6:
            return f"{sign}${a / 1e6:,.0f}M" if a >= 1e8 else f"{sign}${a / 1e6:,.1f}M"
        return f"{sign}${a:,.0f}"
    if unit == "days":
        return f"{r:,.0f} days"
    return f"{r:,.0f}" if abs(r) >= 1 or r == 0 else f"{r:.2g}"


def in_words(v: float) -> str:
    """A count for a figure label: '1.23 million', '45 thousand', '678'."""
    if _missing(v):
        return "-"
    if v >= 1e6:
        return f"{v / 1e6:.2f} million"
    if v >= 1e3:
        return f"{v / 1e3:,.0f} thousand"
    return f"{v:,.0f}"


def fiscal_year(day: dt.date | str) -> str:
    """The U.S. federal fiscal year of a date (October to September): 2024-10-01 is in FY2025.

    >>> fiscal_year(dt.date(2025, 9, 30)), fiscal_year(dt.date(2025, 10, 1))
    ('FY2025', 'FY2026')
    """
    d = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return f"FY{d.year + (1 if d.month >= 10 else 0)}"
