"""Reopened and recalendared cases: closed cases and in-absentia orders that come back onto the docket.

Each day `court.reopened_per_day` people at large whose case was closed or who were
ordered removed in absentia return to the non-detained docket, oldest first. They are
not new receipts (no notice to appear is filed); the record counts them among the
cases pending, which is why pending cases do not fall by receipts minus completions.
"""

from __future__ import annotations

from numba import njit

from ...vocabulary import Flow, State
from ..transitions import CASE_PENDING, NO_FLOW, count, cursor, fetch_next, move, serve, set_unrep_order
from ..world import LINE_REOPENABLE
from .base import Param, Stage

REOPENED = int(Flow.CASE_REOPENED)

STAGE = Stage(
    "reopenings", "closed cases and in-absentia orders back onto the docket, oldest first",
    params=(Param("reopened", "daily", "int", ("court.reopened_per_day",), lambda inp: inp.reopened),),
    fields=("filed_day", "in_absentia", "line"),
    reads=(State.NO_CASE, State.FINAL_ORDER),
    writes=(State.CASE_PENDING,),
    flows=(Flow.CASE_REOPENED,),
    lines=("LINE_REOPENABLE",))


@njit(cache=True)
def step(S, day):
    ahead = cursor(S, S.line, LINE_REOPENABLE, S.reopened[day])  # the people served next, fetched ahead
    for _ in range(S.reopened[day]):
        p = serve(S, LINE_REOPENABLE, day)
        if p < 0:
            break
        ahead = fetch_next(S, S.line, ahead)
        S.in_absentia[p] = False
        set_unrep_order(S, p, False)
        S.filed_day[p] = day
        count(S, REOPENED, p, day)
        move(S, p, CASE_PENDING, day, NO_FLOW)
