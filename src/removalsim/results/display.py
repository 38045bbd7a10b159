"""What a reader sees of a Result: a short text and HTML display (what was run, headline numbers), a quick
plot of one measure, and exports to CSV and Excel. Every figure is whole-country (the sample's counts
divided by the run's scale), so nobody divides by hand.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..formatting import amount, money

if TYPE_CHECKING:
    import pandas as pd

    from .result import Result

# (measure of `measures.HORIZON`, how the display words it)
HEADLINE = (("removals_per_year", "removals", "a year, mean over the run"),
            ("court_backlog_end", "court backlog", "cases at the end"),
            ("detained_mean", "in detention", "people on average"),
            ("cost_loaded_per_year", "cost, fully loaded", "a year"),
            ("cost_loaded_per_removal", "cost per removal", "fully loaded"))


def whole_country(res: Result, table: str) -> pd.DataFrame:
    """A copy of one of the Result's tables with values (or wait counts) for the whole country, not the sample."""
    from .result import TABLES

    if table not in TABLES:
        raise KeyError(f"no table {table!r}; expected one of {', '.join(TABLES)}")
    df = getattr(res, table).copy()
    col = "count" if table == "waits" else "value"
    if col in df:
        df[col] = df[col] / res.scale
    return df


def headline(res: Result) -> list[tuple[str, str]]:
    """(label, figure with its unit) for the display: removals, backlog, detention, fully loaded cost."""
    from ..measures import HORIZON

    out = []
    for name, lab, words in HEADLINE:
        try:
            v = HORIZON[name].horizon(res, None)  # type: ignore[misc]
        except (KeyError, TypeError, IndexError):  # a Result written before the funded capacity was recorded
            continue
        unit = HORIZON[name].unit
        shown = money(v) if unit.startswith("USD") else amount(v)
        out.append((lab, f"{shown} {words}"))
    return out


def _what(res: Result) -> str:
    m = res.meta
    start = dt.date.fromisoformat(str(m["start_date"]))
    end = start + dt.timedelta(days=int(m["days"]) - 1)
    share = f"{res.scale:.3g}" if res.scale >= 1 else f"a {res.scale * 100:.3g}% sample (scale {res.scale:g})"
    return (f"{m.get('scenario', '?')}, seed {m.get('seed', '?')}, {share}, {start} to {end} "
            f"({float(m['years']):g} years)")


def text(res: Result) -> str:
    """A few lines: what was run and its headline numbers (whole country)."""
    rows = headline(res)
    width = max((len(lab) for lab, _ in rows), default=0)
    lines = [f"removalsim Result: {_what(res)}"]
    lines += [f"  {lab:<{width}}  {fig}" for lab, fig in rows]
    lines.append("Whole-country figures. r.summary(): by fiscal year; r.whole_country('flows'): a table;")
    lines.append("r.plot('removals'): a chart; r.to_csv(folder), r.to_excel(path): files.")
    return "\n".join(lines)


def to_html(res: Result) -> str:
    """The same as `text`, as a small HTML block for notebooks, with the summary by fiscal year below it."""
    from ..cli.tables import fy_header

    rows = "".join(f"<tr><td style='text-align:left'>{html.escape(lab)}</td><td style='text-align:left'>"
                   f"{html.escape(fig)}</td></tr>" for lab, fig in headline(res))
    s = res.summary()
    partial = s.attrs.get("partial") or {}
    head = "".join(f"<th>{html.escape(fy_header(y, partial).replace(chr(10), ' '))}</th>" for y in s.index)
    body = ""
    for col in ("removals", "court_backlog", "detained", "cost_loaded_usd"):
        if col in s:
            cells = "".join(f"<td>{html.escape(money(v) if col.startswith('cost') else amount(v))}</td>"
                            for v in s[col])
            body += f"<tr><td style='text-align:left'>{html.escape(col.replace('_', ' '))}</td>{cells}</tr>"
    return (f"<div><b>removalsim Result</b>: {html.escape(_what(res))}<table>{rows}</table>"
            f"<table><tr><th>whole country</th>{head}</tr>{body}</table>"
            "<small>(part): a fiscal year covered in part, not annualised.</small></div>")


def plot(res: Result, measure: str = "removals", ax: Any = None, path: str | Path | None = None) -> Any:
    """Draw one measure over time, whole country, at the table's frequency (monthly flows leave out the part-months
    at the start and end); returns the matplotlib Axes, and writes a PNG when `path` is given."""
    import matplotlib

    if ax is None and path is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..measures import SERIES, label, series

    s = series(res, measure)
    fig = None
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(s.index, s.to_numpy(), lw=1.8)
    lab = label(measure)[1] if measure in SERIES else measure.replace("_", " ")
    kind = "at the end of each month" if (measure in SERIES and SERIES[measure].stock) else "per month"
    ax.set_title(f"{res.meta.get('scenario', '')}: {lab}, {kind} (whole country)", fontsize=10, loc="left")
    ax.grid(alpha=0.3)
    unit = label(measure)[2] if measure in SERIES else ""
    ax.set_ylabel({"USD": "$"}.get(unit, unit))
    if len(s) and float(s.min()) >= 0:
        ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    if path is not None:
        (fig or ax.figure).savefig(path, dpi=110, bbox_inches="tight")
        if fig is not None:
            plt.close(fig)
    return ax


def to_csv(res: Result, folder: str | Path) -> Path:
    """Write summary.csv (by fiscal year) and every table as <table>.csv, whole-country values, plus meta.json."""
    from .result import TABLES

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    res.summary().to_csv(folder / "summary.csv", index_label="fiscal_year")
    for t in TABLES:
        whole_country(res, t).to_csv(folder / f"{t}.csv", index=False)
    (folder / "meta.json").write_text(json.dumps(res.meta, indent=1, sort_keys=True, default=str))
    return folder


def to_excel(res: Result, path: str | Path) -> Path:
    """One workbook: a sheet 'summary' (by fiscal year), one sheet per table (whole country), and 'run' (what was
    run). Needs openpyxl."""
    import pandas as pd

    from .result import TABLES

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path) as xl:
        res.summary().to_excel(xl, sheet_name="summary", index_label="fiscal_year")
        for t in TABLES:
            whole_country(res, t).to_excel(xl, sheet_name=t, index=False)
        meta = {k: (v if isinstance(v, (int, float, str)) else json.dumps(v, default=str)) for k, v in res.meta.items()}
        pd.Series(meta, name="value").rename_axis("key").to_frame().to_excel(xl, sheet_name="run")
    return path
