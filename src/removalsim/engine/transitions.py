"""The single place where people change state, in compiled code.

`move` (and `place`, for a person's first state) keeps every derived count in
step with the person arrays: stocks by state and group, arrest pools, ATD and
stranded counts. It bumps the person's epoch (the counter of their random
draws, and makes their token on the calendar of exits stale: `agenda`), counts the
flow, unlinks the person from the lines and calendars of the old state, and
`enter` puts them in those of the new state: their timed exit (death,
self-departure, adjustment or end of protection, whichever comes first), their
arrest pool, their line. Stages never write `state` themselves.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from . import agenda, links, pools
from .inputs import DAYS_PER_YEAR
from .kernels import _unit
from .people import NEVER, RECORD
from .prefetch import prefetch_row
from .processes.base import Param, Stage, scalar
from ..vocabulary import ARRESTABLE, AT_LARGE, CUSTODY, N_STATES, TERMINAL, Flow, State, mask
from .world import (AT_LARGE_HAZARDS, EVENTS, FIRST_DOC_LINE, LINE_APPEAL_AT_LARGE, LINE_APPEAL_DETAINED,
                    LINE_COURT_AT_LARGE, LINE_COURT_DETAINED, LINE_REOPENABLE, LOG_STAYS, N_STAYS, N_WAITS,
                    PLACING_STOCK, SELF_DEPARTURE_HAZARD, SERVED, STAYS_FULL, stream_indices)

NO_CASE, CASE_PENDING, FINAL_ORDER, PROTECTED = (int(State.NO_CASE), int(State.CASE_PENDING),
                                                  int(State.FINAL_ORDER), int(State.PROTECTED))
APPEAL_AT_LARGE, DETAINED_PENDING, DETAINED_FINAL = (int(State.APPEAL_AT_LARGE), int(State.DETAINED_PENDING),
                                                     int(State.DETAINED_FINAL))
AWAITING_TRANSPORT, APPEAL_DETAINED, REMOVED = (int(State.AWAITING_TRANSPORT), int(State.APPEAL_DETAINED),
                                                int(State.REMOVED))
# The named groups as compiled code reads them: a mask indexed by state, or the list of the group's states.
IS_ARRESTABLE, IS_AT_LARGE, IS_TERMINAL = mask(ARRESTABLE), mask(AT_LARGE), mask(TERMINAL)
CUSTODY_STATES = np.array(CUSTODY, dtype=np.int64)
# The row of sd_cum (world.AT_LARGE_HAZARDS) that each at-large state's self-departure uses; -1 for the others.
SD_ROW = np.full(N_STATES, -1, dtype=np.int64)
for _state, _hazard in SELF_DEPARTURE_HAZARD.items():
    SD_ROW[_state] = AT_LARGE_HAZARDS.index(_hazard)
assert (SD_ROW >= 0).tolist() == IS_AT_LARGE.tolist(), "every at-large state needs a self-departure hazard"
NO_FLOW = -1
CASE_FILED, ATD_ENROLLED, DOC_REQUESTED = int(Flow.CASE_FILED), int(Flow.ATD_ENROLLED), int(Flow.DOC_REQUESTED)


def _steady(inp, per_year: float) -> np.ndarray:
    """The running total, day by day, of a constant hazard of `per_year` (horizon + 1 entries)."""
    return np.arange(inp.days + 1) * (per_year / DAYS_PER_YEAR)


def _sd_cum(inp) -> np.ndarray:
    """The running total of each at-large state's self-departure hazard (rows: world.AT_LARGE_HAZARDS)."""
    sd, mult = inp.scenario.self_departure, inp.sd_multiplier / DAYS_PER_YEAR
    return np.stack([np.concatenate([[0.0], np.cumsum(mult * getattr(sd, h).number())]) for h in AT_LARGE_HAZARDS])


def _death_cum(inp):
    return _steady(inp, inp.scenario.mortality.death_rate.number())


def _adjust_cum(inp):
    return _steady(inp, inp.scenario.legalization.usc_adjustment_rate.number())


def unseen(cum: np.ndarray) -> np.ndarray:
    """For each day, the chance that a hazard with running total `cum` has no event before the horizon.

    (cum has horizon + 1 entries; an event on day d needs cum[d] >= the target.)
    """
    return np.ascontiguousarray(np.exp(-(cum[..., -2:-1] - cum[..., :-1])))


