"""Board of Immigration Appeals: capacity-limited, detained appeals first; reversal means relief."""

from __future__ import annotations

from numba import njit

from ...vocabulary import Cost, Flow, State
from ..transitions import DETAINED_FINAL, FINAL_ORDER, cursor, fetch_next, move, serve_either, spend, uniform
from ..world import LINE_APPEAL_AT_LARGE, LINE_APPEAL_DETAINED, stream_indices
from .base import Param, Stage, scalar


APPEALS = int(Cost.APPEALS)
LEGALIZED, REVERSED, DISMISSED = int(State.LEGALIZED), int(Flow.APPEAL_REVERSED), int(Flow.APPEAL_DISMISSED)


STAGE = Stage(
    "appeals", "BIA completions: detained first",
    params=(Param("appeal_capacity", "daily", "int", ("appeals.completions_per_day",), lambda inp: inp.appeal_capacity),
            scalar("reversal_share", "appeals.reversal_share"), scalar("cost_appeal", "appeals.cost_per_appeal")),
    fields=("line",),
    reads=(State.APPEAL_DETAINED, State.APPEAL_AT_LARGE),
    writes=(State.LEGALIZED, State.DETAINED_FINAL, State.FINAL_ORDER),
    flows=(Flow.APPEAL_REVERSED, Flow.APPEAL_DISMISSED),
    costs=(Cost.APPEALS,),
    streams=("appeal.outcome",),
    lines=("LINE_APPEAL_DETAINED", "LINE_APPEAL_AT_LARGE"))
(ST_APPEAL_OUTCOME,) = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    ahead_detained = cursor(S, S.line, LINE_APPEAL_DETAINED, S.appeal_capacity[day])  # served next, fetched ahead
    ahead_at_large = cursor(S, S.line, LINE_APPEAL_AT_LARGE, S.appeal_capacity[day])
    for _ in range(S.appeal_capacity[day]):
        p, detained = serve_either(S, LINE_APPEAL_DETAINED, LINE_APPEAL_AT_LARGE, day)
        if p < 0:
            break
        if detained:
            ahead_detained = fetch_next(S, S.line, ahead_detained)
        else:
            ahead_at_large = fetch_next(S, S.line, ahead_at_large)
        decide(S, p, day, DETAINED_FINAL if detained else FINAL_ORDER)


@njit(cache=True)
def decide(S, p, day, final):
    spend(S, APPEALS, p, day, S.cost_appeal)
    if uniform(S, ST_APPEAL_OUTCOME, p) < S.reversal_share:
        move(S, p, LEGALIZED, day, REVERSED)
    else:
        move(S, p, final, day, DISMISSED)
