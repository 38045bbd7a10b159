"""ICE arrests: a daily capacity spent on at-large people, by priority class and jurisdiction.

Each of the 8 pools (4 priority classes x cooperating or not) gets a share of the
day's capacity in proportion to weight x jurisdiction factor x live members;
within a pool, people are chosen uniformly at random.
"""

from __future__ import annotations

import numpy as np

from ..states import Cost, Flow, State
from ..world import N_POOLS, World
from .base import Process


def allocate(capacity: int, weights: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Split `capacity` across pools in proportion to `weights` x `live`, never above `live`."""
    take = np.zeros(len(live), dtype=np.int64)
    left = int(min(capacity, live.sum()))
    while left > 0:
        room = live - take
        effort = weights * room
        if effort.sum() <= 0:
            effort = room.astype(float)
        share = left * effort / effort.sum()
        whole = np.minimum(np.floor(share).astype(np.int64), room)
        rest = left - int(whole.sum())
        if rest > 0:
            frac = np.where(room - whole > 0, share - np.floor(share), -1.0)
            order = np.argsort(-frac, kind="stable")[:rest]
            order = order[frac[order] >= 0]
            whole[order] += 1
        take += whole
        if whole.sum() == 0:
            break
        left -= int(whole.sum())
    return take


class Arrests(Process):
    reads = (State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER)
    params = ("arrests.*",)
    flows = (Flow.ARREST,)
    costs = (Cost.ARREST,)

    def step(self, w: World) -> None:
        d = w.day
        live = np.array([pool.live for pool in w.pools], dtype=np.int64)
        cls_w = w.inp.arrest_weights[:, d]
        weights = np.repeat(cls_w, 2) * np.tile([1.0, w.inp.noncoop_factor[d]], 4)
        take = allocate(int(w.inp.arrest_capacity[d]), weights, live)
        rng = w.rng.generator("arrests", d)
        chosen = [w.pools[i].sample(int(take[i]), rng, w.people.epoch) for i in range(N_POOLS) if take[i]]
        w.arrested = np.concatenate(chosen) if chosen else np.empty(0, dtype=np.int64)
        w.people.arrest_day[w.arrested] = d
        w.count(Flow.ARREST, w.arrested)
        w.spend(Cost.ARREST, w.arrested, w.sc.arrests.cost_per_arrest.number())
