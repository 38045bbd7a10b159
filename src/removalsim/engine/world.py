"""The simulation's state, laid out for compiled code, and the Python face the rest of the package reads.

`World` owns every array of a run: the people (struct of arrays), the tallies
(stocks, flows, costs by day and group), the lines and calendars (linked lists
over person ids, `links`), the arrest pools (`pools`) and the log of waiting
times. The compiled stages see them through `Sim` (the state they change),
`Params` (the scenario compiled to daily arrays, `Inputs`) and the random-stream
keys, passed by reference as `bundles`. Nothing in them is ever replaced during a
run, only written into.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from . import links
from .inputs import Inputs
from .people import ATTRIBUTES, People
from .pools import N_POOLS, new_pools, room_needed
from .rng import Streams
from ..vocabulary import EXTRA_STOCKS, N_COSTS, N_FLOWS, N_STATES, State, Wait

# The self-departure hazard (a parameter of `self_departure`) of each at-large state; an appeal counts as pending.
SELF_DEPARTURE_HAZARD = {State.NO_CASE: "hazard_no_case", State.CASE_PENDING: "hazard_case_pending",
                         State.APPEAL_AT_LARGE: "hazard_case_pending", State.FINAL_ORDER: "hazard_final_order",
                         State.PROTECTED: "hazard_protected"}
AT_LARGE_HAZARDS = tuple(dict.fromkeys(SELF_DEPARTURE_HAZARD.values()))  # the rows of sd_cum

# Lines (one line node per person): the four court and appeal dockets, then one travel-document line per
# group, one transport line per region, and one list per day for the countries' answers (a calendar).
LINE_COURT_AT_LARGE, LINE_COURT_DETAINED, LINE_APPEAL_DETAINED, LINE_APPEAL_AT_LARGE = 0, 1, 2, 3
FIRST_DOC_LINE = 4

# Tally slots (one int64 array): people arrived so far, state changes, wait records, stays logged,
# whether stays are logged, people served from each docket, people drawn for today's arrests.
N_PEOPLE, EVENTS, N_WAITS, N_STAYS, LOG_STAYS, STAYS_FULL, N_ARRESTED = 0, 1, 2, 3, 4, 5, 6
SERVED = 8  # + docket number (LINE_*)
N_TALLY = SERVED + 4

# Named random streams; compiled code indexes the key array with these positions.
STREAMS = ("death", "self_departure", "adjustment", "er.arrival", "er.fear_claim", "er.fear_pass", "er.recent",
           "arrival.parole", "court.counsel", "court.absent", "court.outcome", "court.vd_comply", "court.appeal",
           "appeal.outcome", "doc.refusal", "doc.lag#1", "doc.lag#2", "arrests", "referrals")
(ST_DEATH, ST_SELF_DEPARTURE, ST_ADJUSTMENT, ST_ER_ARRIVAL, ST_ER_FEAR_CLAIM, ST_ER_FEAR_PASS, ST_ER_RECENT,
 ST_PAROLE, ST_COUNSEL, ST_ABSENT, ST_OUTCOME, ST_VD_COMPLY, ST_APPEAL, ST_APPEAL_OUTCOME, ST_DOC_REFUSAL,
 ST_DOC_LAG_1, ST_DOC_LAG_2, ST_ARRESTS, ST_REFERRALS) = range(len(STREAMS))



SIM_FIELDS = tuple(list(ATTRIBUTES) + [
    "counts", "stocks", "flows", "costs", "extra_stocks", "atd_counts", "stranded_counts",
    "line", "exits", "custody", "pools", "scratch", "order", "flag", "seat_fraction",
    "tally", "wait_kind", "wait_day", "wait_group", "wait_len", "stay_state", "stay_from", "stay_to"])

PARAM_FIELDS = (
    "arrivals", "arrest_capacity", "arrest_weights", "noncoop_factor", "beds", "atd_capacity",
    "court_capacity", "referrals", "absent_share", "closure", "appeal_capacity", "er_arrival_share",
    "er_recent_share", "stipend_cost", "doc_capacity", "doc_refusal", "arrivals_protected",
    "representation_share", "grant_rate_unrepresented", "grant_rate_represented", "doc_lag_median_days",
    "doc_lag_sigma", "protection_end", "group_region", "region_is_air", "land_capacity", "flights", "seats",
    "min_load", "flight_cost", "land_cost", "death_cum", "adjust_cum", "sd_cum", "death_unseen", "adjust_unseen",
    "sd_unseen",
    "court_detained_min", "court_at_large_min", "appeal_min", "custody_limit", "er_recent_window",
    "rep_share_detained", "absent_factor_represented", "absent_factor_atd", "vd_share", "vd_compliance",
    "appeal_share_represented", "appeal_share_unrepresented", "reversal_share", "fear_claim_share",
    "fear_pass_share", "cost_arrest", "cost_completion", "cost_appeal", "cost_document", "bed_day_cost",
    "atd_day_cost")

Sim = namedtuple("Sim", SIM_FIELDS)
Params = namedtuple("Params", PARAM_FIELDS)



def compile_params(inp: Inputs) -> Params:
    """The scenario's numbers in the form the compiled stages read (fixed dtypes, so one compilation)."""
    sc, D = inp.scenario, inp.days
    f = lambda p: float(p.number())  # noqa: E731
    i64 = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    f64 = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    steady = lambda rate: np.arange(D + 1) * (rate / 365.25)  # noqa: E731
    mult = inp.sd_multiplier / 365.25
    sd = sc.self_departure
    sd_cum = np.stack([np.concatenate([[0.0], np.cumsum(mult * getattr(sd, h).number())]) for h in AT_LARGE_HAZARDS])
    death_cum, adjust_cum = steady(f(sc.mortality.death_rate)), steady(f(sc.legalization.usc_adjustment_rate))
    c, a, e = sc.court, sc.appeals, sc.expedited_removal
    return Params(
        i64(inp.arrivals), i64(inp.arrest_capacity), f64(inp.arrest_weights), f64(inp.noncoop_factor), i64(inp.beds),
        i64(inp.atd_capacity), i64(inp.court_capacity), i64(inp.referrals), f64(inp.in_absentia), f64(inp.closure),
        i64(inp.appeal_capacity), f64(inp.er_arrival_share), f64(inp.er_recent_share), f64(inp.stipend_cost),
        i64(inp.doc_capacity), f64(inp.doc_refusal), f64(inp.arrivals_protected),
        *(f64(inp.gp[k]) for k in ("representation_share", "grant_rate_unrepresented", "grant_rate_represented",
                                    "doc_lag_median_days", "doc_lag_sigma")),
        i64(inp.protection_end), i64(inp.group_region), np.ascontiguousarray(inp.region_is_air, dtype=np.bool_),
        i64(inp.land_capacity), i64(inp.flights), f64(inp.seats), f64(inp.min_load), f64(inp.flight_cost),
        f64(inp.land_cost), f64(death_cum), f64(adjust_cum), f64(sd_cum), unseen(death_cum), unseen(adjust_cum),
        unseen(sd_cum),
        int(f(c.detained_min_days)), int(f(c.nondetained_min_days)), int(f(a.min_days)),
        int(f(sc.detention.custody_limit_days)), f(e.recent_window_days), f(c.representation_share_detained),
        f(c.in_absentia_factor_represented), f(sc.atd.in_absentia_factor), f(c.voluntary_departure_share),
        f(c.voluntary_departure_compliance), f(a.appeal_share_represented), f(a.appeal_share_unrepresented),
        f(a.reversal_share), f(e.fear_claim_share), f(e.fear_pass_share), f(sc.arrests.cost_per_arrest),
        f(c.cost_per_completion), f(a.cost_per_appeal), f(sc.travel_documents.cost_per_document),
        f(sc.detention.bed_day_cost), f(sc.atd.day_cost))


