"""The removal system in SimPy: one process per person, one per stage, written for clarity, not speed.

This is a second, independent implementation of the model in
/work/shared/design/model.md and of the semantics of `removalsim.engine`. It
reuses only the input compiler (`Inputs.compile`: dated parameters to daily,
scaled capacities), the scaled starting counts (`initial_counts`) and the output
tables (`Result`); the people, the lines, the
hazards, the outcomes and the day order are its own code.

Time is measured in days. Each day is split into slots so that the stages run in
the engine's documented order (inflows, deaths, self-departures, adjustments,
end of protection, arrests, custody, referrals, court, appeals, travel-document answers,
issuance, custody-limit releases, transport, accounting). A person's own timed
exits (death, self-departure, adjustment, end of protection, the country's answer,
the custody limit) happen in their slot of the day they fall on; the stage
processes admit people from their lines each day within the day's capacity.

A person process loops: enter the state (join its lines, draw the times of its
timed exits), then wait for whichever comes first: a stage moving the person
(the `wake` event), or the earliest timed exit.
"""

from __future__ import annotations

from collections import deque
from types import SimpleNamespace

import numpy as np

from ..engine.inputs import Inputs
from ..engine.starting_counts import initial_counts, largest_remainder
from .. import vocabulary
from ..vocabulary import N_COSTS, N_FLOWS, N_STATES, Cost, Flow, State, Wait
from ..results.result import Result
from ..scenario import Scenario, load_scenario

# -- the day's slots ------------------------------------------------------------------------
SLOT_INFLOWS = 0.01
SLOT_DEATH = 0.10
SLOT_SELF_DEPARTURE = 0.20
SLOT_ADJUSTMENT = 0.30
SLOT_PROTECTION_END = 0.35
SLOT_ARRESTS = 0.40
SLOT_CUSTODY = 0.50
SLOT_REFERRALS = 0.55
SLOT_REOPENINGS = 0.56
SLOT_ATD = 0.57
SLOT_COURT = 0.60
SLOT_APPEALS = 0.70
SLOT_DOC_ANSWER = 0.80
SLOT_DOC_ISSUE = 0.82
SLOT_CUSTODY_LIMIT = 0.85
SLOT_TRANSPORT = 0.90
SLOT_ACCOUNTING = 0.95

NO_DAY = None  # "has not happened"

# Arrest pools: 8 x group + 2 x priority class (criminal record first) + 1 for a non-cooperating jurisdiction.
POOLS_PER_GROUP = 8
POOL_CLASS = {State.FINAL_ORDER: 1, State.CASE_PENDING: 2, State.NO_CASE: 3}  # people without a record

AT_LARGE, ARRESTABLE = set(vocabulary.AT_LARGE), set(vocabulary.ARRESTABLE)
IN_CUSTODY, TERMINAL = set(vocabulary.CUSTODY), set(vocabulary.TERMINAL)
ADJUSTABLE = {State.NO_CASE, State.CASE_PENDING, State.PROTECTED}
SD_HAZARD_FIELD = {State.NO_CASE: "hazard_no_case", State.CASE_PENDING: "hazard_case_pending",
                   State.FINAL_ORDER: "hazard_final_order", State.PROTECTED: "hazard_protected",
                   State.APPEAL_AT_LARGE: "hazard_case_pending"}
CUSTODY_LIST = sorted(IN_CUSTODY)


class Person:
    """One synthetic person and everything the model knows about them."""

    __slots__ = ("pid", "group", "state", "epoch", "entry_day", "filed_day", "arrest_day", "criminal",
                 "usc_family", "noncoop", "represented", "atd", "stranded", "in_absentia", "via_er",
                 "unrep_order", "wake", "pool", "join_day", "border_custody", "reopenable", "doc_under_way")

    def __init__(self, pid: int, group: int, entry_day: int):
        self.pid, self.group, self.entry_day = pid, group, entry_day
        self.state: State | None = None
        self.epoch = 0
        self.filed_day = NO_DAY
        self.arrest_day = NO_DAY
        self.doc_under_way = False
        self.criminal = self.usc_family = self.noncoop = self.represented = False
        self.atd = self.stranded = self.in_absentia = self.via_er = self.unrep_order = False
        self.wake = None
        self.pool = None
        self.join_day = None
        self.border_custody = False  # in custody since a CBP border apprehension, not an ICE arrest
        self.reopenable = False  # at large with a closed case or an in-absentia order: may be recalendared


class Pool:
    """People eligible for arrest in one priority class x jurisdiction: add, remove and sample in O(1)."""

    def __init__(self) -> None:
        self.members: list[Person] = []
        self.pos: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self.members)

    def add(self, p: Person) -> None:
        self.pos[p.pid] = len(self.members)
        self.members.append(p)

    def remove(self, p: Person) -> None:
        i = self.pos.pop(p.pid)
        last = self.members.pop()
        if last is not p:
            self.members[i] = last
            self.pos[last.pid] = i

    def sample(self, k: int, rng: np.random.Generator) -> list[Person]:
        n = len(self.members)
        idx = rng.choice(n, size=min(k, n), replace=False)
        return [self.members[i] for i in idx]


