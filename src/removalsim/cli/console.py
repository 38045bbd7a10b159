"""Where the command line writes: tables and results on stdout, errors and progress bars on stderr."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape


out = Console()
err = Console(stderr=True)


def lit(text: object) -> str:
    """User text (a name, a description, a value, a path) for a Rich string: printed as written, never as markup.

    >>> from io import StringIO
    >>> c = Console(file=StringIO())
    >>> c.print(lit("a[b] [/x] [bold]y[/]"))
    >>> c.file.getvalue().strip()
    'a[b] [/x] [bold]y[/]'
    """
    return escape(str(text))


def note(message: str) -> None:
    """A remark on stderr that does not stop the command (a damaged replicate computed again), printed literally."""
    err.print(f"[yellow]note:[/] {escape(message)}", highlight=False, soft_wrap=True)


def first_run_notice() -> None:
    """Say so when the simulation kernels are not yet compiled for this version (once, on the first run)."""
    from ..engine import kernels_ready

    if not kernels_ready():
        note("first run of this version: compiling the simulation kernels once (a minute or two on a laptop; "
             "later runs start at once)")


@contextmanager
def progress(quiet: bool, label: str, unit: str, total: int | None = None,
             remaining: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (none with --quiet or without a terminal); yields update(done, total).

    Every long command simulates inside one, so this is also where a first run says that it compiles first.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    if not quiet:
        first_run_notice()

    columns = [TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} " + unit),
               TimeElapsedColumn()] + ([TimeRemainingColumn()] if remaining else [])
    with Progress(*columns, console=err, disable=quiet or not err.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done, n: bar.update(task, completed=done, total=n)
