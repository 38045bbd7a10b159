"""Moved: `removalsim compare` and `removalsim china` live in `removalsim.cli.compare`.

Kept so that old imports keep working.
"""

from __future__ import annotations

from ..cli.compare import DEFAULT_CHINA, china, compare, difference_table, execute, register  # noqa: F401
from ..cli.tables import fmt  # noqa: F401
