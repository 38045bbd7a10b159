"""Moved: `run --replicates`, `sweep`, `sensitivity` and `runs ...` live in `removalsim.cli`.

Kept so that old imports keep working; importing this module loads the uncertainty package,
which the command line itself no longer does at start-up.
"""

from __future__ import annotations

import typer

from ..cli import catalogue, sensitivity, sweep
from ..cli.catalogue import runs_app, runs_compare, runs_figures, runs_list, runs_show, runs_sql  # noqa: F401
from ..cli.run import run_replicated  # noqa: F401
from ..cli.sensitivity import sensitivity_cmd  # noqa: F401
from ..cli.sweep import sweep as sweep_cmd  # noqa: F401
from ..cli.tables import print_bands  # noqa: F401


def register(app: typer.Typer) -> None:
    """Add `sweep`, `sensitivity` and `runs` to a Typer app."""
    sweep.register(app)
    sensitivity.register(app)
    catalogue.register(app)
