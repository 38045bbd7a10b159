"""Moved: `run --replicates`, `sweep`, `sensitivity` and `runs ...` live in `removalsim.cli`.

Kept so that old imports keep working; importing this module loads the uncertainty package,
which the command line itself no longer does at start-up.
"""

from __future__ import annotations

import typer

from ..cli import catalogue as _catalogue
from ..cli import sensitivity as _sensitivity
from ..cli import sweep as _sweep
from ..cli.catalogue import runs_app  # noqa: F401
from ..cli.run import run_replicated  # noqa: F401
from ..cli.sensitivity import sensitivity_cmd  # noqa: F401
from ..cli.sweep import sweep  # noqa: F401


def register(app: typer.Typer) -> None:
    """Add `sweep`, `sensitivity` and `runs` to a Typer app."""
    _sweep.register(app)
    _sensitivity.register(app)
    _catalogue.register(app)