def unseen(cum: np.ndarray) -> np.ndarray:
    """For each day, the chance that a hazard with running total `cum` has no event before the horizon.

    (cum has horizon + 1 entries; an event on day d needs cum[d] >= the target.)
    """
    return np.ascontiguousarray(np.exp(-(cum[..., -2:-1] - cum[..., :-1])))


class WaitRecords:
    """The waiting times of one kind: columns day (recorded), group and wait (days)."""

    def __init__(self, day: np.ndarray, group: np.ndarray, wait: np.ndarray):
        self._cols = {"day": day, "group": group, "wait": wait}
        self.n = len(day)

    def col(self, name: str) -> np.ndarray:
        return self._cols[name]


class World:
    """All the arrays of one run, and the Python view of them that results and tests read."""

    def __init__(self, inputs: Inputs, seed: int, capacity: int):
        self.inp = inputs
        self.sc = inputs.scenario
        self.G = len(inputs.groups)
        self.days = inputs.days
        self.day = 0
        self.people = People(capacity)
        self.rng = Streams(seed)
        self.keys = np.array([self.rng.key(name) for name in STREAMS], dtype=np.uint64)
        self.params = compile_params(inputs)
        G, D, R = self.G, self.days, len(inputs.regions)
        self.counts = np.zeros((N_STATES, G), dtype=np.int64)
        self.stocks = np.zeros((D, N_STATES, G), dtype=np.int64)
        self.flows = np.zeros((D, N_FLOWS, G), dtype=np.int64)
        self.costs = np.zeros((D, N_COSTS, G), dtype=np.float64)
        self.extra_stocks = np.zeros((D, len(EXTRA_STOCKS), G), dtype=np.int64)
        self.atd_counts = np.zeros(G, dtype=np.int64)
        self.stranded_counts = np.zeros(G, dtype=np.int64)
        self.line = links.new_dlist(capacity, FIRST_DOC_LINE + G + R + D, extra=1)  # + the day one is ready
        self.exits = links.new_dlist(capacity, D, extra=1)  # + the kind of exit
        self.custody = links.new_dlist(capacity, D)
        busiest = int(max(inputs.arrest_capacity.max(initial=0), inputs.referrals.max(initial=0)))
        self.scratch = np.zeros(busiest + 1, dtype=np.int64)
        self.order = np.zeros(busiest + 1, dtype=np.int64)
        self.flag = np.zeros(busiest + 1, dtype=np.bool_)
        self.seat_fraction = np.zeros(R)
        self.tally = np.zeros(N_TALLY, dtype=np.int64)
        self.pools = new_pools(np.zeros(N_POOLS, dtype=np.int64), 0)
        self._waits = (np.zeros(0, np.int8), np.zeros(0, np.int32), np.zeros(0, np.int16), np.zeros(0, np.int32))
        self._stays = (np.zeros(0, np.int8), np.zeros(0, np.int32), np.zeros(0, np.int32))

    # -- set-up ------------------------------------------------------------------------------
    def make_pools(self) -> None:
        """Size the arrest pools once every person's record and jurisdiction are drawn."""
        p = self.people
        self.pools = new_pools(room_needed(p.criminal, p.noncoop), p.capacity)

    def reserve_waits(self, rows: int) -> bool:
        """Make room for `rows` more waiting-time records (kept across the resize); True if the arrays were replaced."""
        n = int(self.tally[N_WAITS])
        if n + rows <= len(self._waits[0]):
            return False
        size = max(n + rows, 2 * len(self._waits[0]), 1024)
        self._waits = tuple(np.concatenate([a[:n], np.zeros(size - n, a.dtype)]) for a in self._waits)
        return True

    def log_stays(self, rows: int) -> None:
        """Record every stay in a state (state, entered, left) in room for `rows` stays (for tests)."""
        self._stays = (np.zeros(rows, np.int8), np.zeros(rows, np.int32), np.zeros(rows, np.int32))
        self.tally[LOG_STAYS] = 1

    def sim(self) -> Sim:
        p = self.people
        return Sim(*(getattr(p, k) for k in ATTRIBUTES), self.counts, self.stocks, self.flows, self.costs,
                   self.extra_stocks, self.atd_counts, self.stranded_counts, self.line, self.exits,
                   self.custody, self.pools, self.scratch, self.order, self.flag,
                   self.seat_fraction, self.tally, *self._waits, *self._stays)

    # -- what a run leaves -------------------------------------------------------------------
    @property
    def events(self) -> int:
        """State changes so far, first placements included."""
        return int(self.tally[EVENTS])

    @property
    def waits(self) -> dict[Wait, WaitRecords]:
        n = int(self.tally[N_WAITS])
        kind, day, group, wait = (a[:n] for a in self._waits)
        return {w: WaitRecords(day[kind == w], group[kind == w], wait[kind == w]) for w in Wait}

    def stays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(state, day entered, day left) of every stay that ended, when `log_stays` was called."""
        if self.tally[STAYS_FULL]:
            raise RuntimeError("the stay log ran out of room; call log_stays with more rows")
        n = int(self.tally[N_STAYS])
        return tuple(a[:n] for a in self._stays)

    def served(self, docket: int) -> int:
        """People served so far from a court or appeal docket (LINE_* number)."""
        return int(self.tally[SERVED + docket])
