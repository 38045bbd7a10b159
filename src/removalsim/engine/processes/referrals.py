"""Court cases filed without an ICE arrest: asylum referrals and other agencies' notices to appear.

Each day's number comes from `court.referrals_per_day`; the people are chosen
uniformly at random among those at large with no case and no criminal record
(the two no-case arrest pools, in proportion to their size). They join the
non-detained docket like a released border arrival, without ATD.
"""

from __future__ import annotations

from numba import njit

from .. import pools
from ...vocabulary import State
from ..transitions import CASE_PENDING, NO_FLOW, fetch_listed, file_case, move
from ..world import stream_indices
from .arrests import draw_among
from .base import Param, Stage



STAGE = Stage(
    "referrals", "cases filed without an arrest (asylum referrals, other agencies)",
    params=(Param("referrals", "daily", "int", ("court.referrals_per_day",), lambda inp: inp.referrals),),
    fields=("scratch",),
    reads=(State.NO_CASE,),
    writes=(State.CASE_PENDING,),
    streams=("referrals",))
(ST_REFERRALS,) = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    k = S.referrals[day]
    if k == 0:
        return
    n = draw_among(S, pools.NO_CASE_CLASS, k, S.keys[ST_REFERRALS], day)
    for i in range(n):
        fetch_listed(S, S.scratch, i, n)
        p = S.scratch[i]
        file_case(S, p, day, False)
        move(S, p, CASE_PENDING, day, NO_FLOW)
