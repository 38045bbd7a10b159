"""Exits that happen at a rate rather than through a capacity: death, self-departure, adjustment, end of protection.

Their times are drawn when a person enters a state (by inverting the running
total of each hazard), and only the earliest is kept, so a day's work is only
the people whose time has come. On a tie the day's order decides: death, then
self-departure, then adjustment, then the end of protection.
"""

from __future__ import annotations

from numba import njit

from .. import links
from ..people import NEVER
from ...vocabulary import TERMINAL, Cost, Flow, State
from ..transitions import (AHEAD, CASE_PENDING, EXIT_ADJUSTMENT, EXIT_DEATH, EXIT_KIND, EXIT_SELF_DEPARTURE,
                           NO_CASE, NO_FLOW, count, cursor, fetch_next, move, spend)
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
    fields=("exits", "filed_day"),
    reads=tuple(s for s in State if s not in TERMINAL),
    writes=(State.DIED, State.DEPARTED, State.LEGALIZED, State.NO_CASE, State.CASE_PENDING),
    flows=(Flow.DEATH, Flow.SELF_DEPARTURE, Flow.ADJUSTMENT, Flow.PROTECTION_ENDED),
    costs=(Cost.STIPENDS,))

@njit(cache=True)
def step(S, day):
    ahead = cursor(S, S.exits, day, AHEAD)  # the people due next, fetched ahead
    while True:
        p = links.pop_head(S.exits, day)
        if p < 0:
            break
        ahead = fetch_next(S, S.exits, ahead)
        kind = S.exits.node[p, EXIT_KIND]
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
