"""The one place numbers, money and fiscal years are written for a reader (tables, report, figures).

Money is written one way everywhere, by `money`: three significant figures, "$3.1 bn", "$452 m",
"$23,400". Counts come in three widths: `fmt` for full tables (whole numbers), `short` for band
tables where a cell holds three numbers (k/M), and `nice` for prose and the report (three
significant figures); `amount` and `with_unit` add signs and units. A missing or undefined value
is '-' everywhere. Imports nothing heavy, so the command line can use it.

>>> fmt(1.23e9, "USD/yr"), short(1234567), nice(2.5e9, "USD/yr"), fiscal_year("2024-10-01"), in_words(1.5e6)
('$1.23 bn', '1.23M', '$2.5 bn', 'FY2025', '1.50 million')
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

RANGE_BELOW = 10  # with fewer replicates a "90% band" is little more than their range, so it is shown and named as one


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def fmt(value: float, unit: str = "") -> str:
    """A number as a journalist would print it in a table: money by `money`, whole numbers otherwise.

    >>> fmt(1.23e9, "USD/yr"), fmt(17121.4, "USD"), fmt(-1234.6, "people"), fmt(float("nan"))
    ('$1.23 bn', '$17,100', '-1,235', '-')
    """
    if _missing(value):
        return "-"
    if unit.startswith("USD"):
        return money(value)
    return f"{value:,.0f}"


def short(v: float, measure: str = "") -> str:
    """A number in a few characters, for band tables: costs by `money`, else k/M above 10,000.

    >>> short(2.5e9, "cost_total_usd"), short(1234567), short(45678), short(3.14159), short(float("nan"))
    ('$2.5 bn', '1.23M', '46k', '3.14', '-')
    """
    if _missing(v):
        return "-"
    if measure.startswith("cost_"):
        return money(v)
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


def exact(v: float) -> str:
    """A parameter's value as a reader would type it: whole numbers with thousands separators, others to six
    significant figures, never in e-notation.

    >>> exact(14_000_000), exact(1445549.0), exact(0.052), exact(-2.5e-7), exact(3.697)
    ('14,000,000', '1,445,549', '0.052', '-0.00000025', '3.697')
    """
    import numpy as np

    if not np.isfinite(v):
        return str(v)
    if float(v).is_integer():
        return f"{int(v):,}"
    x = float(f"{v:.6g}")
    sign, x = ("-" if x < 0 else ""), abs(x)
    whole, _, frac = np.format_float_positional(x, trim="-").partition(".")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def param_value(p: Any, step_ranges: bool = False) -> str:
    """A scenario parameter's value as typed, or its dated steps ('2025-01-20: 6,000; 2026-01-01: 15,000'),
    each step with the range it carries when `step_ranges`."""
    if not p.steps:
        return exact(p.value) if isinstance(p.value, (int, float)) else str(p.value)
    return "; ".join(f"{s.from_}: {exact(s.value)}" + (f" [range {exact(s.low)} to {exact(s.high)}]"
                                                       if step_ranges and s.low is not None and s.high is not None
                                                       else "") for s in p.steps)


def param_range(p: Any) -> str:
    """A parameter's plausible range ('2,000,000 to 4,500,000'), or each step's where only steps carry one, or ''."""
    if p.low is not None and p.high is not None:
        return f"{exact(p.low)} to {exact(p.high)}"
    return "; ".join(f"{s.from_}: {exact(s.low)} to {exact(s.high)}" for s in (p.steps or ())
                     if s.low is not None and s.high is not None)


def place(name: str) -> str:
    """A group or region key as a reader writes it: 'ElSalvador' -> 'El Salvador', 'central_america' ->
    'central america' (keys are identifiers; labels are for people).

    >>> place("ElSalvador"), place("DominicanRepublic"), place("China"), place("central_america")
    ('El Salvador', 'Dominican Republic', 'China', 'central america')
    """
    import re

    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ")


def nice(v: float, unit: str = "") -> str:
    """Three significant figures, money by `money`, shares as percentages.

    >>> nice(1234567), nice(2.5e9, "USD/yr"), nice(-45.2e6, "USD/yr"), nice(0.456, "share"), nice(float("nan"))
    ('1,230,000', '$2.5 bn', '-$45.2 m', '46%', '-')
    """
    if _missing(v):
        return "-"
    if unit == "share":
        return f"{v:.0%}"
    r = significant(v)
    if unit in ("USD/yr", "USD"):
        return money(v)
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


def money(v: float, per: str = "", exact: bool = False) -> str:
    """Dollars the one way every output writes them: three significant figures, "bn" and "m" for large sums;
    `exact` keeps a sum under a million as written (a cited figure: $17,121).

    >>> money(3.14e9), money(-45.2e6), money(23412.7, "removal"), money(120550.0), money(float("nan"))
    ('$3.14 bn', '-$45.2 m', '$23,400 per removal', '$121,000', '-')
    >>> money(17121, exact=True)
    '$17,121'
    """
    if _missing(v):
        return "-"
    r = float(round(v)) if exact and abs(v) < 1e6 else significant(v)
    sign, a = ("-" if r < 0 else ""), abs(r)
    if a >= 1e9:
        text = f"{a / 1e9:,.3g} bn" if a < 1e12 else f"{a / 1e9:,.0f} bn"
    elif a >= 1e6:
        text = f"{a / 1e6:,.3g} m"
    else:
        text = f"{a:,.0f}"
    return f"{sign}${text}" + (f" per {per}" if per else "")


def interval(values: Any) -> tuple[float, float, str]:
    """(low, high, name) of replicate values: the 5th-95th percentile ("90% band") from `RANGE_BELOW` or more
    finite values, else their lowest and highest ("range"), so a band of three replicates is not called 90%.

    >>> interval([1.0, 2.0, 3.0])
    (1.0, 3.0, 'range')
    >>> lo, hi, name = interval(list(range(21))); (lo, hi, name)
    (1.0, 19.0, '90% band')
    """
    import numpy as np

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return float("nan"), float("nan"), "range"
    if len(x) < RANGE_BELOW:
        return float(x.min()), float(x.max()), "range"
    return float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95)), "90% band"


def interval_name(replicates: int) -> str:
    """What an interval over `replicates` values is called, with the count: '90% band of 20' or 'range of 3'."""
    return f"{'90% band' if replicates >= RANGE_BELOW else 'range'} of {replicates}"


def amount(v: float, unit: str = "", signed: bool = False) -> str:
    """A number with its unit for a reader, three significant figures: money by `money`, days as days,
    counts bare (the unit word is added by `with_unit`). `signed` writes "+" before a positive value.

    >>> amount(9012, "people/yr", True), amount(-1.5e8, "USD/yr", True), amount(52.5, "days"), amount(0, signed=True)
    ('+9,010', '-$150 m', '52.5 days', '0')
    """
    if _missing(v):
        return "-"
    plus = "+" if signed and v > 0 else ""
    if unit.startswith("USD"):
        return plus + money(v)
    r = significant(v)
    if unit == "days":
        return f"{plus}{r:,.3g} days" if abs(r) < 1000 else f"{plus}{r:,.0f} days"
    if unit == "share":
        return f"{plus}{v:.0%}"
    return plus + (f"{r:,.0f}" if abs(r) >= 1 or r == 0 else f"{r:.2g}")


def with_unit(v: float, unit: str = "", signed: bool = False) -> str:
    """`amount` followed by the unit in words where it is not already in the number: '+9,010 people a year'.

    >>> with_unit(9012, "people/yr", True), with_unit(3.2e9, "USD/yr"), with_unit(1234, "cases")
    ('+9,010 people a year', '$3.2 bn a year', '1,230 cases')
    """
    text = amount(v, unit, signed)
    if text == "-" or unit in ("days", "share", "") or unit == "USD":
        return text
    if unit == "USD/yr":
        return text + " a year"
    if unit == "people/yr":
        return text + " people a year"
    return f"{text} {unit}"


_UNIT_WORDS = {"people/yr": "people a year", "USD/yr": "$ a year", "USD": "$"}


def unit_words(unit: str) -> str:
    """A unit as a reader writes it after a label: 'people/yr' -> 'people a year', 'USD/yr' -> '$ a year'.

    >>> unit_words("people/yr"), unit_words("USD"), unit_words("days")
    ('people a year', '$', 'days')
    """
    return _UNIT_WORDS.get(unit, unit)
