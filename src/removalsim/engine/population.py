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

from .counting_sort import stable_order
from .starting_counts import initial_counts, largest_remainder  # noqa: F401  (re-exported)
from ..vocabulary import Flow, State
from .transitions import enroll_atd, fetch_person, place
from .bundles import bundle_of
from .kernels import _unit
from .world import N_PEOPLE, PLACING_STOCK, World

OLDEST_ENTRY_DAYS = 7300
CHUNK = 1 << 20  # people per chunk of the starting stock's element-wise draws


SLOTS = ("det_final", "det_pending", "pending", "final", "protected", "no_case")  # layout within a group
DET_FINAL, DET_PENDING, PENDING, FINAL, PROTECTED, NO_CASE = range(len(SLOTS))
SLOT_STATES = (State.DETAINED_FINAL, State.DETAINED_PENDING, State.CASE_PENDING, State.FINAL_ORDER,
               State.PROTECTED, State.NO_CASE)
SLOT_HAS_CASE = np.isin(SLOTS, ("det_final", "det_pending", "pending", "final"))  # a case was filed
SLOT_HELD = np.isin(SLOTS, ("det_final", "det_pending"))  # in custody at the start
SLOT_IN_LINE = np.isin(SLOTS, ("det_final", "det_pending", "pending"))  # waiting in a line (document or docket)


def build(w: World) -> None:
    """Create and place the starting population (day 0 is the scenario's start date); draw all arrivals.

    The stock takes ids 0..n0-1, group by group and, within a group, slot by slot
    (SLOTS), so every (group, slot) is one run of ids and is handled as a slice.
    """
    counts = initial_counts(w.sc, w.inp)
    table = np.stack([counts[k] for k in SLOTS], axis=1)  # [group, slot]
    first = (np.cumsum(table.ravel()) - table.ravel()).reshape(table.shape)  # first id of each run
    p, sc, rng = w.people, w.sc, w.rng
    if p.n:
        raise RuntimeError("build() places the starting stock into an empty population")
    n0 = int(table.sum())
    p.add(n0)  # ids 0..n0-1
    G = len(w.inp.groups)
    group = p.group[:n0]
    group[:] = np.repeat(np.arange(G, dtype=group.dtype), table.sum(axis=1))
    slot = np.repeat(np.tile(np.arange(len(SLOTS), dtype=np.int8), G), table.ravel())
    draw_attributes(w, 0, n0)
    recent = np.zeros(n0, dtype=bool)
    for g, gname in enumerate(w.inp.groups):
        own = sc.groups[gname].recent_entrant_share
        want = round((own or sc.population.recent_entrant_share).number() * int(table[g].sum()))
        for k in (PENDING, NO_CASE):  # recent entrants fill pending cases first, then the no-case stock
            take = min(want, int(table[g, k]))
            recent[first[g, k]:first[g, k] + take] = True
            want -= take
    gp, key = w.inp.gp, rng.key
    joined = _stock_records(  # the day each person joined their line (placed states only)
        slot, recent, group, SLOT_HAS_CASE, SLOT_HELD, FINAL,
        sc.population.recent_entrant_window_days.number(), float(OLDEST_ENTRY_DAYS),
        sc.population.initial_backlog_age_days.number(), sc.population.initial_custody_age_days.number(),
        sc.population.initial_in_absentia_share.number(),
        gp["representation_share"].astype(np.float64), gp["unexecutable_share"].astype(np.float64),
        np.array([key(name) for name in STOCK_STREAMS], dtype=np.uint64),
        p.entry_day, p.filed_day, p.represented, p.stranded, p.in_absentia, p.reopenable, p.arrest_day)
    del recent, slot
    arrivals(w, n0)
    w.make_pools()
    S = bundle_of(w)
    w.tally[PLACING_STOCK] = 1  # requests for documents already under way (transitions.request_document)
    for k, state in enumerate(SLOT_STATES):  # one state at a time, each made from its runs of ids
        if SLOT_IN_LINE[k]:  # lines are queued in the order people joined them
            sel = np.concatenate([np.arange(first[g, k], first[g, k] + table[g, k]) for g in range(G)])
            sel = sel[stable_order(joined[sel])]
            _place_all(S, sel, int(state), joined[sel].astype(np.int64))
            del sel
        else:  # in id order, run by run
            _place_runs(S, first[:, k].astype(np.int64), table[:, k].astype(np.int64), int(state))
    w.tally[PLACING_STOCK] = 0
    atd = largest_remainder(round(sc.atd.initial_enrolled.number() * w.inp.scale),
                            counts["pending"].astype(float))
    for g in range(G):
        _enroll_all(S, np.arange(first[g, PENDING], first[g, PENDING] + min(atd[g], table[g, PENDING])))
    w.flows[0, Flow.ATD_ENROLLED] = 0  # the initial enrollment is a stock, not a flow
    w.tally[N_PEOPLE] = n0
    p.n = n0


STOCK_STREAMS = ("init.entry", "init.filed", "court.counsel", "init.stranded", "init.in_absentia", "init.detained")


