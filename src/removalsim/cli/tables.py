"""Numbers and tables as the command line prints them (rich tables; pandas frames come in, never imported here)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..formatting import RANGE_BELOW, fmt, short  # noqa: F401  (the command line's number formats)
from .errors import fail


def measure_label(measure: str) -> str:
    """A measure's label from the catalogue, with its unit unless the numbers carry it ($):
    'court_backlog' -> 'court backlog (cases)', 'cost_detention_usd' -> 'cost: detention (marginal)'."""
    from ..measures import label

    _, text, unit = label(measure)
    return text if unit.startswith("USD") or not unit else f"{text} ({unit})"


def fy_header(year: Any, partial: dict | None = None) -> str:
    r"""A fiscal year as a column header: 'FY2026', or 'FY2025\n(part)' when the run covers only part of it.

    >>> fy_header(2026), fy_header(2025, {2025: "2025-01-20 to 2025-09-30, 254 days"})
    ('FY2026', 'FY2025\n(part)')
    """
    return f"FY{int(year)}" + ("\n(part)" if partial and int(year) in partial else "")


def print_partial_note(console: Console, partial: dict | None) -> None:
    """One line naming the fiscal years the run covers in part, and that their figures are not annualised."""
    if partial:
        spans = "; ".join(f"FY{y}: {span}" for y, span in sorted(partial.items()))
        console.print(f"(part): a fiscal year (October to September) the run covers only in part ({spans}); "
                      "its flows and costs are for the days simulated, not annualised.", markup=False,
                      highlight=False)


def print_fitted(console: Console, years: Sequence[Any], make: Callable[[Sequence[Any], str], Table],
                 name: Callable[[Any], str] = lambda y: f"FY{y}") -> None:
    """Print make(years, "") or, when that is wider than the console, one table per run of years that fits.

    `make(chunk, suffix)` builds the table for some of the years; `suffix` (" (FY2025-FY2028)") goes in its title.

    >>> import io
    >>> c = Console(width=80, file=io.StringIO())
    >>> def make(ys, suffix):
    ...     t = Table(title="removals" + suffix)
    ...     t.add_column("measure")
    ...     for y in ys:
    ...         t.add_column(f"FY{y}", no_wrap=True)
    ...     t.add_row("removals", *("1,234,567" for y in ys))
    ...     return t
    >>> print_fitted(c, range(2025, 2035), make)
    >>> text = c.file.getvalue()
    >>> max(len(line) for line in text.splitlines()) <= 80, "…" in text
    (True, False)
    >>> [line.strip() for line in text.splitlines() if line.strip().startswith("removals (")]
    ['removals (FY2025-FY2029)', 'removals (FY2030-FY2034)']
    """
    years = list(years)
    if not years:
        console.print(make(years, ""))
        return
    unbounded = console.options.update_width(1 << 20)  # measure the natural width, not the clipped one
    n = len(years)
    while n > 1 and console.measure(make(years[:n], ""), options=unbounded).maximum > console.width:
        n -= 1
    k = -(-len(years) // n)  # tables needed; spread the years evenly over them (10 -> 4, 3, 3)
    bounds = [round(i * len(years) / k) for i in range(k + 1)]
    for lo, hi in itertools.pairwise(bounds):
        chunk = years[lo:hi]
        suffix = "" if k == 1 else f" ({name(chunk[0])}" + (f"-{name(chunk[-1])})" if len(chunk) > 1 else ")")
        console.print(make(chunk, suffix))


def print_summary(console: Console, df, title: str) -> None:
    """`Result.summary()`: measures as rows, fiscal years as columns (a year covered in part marked so); costs
    by component on the marginal basis (what is used), then the fully loaded total (funded capacity plus per-use
    costs), in $ bn or $ m."""
    from ..formatting import amount, money

    partial = df.attrs.get("partial") or {}

    def make(years: Sequence[Any], suffix: str) -> Table:
        t = Table(title=title + suffix, show_lines=False)
        t.add_column("measure (whole country)", style="bold", no_wrap=True)
        for y in years:
            t.add_column(fy_header(y, partial), justify="right", no_wrap=True)
        for col in df.columns:
            vals = df.loc[list(years), col]
            if col == "cost_loaded_usd":
                t.add_row("cost, fully loaded", *(money(v) for v in vals))
            elif col.startswith("cost_"):
                label = "cost: " + col.removeprefix("cost_").removesuffix("_usd").replace("_", " ")
                t.add_row(label.replace("atd", "alternatives to detention (ATD)"), *(money(v) for v in vals))
            else:
                t.add_row(col.replace("_", " ") + _unit_suffix(col), *(amount(v) for v in vals))
        return t

    print_fitted(console, list(df.index), make)
    print_partial_note(console, partial)


def _unit_suffix(measure: str) -> str:
    """' (cases)' or ' (people)' after a summary measure's name: its unit from the catalogue."""
    from ..measures import SERIES

    m = SERIES.get(measure)
    return f" ({m.unit})" if m is not None and m.unit else ""


def print_bands(console: Console, bands, title: str) -> None:
    """Rows: measures; columns: fiscal years; each cell the median with its 50% and 90% bands, or below 10
    replicates with their range (a year covered in part marked so: `bands.attrs["partial"]`)."""
    measures = list(dict.fromkeys(bands["measure"]))
    by_measure = {m: bands[bands["measure"] == m].set_index("year") for m in measures}
    partial = bands.attrs.get("partial") or {}

    def make(years: Sequence[Any], suffix: str) -> Table:
        t = Table(title=title + suffix, show_lines=True)
        t.add_column("measure", style="bold")
        for y in years:
            t.add_column(fy_header(y, partial), justify="right", no_wrap=True)
        for m in measures:
            sub = by_measure[m]
            cells = []
            for y in years:
                r = sub.loc[y]
                if "min" in r and r["replicates"] < RANGE_BELOW:  # a few replicates: their range, named so
                    cells.append(f"[bold]{short(r['median'], m)}[/]\nrange {short(r['min'], m)} to "
                                 f"{short(r['max'], m)}")
                    continue
                cells.append(f"[bold]{short(r['median'], m)}[/]\n50% {short(r['p25'], m)}-{short(r['p75'], m)}\n"
                             f"90% {short(r['p05'], m)}-{short(r['p95'], m)}")
            t.add_row(measure_label(m), *cells)
        return t

    print_fitted(console, sorted(bands["year"].unique()), make)
    print_partial_note(console, partial)


def write_csv(table, path, option: str = "--csv") -> None:
    """Write `table` (a DataFrame) as CSV to `path`, creating its folder; an unwritable path is one error line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path, index=False)
    except OSError as e:
        fail(f"{option} {path}: cannot write ({e.strerror or e})")
