"""Immigration court: judges x completions per judge-day, detained docket first, then filing order.

The outcome is drawn at completion from the group's grant rates and the
respondent's representation: in absentia order (non-detained only), relief,
voluntary departure, closure, or a removal order (which may be appealed).
"""

from __future__ import annotations

import numpy as np

from ..states import Cost, Flow, State, Wait
from ..world import World
from .base import Process


class Court(Process):
    reads = (State.DETAINED_PENDING, State.CASE_PENDING)
    writes = (State.FINAL_ORDER, State.DETAINED_FINAL, State.LEGALIZED, State.NO_CASE, State.DEPARTED,
              State.APPEAL_AT_LARGE, State.APPEAL_DETAINED)
    params = ("court.*", "atd.in_absentia_factor", "appeals.appeal_share_represented",
              "appeals.appeal_share_unrepresented", "groups.*.grant_rate_represented",
              "groups.*.grant_rate_unrepresented")
    flows = (Flow.COURT_COMPLETION, Flow.IN_ABSENTIA_ORDER, Flow.RELIEF_GRANTED, Flow.VOLUNTARY_DEPARTURE,
             Flow.CASE_CLOSED, Flow.REMOVAL_ORDER, Flow.APPEAL_FILED, Flow.VD_DEPARTED)
    costs = (Cost.COURT,)

    def step(self, w: World) -> None:
        cap = int(w.inp.court_capacity[w.day])
        detained = w.court_detained.serve(cap, w.day, w.people.epoch)
        at_large = w.court_at_large.serve(cap - len(detained), w.day, w.people.epoch)
        self.decide(w, detained, detained=True)
        self.decide(w, at_large, detained=False)

    def decide(self, w: World, pids: np.ndarray, detained: bool) -> None:
        if len(pids) == 0:
            return
        p, sc, d = w.people, w.sc, w.day
        c = sc.court
        w.count(Flow.COURT_COMPLETION, pids)
        w.spend(Cost.COURT, pids, c.cost_per_completion.number())
        w.record_wait(Wait.FILING_TO_DECISION, pids, p.filed_day[pids])
        ep, g, rep = p.epoch[pids], p.group[pids], p.represented[pids]
        if not detained:
            chance = (w.inp.in_absentia[d] * np.where(rep, c.in_absentia_factor_represented.number(), 1.0)
                      * np.where(p.atd[pids], sc.atd.in_absentia_factor.number(), 1.0))
            absent = w.rng.uniform("court.absent", pids, ep) < chance
            gone = pids[absent]
            p.in_absentia[gone] = True
            p.unrep_order[gone] = ~p.represented[gone]
            w.move(gone, State.FINAL_ORDER, Flow.IN_ABSENTIA_ORDER)
            pids, ep, g, rep = pids[~absent], ep[~absent], g[~absent], rep[~absent]
        grant = np.where(rep, w.inp.gp["grant_rate_represented"][g], w.inp.gp["grant_rate_unrepresented"][g])
        u = w.rng.uniform("court.outcome", pids, ep)
        relief = u < grant
        rest = np.clip((u - grant) / np.maximum(1 - grant, 1e-12), 0, 1)
        vd_share = c.voluntary_departure_share.number()
        vd = ~relief & (rest < vd_share)
        closed = ~relief & ~vd & (rest < vd_share + w.inp.closure[d])
        ordered = ~relief & ~vd & ~closed
        w.move(pids[relief], State.LEGALIZED, Flow.RELIEF_GRANTED)
        w.move(pids[closed], State.NO_CASE, Flow.CASE_CLOSED)
        self.voluntary_departure(w, pids[vd], detained)
        self.removal_order(w, pids[ordered], detained)

    def voluntary_departure(self, w: World, pids: np.ndarray, detained: bool) -> None:
        w.count(Flow.VOLUNTARY_DEPARTURE, pids)
        if detained:
            w.move(pids, State.DETAINED_FINAL)  # departure under safeguards: ICE carries it out
            return
        leaves = w.rng.uniform("court.vd_comply", pids, w.people.epoch[pids]) < (
            w.sc.court.voluntary_departure_compliance.number())
        w.move(pids[leaves], State.DEPARTED, Flow.VD_DEPARTED)
        w.move(pids[~leaves], State.FINAL_ORDER)

    def removal_order(self, w: World, pids: np.ndarray, detained: bool) -> None:
        p, a = w.people, w.sc.appeals
        w.count(Flow.REMOVAL_ORDER, pids)
        rep = p.represented[pids]
        p.unrep_order[pids] = ~rep
        share = np.where(rep, a.appeal_share_represented.number(), a.appeal_share_unrepresented.number())
        appeal = w.rng.uniform("court.appeal", pids, p.epoch[pids]) < share
        w.move(pids[appeal], State.APPEAL_DETAINED if detained else State.APPEAL_AT_LARGE, Flow.APPEAL_FILED)
        w.move(pids[~appeal], State.DETAINED_FINAL if detained else State.FINAL_ORDER)
