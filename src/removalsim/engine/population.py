"""The synthetic population: the stock at the start date, generated from the scenario's published totals,
and every later arrival's group, channel and attributes (ids are handed out in arrival order).

Within each group, people are laid out by state (detained, pending case, final
order, protected, no case); recent entrants fill pending cases first (most came
as border releases with a notice to appear), then the no-case stock. Pending
cases are queued in filing order, oldest first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .starting_counts import initial_counts, largest_remainder  # noqa: F401  (re-exported)
from .states import Flow, State
from .transitions import enroll_atd, place
from .bundles import bundle_of
from .world import N_PEOPLE, World

RECENT_DAYS = 730
OLDEST_ENTRY_DAYS = 7300


def build(w: World) -> None:
    """Create and place the starting population (day 0 is the scenario's start date); draw all arrivals."""
    counts = initial_counts(w.sc, w.inp)
    order = ("det_final", "det_pending", "pending", "final", "protected", "no_case")
    table = np.stack([counts[k] for k in order], axis=1)  # [group, state-slot]
    p, sc, rng = w.people, w.sc, w.rng
    pids = p.add(int(table.sum()))
    G = len(w.inp.groups)
    p.group[pids] = np.repeat(np.arange(G), table.sum(axis=1))
    slot = np.concatenate([np.repeat(np.arange(len(order)), row) for row in table])
    draw_attributes(w, pids)
    u = rng.uniform("init.entry", pids, 0)
    recent = np.zeros(len(pids), dtype=bool)
    for g, gname in enumerate(w.inp.groups):
        own = sc.groups[gname].recent_entrant_share
        recent_share = (own or sc.population.recent_entrant_share).number()
        in_g = np.flatnonzero(p.group[pids] == g)
        want = round(recent_share * len(in_g))
        candidates = np.concatenate([in_g[slot[in_g] == order.index("pending")],
                                     in_g[slot[in_g] == order.index("no_case")]])
        recent[candidates[:want]] = True
    p.entry_day[pids] = np.where(recent, -np.ceil(u * RECENT_DAYS),
                                 -(RECENT_DAYS + np.ceil(u * (OLDEST_ENTRY_DAYS - RECENT_DAYS))))
    age = sc.population.initial_backlog_age_days.number()
    has_case = slot <= order.index("final")
    filed = np.where(recent, p.entry_day[pids] + 1,
                     -np.ceil(rng.uniform("init.filed", pids, 0) * 2 * age))
    filed = np.minimum(np.maximum(filed, p.entry_day[pids]), -1)
    p.filed_day[pids[has_case]] = filed[has_case]
    share_rep = w.inp.gp["representation_share"][p.group[pids]]
    p.represented[pids] = has_case & (rng.uniform("court.counsel", pids, 0) < share_rep)
    unexec = w.inp.gp["unexecutable_share"][p.group[pids]]
    final = slot == order.index("final")
    p.stranded[pids[final]] = rng.uniform("init.stranded", pids[final], 0) < unexec[final]
    custody_since = -np.ceil(rng.uniform("init.detained", pids, 0) * 60).astype(np.int64)
    placing = []
    for name, state, join in (("det_final", State.DETAINED_FINAL, custody_since),
                              ("det_pending", State.DETAINED_PENDING, custody_since),
                              ("pending", State.CASE_PENDING, filed),
                              ("final", State.FINAL_ORDER, None),
                              ("protected", State.PROTECTED, None),
                              ("no_case", State.NO_CASE, None)):
        sel = pids[slot == order.index(name)]
        jd = None if join is None else join[slot == order.index(name)].astype(np.int64)
        if jd is not None:
            by_join = np.argsort(jd, kind="stable")
            sel, jd = sel[by_join], jd[by_join]
            p.arrest_day[sel] = jd if state != State.CASE_PENDING else p.arrest_day[sel]
        placing.append((sel, int(state), np.zeros(len(sel), np.int64) if jd is None else jd))
    arrivals(w, len(pids))
    w.make_pools()
    S = bundle_of(w)
    for sel, state, jd in placing:
        _place_all(S, sel, state, jd)
    atd = largest_remainder(round(sc.atd.initial_enrolled.number() * w.inp.scale),
                            counts["pending"].astype(float))
    for g in range(G):
        in_g = pids[(p.group[pids] == g) & (slot == order.index("pending"))]
        _enroll_all(S, in_g[: atd[g]])
    w.flows[0, Flow.ATD_ENROLLED] = 0  # the initial enrollment is a stock, not a flow
    w.tally[N_PEOPLE] = len(pids)
    p.n = len(pids)


def arrivals(w: World, first: int) -> None:
    """Every arrival over the horizon: ids in order of day, group and channel, then their attributes."""
    per_day = w.inp.arrivals.transpose(2, 0, 1).reshape(-1)  # [day, group, channel] flattened
    G, C, D = w.inp.arrivals.shape
    ids = np.arange(first, first + int(per_day.sum()), dtype=np.int64)
    p = w.people
    p.group[ids] = np.repeat(np.tile(np.repeat(np.arange(G), C), D), per_day)
    p.channel[ids] = np.repeat(np.tile(np.arange(C), G * D), per_day) + 1
    p.entry_day[ids] = np.repeat(np.repeat(np.arange(D), G * C), per_day)
    draw_attributes(w, ids)


def draw_attributes(w: World, pids: np.ndarray) -> None:
    """Person attributes drawn once, from the group's shares."""
    p, gp = w.people, w.inp.gp
    g = p.group[pids]
    p.criminal[pids] = w.rng.uniform("attr.criminal", pids, 0) < gp["criminal_record_share"][g]
    p.usc_family[pids] = w.rng.uniform("attr.usc_family", pids, 0) < gp["usc_family_share"][g]
    p.noncoop[pids] = w.rng.uniform("attr.noncoop", pids, 0) < gp["noncooperating_share"][g]


@njit(cache=True)
def _place_all(S, pids, state, join_days):
    for i in range(len(pids)):
        place(S, pids[i], state, 0, join_days[i], -1)


@njit(cache=True)
def _enroll_all(S, pids):
    for p in pids:
        enroll_atd(S, p, 0)
