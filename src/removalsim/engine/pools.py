"""Arrest pools for compiled code: add, remove and draw without replacement, each in O(1).

There are 8 pools (4 priority classes x cooperating or non-cooperating
jurisdiction). Each is a dense run of person ids in one shared array; a person
knows their pool and position, so leaving is a swap with the pool's last member.
A pool's room is fixed when the population is known: the people whose record
and jurisdiction could ever put them in it.

>>> import numpy as np
>>> pl = new_pools(np.array([4, 0, 0, 0, 0, 0, 0, 0]), people=10)
>>> for p in (7, 2, 5):
...     add(pl, p, 0)
>>> remove(pl, 7)
>>> sorted(pl.members[:pl.size[0]].tolist()), int(pl.place[5, POS]), int(pl.place[7, KEY])
([2, 5], 0, -1)
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from .kernels import _unit

N_POOLS = 8  # 4 priority classes x (cooperating, non-cooperating jurisdiction)
PRIORITY_CLASSES = ("criminal", "final_order", "pending_case", "no_case")
# The pools of people with no record (cooperating, non-cooperating jurisdiction) and no case, where referrals come
# from, or a pending case, where ATD enrols from.
NO_CASE_POOLS = np.array([2 * PRIORITY_CLASSES.index("no_case"), 2 * PRIORITY_CLASSES.index("no_case") + 1])
PENDING_POOLS = np.array([2 * PRIORITY_CLASSES.index("pending_case"), 2 * PRIORITY_CLASSES.index("pending_case") + 1])

POS, KEY = 0, 1  # columns of `place`: position in the pool, pool (-1: none)

Pools = namedtuple("Pools", ["members", "off", "size", "place"])
Pools.__doc__ = "The 8 arrest pools: members in one array (pool k from off[k]), sizes, and each person's place."


def new_pools(room: np.ndarray, people: int) -> Pools:
    """Empty pools with room[k] places in pool k, for person ids below `people`."""
    off = np.concatenate([[0], np.cumsum(room)[:-1]]).astype(np.int64)
    place = np.zeros((people, 2), dtype=np.int32)
    place[:, KEY] = -1
    return Pools(np.zeros(int(room.sum()), dtype=np.int32), off, np.zeros(N_POOLS, dtype=np.int64), place)


def room_needed(criminal: np.ndarray, noncoop: np.ndarray) -> np.ndarray:
    """Places per pool: people with a record can only be in the criminal class, the others in any other class."""
    room = np.zeros(N_POOLS, dtype=np.int64)
    for nc in (0, 1):
        mine = noncoop == bool(nc)
        room[nc] = int((criminal & mine).sum())
        room[2 + nc::2] = int((~criminal & mine).sum())
    return room


@njit(cache=True, inline="always")
def pool_index(criminal, noncoop, state, final_order, case_pending):
    """Pool of a person in arrestable `state`: 2 x priority class + non-cooperating jurisdiction."""
    if criminal:
        cls = 0
    elif state == final_order:
        cls = 1
    elif state == case_pending:
        cls = 2
    else:
        cls = 3
    return cls * 2 + np.int64(noncoop)


@njit(cache=True, inline="always")
def add(pl, p, k):
    i = pl.size[k]
    pl.members[pl.off[k] + i] = p
    pl.place[p, POS] = i
    pl.place[p, KEY] = k
    pl.size[k] = i + 1


@njit(cache=True, inline="always")
def remove(pl, p):
    """Take `p` out of its pool (nothing if in none)."""
    k = pl.place[p, KEY]
    if k < 0:
        return
    last = pl.size[k] - 1
    moved = pl.members[pl.off[k] + last]
    i = pl.place[p, POS]
    pl.members[pl.off[k] + i] = moved
    pl.place[moved, POS] = i
    pl.size[k] = last
    pl.place[p, KEY] = -1


@njit(cache=True)
def draw(pl, k, m, out, start, key, day):
    """Write m distinct members of pool k, uniformly at random, to out[start:start + m] (partial Fisher-Yates).

    The draws are counter-based (pool, draw, day), so they depend on nothing else.
    The people stay in the pool until the caller moves them.
    """
    base = pl.off[k]
    n = pl.size[k]
    for j in range(m):
        r = j + np.int64(_unit(k * 4294967296 + j, day, key) * (n - j))
        a, b = pl.members[base + j], pl.members[base + r]
        pl.members[base + j], pl.members[base + r] = b, a
        pl.place[b, POS], pl.place[a, POS] = j, r
        out[start + j] = b


@njit(cache=True)
def allocate(capacity, weights, live):
    """Split `capacity` across pools in proportion to weights x live members, never above `live`.

    Whole people are handed out by largest remainder, and what a full pool cannot
    take is handed out again among the others.
    """
    n = len(live)
    take = np.zeros(n, dtype=np.int64)
    left = min(capacity, live.sum())
    share = np.empty(n)
    while left > 0:
        total = 0.0
        for i in range(n):
            total += weights[i] * (live[i] - take[i])
        use_weights = total > 0
        if not use_weights:
            total = float((live - take).sum())
        given = 0
        whole = np.zeros(n, dtype=np.int64)
        for i in range(n):
            room = live[i] - take[i]
            effort = weights[i] * room if use_weights else float(room)
            share[i] = left * effort / total
            whole[i] = min(np.int64(np.floor(share[i])), room)
            given += whole[i]
        rest = left - given
        while rest > 0:  # largest fractional part first, lower pool on ties
            best, best_frac = -1, -1.0
            for i in range(n):
                if live[i] - take[i] - whole[i] > 0 and whole[i] == np.floor(share[i]):
                    frac = share[i] - np.floor(share[i])
                    if frac > best_frac:
                        best, best_frac = i, frac
            if best < 0:
                break
            whole[best] += 1
            given += 1
            rest -= 1
        take += whole
        if given == 0:
            break
        left -= given
    return take
