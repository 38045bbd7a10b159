"""`removalsim scenarios list|show`: the shipped scenarios and every parameter with its source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.table import Table

from ..formatting import exact
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
    t = Table(title=lit(f"{sc.name}: {sc.description}"), show_lines=False)
    for col in ("parameter", "value", "unit") + (("source", "note") if sources else ()):
        t.add_column(col, overflow="fold")
    for path, p in iter_params(sc):
        value = (", ".join(f"{s.from_}: {exact(s.value)}" + (f" [range {exact(s.low)}-{exact(s.high)}]"
                                                              if s.low is not None and s.high is not None and sources
                                                              else "") for s in p.steps)
                 if p.steps else (exact(p.value) if isinstance(p.value, (int, float)) else str(p.value)))
        row = [path, value, p.unit]
        if sources:
            rng = f" [range {exact(p.low)}-{exact(p.high)}]" if p.low is not None and p.high is not None else ""
            row += [p.source, (p.note or "") + rng]
        t.add_row(*(lit(cell) for cell in row))
    out.print(t)


def iter_params(sc) -> Iterator[tuple[str, Any]]:
    """(dotted path, Param) for every parameter of a scenario."""
    yield from sc.params_by_path()


def register(app: typer.Typer) -> None:
    app.add_typer(scenarios_app, name="scenarios")
