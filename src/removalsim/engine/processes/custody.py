"""Custody: today's arrests are detained while beds last (final orders, then criminal records, first).

Recent entrants without a case may be put into expedited removal. Those who find
no bed are released onto the non-detained docket (with a case filed if they had
none, and ATD while places last).
"""

from __future__ import annotations

import numpy as np

from ..states import Flow, State
from ..world import World
from .base import Process
from .inflows import expedited_removal


class Custody(Process):
    reads = (State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER)
    writes = (State.DETAINED_PENDING, State.DETAINED_FINAL, State.CASE_PENDING)
    params = ("detention.beds", "atd.capacity", "expedited_removal.recent_arrival_share",
              "expedited_removal.recent_window_days")
    flows = (Flow.DETAINED, Flow.RELEASED_NO_BED, Flow.ATD_ENROLLED, Flow.CASE_FILED)

    def step(self, w: World) -> None:
        arrested = w.arrested
        w.arrested = np.empty(0, dtype=np.int64)
        if len(arrested) == 0:
            return
        p, d = w.people, w.day
        state = p.state[arrested]
        priority = np.where(state == State.FINAL_ORDER, 0, np.where(p.criminal[arrested], 1, 2))
        arrested = arrested[np.argsort(priority, kind="stable")]
        state = p.state[arrested]
        window = w.sc.expedited_removal.recent_window_days.number()
        er = ((state == State.NO_CASE) & (d - p.entry_day[arrested] <= window)
              & (w.rng.uniform("er.recent", arrested, p.epoch[arrested]) < w.inp.er_recent_share[d]))
        free = w.free_beds()
        held, released = arrested[:free], arrested[free:]
        er_held = held[er[:free]]
        held = held[~er[:free]]
        hs = p.state[held]
        w.count(Flow.DETAINED, held)
        w.move(held[hs == State.FINAL_ORDER], State.DETAINED_FINAL)
        w.move(held[hs == State.CASE_PENDING], State.DETAINED_PENDING)
        no_case = held[hs == State.NO_CASE]
        w.file_case(no_case, detained=True)
        w.move(no_case, State.DETAINED_PENDING)
        expedited_removal(w, er_held, new=False)
        w.count(Flow.RELEASED_NO_BED, released)
        rs = p.state[released]
        fresh = released[rs == State.NO_CASE]
        w.file_case(fresh, detained=False)
        w.move(fresh, State.CASE_PENDING)
        w.enroll_atd(released[p.state[released] == State.CASE_PENDING])
