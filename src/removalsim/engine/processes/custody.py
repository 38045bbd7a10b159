"""Custody: today's arrests are detained while beds last (final orders, then criminal records, first).

Recent entrants without a case may be put into expedited removal. Of the others given a bed, a share of those
without a final order is released at ICE's discretion (`arrests.release_share`: bond, recognizance, parole).
Those released, and those who find no bed, go onto the non-detained docket (with a case filed if they had
none, and ATD while places last).
"""

from __future__ import annotations

from numba import njit

from ...vocabulary import Flow, State
from ..transitions import (CASE_PENDING, DETAINED_FINAL, DETAINED_PENDING, FINAL_ORDER, NO_CASE, NO_FLOW, count,
                           enroll_atd, file_case, free_beds, move, uniform)
from ..world import N_ARRESTED, stream_indices
from .base import Param, Stage, scalar
from .inflows import expedited_removal

DETAINED, RELEASED, DISCRETION = int(Flow.DETAINED), int(Flow.RELEASED_NO_BED), int(Flow.RELEASED_DISCRETION)


STAGE = Stage(
    "custody", "today's arrests detained while beds last, else released (ATD)",
    params=(Param("er_recent_share", "daily", "float", ("expedited_removal.recent_arrival_share",),
                  lambda inp: inp.er_recent_share),
            scalar("er_recent_window", "expedited_removal.recent_window_days"),
            Param("release_share", "daily", "float", ("arrests.release_share",), lambda inp: inp.release_share)),
    fields=("criminal", "entry_day", "flag", "order", "scratch", "state", "tally"),
    reads=(State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER),
    writes=(State.DETAINED_PENDING, State.DETAINED_FINAL, State.CASE_PENDING),
    flows=(Flow.DETAINED, Flow.RELEASED_NO_BED, Flow.RELEASED_DISCRETION),
    streams=("er.recent", "custody.release"))
ST_ER_RECENT, ST_RELEASE = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    n = S.tally[N_ARRESTED]
    S.tally[N_ARRESTED] = 0
    if n == 0:
        return
    arrested = S.order[:n]
    i = 0
    for rank in range(3):  # a stable sort by priority: final orders, then criminal records, then the rest
        for j in range(n):
            p = S.scratch[j]
            r = 0 if S.state[p] == FINAL_ORDER else (1 if S.criminal[p] else 2)
            if r == rank:
                arrested[i] = p
                i += 1
    er = S.flag[:n]
    for j in range(n):
        p = arrested[j]
        er[j] = (S.state[p] == NO_CASE and day - S.entry_day[p] <= S.er_recent_window
                 and uniform(S, ST_ER_RECENT, p) < S.er_recent_share[day])
    held = min(n, free_beds(S, day))
    for j in range(held):
        if er[j]:
            continue
        p = arrested[j]
        s = S.state[p]
        if s != FINAL_ORDER and S.release_share[day] > 0 and uniform(S, ST_RELEASE, p) < S.release_share[day]:
            count(S, DISCRETION, p, day)
            release(S, p, day)
            continue
        count(S, DETAINED, p, day)
        if s == FINAL_ORDER:
            move(S, p, DETAINED_FINAL, day, NO_FLOW)
        elif s == CASE_PENDING:
            move(S, p, DETAINED_PENDING, day, NO_FLOW)
        else:
            file_case(S, p, day, True)
            move(S, p, DETAINED_PENDING, day, NO_FLOW)
    for j in range(held):  # recent entrants to expedited removal: the beds counted for them are still free
        if er[j]:
            expedited_removal(S, arrested[j], day, False)
    for j in range(held, n):
        p = arrested[j]
        count(S, RELEASED, p, day)
        release(S, p, day)


@njit(cache=True)
def release(S, p, day):
    """Onto the non-detained docket: a case filed if there was none, and ATD while places last."""
    if S.state[p] == NO_CASE:
        file_case(S, p, day, False)
        move(S, p, CASE_PENDING, day, NO_FLOW)
    if S.state[p] == CASE_PENDING:
        enroll_atd(S, p, day)
