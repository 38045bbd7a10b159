"""Moved: `removalsim report` lives in `removalsim.cli.report`. Kept so that old imports keep working."""

from __future__ import annotations

from ..cli.report import register, report  # noqa: F401
