"""Moved to `removalsim.vocabulary`; this name stays only until the last importers move."""

from ..vocabulary import (ARRESTABLE, CUSTODY, N_COSTS, N_FLOWS, N_STATES, TERMINAL, Cost, Flow, State,  # noqa: F401
                          Wait, mask, names)

IS_CUSTODY = mask(CUSTODY)
