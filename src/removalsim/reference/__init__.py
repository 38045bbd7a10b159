"""An independent reference implementation of the model, for testing the vectorised engine.

`removalsim.reference.simulate` runs the same scenario semantics as
`removalsim.simulate`, written plainly in SimPy (one process per person, one per
capacity-limited stage) with ordinary NumPy generators. It shares only the input
compiler and the output tables with the engine, so agreement between the two is
statistical, never draw for draw. SimPy is imported lazily: the main package never
needs it, and the main job never uses this module.
"""

from __future__ import annotations

PERTURBATIONS = ("nondetained_first", "no_custody_limit")


def simulate(scenario="baseline", years: float = 1, seed: int = 0, scale: float = 1e-4, freq: str = "MS",
             perturb: str | None = None):
    """Run the SimPy reference model and return a `removalsim.Result` (same tables as the engine).

    `perturb` breaks one rule on purpose (one of `PERTURBATIONS`), for tests that
    show the equivalence check can fail.
    """
    from .simpy_model import ReferenceModel

    return ReferenceModel(scenario, years, seed, scale, perturb=perturb).run(freq)


__all__ = ["PERTURBATIONS", "simulate"]
