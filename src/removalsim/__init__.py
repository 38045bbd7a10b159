"""removalsim: a person-level simulator of the U.S. immigration removal system, for aggregate policy analysis.

>>> import removalsim
>>> sc = removalsim.load_scenario("baseline")
>>> r = removalsim.simulate(sc, years=0.1, seed=7, scale=0.0005)
>>> r.meta["scenario"], r.meta["seed"]
('baseline', 7)

The public names are imported on first use (PEP 562), so that ``import removalsim``
(and the command line's start-up) does not load the engine, Numba or pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

# public name -> submodule that defines it
_LAZY = {
    "simulate": ".api",
    "RemovalsimInputError": ".errors",
    "Result": ".results",
    "Scenario": ".scenario",
    "ScenarioError": ".scenario",
    "load_scenario": ".scenario",
}

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these come from __getattr__
    from .api import simulate
    from .errors import RemovalsimInputError
    from .results import Result
    from .scenario import Scenario, ScenarioError, load_scenario

__all__ = ["RemovalsimInputError", "Result", "Scenario", "ScenarioError", "load_scenario", "simulate", "__version__"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