_GROUP = "per group"
RULES = Stage(
    "rules", "the shared rules of a change of state: timed exits drawn, lines, pools, ATD, counsel, documents",
    params=(
        Param("beds", "daily", "int", ("detention.beds",), lambda inp: inp.beds),
        Param("atd_capacity", "daily", "int", ("atd.capacity",), lambda inp: inp.atd_capacity),
        scalar("court_at_large_min", "court.nondetained_min_days", "int"),
        scalar("court_first_hearing", "court.detained_first_hearing_days", "int"),
        scalar("cohort_window", "population.recent_entrant_window_days"),
        scalar("appeal_min", "appeals.min_days", "int"),
        scalar("custody_limit", "detention.custody_limit_days", "int"),
        scalar("doc_early_share", "travel_documents.request_before_order_share"),
        scalar("rep_share_detained", "court.representation_share_detained"),
        Param("representation_share", _GROUP, "float", ("groups.*.representation_share",),
              lambda inp: inp.gp["representation_share"]),
        Param("doc_lag_median_days", _GROUP, "float", ("groups.*.doc_lag_median_days",),
              lambda inp: inp.gp["doc_lag_median_days"]),
        Param("doc_lag_sigma", _GROUP, "float", ("groups.*.doc_lag_sigma",), lambda inp: inp.gp["doc_lag_sigma"]),
        Param("protection_end", _GROUP, "int", ("groups.*.protection_end_date",), lambda inp: inp.protection_end),
        Param("group_region", _GROUP, "int", ("groups.*.region",), lambda inp: inp.group_region),
        Param("death_cum", "cumulative daily", "float", ("mortality.death_rate",), _death_cum),
        Param("adjust_cum", "cumulative daily", "float", ("legalization.usc_adjustment_rate",), _adjust_cum),
        Param("sd_cum", "per hazard daily", "float", ("self_departure.*",), _sd_cum),
        Param("death_unseen", "daily", "float", ("mortality.death_rate",), lambda inp: unseen(_death_cum(inp))),
        Param("adjust_unseen", "daily", "float", ("legalization.usc_adjustment_rate",),
              lambda inp: unseen(_adjust_cum(inp))),
        Param("sd_unseen", "per hazard daily", "float", ("self_departure.*",), lambda inp: unseen(_sd_cum(inp)))),
    uses=("seats",),
    fields=("arrest_day", "atd", "atd_counts", "channel", "cohort_counts", "costs", "counts", "criminal", "custody",
            "entry_day", "epoch", "exits", "filed_day", "flows", "group", "line", "noncoop", "pools", "reopenable",
            "represented", "state", "state_day", "stay_from", "stay_state", "stay_to", "stocks", "stranded",
            "stranded_counts", "tally", "unrep_counts", "unrep_order", "usc_family", "wait_day", "wait_group",
            "wait_kind", "wait_len"),
    flows=(Flow.CASE_FILED, Flow.ATD_ENROLLED, Flow.DOC_REQUESTED),
    streams=("death", "self_departure", "adjustment", "court.counsel", "doc.lag#1", "doc.lag#2", "doc.under_way"),
    lines=("LINE_COURT_AT_LARGE", "LINE_COURT_DETAINED", "LINE_APPEAL_DETAINED", "LINE_APPEAL_AT_LARGE",
           "LINE_REOPENABLE", "transport_line", "answer_list"))
(ST_DEATH, ST_SELF_DEPARTURE, ST_ADJUSTMENT, ST_COUNSEL, ST_DOC_LAG_1, ST_DOC_LAG_2,
 ST_DOC_UNDER_WAY) = stream_indices(RULES.streams)


# kinds of timed exit, in the order they win a tie on the same day (the day loop's order)
EXIT_DEATH, EXIT_SELF_DEPARTURE, EXIT_ADJUSTMENT, EXIT_PROTECTION_END = 0, 1, 2, 3
assert EXIT_PROTECTION_END < agenda.KINDS, "a token's tag holds the kinds of exit 0..agenda.KINDS - 1"
READY = links.EXTRA  # the line node's extra column: the day one is ready to be served


@njit(cache=True, inline="always")
def uniform(S, stream, p):
    """The person's draw from a named stream for their current stay (counter = epoch)."""
    return _unit(p, S.epoch[p], S.keys[stream])


