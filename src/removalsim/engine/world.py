"""The simulation's shared state and the single place where people change state.

`move` and `place` keep every derived count (stocks by state and group, people
in custody, on ATD, in each arrest pool) in step with the person arrays, bump the
person's epoch so their old tokens go stale, count the flow, and run `enter`,
which puts the person in the lines and calendars of the new state. Processes
never write `state` themselves.
"""

from __future__ import annotations

import numpy as np

from . import kernels
from .inputs import Inputs
from .people import NEVER, People
from .queues import Calendar, FifoQueue, Growable, RandomPool
from .rng import Streams
from .states import (IS_ARRESTABLE, IS_CUSTODY, IS_TERMINAL, N_COSTS, N_FLOWS, N_STATES, Cost, Flow,
                     State, Wait)

N_POOLS = 8  # 4 priority classes x (cooperating, non-cooperating jurisdiction)
PRIORITY_CLASSES = ("criminal", "final_order", "pending_case", "no_case")
CALENDARS = ("death", "self_departure", "adjustment", "protection_end", "doc_answer", "custody_limit")
_AT_LARGE_HAZARD = {State.NO_CASE: "hazard_no_case", State.CASE_PENDING: "hazard_case_pending",
                    State.FINAL_ORDER: "hazard_final_order", State.PROTECTED: "hazard_protected",
                    State.APPEAL_AT_LARGE: "hazard_case_pending"}
EXTRA_STOCKS = ("final_order_unexecutable", "on_atd")
_ADJUSTABLE = (State.NO_CASE, State.CASE_PENDING, State.PROTECTED)
_LINES = (State.CASE_PENDING, State.DETAINED_PENDING, State.APPEAL_DETAINED, State.APPEAL_AT_LARGE,
          State.DETAINED_FINAL)  # states whose entry puts people in a line dated from their join day
_NO_DAYS = np.empty(0, dtype=np.int64)