@njit(cache=True)
def _stock_records(slot, recent, group, has_case, held, final, window, oldest, age, custody_age, absentia_share,
                   rep_share, unexecutable, keys, entry_day, filed_day, represented, stranded, in_absentia,
                   reopenable, arrest_day):
    """The starting stock's dates and case attributes, person by person in one pass; returns the day each joined
    their line (0 for those in none).

    Each person's draw from stream STOCK_STREAMS[i] is the uniform of (id, counter 0, keys[i]), as
    `w.rng.uniform(stream, ids, 0)` gives. Entry: within the recent-entrant window for recent entrants, else
    up to OLDEST_ENTRY_DAYS ago. A case (slots with has_case): filed the day after entry for recent entrants,
    else up to twice the backlog's mean age ago, never before entry nor on day 0 or later; counsel drawn from
    the group's share. A final order: unexecutable (stranded) and in absentia (then reopenable) by their
    shares. In custody (held slots): arrested (and joined) up to the custody age ago.
    """
    n = len(slot)
    joined = np.zeros(n, dtype=np.int32)
    for p in range(n):
        u = _unit(p, 0, keys[0])
        if recent[p]:
            entry_day[p] = -np.ceil(u * window)
        else:
            entry_day[p] = -(window + np.ceil(u * (oldest - window)))
        k = slot[p]
        if has_case[k]:
            entry = entry_day[p]
            if recent[p]:
                filed = np.float64(entry + 1)
            else:
                filed = -np.ceil(_unit(p, 0, keys[1]) * 2 * age)
            filed = min(max(filed, np.float64(entry)), -1.0)
            filed_day[p] = np.int64(filed)
            represented[p] = _unit(p, 0, keys[2]) < rep_share[group[p]]
            joined[p] = np.int64(filed)
        if k == final:
            stranded[p] = _unit(p, 0, keys[3]) < unexecutable[group[p]]
            if _unit(p, 0, keys[4]) < absentia_share:
                in_absentia[p] = True  # in-absentia orders wait, oldest first, to be reopened
                reopenable[p] = True
        if held[k]:
            joined[p] = -np.ceil(_unit(p, 0, keys[5]) * custody_age)
            arrest_day[p] = joined[p]
    return joined


def arrivals(w: World, first: int) -> None:
    """Every arrival over the horizon: ids in order of day, group and channel, then their attributes."""
    per_day = w.inp.arrivals.transpose(2, 0, 1).reshape(-1)  # [day, group, channel] flattened
    G, C, D = w.inp.arrivals.shape
    last = first + int(per_day.sum())
    p = w.people
    p.group[first:last] = np.repeat(np.tile(np.repeat(np.arange(G), C), D), per_day)
    p.channel[first:last] = np.repeat(np.tile(np.arange(C), G * D), per_day) + 1
    p.entry_day[first:last] = np.repeat(np.repeat(np.arange(D), G * C), per_day)
    draw_attributes(w, first, last)


def draw_attributes(w: World, first: int, last: int) -> None:
    """Person attributes of ids first..last-1, drawn once from their group's shares.

    Each is the stream's uniform for (id, counter 0) below the group's share, as
    `w.rng.uniform(stream, ids, 0) < share[group]` gives, all three in one compiled pass (a person's
    attributes share a record, so one pass touches each record once).
    """
    p, gp = w.people, w.inp.gp
    names = (("criminal", "attr.criminal", "criminal_record_share"),
             ("usc_family", "attr.usc_family", "usc_family_share"),
             ("noncoop", "attr.noncoop", "noncooperating_share"))
    shares = np.stack([gp[share].astype(np.float64) for _, _, share in names])
    keys = np.array([w.rng.key(stream) for _, stream, _ in names], dtype=np.uint64)
    _below_shares(first, last, p.group, shares, keys, p.criminal, p.usc_family, p.noncoop)


@njit(cache=True)
def _below_shares(first, last, group, shares, keys, out0, out1, out2):
    """out_i[p] = the uniform of (p, 0, keys[i]) < shares[i, group[p]], for p in first..last-1."""
    for p in range(first, last):
        g = group[p]
        out0[p] = _unit(p, 0, keys[0]) < shares[0, g]
        out1[p] = _unit(p, 0, keys[1]) < shares[1, g]
        out2[p] = _unit(p, 0, keys[2]) < shares[2, g]


AHEAD = 16  # people between asking for a person's rows and placing them


@njit(cache=True)
def _place_all(S, pids, state, join_days):
    """Place pids[i] in `state`, joined on join_days[i], in order; the rows `place` touches are fetched ahead."""
    n = len(pids)
    for i in range(n):
        if i + AHEAD < n:
            fetch_person(S, pids[i + AHEAD])
        place(S, pids[i], state, 0, join_days[i], -1)


@njit(cache=True)
def _place_runs(S, starts, counts, state):
    """Place ids starts[r]..starts[r] + counts[r] - 1, run after run, in `state` from day 0 (in id order, which
    the processor's own prefetching follows)."""
    for r in range(len(starts)):
        for q in range(starts[r], starts[r] + counts[r]):
            place(S, q, state, 0, 0, -1)


@njit(cache=True)
def _enroll_all(S, pids):
    for p in pids:
        enroll_atd(S, p, 0)