@njit(cache=True, inline="always")
def hazard_day(cum, unseen, day, p, epoch, key):
    """Day of the next event of a hazard with running total `cum` (inverted at an Exp(1) draw), > day.

    A draw below unseen[day] (the chance of no event before the horizon) means
    none within the horizon: that returns the horizon without a search. That is
    the common case, so it is inlined and only the search is a call.
    """
    u = _unit(p, epoch, key)
    if u < unseen[day]:
        return len(cum) - 1
    return _hazard_search(cum, day, u)


@njit(cache=True)
def _hazard_search(cum, day, u):
    """First day after `day` on which the running total reaches cum[day] - log(u)."""
    return first_reaching(cum, day, cum[day] - np.log(u))


@njit(cache=True)
def first_reaching(cum, day, target):
    """The first day after `day` on which the running total `cum` reaches `target`: exactly
    max(np.searchsorted(cum, target), day + 1), found from a guess instead of by halving the whole horizon.

    A running total rises about linearly (most hazards are constant for years), so the guess at today's rate
    lands on or next to the answer; a gallop away from the guess brackets it and halving finishes. A plain
    binary search of a 10-year horizon takes twelve dependent, unpredictable steps for every drawn exit.
    """
    n = len(cum)
    lo = day + 1  # the answer is at least day + 1, and cum[i] < target below it ...
    if lo >= n or cum[lo] >= target:
        return lo
    if lo + 1 >= n:  # ... and past the last entry when the last is still short of it
        return n
    rate = cum[lo] - cum[day]
    guess = lo + 1
    if rate > 0:
        steps = (target - cum[day]) / rate
        guess = n - 1 if steps >= n else min(max(day + np.int64(np.ceil(steps)), lo + 1), n - 1)
    if cum[guess] >= target:  # the answer is in (lo, guess]: gallop down to bracket it
        hi, step = guess, 1
        while hi - step > lo:
            if cum[hi - step] < target:
                lo = hi - step
                break
            hi -= step
            step *= 2
    else:  # the answer is past the guess: gallop up
        lo, step, hi = guess, 1, n
        while lo + step < n:
            if cum[lo + step] >= target:
                hi = lo + step
                break
            lo += step
            step *= 2
    while hi - lo > 1:  # cum[lo] < target, and cum[hi] >= target or hi == n
        mid = (lo + hi) // 2
        if cum[mid] >= target:
            hi = mid
        else:
            lo = mid
    return hi


@njit(cache=True, inline="always")
def in_cohort(S, p):
    """Whether person `p` belongs to the recent-arrival cohort: the starting stock (channel 0) who entered within
    `population.recent_entrant_window_days` before the start. Checkpoints count it by state (`cohort_counts`,
    kept here as people move) instead of passing over the cohort."""
    return S.channel[p] == 0 and -S.cohort_window <= S.entry_day[p] < 0


@njit(cache=True, inline="always")
def leave(S, p, day):
    """Undo the person's membership of their current state.

    The state says which pools, lines and calendars the person can be in (see
    `enter`), so the others are not looked at: each look is a cache miss.
    """
    s = S.state[p]
    g = S.group[p]
    S.counts[s, g] -= 1
    if in_cohort(S, p):
        S.cohort_counts[s, g] -= 1
    if IS_ARRESTABLE[s]:  # the only states with a pool
        pools.remove(S.pools, p)
    if s == CASE_PENDING and S.atd[p]:  # only a pending case is enrolled in ATD
        S.atd_counts[g] -= 1
        S.atd[p] = False
    if s == FINAL_ORDER and S.stranded[p]:
        S.stranded_counts[g] -= 1
    S.epoch[p] += 1
    if s != NO_CASE and s != FINAL_ORDER and s != PROTECTED:  # these join no docket or document line
        links.unlink(S.line, p)
    elif S.reopenable[p]:  # ... but may wait to be reopened
        links.unlink(S.line, p)
        S.reopenable[p] = False
    if s == DETAINED_FINAL or s == AWAITING_TRANSPORT:  # the only states on the custody-limit calendar
        links.unlink(S.custody, p)
    if S.tally[LOG_STAYS]:
        n = S.tally[N_STAYS]
        if n < len(S.stay_state):
            S.stay_state[n], S.stay_from[n], S.stay_to[n] = s, S.state_day[p], day
            S.tally[N_STAYS] = n + 1
        else:
            S.tally[STAYS_FULL] = 1


