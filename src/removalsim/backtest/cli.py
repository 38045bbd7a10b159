"""Moved: `removalsim backtest` and `removalsim calibrate` live in `removalsim.cli.backtest`.

Kept so that old imports keep working (`register(app)` adds both commands to any Typer app).
"""

from __future__ import annotations

from ..cli.backtest import backtest, calibrate, register  # noqa: F401