class World:
    """People, lines, calendars and tallies of one run."""

    def __init__(self, inputs: Inputs, seed: int, capacity: int):
        self.inp = inputs
        self.sc = inputs.scenario
        self.G = len(inputs.groups)
        self.days = inputs.days
        self.day = 0
        self.people = People(capacity)
        self.rng = Streams(seed)
        G, D = self.G, self.days
        self.counts = np.zeros((N_STATES, G), dtype=np.int64)
        self.stocks = np.zeros((D, N_STATES, G), dtype=np.int64)
        self.flows = np.zeros((D, N_FLOWS, G), dtype=np.int64)
        self.costs = np.zeros((D, N_COSTS, G), dtype=np.float64)
        self.extra_stocks = np.zeros((D, len(EXTRA_STOCKS), G), dtype=np.int64)
        self.atd_counts = np.zeros(G, dtype=np.int64)
        self.stranded_counts = np.zeros(G, dtype=np.int64)
        self.waits = {w: Growable({"day": np.int32, "group": np.int16, "wait": np.int32}) for w in Wait}
        self.pool_live = np.zeros(N_POOLS, dtype=np.int64)  # live members per arrest pool
        self.pools = [RandomPool(self.pool_live, i) for i in range(N_POOLS)]
        self.court_detained, self.court_at_large = FifoQueue(), FifoQueue()
        self.appeal_detained, self.appeal_at_large = FifoQueue(), FifoQueue()
        self.doc_queues = [FifoQueue() for _ in range(G)]
        self.transport_queues = [FifoQueue() for _ in inputs.regions]
        self.seat_fraction = np.zeros(len(inputs.regions))  # part-seats carried to the next flight
        self.calendars = {name: Calendar(D) for name in CALENDARS}
        self.arrested = np.empty(0, dtype=np.int64)
        self.events = 0  # state changes, including first placements
        sc = self.sc
        mult = inputs.sd_multiplier / 365.25
        self.sd_cum = {s: np.concatenate([[0.0], np.cumsum(mult * getattr(sc.self_departure, f).number())])
                       for s, f in _AT_LARGE_HAZARD.items()}
        steady = lambda rate: np.arange(D + 1) * (rate / 365.25)  # noqa: E731
        self.death_cum = steady(sc.mortality.death_rate.number())
        self.adjust_cum = steady(sc.legalization.usc_adjustment_rate.number())
        self.court_det_min = int(sc.court.detained_min_days.number())
        self.court_nd_min = int(sc.court.nondetained_min_days.number())
        self.appeal_min = int(sc.appeals.min_days.number())
        self.custody_limit = int(sc.detention.custody_limit_days.number())

    # -- tallies ---------------------------------------------------------------------------
    def count(self, flow: Flow, pids: np.ndarray) -> None:
        if len(pids):
            self.flows[self.day, flow] += np.bincount(self.people.group[pids], minlength=self.G)

    def spend(self, cost: Cost, pids: np.ndarray, each: float) -> None:
        if len(pids) and each:
            self.costs[self.day, cost] += each * np.bincount(self.people.group[pids], minlength=self.G)

    def record_wait(self, wait: Wait, pids: np.ndarray, since: np.ndarray) -> None:
        ok = since != NEVER
        if ok.any():
            p = pids[ok]
            self.waits[wait].append(day=np.full(len(p), self.day, np.int32), group=self.people.group[p],
                                    wait=(self.day - since[ok]).astype(np.int32))

    def in_custody(self) -> int:
        return int(self.counts[IS_CUSTODY].sum())

    def free_beds(self) -> int:
        return max(0, int(self.inp.beds[self.day]) - self.in_custody())

    # -- state changes ---------------------------------------------------------------------
    def pool_of(self, pids: np.ndarray, state: State) -> np.ndarray:
        """Arrest-pool index of people who are (or are about to be) in arrestable `state`."""
        p = self.people
        return kernels.pool_keys(pids, int(state), p.criminal, p.noncoop, int(State.FINAL_ORDER),
                                 int(State.CASE_PENDING))

    def move(self, pids: np.ndarray, new: State, flow: Flow | None = None) -> None:
        """Move distinct people (all in non-terminal states) to `new`."""
        if len(pids) == 0:
            return
        p = self.people
        kernels.leave_states(pids, p.state, p.group, p.criminal, p.noncoop, p.atd, p.stranded, p.epoch,
                             self.counts, self.pool_live, self.atd_counts, self.stranded_counts,
                             IS_ARRESTABLE, int(State.FINAL_ORDER), int(State.CASE_PENDING))
        self._set(pids, new, flow)

    def place(self, pids: np.ndarray, new: State, flow: Flow | None = None,
              join_day: np.ndarray | None = None) -> None:
        """Give new people (no state yet) their first state."""
        if len(pids):
            self._set(pids, new, flow, join_day)

    def _set(self, pids, new, flow, join_day=None) -> None:
        p = self.people
        self.events += len(pids)
        jd = _NO_DAYS if join_day is None else np.asarray(join_day, dtype=np.int64)
        g = kernels.enter_state(pids, int(new), self.day, jd, p.group, p.state, p.state_day, p.stranded,
                                self.counts, self.stranded_counts, int(State.FINAL_ORDER))
        if flow is not None:
            self.flows[self.day, flow] += np.bincount(g, minlength=self.G)
        self.enter(new, pids, join_day)

    def enter(self, state: State, pids: np.ndarray, join_day: np.ndarray | None = None) -> None:
        """Put people who just entered `state` into that state's lines and calendars."""
        if IS_TERMINAL[state]:
            return
        p, day = self.people, self.day
        ep = p.epoch[pids]
        self._hazard("death", self.death_cum, pids, ep)
        if IS_ARRESTABLE[state]:
            keys = self.pool_of(pids, state)
            order, starts = kernels.group_by_key(keys, N_POOLS)
            for k in range(N_POOLS):
                if starts[k + 1] > starts[k]:
                    sel = order[starts[k]:starts[k + 1]]
                    self.pools[k].push(pids[sel], ep[sel])
        if state in _AT_LARGE_HAZARD:
            self._hazard("self_departure", self.sd_cum[state], pids, ep)
        if state in _ADJUSTABLE:
            fam = p.usc_family[pids]
            if fam.any():
                self._hazard("adjustment", self.adjust_cum, pids[fam], ep[fam])
        if state in _LINES:
            jd = np.full(len(pids), day, dtype=np.int64) if join_day is None else join_day.astype(np.int64)
            if state == State.CASE_PENDING:
                self.court_at_large.push(pids, ep, jd + self.court_nd_min)
            elif state == State.DETAINED_PENDING:
                self.court_detained.push(pids, ep, jd + self.court_det_min)
            elif state == State.APPEAL_DETAINED:
                self.appeal_detained.push(pids, ep, jd + self.appeal_min)
            elif state == State.APPEAL_AT_LARGE:
                self.appeal_at_large.push(pids, ep, jd + self.appeal_min)
            else:
                self._request_document(pids, ep, jd)
        elif state == State.PROTECTED:
            end = self.inp.protection_end[p.group[pids]]
            self.calendars["protection_end"].schedule(np.maximum(end, day + 1), pids, ep)
        elif state == State.AWAITING_TRANSPORT:
            region = self.inp.group_region[p.group[pids]]
            for r in np.unique(region):
                sel = region == r
                self.transport_queues[r].push(pids[sel], ep[sel], np.full(sel.sum(), day, np.int32))

    def _hazard(self, calendar: str, cum: np.ndarray, pids: np.ndarray, ep: np.ndarray) -> None:
        """Schedule an exit whose hazard has running total `cum`, by inverting it at an Exp(1) draw."""
        when = kernels.hazard_days(cum, self.day, pids, ep, self.rng.key(calendar))
        self.calendars[calendar].schedule(when, pids, ep)

    def _request_document(self, pids: np.ndarray, ep: np.ndarray, jd: np.ndarray) -> None:
        p = self.people
        g = p.group[pids]
        p.stranded[pids] = False
        med, sig = self.inp.gp["doc_lag_median_days"][g], self.inp.gp["doc_lag_sigma"][g]
        lag = np.rint(med * np.exp(sig * self.rng.normal("doc.lag", pids, ep))).astype(np.int64)
        self.calendars["doc_answer"].schedule(np.maximum(jd + np.maximum(lag, 1), self.day + 1), pids, ep)
        self.calendars["custody_limit"].schedule(np.maximum(jd + self.custody_limit, self.day + 1), pids, ep)
        self.count(Flow.DOC_REQUESTED, pids)

    # -- helpers shared by processes ---------------------------------------------------------
    def file_case(self, pids: np.ndarray, detained: bool) -> None:
        """A notice to appear: the case is filed today; counsel is drawn for the case."""
        if len(pids) == 0:
            return
        p = self.people
        p.filed_day[pids] = self.day
        share = (self.sc.court.representation_share_detained.number() if detained
                 else self.inp.gp["representation_share"][p.group[pids]])
        p.represented[pids] = self.rng.uniform("court.counsel", pids, p.epoch[pids]) < share
        self.count(Flow.CASE_FILED, pids)

    def enroll_atd(self, pids: np.ndarray) -> None:
        """Enroll people released onto the non-detained docket in ATD while places last."""
        p = self.people
        pids = pids[~p.atd[pids]]
        room = int(self.inp.atd_capacity[self.day]) - int(self.atd_counts.sum())
        take = pids[: max(0, room)]
        if len(take):
            p.atd[take] = True
            self.atd_counts += np.bincount(p.group[take], minlength=self.G)
            self.count(Flow.ATD_ENROLLED, take)
