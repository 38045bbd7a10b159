"""Exits that happen at a rate rather than through a capacity: death, self-departure, adjustment, end of protection.

Their times are drawn when a person enters a state (by inverting the running
total of each hazard), and only the earliest is kept, so a day's work is only
the people whose time has come. On a tie the day's order decides: death, then
self-departure, then adjustment, then the end of protection.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .. import agenda
from ..people import NEVER
from ...vocabulary import TERMINAL, Cost, Flow, State
from ..transitions import (AHEAD, CASE_PENDING, EXIT_ADJUSTMENT, EXIT_DEATH, EXIT_SELF_DEPARTURE, NO_CASE, NO_FLOW,
                           count, fetch_listed, fetch_person, move, spend)
from .base import Param, Stage

DIED, DEPARTED, LEGALIZED = int(State.DIED), int(State.DEPARTED), int(State.LEGALIZED)
DEATH, SELF_DEPARTURE, ADJUSTMENT, PROTECTION_ENDED = (int(Flow.DEATH), int(Flow.SELF_DEPARTURE),
                                                       int(Flow.ADJUSTMENT), int(Flow.PROTECTION_ENDED))
STIPENDS = int(Cost.STIPENDS)


STAGE = Stage(
    "timed_exits", "deaths, then self-departures (stipends paid), adjustments and protection that ends, due today",
    params=(Param("stipend_cost", "daily", "float", ("self_departure.stipend_usd",
                                                     "self_departure.stipend_takeup_share"),
                  lambda inp: inp.stipend_cost),),
    fields=("epoch", "exits", "filed_day"),
    reads=tuple(s for s in State if s not in TERMINAL),
    writes=(State.DIED, State.DEPARTED, State.LEGALIZED, State.NO_CASE, State.CASE_PENDING),
    flows=(Flow.DEATH, Flow.SELF_DEPARTURE, Flow.ADJUSTMENT, Flow.PROTECTION_ENDED),
    costs=(Cost.STIPENDS,))

@njit(cache=True)
def step(S, day):
    buf = np.empty((agenda.BLOCK, 2), dtype=np.int32)
    who = buf[:, agenda.WHO]
    while True:
        n = agenda.take_block(S.exits, day, buf)  # today's exits, a block at a time, in the order they were drawn
        if n < 0:
            break
        for i in range(min(AHEAD, n)):
            fetch_person(S, who[i])
        for i in range(n):
            fetch_listed(S, who, i, n)  # the people due next, fetched ahead
            p, tag = buf[i, agenda.WHO], buf[i, agenda.TAG]
            if not agenda.is_live(S.epoch, p, tag):  # they changed state since the exit was drawn
                continue
            kind = agenda.kind_of(tag)
            if kind == EXIT_DEATH:
                move(S, p, DIED, day, DEATH)
            elif kind == EXIT_SELF_DEPARTURE:
                spend(S, STIPENDS, p, day, S.stipend_cost[day])
                move(S, p, DEPARTED, day, SELF_DEPARTURE)
            elif kind == EXIT_ADJUSTMENT:
                move(S, p, LEGALIZED, day, ADJUSTMENT)
            else:
                count(S, PROTECTION_ENDED, p, day)
                move(S, p, CASE_PENDING if S.filed_day[p] != NEVER else NO_CASE, day, NO_FLOW)