@njit(cache=True, inline="always")
def place(S, p, new, day, join_day, flow):
    """Give person `p` the state `new` (entered on `join_day`), counting `flow` unless NO_FLOW.

    As `move`, every call site shares the one compiled `_place`.
    """
    _place(S, np.int64(p), np.int64(new), np.int64(day), np.int64(join_day), np.int64(flow))


@njit(cache=True)
def _place(S, p, new, day, join_day, flow):
    S.tally[EVENTS] += 1
    g = S.group[p]
    S.counts[new, g] += 1
    if in_cohort(S, p):
        S.cohort_counts[new, g] += 1
    S.state[p] = new
    S.state_day[p] = join_day
    if new == FINAL_ORDER and S.stranded[p]:
        S.stranded_counts[g] += 1
    if flow != NO_FLOW:
        S.flows[day, flow, g] += 1
    enter(S, p, new, day, join_day)


@njit(cache=True, inline="always")
def move(S, p, new, day, flow):
    """Move person `p` (in a non-terminal state) to `new` today.

    Stages pass `new` and `flow` as constants, and Numba compiles a call once per
    distinct argument type, constants included; widening them here gives every
    call site the one compiled `_move` (a fraction of the compile time and code).
    """
    _move(S, np.int64(p), np.int64(new), np.int64(day), np.int64(flow))


@njit(cache=True)
def _move(S, p, new, day, flow):
    leave(S, p, day)
    _place(S, p, new, day, day, flow)


@njit(cache=True, inline="always")
def enter(S, p, new, day, join_day):
    """Put a person who just entered `new` into that state's calendars, pool and line."""
    if IS_TERMINAL[new]:
        return
    horizon = S.stocks.shape[0]
    ep = S.epoch[p]
    g = S.group[p]
    when = hazard_day(S.death_cum, S.death_unseen, day, p, ep, S.keys[ST_DEATH])
    kind = EXIT_DEATH
    if IS_AT_LARGE[new]:  # at large: self-departure
        row = SD_ROW[new]
        t = hazard_day(S.sd_cum[row], S.sd_unseen[row], day, p, ep, S.keys[ST_SELF_DEPARTURE])
        if t < when:
            when, kind = t, EXIT_SELF_DEPARTURE
    if (new == NO_CASE or new == CASE_PENDING or new == PROTECTED) and S.usc_family[p]:
        t = hazard_day(S.adjust_cum, S.adjust_unseen, day, p, ep, S.keys[ST_ADJUSTMENT])
        if t < when:
            when, kind = t, EXIT_ADJUSTMENT
    if new == PROTECTED:
        t = max(S.protection_end[g], day + 1)
        if t < when:
            when, kind = t, EXIT_PROTECTION_END
    if when < horizon:
        agenda.push(S.exits, S.epoch, when, p, kind)
    if IS_ARRESTABLE[new]:
        pools.add(S.pools, p, pools.pool_index(S.criminal[p], S.noncoop[p], new, g, FINAL_ORDER, CASE_PENDING))
    if new == CASE_PENDING:
        join_line(S, p, LINE_COURT_AT_LARGE, join_day + S.court_at_large_min)
    elif new == DETAINED_PENDING:
        join_line(S, p, LINE_COURT_DETAINED, join_day + S.court_first_hearing)
    elif new == APPEAL_DETAINED:
        join_line(S, p, LINE_APPEAL_DETAINED, join_day + S.appeal_min)
    elif new == APPEAL_AT_LARGE:
        join_line(S, p, LINE_APPEAL_AT_LARGE, join_day + S.appeal_min)
    elif new == DETAINED_FINAL:
        request_document(S, p, day, join_day)
    elif new == AWAITING_TRANSPORT:
        join_line(S, p, transport_line(S, S.group_region[g]), day)
    elif (new == FINAL_ORDER or new == NO_CASE) and S.reopenable[p]:
        join_line(S, p, LINE_REOPENABLE, join_day)


@njit(cache=True, inline="always")
def join_line(S, p, line, ready):
    links.push(S.line, p, line)
    S.line.node[p, READY] = ready


@njit(cache=True, inline="always")
def doc_line(g):
    return FIRST_DOC_LINE + g


@njit(cache=True, inline="always")
def transport_line(S, region):
    return FIRST_DOC_LINE + len(S.protection_end) + region


