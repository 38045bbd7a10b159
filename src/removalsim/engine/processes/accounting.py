"""End of day: bed-day and ATD-day costs, and the stock of every state by group."""

from __future__ import annotations

from ..states import IS_CUSTODY, Cost
from ..world import World
from .base import Process


class Accounting(Process):
    params = ("detention.bed_day_cost", "atd.day_cost")
    costs = (Cost.DETENTION, Cost.ATD)

    def step(self, w: World) -> None:
        d = w.day
        w.costs[d, Cost.DETENTION] += w.counts[IS_CUSTODY].sum(axis=0) * w.sc.detention.bed_day_cost.number()
        w.costs[d, Cost.ATD] += w.atd_counts * w.sc.atd.day_cost.number()
        w.stocks[d] = w.counts
        w.extra_stocks[d, 0] = w.stranded_counts
        w.extra_stocks[d, 1] = w.atd_counts
