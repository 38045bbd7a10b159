"""Compiled inner loops (Numba) for the per-person work done many times a day.

Each kernel replaces a chain of small NumPy calls whose fixed cost, not their
work, dominated runs of up to a few million people. They compute exactly what the
NumPy code they replace computed (bit for bit; `tests/test_kernels.py` checks
this against the NumPy definitions), so results do not depend on whether they
are compiled.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0


@njit(cache=True, inline="always")
def _mix(x):
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@njit(cache=True, inline="always")
def _unit(pid, counter, key):
    x = np.uint64(pid) * _GOLDEN
    x ^= np.uint64(counter) * _C2 + key
    x = _mix(_mix(x))
    return (np.float64(x >> _S11) + 0.5) * _TO_UNIT


@njit(cache=True)
def uniform(ids, counters, key):
    """Counter-based uniforms in (0, 1): the hash of (key, person id, counter) for each person."""
    out = np.empty(len(ids), dtype=np.float64)
    for i in range(len(ids)):
        out[i] = _unit(ids[i], counters[i], key)
    return out


@njit(cache=True)
def uniform_same_counter(ids, counter, key):
    """As `uniform`, with one counter for everyone."""
    out = np.empty(len(ids), dtype=np.float64)
    for i in range(len(ids)):
        out[i] = _unit(ids[i], counter, key)
    return out


@njit(cache=True)
def hazard_days(cum, day, ids, epochs, key):
    """Day of the next event of a hazard with running total `cum`, inverted at an Exp(1) draw per person."""
    target = np.empty(len(ids), dtype=np.float64)
    base = cum[day]
    for i in range(len(ids)):
        target[i] = base - np.log(_unit(ids[i], epochs[i], key))
    when = np.searchsorted(cum, target)
    for i in range(len(when)):
        if when[i] < day + 1:
            when[i] = day + 1
    return when


@njit(cache=True, inline="always")
def _pool(criminal, noncoop, state, final_order, case_pending):
    """Arrest pool: 2 x priority class (criminal record, final order, pending case, no case) + non-cooperating."""
    if criminal:
        cls = 0
    elif state == final_order:
        cls = 1
    elif state == case_pending:
        cls = 2
    else:
        cls = 3
    return cls * 2 + np.int64(noncoop)


@njit(cache=True)
def leave_states(pids, state, group, criminal, noncoop, atd, stranded, epoch, counts, pool_live,
                 atd_counts, stranded_counts, is_arrestable, final_order, case_pending):
    """The bookkeeping of people leaving their current state: counts, arrest pools, ATD, stranded, epoch."""
    for i in range(len(pids)):
        p = pids[i]
        s = state[p]
        g = group[p]
        counts[s, g] -= 1
        if is_arrestable[s]:
            pool_live[_pool(criminal[p], noncoop[p], s, final_order, case_pending)] -= 1
        if atd[p]:
            atd_counts[g] -= 1
            atd[p] = False
        if stranded[p] and s == final_order:
            stranded_counts[g] -= 1
        epoch[p] += 1


@njit(cache=True)
def enter_state(pids, new, day, join_days, group, state, state_day, stranded, counts, stranded_counts,
                final_order):
    """The bookkeeping of people entering `new`: counts, state, state day, stranded count; returns groups."""
    g_out = np.empty(len(pids), dtype=np.int64)
    for i in range(len(pids)):
        p = pids[i]
        g = group[p]
        g_out[i] = g
        counts[new, g] += 1
        state[p] = new
        state_day[p] = join_days[i] if len(join_days) else day
        if new == final_order and stranded[p]:
            stranded_counts[g] += 1
    return g_out


@njit(cache=True)
def pool_keys(pids, state, criminal, noncoop, final_order, case_pending):
    """Arrest-pool index of each person: 2 x priority class + non-cooperating jurisdiction."""
    out = np.empty(len(pids), dtype=np.int64)
    for i in range(len(pids)):
        p = pids[i]
        out[i] = _pool(criminal[p], noncoop[p], state, final_order, case_pending)
    return out


@njit(cache=True)
def group_by_key(keys, n_keys):
    """A stable counting sort: the order that groups equal keys, and where each key's run starts."""
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    for k in keys:
        starts[k + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    fill = starts[:-1].copy()
    order = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        k = keys[i]
        order[fill[k]] = i
        fill[k] += 1
    return order, starts


@njit(cache=True)
def bincount_groups(pids, group, n_groups):
    """People per group among `pids`."""
    out = np.zeros(n_groups, dtype=np.int64)
    for p in pids:
        out[group[p]] += 1
    return out