@njit(cache=True, inline="always")
def answer_list(S, day):
    """The calendar list of the countries' answers due on `day` (it shares the line node)."""
    return FIRST_DOC_LINE + len(S.protection_end) + len(S.seats) + day


@njit(cache=True)
def request_document(S, p, day, join_day):
    """Ask the receiving country for a travel document: its answer comes after a lognormal lag."""
    g = S.group[p]
    ep = S.epoch[p]
    S.stranded[p] = False
    u1, u2 = _unit(p, ep, S.keys[ST_DOC_LAG_1]), _unit(p, ep, S.keys[ST_DOC_LAG_2])
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    lag = np.int64(np.rint(S.doc_lag_median_days[g] * np.exp(S.doc_lag_sigma[g] * z)))
    horizon = S.stocks.shape[0]
    if S.tally[PLACING_STOCK]:  # the starting stock: a request already under way, a uniform part of its lag left
        answer = max(np.int64(np.rint(_unit(p, ep, S.keys[ST_DOC_UNDER_WAY]) * lag)), day + 1)
    else:
        answer = max(doc_clock_start(S, p, join_day) + max(lag, 1), day + 1)
    if answer < horizon:
        links.push(S.line, p, answer_list(S, answer))
    start_custody_limit(S, p, join_day, day)
    S.flows[day, DOC_REQUESTED, g] += 1


@njit(cache=True, inline="always")
def start_custody_limit(S, p, since, day):
    """Put a person held for removal on the custody-limit calendar: released (documents.step) on the day
    `detention.custody_limit_days` after `since`, at the earliest tomorrow, unless they leave custody first.

    The one place the limit is scheduled: the wait for a document from the order, the wait for a seat from the
    document, and the wait for transport from CBP custody.
    """
    limit = max(since + S.custody_limit, day + 1)
    if limit < S.stocks.shape[0]:
        links.push(S.custody, p, limit)


@njit(cache=True, inline="always")
def doc_clock_start(S, p, join_day):
    """The day the country's verification clock starts: the order day, moved back by the requested share of
    the custody before the order (ICE asks for the document while the case is still pending)."""
    before = join_day - S.arrest_day[p] if S.arrest_day[p] != NEVER else 0
    return join_day - np.int64(np.rint(S.doc_early_share * max(before, 0)))


@njit(cache=True, inline="always")
def file_case(S, p, day, detained):
    """A notice to appear: the case is filed today; counsel is drawn for the case."""
    g = S.group[p]
    S.filed_day[p] = day
    share = S.rep_share_detained if detained else S.representation_share[g]
    S.represented[p] = uniform(S, ST_COUNSEL, p) < share
    S.flows[day, CASE_FILED, g] += 1


@njit(cache=True)
def set_unrep_order(S, p, value):
    """Mark whether the person's removal order was made without counsel, keeping the count by group in step
    (checkpoints read the count, not a pass over everyone)."""
    if S.unrep_order[p] != value:
        S.unrep_order[p] = value
        S.unrep_counts[S.group[p]] += 1 if value else -1


@njit(cache=True, inline="always")
def enroll_atd(S, p, day):
    """Enroll a person released onto the non-detained docket in ATD while places last."""
    if S.atd[p] or S.atd_counts.sum() >= S.atd_capacity[day]:
        return
    g = S.group[p]
    S.atd[p] = True
    S.atd_counts[g] += 1
    S.flows[day, ATD_ENROLLED, g] += 1


@njit(cache=True, inline="always")
def free_beds(S, day):
    used = 0
    for s in CUSTODY_STATES:
        used += S.counts[s].sum()
    return max(0, S.beds[day] - used)


@njit(cache=True, inline="always")
def count(S, flow, p, day):
    S.flows[day, flow, S.group[p]] += 1


@njit(cache=True, inline="always")
def spend(S, cost, p, day, amount):
    S.costs[day, cost, S.group[p]] += amount


@njit(cache=True, inline="always")
def record_wait(S, kind, p, day, since):
    """Log a waiting time (today - since) unless `since` never happened."""
    if since == NEVER:
        return
    n = S.tally[N_WAITS]
    S.wait_kind[n] = kind
    S.wait_day[n] = day
    S.wait_group[n] = S.group[p]
    S.wait_len[n] = day - since
    S.tally[N_WAITS] = n + 1


