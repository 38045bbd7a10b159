"""Board of Immigration Appeals: capacity-limited, detained appeals first; reversal means relief."""

from __future__ import annotations

from ..states import Cost, Flow, State
from ..world import World
from .base import Process


class Appeals(Process):
    reads = (State.APPEAL_DETAINED, State.APPEAL_AT_LARGE)
    writes = (State.LEGALIZED, State.DETAINED_FINAL, State.FINAL_ORDER)
    params = ("appeals.completions_per_day", "appeals.min_days", "appeals.reversal_share", "appeals.cost_per_appeal")
    flows = (Flow.APPEAL_REVERSED, Flow.APPEAL_DISMISSED)
    costs = (Cost.APPEALS,)

    def step(self, w: World) -> None:
        cap = int(w.inp.appeal_capacity[w.day])
        detained = w.appeal_detained.serve(cap, w.day, w.people.epoch)
        at_large = w.appeal_at_large.serve(cap - len(detained), w.day, w.people.epoch)
        share = w.sc.appeals.reversal_share.number()
        for pids, final in ((detained, State.DETAINED_FINAL), (at_large, State.FINAL_ORDER)):
            w.spend(Cost.APPEALS, pids, w.sc.appeals.cost_per_appeal.number())
            reversed_ = w.rng.uniform("appeal.outcome", pids, w.people.epoch[pids]) < share
            w.move(pids[reversed_], State.LEGALIZED, Flow.APPEAL_REVERSED)
            w.move(pids[~reversed_], final, Flow.APPEAL_DISMISSED)