class Line:
    """A first-come first-served line of (ready day, person, epoch); people who left are skipped."""

    def __init__(self) -> None:
        self.q: deque = deque()

    def join(self, p: Person, ready: int) -> None:
        self.q.append((ready, p, p.epoch))

    def serve(self, k: int, day: int) -> list[Person]:
        out = []
        q = self.q
        while k > 0 and q:
            ready, p, ep = q[0]
            if p.epoch != ep:
                q.popleft()
                continue
            if ready > day:
                break
            q.popleft()
            out.append(p)
            k -= 1
        return out

    def live(self) -> int:
        return sum(1 for _, p, ep in self.q if p.epoch == ep)


def split_capacity(capacity: int, weights: list[float], sizes: list[int], offset: float) -> list[int]:
    """Arrests per pool: proportional to weight x people still available, whole numbers, never above the pool.

    Systematic rounding: points offset, offset + 1, ... along the running total of the shares give each pool
    the floor or the ceiling of its share; what a full pool cannot take is shared out again.
    """
    n = len(sizes)
    take = [0] * n
    left = min(capacity, sum(sizes))
    while left > 0:
        room = [sizes[i] - take[i] for i in range(n)]
        effort = [weights[i] * room[i] for i in range(n)]
        total = sum(effort)
        if total <= 0:
            effort, total = [float(r) for r in room], float(sum(room))
        running, below, got = 0.0, 0, 0
        for i in range(n):
            running += left * effort[i] / total
            upto = min(max(int(np.ceil(running - offset)), 0), left)
            give = min(upto - below, room[i])
            below = upto
            take[i] += give
            got += give
        if got == 0:
            break
        left -= got
    return take


