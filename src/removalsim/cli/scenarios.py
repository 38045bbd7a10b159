"""`removalsim scenarios list|show`: the shipped scenarios and every parameter with its source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.padding import Padding
from rich.table import Table

from ..formatting import exact, param_value
from .console import lit, out
from .errors import command, group, load

scenarios_app = group(help="List and inspect scenarios.")


@command(scenarios_app, "list")
def scenarios_list() -> None:
    """Shipped scenarios with their descriptions."""
    from ..scenario import shipped_names

    t = Table(title="Shipped scenarios")
    t.add_column("name", style="bold")
    t.add_column("extends")
    t.add_column("description")
    for name in shipped_names():
        sc = load(name)
        t.add_row(lit(name), lit(sc.extends or ""), lit(sc.description))
    out.print(t)


@command(scenarios_app, "show")
def scenarios_show(
    name: Annotated[str, typer.Argument(help="Shipped scenario name or path to a .toml file.")],
    sources: Annotated[bool, typer.Option("--sources", help="Show each parameter's source.")] = False,
) -> None:
    """Every parameter of a scenario with its value and unit (and source with --sources)."""
    sc = load(name)
    if sources:  # one block per parameter: a five-column table of long notes folds into slivers at 80 columns
        out.print(lit(f"{sc.name}: {sc.description}"), style="bold")
        for path, p in iter_params(sc):
            rng = f"; range {exact(p.low)} to {exact(p.high)}" if p.low is not None and p.high is not None else ""
            out.print()
            out.print(f"[bold]{lit(path)}[/] = {lit(param_value(p, sources))} {lit(p.unit)}", highlight=False)
            out.print(Padding(lit(f"source: {p.source}{rng}"), (0, 0, 0, 2), expand=False), highlight=False)
            if p.note:
                out.print(Padding(lit(f"note: {p.note}"), (0, 0, 0, 2), expand=False), highlight=False)
        return
    t = Table(title=lit(f"{sc.name}: {sc.description}"), show_lines=False)
    for col in ("parameter", "value", "unit"):
        t.add_column(col, overflow="fold")
    for path, p in iter_params(sc):
        t.add_row(*(lit(cell) for cell in (path, param_value(p, sources), p.unit)))
    out.print(t)




def iter_params(sc) -> Iterator[tuple[str, Any]]:
    """(dotted path, Param) for every parameter of a scenario."""
    yield from sc.params_by_path()


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
