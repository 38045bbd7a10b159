"""How many people start in each state, per group: the scenario's published stocks, scaled and rounded.

This is input compilation (like `inputs.py`), not model behaviour, so the SimPy
reference shares it with the engine.
"""

from __future__ import annotations

import numpy as np

from ..scenario.schema import Scenario
from .inputs import Inputs


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to `weights` that sum to `total`."""
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    share = total * weights / weights.sum()
    out = np.floor(share).astype(np.int64)
    out[np.argsort(-(share - out), kind="stable")[: total - out.sum()]] += 1
    return out


def initial_counts(sc: Scenario, inp: Inputs) -> dict[str, np.ndarray]:
    """People per group in each starting state, scaled and rounded."""
    s, groups = inp.scale, inp.groups
    stock = {f: np.array([round(sc.stock(g, f) * s) for g in groups], dtype=np.int64)
             for f in ("population", "pending_cases", "final_orders", "protected")}
    det = sc.detention
    detained = largest_remainder(round(det.initial_detained.number() * s),
                                 (stock["pending_cases"] + stock["final_orders"]).astype(float))
    det_final = np.rint(detained * det.initial_final_order_share.number()).astype(np.int64)
    det_pending = np.minimum(detained - det_final, stock["pending_cases"])
    det_final = detained - det_pending
    pending = stock["pending_cases"] - det_pending
    no_case = stock["population"] - det_final - det_pending - pending - stock["final_orders"] - stock["protected"]
    if (no_case < 0).any():
        bad = groups[int(np.argmax(no_case < 0))]
        raise ValueError(f"groups.{bad}: detained + pending + final orders + protected exceed the population")
    return {"det_final": det_final, "det_pending": det_pending, "pending": pending,
            "final": stock["final_orders"], "protected": stock["protected"], "no_case": no_case}