class ReferenceModel:
    """The whole model for one run (scenario, horizon, seed, scale)."""

    def __init__(self, scenario: Scenario | str, years: float, seed: int, scale: float,
                 perturb: str | None = None):
        import simpy  # lazy: only the reference needs SimPy

        if perturb not in (None, "nondetained_first", "no_custody_limit"):
            raise ValueError(f"unknown perturbation {perturb!r}")
        self.sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.years, self.seed, self.scale, self.perturb = years, seed, scale, perturb
        self.days = max(1, int(round(years * 365.25)))
        self.inp = Inputs.compile(self.sc, self.days, scale)
        self.G = len(self.inp.groups)
        self.env = simpy.Environment()
        self.rng = np.random.default_rng(seed)
        self.day = 0
        self.people: list[Person] = []
        self._setup_parameters()
        G, D = self.G, self.days
        self.counts = np.zeros((N_STATES, G), dtype=np.int64)
        self.atd_count = np.zeros(G, dtype=np.int64)
        self.stranded_count = np.zeros(G, dtype=np.int64)
        self.stocks = np.zeros((D, N_STATES, G), dtype=np.int64)
        self.extra_stocks = np.zeros((D, 2, G), dtype=np.int64)
        self.flows = np.zeros((D, N_FLOWS, G), dtype=np.int64)
        self.costs = np.zeros((D, N_COSTS, G), dtype=np.float64)
        self.wait_rows = {w: [] for w in Wait}
        self.pools = [Pool() for _ in range(POOLS_PER_GROUP * G)]
        self.court_detained, self.court_at_large = Line(), Line()
        self.court_merits = Line()  # contested detained cases, after their first hearing
        self.appeal_detained, self.appeal_at_large = Line(), Line()
        self.doc_lines = [deque() for _ in range(G)]
        self.transport_lines = [deque() for _ in self.inp.regions]
        self.seat_carry = [0.0 for _ in self.inp.regions]
        self.reopenable_line: deque = deque()
        self.flown = np.zeros((D, len(self.inp.regions)), dtype=np.int64)
        self.events = 0  # state changes, first placements included
        self.arrested_today: list[Person] = []

    def _setup_parameters(self) -> None:
        sc, inp, D = self.sc, self.inp, self.days
        self.death_daily = np.full(D, sc.mortality.death_rate.number() / 365.25)
        self.adjust_daily = np.full(D, sc.legalization.usc_adjustment_rate.number() / 365.25)
        self.sd_daily = {s: inp.sd_multiplier * getattr(sc.self_departure, f).number() / 365.25
                         for s, f in SD_HAZARD_FIELD.items()}
        self.running = {"death": np.concatenate([[0.0], np.cumsum(self.death_daily)]),
                        "adjustment": np.concatenate([[0.0], np.cumsum(self.adjust_daily)])}
        for s, r in self.sd_daily.items():
            self.running[("sd", s)] = np.concatenate([[0.0], np.cumsum(r)])
        c = sc.court
        self.first_hearing = int(c.detained_first_hearing_days.number())
        self.nd_min = int(c.nondetained_min_days.number())
        self.appeal_min = int(sc.appeals.min_days.number())
        self.custody_limit = int(sc.detention.custody_limit_days.number())
        self.doc_early_share = sc.travel_documents.request_before_order_share.number()
        self.grant_factor_detained = c.grant_factor_detained.number()
        # the engine draws at most this many people a day in one stage (its scratch room)
        self.atd_draw_limit = int(max(inp.arrest_capacity.max(initial=0), inp.referrals.max(initial=0),
                                      inp.atd_capacity.max(initial=0)))
        self.er_window = sc.expedited_removal.recent_window_days.number()

    # -- tallies ------------------------------------------------------------------------------
    def flow(self, f: Flow, p: Person) -> None:
        self.flows[self.day, f, p.group] += 1

    def cost(self, c: Cost, p: Person, amount: float) -> None:
        self.costs[self.day, c, p.group] += amount

    def wait(self, w: Wait, p: Person, since) -> None:
        if since is not NO_DAY:
            self.wait_rows[w].append((self.day, p.group, self.day - since))

    def in_custody(self) -> int:
        return int(sum(self.counts[s].sum() for s in CUSTODY_LIST))

    def free_beds(self) -> int:
        return max(0, int(self.inp.beds[self.day]) - self.in_custody())

    # -- state changes ------------------------------------------------------------------------
    def place(self, p: Person, state: State, flow: Flow | None = None, join_day: int | None = None,
              stock: bool = False) -> None:
        """A new person's first state; starts their process. `stock`: one of the people there at the start.

        The starting stock is not admitted by the model: at a small scale its rounded
        number in custody can exceed the rounded beds, so the bed check skips it.
        """
        p.join_day = join_day
        p.doc_under_way = stock  # a starting detainee's document request is already under way
        self._set(p, state, flow, admitted=not stock)
        self.env.process(self.life(p))

    def move(self, p: Person, state: State, flow: Flow | None = None) -> None:
        """Change a person's state now; their process then enters the new state."""
        old = p.state
        self.counts[old, p.group] -= 1
        if p.pool is not None:
            self.pools[p.pool].remove(p)
            p.pool = None
        if p.atd:
            p.atd = False
            self.atd_count[p.group] -= 1
        if old == State.FINAL_ORDER and p.stranded:
            self.stranded_count[p.group] -= 1
        if old in (State.FINAL_ORDER, State.NO_CASE):
            p.reopenable = False  # leaving the state ends the wait to be reopened
        p.epoch += 1
        p.join_day = None
        self._set(p, state, flow, admitted=old not in IN_CUSTODY)
        if p.wake is not None and not p.wake.triggered:
            p.wake.succeed()

    def _set(self, p: Person, state: State, flow: Flow | None, admitted: bool) -> None:
        """Give `p` the state; `admitted`: a move into custody from outside it, which needs a free bed."""
        self.events += 1
        p.state = state
        self.counts[state, p.group] += 1
        if state == State.FINAL_ORDER and p.stranded:
            self.stranded_count[p.group] += 1
        if flow is not None:
            self.flow(flow, p)
        if admitted and state in IN_CUSTODY and self.in_custody() > self.inp.beds[self.day]:
            raise AssertionError(f"day {self.day}: admitted to custody above the beds")

    def file_case(self, p: Person, detained: bool) -> None:
        p.filed_day = self.day
        share = (self.sc.court.representation_share_detained.number() if detained
                 else self.inp.gp["representation_share"][p.group])
        p.represented = bool(self.rng.random() < share)
        self.flow(Flow.CASE_FILED, p)

    def enroll_atd(self, people: list[Person]) -> None:
        room = int(self.inp.atd_capacity[self.day]) - int(self.atd_count.sum())
        for p in people:
            if room <= 0:
                break
            if not p.atd:
                p.atd = True
                self.atd_count[p.group] += 1
                self.flow(Flow.ATD_ENROLLED, p)
                room -= 1

    def exit_day(self, key, after: float) -> int | None:
        """Day of an exit whose daily hazards are `running[key]`: invert the running total at an Exp(1) draw."""
        cum = self.running[key]
        target = cum[self.day] + self.rng.standard_exponential()
        j = int(np.searchsorted(cum, target, side="left"))
        j = max(j, self.day + 1)
        return j if j < self.days else None

    # -- a person ------------------------------------------------------------------------------
    def enter(self, p: Person) -> list[tuple[float, str]]:
        """Join the lines of the current state; return this stay's timed exits as (time, kind)."""
        s, d = p.state, self.day
        jd = d if p.join_day is None else p.join_day
        p.join_day = None
        under_way, p.doc_under_way = p.doc_under_way, False  # only the first state of the starting stock
        timed: list[tuple[float, str]] = []

        def at(day, slot, kind):
            if day is not None and day < self.days:
                timed.append((day + slot, kind))

        at(self.exit_day("death", d), SLOT_DEATH, "death")
        if s in ARRESTABLE:
            cls = 0 if p.criminal else POOL_CLASS[s]
            p.pool = p.group * POOLS_PER_GROUP + cls * 2 + int(p.noncoop)
            self.pools[p.pool].add(p)
        if s in SD_HAZARD_FIELD:
            at(self.exit_day(("sd", s), d), SLOT_SELF_DEPARTURE, "self_departure")
        if s in ADJUSTABLE and p.usc_family:
            at(self.exit_day("adjustment", d), SLOT_ADJUSTMENT, "adjustment")
        if s == State.CASE_PENDING:
            self.court_at_large.join(p, jd + self.nd_min)
        elif s == State.DETAINED_PENDING:
            self.court_detained.join(p, jd + self.first_hearing)
        elif s == State.APPEAL_DETAINED:
            self.appeal_detained.join(p, jd + self.appeal_min)
        elif s == State.APPEAL_AT_LARGE:
            self.appeal_at_large.join(p, jd + self.appeal_min)
        elif s == State.PROTECTED:
            end = int(self.inp.protection_end[p.group])
            if end < self.days:
                at(max(end, d + 1), SLOT_PROTECTION_END, "protection_end")
        elif s == State.DETAINED_FINAL:
            p.stranded = False
            med = self.inp.gp["doc_lag_median_days"][p.group]
            sig = self.inp.gp["doc_lag_sigma"][p.group]
            lag = int(np.rint(med * np.exp(sig * self.rng.standard_normal())))
            if under_way:  # the starting stock: a uniform part of the lag is left
                answer = max(int(np.rint(self.rng.random() * lag)), d + 1)
            else:
                before = jd - p.arrest_day if p.arrest_day is not None else 0  # custody before the order
                start = jd - int(np.rint(self.doc_early_share * max(before, 0)))  # verification began in custody
                answer = max(start + max(lag, 1), d + 1)
            at(answer, SLOT_DOC_ANSWER, "doc_answer")
            if self.perturb != "no_custody_limit":
                at(max(jd + self.custody_limit, d + 1), SLOT_CUSTODY_LIMIT, "custody_limit")
            self.flow(Flow.DOC_REQUESTED, p)
        elif s in (State.FINAL_ORDER, State.NO_CASE) and p.reopenable:
            self.reopenable_line.append((p, p.epoch))  # oldest first; a stale entry is skipped when served
        elif s == State.AWAITING_TRANSPORT:
            self.transport_lines[self.inp.group_region[p.group]].append((p, p.epoch))
            limit = jd + self.custody_limit  # a seat must be found within the limit, counted from the document
            if self.perturb != "no_custody_limit" and limit < self.days:
                at(limit, SLOT_CUSTODY_LIMIT, "custody_limit")
        return timed

    def life(self, p: Person):
        """The person's process: enter a state, wait to be moved or for a timed exit, repeat until terminal."""
        env = self.env
        while p.state not in TERMINAL:
            timed = self.enter(p)
            epoch = p.epoch
            while p.epoch == epoch:
                p.wake = env.event()
                if timed:
                    when, kind = min(timed)
                    yield p.wake | env.timeout(when - env.now)
                else:
                    yield p.wake
                if p.epoch != epoch:
                    break  # a stage moved this person
                timed.remove((when, kind))
                self.timed_exit(p, kind)
        p.wake = None

    def timed_exit(self, p: Person, kind: str) -> None:
        if kind == "death":
            self.move(p, State.DIED, Flow.DEATH)
        elif kind == "self_departure":
            self.cost(Cost.STIPENDS, p, float(self.inp.stipend_cost[self.day]))
            self.move(p, State.DEPARTED, Flow.SELF_DEPARTURE)
        elif kind == "adjustment":
            self.move(p, State.LEGALIZED, Flow.ADJUSTMENT)
        elif kind == "protection_end":
            self.flow(Flow.PROTECTION_ENDED, p)
            self.move(p, State.CASE_PENDING if p.filed_day is not NO_DAY else State.NO_CASE)
        elif kind == "doc_answer":
            if self.rng.random() < self.inp.doc_refusal[p.group, self.day]:
                self.release_stranded(p, Flow.DOC_REFUSED)
            else:
                self.doc_lines[p.group].append((p, p.epoch))
        elif kind == "custody_limit" and p.state == State.AWAITING_TRANSPORT:
            self.move(p, State.FINAL_ORDER, Flow.CUSTODY_LIMIT_RELEASE)  # with a document: can be executed
        elif kind == "custody_limit":
            self.release_stranded(p, Flow.CUSTODY_LIMIT_RELEASE)

    def release_stranded(self, p: Person, flow: Flow) -> None:
        p.stranded = True
        self.move(p, State.FINAL_ORDER, flow)

    # -- the clock -----------------------------------------------------------------------------
    def daily(self, slot: float, step):
        """A stage process: run `step` at `slot` of every day."""
        env = self.env
        for d in range(self.days):
            yield env.timeout(d + slot - env.now)
            self.day = d
            step(d)

    def clock(self):
        """Keep `self.day` right for the person processes' timed exits."""
        for d in range(self.days):
            yield self.env.timeout(d - self.env.now)
            self.day = d

    # -- stages --------------------------------------------------------------------------------
    def new_person(self, group: int, entry_day: int) -> Person:
        p = Person(len(self.people), group, entry_day)
        self.people.append(p)
        gp, u = self.inp.gp, self.rng.random(3)
        p.criminal = bool(u[0] < gp["criminal_record_share"][group])
        p.usc_family = bool(u[1] < gp["usc_family_share"][group])
        p.noncoop = bool(u[2] < gp["noncooperating_share"][group])
        return p

    def expedited_removal(self, people: list[Person], new: bool) -> list[Person]:
        free = self.free_beds()
        held, unheld = people[:free], people[free:]
        er = self.sc.expedited_removal
        for p in held:
            fear = (self.rng.random() < er.fear_claim_share.number()) and (
                self.rng.random() < er.fear_pass_share.number())
            self.flow(Flow.DETAINED, p)
            if fear:
                self.flow(Flow.CREDIBLE_FEAR_PASSED, p)
                self.file_case(p, detained=True)
                (self.place if new else self.move)(p, State.DETAINED_PENDING)
            else:
                p.via_er = p.unrep_order = True
                self.flow(Flow.EXPEDITED_REMOVAL_ORDER, p)
                (self.place if new else self.move)(p, State.DETAINED_FINAL)
        return unheld

    def inflows(self, d: int) -> None:
        inp = self.inp
        border, evaded, overstay = [], [], []
        for g in range(self.G):
            for ch, out in enumerate((border, evaded, overstay)):
                for _ in range(int(inp.arrivals[g, ch, d])):
                    out.append(self.new_person(g, d))
        er, released = [], []
        free = self.free_beds()
        for p in border:  # one draw: expedited removal, return, removal from CBP custody, detained docket, release
            self.flow(Flow.BORDER_APPREHENSION, p)
            p.arrest_day = d
            u = self.rng.random()
            first, returned = inp.er_arrival_share[d], inp.er_arrival_share[d] + inp.voluntary_return_share[d]
            from_cbp = returned + inp.cbp_custody_removal_share[d]
            if u < first and free > 0:
                free -= 1
                p.border_custody = True
                er.append(p)
            elif first <= u < returned:
                self.place(p, State.DEPARTED, Flow.VOLUNTARY_RETURN)
            elif returned <= u < from_cbp and free > 0:  # held until transport: a bed
                free -= 1
                p.border_custody = True
                if inp.region_is_air[inp.group_region[p.group]]:  # flown home: ICE custody for expedited removal
                    er.append(p)
                else:  # removed by land from CBP custody: no book-in, no document
                    p.via_er = p.unrep_order = True
                    self.flow(Flow.EXPEDITED_REMOVAL_ORDER, p)
                    self.place(p, State.AWAITING_TRANSPORT)
            elif from_cbp <= u < from_cbp + inp.detained_nta_share[d] and free > 0:
                free -= 1
                p.border_custody = True
                self.flow(Flow.DETAINED, p)
                self.file_case(p, detained=True)
                self.place(p, State.DETAINED_PENDING)
            else:
                released.append(p)
        released = sorted(released + self.expedited_removal(er, new=True), key=lambda p: p.pid)
        noticed = []
        for p in released:
            if self.rng.random() < inp.arrivals_protected[p.group, d]:
                self.place(p, State.PROTECTED, Flow.ARRIVAL_PAROLED)
            else:
                self.file_case(p, detained=False)
                self.place(p, State.CASE_PENDING, Flow.ARRIVAL_BORDER_RELEASE)
                noticed.append(p)
        self.enroll_atd(noticed)
        for p in evaded:
            self.place(p, State.NO_CASE, Flow.ARRIVAL_EVADED)
        for p in overstay:
            self.place(p, State.NO_CASE, Flow.ARRIVAL_OVERSTAY)

    def arrests(self, d: int) -> None:
        inp = self.inp
        weights = []
        for g in range(len(inp.groups)):
            for cls in range(4):
                w = float(inp.arrest_weights[cls, d]) * float(inp.gp["arrest_factor"][g])
                weights += [w, w * float(inp.noncoop_factor[d])]
        take = split_capacity(int(inp.arrest_capacity[d]), weights, [len(pool) for pool in self.pools],
                              self.rng.random())
        arrested: list[Person] = []
        for pool, k in zip(self.pools, take):
            if k:
                arrested += pool.sample(k, self.rng)
        cost = self.sc.arrests.cost_per_arrest.number()
        for p in arrested:
            p.arrest_day = d
            p.border_custody = False
            self.flow(Flow.ARREST, p)
            self.cost(Cost.ARREST, p, cost)
        self.arrested_today = arrested

    def class_pools(self, cls: int) -> list:
        """The pools of one priority class, every group and jurisdiction, in pool order."""
        return [pool for k, pool in enumerate(self.pools) if (k % POOLS_PER_GROUP) // 2 == cls]

    def referrals(self, d: int) -> None:
        """Cases filed without an arrest: random people at large with no case and no record."""
        k = int(self.inp.referrals[d])
        if k == 0:
            return
        no_case_pools = self.class_pools(POOL_CLASS[State.NO_CASE])  # no case, no record; every group
        take = split_capacity(k, [1.0] * len(no_case_pools), [len(pool) for pool in no_case_pools], self.rng.random())
        chosen: list[Person] = []
        for pool, n in zip(no_case_pools, take):
            if n:
                chosen += pool.sample(n, self.rng)
        for p in chosen:
            self.file_case(p, detained=False)
            self.move(p, State.CASE_PENDING)

    def reopenings(self, d: int) -> None:
        """Closed cases and in-absentia orders back onto the non-detained docket, oldest first."""
        k = int(self.inp.reopened[d])
        while k > 0 and self.reopenable_line:
            p, ep = self.reopenable_line.popleft()
            if p.epoch != ep:
                continue  # left the state since it joined
            k -= 1
            p.in_absentia = p.unrep_order = p.reopenable = False
            p.filed_day = d
            self.flow(Flow.CASE_REOPENED, p)
            self.move(p, State.CASE_PENDING)

    def atd(self, d: int) -> None:
        """Places left in ATD offered to random people with a pending case and no record (enrolled ones skipped)."""
        room = min(int(self.inp.atd_capacity[d]) - int(self.atd_count.sum()), self.atd_draw_limit)
        if room <= 0:
            return
        pending = self.class_pools(POOL_CLASS[State.CASE_PENDING])
        take = split_capacity(room, [1.0] * len(pending), [len(pool) for pool in pending], self.rng.random())
        chosen: list[Person] = []
        for pool, n in zip(pending, take):
            if n:
                chosen += pool.sample(n, self.rng)
        self.enroll_atd([p for p in chosen if not p.atd])

    def custody(self, d: int) -> None:
        arrested, self.arrested_today = self.arrested_today, []
        if not arrested:
            return
        rank = lambda p: 0 if p.state == State.FINAL_ORDER else (1 if p.criminal else 2)  # noqa: E731
        arrested = sorted(arrested, key=rank)
        free = self.free_beds()
        held, released = arrested[:free], arrested[free:]
        er_share = self.inp.er_recent_share[d]
        release_share = float(self.inp.release_share[d])
        er_held, let_go = [], []
        for p in held:
            recent = p.state == State.NO_CASE and d - p.entry_day <= self.er_window
            if recent and self.rng.random() < er_share:
                er_held.append(p)
                continue
            if p.state != State.FINAL_ORDER and release_share > 0 and self.rng.random() < release_share:
                self.flow(Flow.RELEASED_DISCRETION, p)  # released at ICE's discretion, not for want of a bed
                let_go.append(p)
                continue
            self.flow(Flow.DETAINED, p)
            if p.state == State.FINAL_ORDER:
                self.move(p, State.DETAINED_FINAL)
            elif p.state == State.CASE_PENDING:
                self.move(p, State.DETAINED_PENDING)
            else:
                self.file_case(p, detained=True)
                self.move(p, State.DETAINED_PENDING)
        self.expedited_removal(er_held, new=False)
        for p in released:
            self.flow(Flow.RELEASED_NO_BED, p)
        for p in let_go + released:
            if p.state == State.NO_CASE:
                self.file_case(p, detained=False)
                self.move(p, State.CASE_PENDING)
        self.enroll_atd([p for p in let_go + released if p.state == State.CASE_PENDING])

    def court(self, d: int) -> None:
        cap = int(self.inp.court_capacity[d])
        if self.perturb == "nondetained_first":
            at_large = self.court_at_large.serve(cap, d)
            for p in at_large:
                self.decide(p, False)
            self.detained_hearings(cap - len(at_large), d)
        else:
            left = self.detained_hearings(cap, d)
            for p in self.court_at_large.serve(left, d):
                self.decide(p, False)

    def detained_hearings(self, cap: int, d: int) -> int:
        """Merits hearings, then first hearings (a contested case is set for a merits hearing and takes no
        judge time today), up to `cap` decisions; returns the decisions left for the docket at large."""
        for p in self.court_merits.serve(cap, d):
            self.decide(p, True)
            cap -= 1
        delay = max(int(self.inp.merits_days[d]) - self.first_hearing, 1)
        while cap > 0:
            first = self.court_detained.serve(1, d)
            if not first:
                break
            p = first[0]
            if self.rng.random() < self.inp.contested[d]:
                self.court_merits.join(p, d + delay)
            else:
                self.decide(p, True, contested=False)
                cap -= 1
        return cap

    def decide(self, p: Person, detained: bool, contested: bool = True) -> None:
        """A completion: `contested` is False only for a detained case decided at its first hearing."""
        sc, d, c = self.sc, self.day, self.sc.court
        self.flow(Flow.COURT_COMPLETION, p)
        self.cost(Cost.COURT, p, c.cost_per_completion.number())
        self.wait(Wait.FILING_TO_DECISION, p, p.filed_day)
        if not detained:
            chance = self.inp.in_absentia[d]
            if p.represented:
                chance *= c.in_absentia_factor_represented.number()
            if p.atd:
                chance *= sc.atd.in_absentia_factor.number()
            if self.rng.random() < chance:
                p.in_absentia = p.reopenable = True
                p.unrep_order = not p.represented
                self.move(p, State.FINAL_ORDER, Flow.IN_ABSENTIA_ORDER)
                return
        gp = self.inp.gp
        grant = gp["grant_rate_represented" if p.represented else "grant_rate_unrepresented"][p.group]
        if not contested:  # a detained respondent who does not contest asks for no relief
            grant = 0.0
        elif detained:
            grant *= self.grant_factor_detained
        u = self.rng.random()
        if u < grant:
            self.move(p, State.LEGALIZED, Flow.RELIEF_GRANTED)
            return
        rest = (u - grant) / max(1 - grant, 1e-12)
        vd = c.voluntary_departure_share.number()
        if rest < vd:
            self.flow(Flow.VOLUNTARY_DEPARTURE, p)
            if detained:
                self.move(p, State.DETAINED_FINAL)
            elif self.rng.random() < c.voluntary_departure_compliance.number():
                self.move(p, State.DEPARTED, Flow.VD_DEPARTED)
            else:
                self.move(p, State.FINAL_ORDER)
        elif contested and rest < vd + (self.inp.closure_detained[d] if detained else self.inp.closure[d]):
            p.reopenable = True  # a closed case may be recalendared
            self.move(p, State.NO_CASE, Flow.CASE_CLOSED)
        else:
            self.flow(Flow.REMOVAL_ORDER, p)
            p.unrep_order = not p.represented
            a = sc.appeals
            share = (a.appeal_share_represented if p.represented else a.appeal_share_unrepresented).number()
            if contested and self.rng.random() < share:
                self.move(p, State.APPEAL_DETAINED if detained else State.APPEAL_AT_LARGE, Flow.APPEAL_FILED)
            else:
                self.move(p, State.DETAINED_FINAL if detained else State.FINAL_ORDER)

    def appeals(self, d: int) -> None:
        cap = int(self.inp.appeal_capacity[d])
        detained = self.appeal_detained.serve(cap, d)
        at_large = self.appeal_at_large.serve(cap - len(detained), d)
        a = self.sc.appeals
        for people, final in ((detained, State.DETAINED_FINAL), (at_large, State.FINAL_ORDER)):
            for p in people:
                self.cost(Cost.APPEALS, p, a.cost_per_appeal.number())
                if self.rng.random() < a.reversal_share.number():
                    self.move(p, State.LEGALIZED, Flow.APPEAL_REVERSED)
                else:
                    self.move(p, final, Flow.APPEAL_DISMISSED)

    def documents(self, d: int) -> None:
        cost = self.sc.travel_documents.cost_per_document.number()
        for g in range(self.G):
            cap, line = int(self.inp.doc_capacity[g, d]), self.doc_lines[g]
            while cap > 0 and line:
                p, ep = line.popleft()
                if p.epoch != ep:
                    continue
                cap -= 1
                self.cost(Cost.TRAVEL_DOCUMENTS, p, cost)
                self.move(p, State.AWAITING_TRANSPORT, Flow.DOC_ISSUED)

    def transport(self, d: int) -> None:
        inp = self.inp
        waiting_by_group = self.counts[State.AWAITING_TRANSPORT]
        for r, line in enumerate(self.transport_lines):
            waiting = int(waiting_by_group[inp.group_region == r].sum())
            if waiting == 0:
                continue
            if not inp.region_is_air[r]:
                for p in self._board(line, int(inp.land_capacity[r, d])):
                    self.cost(Cost.TRANSPORT, p, float(inp.land_cost[r]))
                    self.remove(p, Flow.REMOVED_LAND)
                continue
            # Flights keep their schedule at every scale and carry `scale` of their seats (and cost);
            # part-seats add up from one flight to the next.
            scheduled, seats, min_load = int(inp.flights[r, d]), float(inp.seats[r]), float(inp.min_load[r])
            then = d - int(inp.response_days[r])  # extra charters carry full loads of those waiting back then
            if inp.extra_flights[r, d] > 0 and then >= 0:
                waited = int(self.stocks[then, State.AWAITING_TRANSPORT][inp.group_region == r].sum())
                scheduled += min(int(inp.extra_flights[r, d]), int(waited // seats))
            if scheduled == 0 or waiting < min_load:
                continue
            flown = int(min(scheduled, (waiting - min_load) // seats + 1))
            if flown <= 0:
                continue
            self.flown[d, r] += flown
            room = self.seat_carry[r] + flown * seats
            whole = int(room + 1e-9)
            self.seat_carry[r] = room - whole
            board = self._board(line, min(waiting, whole))
            if board:
                on_board = np.bincount([p.group for p in board], minlength=self.G)
                self.costs[d, Cost.TRANSPORT] += flown * inp.flight_cost[r] * on_board / len(board)
            for p in board:
                self.remove(p, Flow.REMOVED_AIR)

    @staticmethod
    def _board(line: deque, k: int) -> list[Person]:
        out = []
        while k > 0 and line:
            p, ep = line.popleft()
            if p.epoch == ep:
                out.append(p)
                k -= 1
        return out

    def remove(self, p: Person, flow: Flow) -> None:
        self.wait(Wait.ARREST_TO_REMOVAL, p, p.arrest_day)
        for flag, f in ((p.in_absentia, Flow.REMOVED_IN_ABSENTIA), (p.unrep_order, Flow.REMOVED_UNREPRESENTED),
                        (p.via_er, Flow.REMOVED_VIA_ER), (p.usc_family, Flow.REMOVED_WITH_USC_FAMILY),
                        (p.border_custody, Flow.REMOVED_BORDER)):
            if flag:
                self.flow(f, p)
        self.flow(flow, p)
        self.move(p, State.REMOVED, Flow.REMOVED)

    def accounting(self, d: int) -> None:
        custody = sum(self.counts[s] for s in CUSTODY_LIST)
        self.costs[d, Cost.DETENTION] += custody * self.sc.detention.bed_day_cost.number()
        self.costs[d, Cost.ATD] += self.atd_count * self.sc.atd.day_cost.number()
        self.stocks[d] = self.counts
        self.extra_stocks[d, 0] = self.stranded_count
        self.extra_stocks[d, 1] = self.atd_count

    # -- the starting population ---------------------------------------------------------------
    def initial_counts(self) -> dict[str, np.ndarray]:
        """Starting counts per group: shared with the engine, like the input compiler (scaling, not rules)."""
        return initial_counts(self.sc, self.inp)

    def populate(self) -> None:
        sc, inp, rng = self.sc, self.inp, self.rng
        counts = self.initial_counts()
        slots = ("det_final", "det_pending", "pending", "final", "protected", "no_case")
        age = sc.population.initial_backlog_age_days.number()
        window = sc.population.recent_entrant_window_days.number()
        by_slot: dict[str, list[tuple[int, Person]]] = {k: [] for k in slots}
        pending_by_group: list[list[Person]] = [[] for _ in range(self.G)]
        for g in range(self.G):
            members = []
            for k in slots:
                for _ in range(int(counts[k][g])):
                    members.append((k, self.new_person(g, 0)))
            own = getattr(sc.groups[inp.groups[g]], "recent_entrant_share", None)
            want = round((own or sc.population.recent_entrant_share).number() * len(members))
            candidates = ([p for k, p in members if k == "pending"] + [p for k, p in members if k == "no_case"])
            recent = {p.pid for p in candidates[:want]}
            for k, p in members:
                u = rng.random()
                if p.pid in recent:
                    p.entry_day = -int(np.ceil(u * window))
                    filed = p.entry_day + 1
                else:
                    p.entry_day = -(window + int(np.ceil(u * (7300 - window))))
                    filed = -int(np.ceil(rng.random() * 2 * age))
                filed = min(max(filed, p.entry_day), -1)
                has_case = k in ("det_final", "det_pending", "pending", "final")
                if has_case:
                    p.filed_day = filed
                    p.represented = bool(rng.random() < inp.gp["representation_share"][g])
                if k == "final":
                    p.stranded = bool(rng.random() < inp.gp["unexecutable_share"][g])
                    p.in_absentia = p.reopenable = bool(rng.random() < sc.population.initial_in_absentia_share.number())
                join = None
                if k in ("det_final", "det_pending"):
                    join = -int(np.ceil(rng.random() * sc.population.initial_custody_age_days.number()))
                    p.arrest_day = join
                elif k == "pending":
                    join = filed
                    pending_by_group[g].append(p)
                by_slot[k].append((join, p))
        states = {"det_final": State.DETAINED_FINAL, "det_pending": State.DETAINED_PENDING,
                  "pending": State.CASE_PENDING, "final": State.FINAL_ORDER, "protected": State.PROTECTED,
                  "no_case": State.NO_CASE}
        for k in slots:
            rows = by_slot[k]
            if k in ("det_final", "det_pending", "pending"):
                rows = sorted(rows, key=lambda jp: jp[0])  # lines in order of joining (stable)
            for join, p in rows:
                self.place(p, states[k], join_day=join, stock=True)
        atd = largest_remainder(round(sc.atd.initial_enrolled.number() * self.scale),
                                counts["pending"].astype(float))
        for g in range(self.G):
            self.enroll_atd(pending_by_group[g][: atd[g]])
        self.flows[0, Flow.ATD_ENROLLED] = 0  # the initial enrollment is a stock, not a flow

    # -- a run ---------------------------------------------------------------------------------
    def run(self, freq: str = "MS") -> Result:
        self.execute()
        return self.result(freq)

    def execute(self) -> "ReferenceModel":
        """Simulate the horizon (without building the tables)."""
        env = self.env
        self.populate()
        env.process(self.clock())
        for slot, step in ((SLOT_INFLOWS, self.inflows), (SLOT_ARRESTS, self.arrests),
                           (SLOT_CUSTODY, self.custody), (SLOT_REFERRALS, self.referrals),
                           (SLOT_REOPENINGS, self.reopenings), (SLOT_ATD, self.atd), (SLOT_COURT, self.court),
                           (SLOT_APPEALS, self.appeals), (SLOT_DOC_ISSUE, self.documents),
                           (SLOT_TRANSPORT, self.transport), (SLOT_ACCOUNTING, self.accounting)):
            env.process(self.daily(slot, step))
        env.run(until=self.days)
        return self

    def result(self, freq: str = "MS") -> Result:
        waits, block = {}, []  # per kind (as World.waits) and the whole log as one block (World.wait_blocks)
        for w, rows in self.wait_rows.items():
            arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
            cols = {"day": arr[:, 0].astype(np.int32), "group": arr[:, 1].astype(np.int16),
                    "wait": arr[:, 2].astype(np.int32)}
            waits[w] = SimpleNamespace(n=len(arr), col=cols.__getitem__)
            block.append((np.full(len(arr), int(w), np.int8), cols["day"], cols["group"], cols["wait"]))
        log = [tuple(np.concatenate(c) for c in zip(*block))] if block else []
        world = SimpleNamespace(sc=self.sc, days=self.days, inp=self.inp, stocks=self.stocks,
                                extra_stocks=self.extra_stocks, flows=self.flows, costs=self.costs, waits=waits,
                                wait_blocks=lambda: log,
                                flown=self.flown, checkpoints={}, checkpoint_days={})  # no checkpoints kept
        meta = {"scenario": self.sc.name, "seed": int(self.seed), "scale": float(self.scale),
                "years": float(self.years), "version": "reference", "implementation": "simpy-reference"}
        if self.perturb:
            meta["perturb"] = self.perturb
        return Result.from_world(world, meta, freq)


def mmc_mean_wait(lam: float, mu: float, c: int, customers: int = 10_000, seed: int = 0,
                  warmup: int = 1_000) -> float:
    """A generic capacity-limited stage in SimPy: Poisson arrivals, c servers, exponential service (M/M/c).

    Returns the mean wait in line of customers after the first `warmup`; the Erlang C
    formula gives its exact expectation (tests/test_oracles.py).
    """
    import simpy

    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    servers = simpy.Resource(env, capacity=c)
    waits: list[float] = []

    def customer(env):
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(1 / mu))

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.exponential(1 / lam))
            env.process(customer(env))

    env.process(source(env))
    env.run()
    return float(np.mean(waits[warmup:]))
