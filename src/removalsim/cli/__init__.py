"""The `removalsim` command line: a thin layer over the Python API.

One module per concern: `options` (the shared options and their ranges), `settings` (`RunSettings`,
the validated simulation request), `errors` (one-line errors, exit status 2, never a traceback),
`console` and `tables` (output), and one module per command or command group.

Start-up stays fast: importing this package loads Typer and Rich only; each command imports the
engine, pandas, Dask, DuckDB, SALib, SciPy or Matplotlib when it runs (tests/test_cli_startup.py).
"""

from __future__ import annotations

import sys

import typer

from .. import __version__
from . import backtest, catalogue, compare, data, levers, report, run, scenarios, sensitivity, serve, sweep, validate
from .console import err, out
from .errors import OneLineGroup, command, fail
from .scenarios import iter_params
from .settings import RunSettings

app = typer.Typer(cls=OneLineGroup, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Person-level simulator of the U.S. immigration removal system (aggregate analysis).")

for _module in (scenarios, data, run):
    _module.register(app)


@command(app, "version")
def version() -> None:
    """Print the version."""
    out.print(__version__)


for _module in (compare, levers, report, sweep, sensitivity, catalogue, backtest, validate, serve):
    _module.register(app)


def main() -> None:  # pragma: no cover
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


__all__ = ["RunSettings", "app", "err", "fail", "iter_params", "main", "out"]

if __name__ == "__main__":  # pragma: no cover
    main()
