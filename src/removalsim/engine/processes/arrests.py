"""ICE arrests: a daily capacity spent on at-large people, by priority class and jurisdiction.

Each pool (a group's priority class, in a cooperating jurisdiction or not) gets a share
of the day's capacity in proportion to class weight x jurisdiction factor x the group's
arrest factor x live members;
within a pool, people are chosen uniformly at random. The people drawn are left
in `S.scratch` for Custody, which runs next.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .. import pools
from ..kernels import _unit
from ...vocabulary import Cost, Flow, State
from ..transitions import count, fetch_listed, spend
from ..world import N_ARRESTED, stream_indices
from .base import Param, Stage, scalar

ARREST_FLOW, ARREST_COST = int(Flow.ARREST), int(Cost.ARREST)
ALLOCATION = 2**62  # the counter of the day's rounding offset (pool draws count from 0 in each pool)


STAGE = Stage(
    "arrests", "the day's arrest capacity spent across the priority pools",
    params=(Param("arrest_capacity", "daily", "int", ("arrests.officers", "arrests.arrests_per_officer_day"),
                  lambda inp: inp.arrest_capacity),
            Param("arrest_weights", "per class daily", "float",
                  ("arrests.weight_criminal", "arrests.weight_final_order", "arrests.weight_pending_case",
                   "arrests.weight_no_case"), lambda inp: inp.arrest_weights),
            Param("noncoop_factor", "daily", "float", ("arrests.noncooperating_factor",),
                  lambda inp: inp.noncoop_factor),
            Param("arrest_factor", "per group", "float", ("groups.*.arrest_factor",),
                  lambda inp: inp.gp["arrest_factor"]),
            scalar("cost_arrest", "arrests.cost_per_arrest")),
    fields=("arrest_day", "border_custody", "pools", "scratch", "tally"),
    reads=(State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER),
    flows=(Flow.ARREST,),
    costs=(Cost.ARREST,),
    streams=("arrests",))
(ST_ARRESTS,) = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    weights = np.empty(len(S.pools.size))
    for k in range(len(weights)):
        weights[k] = (S.arrest_weights[pools.pool_class(k), day] * (S.noncoop_factor[day] if k % 2 else 1.0)
                      * S.arrest_factor[pools.pool_group(k)])
    take = pools.allocate(S.arrest_capacity[day], weights, S.pools.size, _unit(ALLOCATION, day, S.keys[ST_ARRESTS]))
    n = draw_from_pools(S, take, S.keys[ST_ARRESTS], day)
    for i in range(n):
        fetch_listed(S, S.scratch, i, n)  # custody, next, works on the same people
        p = S.scratch[i]
        S.arrest_day[p] = day
        S.border_custody[p] = False  # an ICE arrest: a removal from here on is an interior removal
        count(S, ARREST_FLOW, p, day)
        spend(S, ARREST_COST, p, day, S.cost_arrest)
    S.tally[N_ARRESTED] = n


@njit(cache=True)
def draw_among(S, cls, k, key, day):
    """Draw k people uniformly at random among the members of priority class `cls` (every group and
    jurisdiction) into S.scratch; returns how many."""
    live = np.zeros(len(S.pools.size), dtype=np.int64)
    for pool in range(len(live)):
        if pools.pool_class(pool) == cls:
            live[pool] = S.pools.size[pool]
    return draw_from_pools(S, pools.allocate(k, np.ones(len(live)), live, _unit(ALLOCATION, day, key)), key, day)


@njit(cache=True)
def draw_from_pools(S, take, key, day):
    """Draw take[k] people from each pool k into S.scratch, pool by pool; returns how many."""
    n = 0
    for k in range(len(take)):
        if take[k]:
            pools.draw(S.pools, k, take[k], S.scratch, n, key, day)
            n += take[k]
    return n
