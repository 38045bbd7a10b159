"""Numbers and tables as the command line prints them (rich tables; pandas frames come in, never imported here)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from ..formatting import fmt, short  # noqa: F401  (the command line's number formats)


def measure_label(measure: str) -> str:
    """A measure's label from the catalogue, with its unit: 'cost_detention_usd' -> 'cost: detention ($)'."""
    from ..measures import label

    _, text, unit = label(measure)
    return f"{text} ($)" if unit.startswith("USD") else text


def print_fitted(console: Console, years: Sequence[Any], make: Callable[[Sequence[Any], str], Table]) -> None:
    """Print make(years, "") or, when that is wider than the console, one table per run of years that fits.

    `make(chunk, suffix)` builds the table for some of the years; `suffix` (" (years 1-4)") goes in its title.

    >>> import io
    >>> c = Console(width=80, file=io.StringIO())
    >>> def make(ys, suffix):
    ...     t = Table(title="removals" + suffix)
    ...     t.add_column("measure")
    ...     for y in ys:
    ...         t.add_column(f"year {y}", no_wrap=True)
    ...     t.add_row("removals", *("1,234,567" for y in ys))
    ...     return t
    >>> print_fitted(c, range(1, 11), make)
    >>> text = c.file.getvalue()
    >>> max(len(line) for line in text.splitlines()) <= 80, "…" in text
    (True, False)
    >>> [line.strip() for line in text.splitlines() if line.strip().startswith("removals (")]
    ['removals (years 1-5)', 'removals (years 6-10)']
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
        suffix = "" if k == 1 else f" (year{'s' if len(chunk) > 1 else ''} {chunk[0]}" + (
            f"-{chunk[-1]})" if len(chunk) > 1 else ")")
        console.print(make(chunk, suffix))


def print_summary(console: Console, df, title: str) -> None:
    """`Result.summary()`: measures as rows, years as columns; costs in $ millions, by component on the marginal
    basis (what is used), then the fully loaded total (funded capacity plus per-use costs)."""

    def make(years: Sequence[Any], suffix: str) -> Table:
        t = Table(title=title + suffix, show_lines=False)
        t.add_column("measure", style="bold", no_wrap=True)
        for y in years:
            t.add_column(f"year {y}", justify="right", no_wrap=True)
        for col in df.columns:
            vals = df.loc[list(years), col]
            if col == "cost_loaded_usd":
                t.add_row("cost, fully loaded ($M)", *(f"{v / 1e6:,.0f}" for v in vals))
            elif col.startswith("cost_"):
                label = "cost: " + col.removeprefix("cost_").removesuffix("_usd").replace("_", " ") + " ($M)"
                t.add_row(label, *(f"{v / 1e6:,.0f}" for v in vals))
            else:
                t.add_row(col.replace("_", " "), *(f"{v:,.0f}" for v in vals))
        return t

    print_fitted(console, list(df.index), make)


def print_bands(console: Console, bands, title: str) -> None:
    """Rows: measures; columns: years; each cell the median with its 50% and 90% bands."""
    measures = list(dict.fromkeys(bands["measure"]))
    by_measure = {m: bands[bands["measure"] == m].set_index("year") for m in measures}

    def make(years: Sequence[Any], suffix: str) -> Table:
        t = Table(title=title + suffix, show_lines=True)
        t.add_column("measure", style="bold")
        for y in years:
            t.add_column(f"year {y}", justify="right", no_wrap=True)
        for m in measures:
            sub = by_measure[m]
            cells = []
            for y in years:
                r = sub.loc[y]
                cells.append(f"[bold]{short(r['median'], m)}[/]\n50% {short(r['p25'], m)}-{short(r['p75'], m)}\n"
                             f"90% {short(r['p05'], m)}-{short(r['p95'], m)}")
            t.add_row(measure_label(m), *cells)
        return t

    print_fitted(console, sorted(bands["year"].unique()), make)
