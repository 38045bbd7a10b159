"""removalsim: a person-level simulator of the U.S. immigration removal system, for aggregate policy analysis.

>>> import removalsim
>>> sc = removalsim.load_scenario("baseline")
>>> r = removalsim.simulate(sc, years=0.1, seed=7, scale=0.0005)
>>> r.meta["scenario"], r.meta["seed"]
('baseline', 7)
"""

__version__ = "0.1.0"

from .api import simulate  # noqa: E402
from .results import Result  # noqa: E402
from .scenario import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["Result", "Scenario", "ScenarioError", "load_scenario", "simulate", "__version__"]