@njit(cache=True, inline="always")
def serve(S, line, day):
    """Take the first person of `line` if they are ready today; -1 if the line is empty or its head is not ready.

    Ready days are non-decreasing along a line (a constant minimum wait after
    joining), so a head that is not ready ends the day's service.
    """
    p = S.line.head[line]
    if p < 0 or S.line.node[p, READY] > day:
        return -1
    links.unlink(S.line, p)
    if line < FIRST_DOC_LINE:
        S.tally[SERVED + line] += 1
    return p


@njit(cache=True, inline="always")
def serve_either(S, first, second, day):
    """The next ready person of line `first`, else of line `second`; (-1, False) if neither has one.

    Returns (person, from_first). Serving never adds anyone ready today to
    `first`, so once it runs dry the rest of the day comes from `second`.
    """
    p = serve(S, first, day)
    if p >= 0:
        return p, True
    return serve(S, second, day), False


# fetch_person fetches a person's whole record (one prefetch_row span) from its first field
assert RECORD.fields is not None and RECORD.fields["epoch"][1] == 0 and RECORD.itemsize <= 64, \
    "a record starts at epoch and spans 64 bytes at most"
AHEAD = 8  # people between fetching a person's rows (`fetch_person`) and changing their state

# The fetch helpers below are plain calls, not inline="always": Numba-level inlining of them into every stage
# made the first compile about five times slower (127 s against 30 s for a first short run) and the day loop no
# faster (scale 1.0, alternating runs: 13.1 s against 13.3 s); LLVM still inlines what pays.


@njit(cache=True)
def fetch_person(S, p):
    """Start fetching the rows a change of state of person `p` reads or writes (nothing if p < 0).

    Stages serve people in an order that is random in memory, so each row is a cache miss; asked for a few
    people ahead, the misses overlap with the work on the people before. A hint only: no value changes.
    """
    if p < 0:
        return
    prefetch_row(S.epoch, p)  # the whole record: epoch is its first field
    prefetch_row(S.line.node, p)
    prefetch_row(S.custody.node, p)
    prefetch_row(S.pools.place, p)


@njit(cache=True)
def fetch_links(S, p):
    """Start fetching the neighbours of person `p` (whose own rows have arrived) in their line, which leaving a
    state unlinks `p` from, and their place in their arrest pool, which its last member takes (nothing if p < 0;
    rows of a line `p` is not in are fetched for nothing, which changes no value)."""
    if p < 0:
        return
    prefetch_row(S.line.node, S.line.node[p, links.PRV])
    prefetch_row(S.line.node, S.line.node[p, links.NXT])
    k = S.pools.place[p, pools.KEY]
    if k >= 0:
        prefetch_row(S.pools.members, S.pools.off[k] + S.pools.place[p, pools.POS])
        prefetch_row(S.pools.place, S.pools.members[S.pools.off[k] + S.pools.size[k] - 1])


@njit(cache=True)
def fetch_next(S, dl, cur):
    """Move a cursor over a list of family `dl` on by one person: cur = (near, far), far AHEAD people past
    the next person to be served and near half as far. The person after `far` has their rows fetched
    (`fetch_person`), the person after `near` (whose rows have arrived by then) their neighbours' (`fetch_links`).

    It reads only links, so it stays in bounds even if a person it passed has left the list since.
    """
    near, far = cur
    if far >= 0:
        far = dl.node[far, links.NXT]
        fetch_person(S, far)
    if near >= 0:
        near = dl.node[near, links.NXT]
        fetch_links(S, near)
    return near, far


@njit(cache=True)
def cursor(S, dl, lst, most):
    """A cursor (see `fetch_next`) into list `lst` of family `dl`, the people up to it asked for; `most` is how
    many the caller can serve today (no point walking further: each step of the walk waits for memory)."""
    q = dl.head[lst]
    fetch_person(S, q)
    depth = min(AHEAD, most)
    near = q
    for i in range(depth):
        if q < 0:
            break
        q = dl.node[q, links.NXT]
        fetch_person(S, q)
        if i < depth // 2:
            near = q
    return near, q


@njit(cache=True, inline="always")
def fetch_listed(S, ids, i, n):
    """While working through ids[:n] (people drawn into a scratch array), fetch the rows of the person AHEAD
    places after the i-th, and the neighbours (`fetch_links`) of the one half as far."""
    if i + AHEAD < n:
        fetch_person(S, ids[i + AHEAD])
    if i + AHEAD // 2 < n:
        fetch_links(S, ids[i + AHEAD // 2])
