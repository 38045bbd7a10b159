"""Court cases filed without an ICE arrest: asylum referrals and other agencies' notices to appear.

Each day's number comes from `court.referrals_per_day`; the people are chosen
uniformly at random among those at large with no case and no criminal record
(the two no-case arrest pools, in proportion to their size). They join the
non-detained docket like a released border arrival, without ATD.
"""

from __future__ import annotations

import numpy as np

from ..states import Flow, State
from ..world import World
from .arrests import allocate
from .base import Process

NO_CASE_POOLS = (6, 7)  # priority class 3 (no case, no record) x (cooperating, non-cooperating)


class Referrals(Process):
    reads = (State.NO_CASE,)
    writes = (State.CASE_PENDING,)
    params = ("court.referrals_per_day",)
    flows = (Flow.CASE_FILED,)

    def step(self, w: World) -> None:
        k = int(w.inp.referrals[w.day])
        if k == 0:
            return
        live = np.array([w.pools[i].live for i in NO_CASE_POOLS], dtype=np.int64)
        take = allocate(k, np.ones(len(live)), live)
        rng = w.rng.generator("referrals", w.day)
        chosen = [w.pools[i].sample(int(n), rng, w.people.epoch) for i, n in zip(NO_CASE_POOLS, take) if n]
        if not chosen:
            return
        pids = np.concatenate(chosen)
        w.file_case(pids, detained=False)
        w.move(pids, State.CASE_PENDING)
