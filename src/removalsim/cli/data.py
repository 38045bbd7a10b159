"""`removalsim data list|show`: the public statistics the scenarios cite."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from ..formatting import exact
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
    # light rules and the unit under the value, the group under the period: 80 columns show most ids whole
    t = Table(title=f"{len(df)} statistics (removalsim data show ID: the source)", box=box.SIMPLE_HEAD,
              pad_edge=False)
    t.add_column("id", overflow="fold", ratio=1)
    t.add_column("value, unit", justify="right", overflow="fold")
    t.add_column("period, group", overflow="fold", max_width=13)
    t.add_column("reliability", overflow="fold")
    for r in df.itertuples():
        t.add_row(r.id, f"{r.value:,.6g}\n{r.unit}", f"{r.period}\n{r.group}", r.reliability)
    out.print(t)


@command(data_app, "show")
def data_show(stat_id: Annotated[str, typer.Argument(help="A statistic's id (see: removalsim data list).")]) -> None:
    """One statistic with its full source: the primary source's address, or why there is none, and the
    intermediary the figure was read through."""
    from ..data import NO_URL_REASONS, get

    try:
        row = get(stat_id)
    except KeyError as e:
        fail(str(e.args[0]) if e.args else f"unknown id {stat_id!r}")
    links = ("url", "via", "via_url", "no_url")
    for k, v in row.items():
        if k not in links:
            shown = exact(v) if k == "value" else v
            out.print(f"[bold]{k}[/]: {shown}", highlight=False, soft_wrap=True)
    primary = row["url"] or f"none ({row['no_url']}: {NO_URL_REASONS.get(row['no_url'], '')})"
    out.print(f"[bold]primary source[/]: {primary}", highlight=False, soft_wrap=True)
    if row["via"]:
        where = f" <{row['via_url']}>" if row["via_url"] else ""
        out.print(f"[bold]read through (intermediary)[/]: {row['via']}{where}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
