"""End of day: bed-day and ATD-day costs, and the stock of every state by group."""

from __future__ import annotations

from numba import njit

from ...vocabulary import Cost
from ..transitions import CUSTODY_STATES
from .base import Stage, scalar

DETENTION, ATD = int(Cost.DETENTION), int(Cost.ATD)


STAGE = Stage(
    "accounting", "bed-day and ATD costs; stocks recorded",
    params=(scalar("bed_day_cost", "detention.bed_day_cost"), scalar("atd_day_cost", "atd.day_cost")),
    fields=("atd_counts", "costs", "counts", "extra_stocks", "stocks", "stranded_counts"),
    costs=(Cost.DETENTION, Cost.ATD))

@njit(cache=True)
def step(S, day):
    for g in range(S.counts.shape[1]):
        held = 0
        for s in CUSTODY_STATES:
            held += S.counts[s, g]
        S.costs[day, DETENTION, g] += held * S.bed_day_cost
        S.costs[day, ATD, g] += S.atd_counts[g] * S.atd_day_cost
        S.extra_stocks[day, 0, g] = S.stranded_counts[g]
        S.extra_stocks[day, 1, g] = S.atd_counts[g]
    S.stocks[day] = S.counts
