"""`removalsim data list|show`: the public statistics the scenarios cite."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .console import out
from .errors import command, fail, group

data_app = group(help="The public statistics the scenarios cite.")


@command(data_app, "list")
def data_list(contains: Annotated[str | None, typer.Argument(help="Only ids containing this text.")] = None) -> None:
    """Statistics ids with value, unit and reliability."""
    from ..data import statistics

    df = statistics()
    if contains:
        df = df[df["id"].str.contains(contains, regex=False)]
    t = Table(title=f"{len(df)} statistics")
    for col in ("id", "value", "unit", "group", "period", "reliability"):
        t.add_column(col, overflow="fold")
    for r in df.itertuples():
        t.add_row(r.id, f"{r.value:,.6g}", r.unit, r.group, r.period, r.reliability)
    out.print(t)


@command(data_app, "show")
def data_show(stat_id: Annotated[str, typer.Argument(help="A statistic's id (see: removalsim data list).")]) -> None:
    """One statistic with its full source."""
    from ..data import get

    try:
        row = get(stat_id)
    except KeyError as e:
        fail(str(e.args[0]) if e.args else f"unknown id {stat_id!r}")
    for k, v in row.items():
        out.print(f"[bold]{k}[/]: {v}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
