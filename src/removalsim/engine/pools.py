"""Arrest pools for compiled code: add, remove and draw without replacement, each in O(1).

Each nationality group has 8 pools (4 priority classes x cooperating or
non-cooperating jurisdiction), so a group's arrest factor can weigh its pools.
Each pool is a dense run of person ids in one shared array; a person
knows their pool and position, so leaving is a swap with the pool's last member.
A pool's room is fixed when the population is known: the people whose group, record
and jurisdiction could ever put them in it.

>>> import numpy as np
>>> pl = new_pools(np.array([4, 0, 0, 0, 0, 0, 0, 0]), people=10)
>>> for p in (7, 2, 5):
...     add(pl, p, 0)
>>> remove(pl, 7)
>>> sorted(pl.members[:pl.size[0]].tolist()), int(pl.place[5, POS]), int(pl.place[7, KEY])
([2, 5], 0, -1)
>>> int(pool_index(False, True, 1, 3, 2, 1)), pool_class(29), pool_group(29)  # pending case, group 3
(29, 2, 3)
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from .kernels import _unit
from .prefetch import prefetch_row

POOLS_PER_GROUP = 8  # 4 priority classes x (cooperating, non-cooperating jurisdiction)
PRIORITY_CLASSES = ("criminal", "final_order", "pending_case", "no_case")
# The classes of people with no record and no case, where referrals come from, and with a pending case, where
# ATD enrols from.
NO_CASE_CLASS = PRIORITY_CLASSES.index("no_case")
PENDING_CLASS = PRIORITY_CLASSES.index("pending_case")

POS, KEY = 0, 1  # columns of `place`: position in the pool, pool (-1: none)

Pools = namedtuple("Pools", ["members", "off", "size", "place"])
Pools.__doc__ = "The arrest pools (8 a group): members in one array (pool k from off[k]), sizes, each person's place."


def new_pools(room: np.ndarray, people: int) -> Pools:
    """Empty pools with room[k] places in pool k, for person ids below `people`."""
    off = np.concatenate([[0], np.cumsum(room)[:-1]]).astype(np.int64)
    place = np.zeros((people, 2), dtype=np.int32)
    place[:, KEY] = -1
    return Pools(np.zeros(int(room.sum()), dtype=np.int32), off, np.zeros(len(room), dtype=np.int64), place)


def room_needed(criminal: np.ndarray, noncoop: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Places per pool: people with a record can only be in their group's criminal class, the others in any
    other class of their group."""
    if not len(criminal) == len(noncoop) == len(group):
        raise ValueError("criminal, noncoop and group must have one entry per person")
    kind = _count_kinds(criminal, noncoop, group, groups)  # [group, noncoop, criminal]
    room = np.zeros((groups, POOLS_PER_GROUP), dtype=np.int64)
    for nc in (0, 1):
        room[:, nc] = kind[:, nc, 1]
        room[:, 2 + nc::2] = kind[:, nc, 0][:, None]
    return room.reshape(-1)


@njit(cache=True)
def _count_kinds(criminal, noncoop, group, groups):
    """People per (group, non-cooperating jurisdiction, record), in one pass."""
    out = np.zeros((groups, 2, 2), dtype=np.int64)
    for p in range(len(group)):
        g = group[p]
        if g < 0 or g >= groups:
            raise ValueError("a person's group is out of range")
        out[g, np.int64(noncoop[p]), np.int64(criminal[p])] += 1
    return out


@njit(cache=True, inline="always")
def pool_index(criminal, noncoop, state, group, final_order, case_pending):
    """Pool of a person in arrestable `state`: 8 x group + 2 x priority class + non-cooperating jurisdiction."""
    if criminal:
        cls = 0
    elif state == final_order:
        cls = 1
    elif state == case_pending:
        cls = 2
    else:
        cls = 3
    return np.int64(group) * POOLS_PER_GROUP + cls * 2 + np.int64(noncoop)


@njit(cache=True, inline="always")
def pool_class(k):
    """The priority class of pool k."""
    return (k % POOLS_PER_GROUP) // 2


@njit(cache=True, inline="always")
def pool_group(k):
    """The nationality group of pool k."""
    return k // POOLS_PER_GROUP


@njit(cache=True, inline="always")
def add(pl, p, k):
    i = pl.size[k]
    pl.members[pl.off[k] + i] = p
    pl.place[p, POS] = i
    pl.place[p, KEY] = k
    pl.size[k] = i + 1


REMOVE_AHEAD = 4  # removals from a pool between fetching a member's place and moving it into a hole


@njit(cache=True, inline="always")
def remove(pl, p):
    """Take `p` out of its pool (nothing if in none).

    The pool's last member fills the hole, so removals in a row (people drawn from one pool) move its members
    from the end inwards: the place of the one REMOVE_AHEAD removals on is fetched now (a hint only).
    """
    k = pl.place[p, KEY]
    if k < 0:
        return
    last = pl.size[k] - 1
    if last > REMOVE_AHEAD:
        prefetch_row(pl.place, pl.members[pl.off[k] + last - REMOVE_AHEAD])
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
def allocate(capacity, weights, live, offset):
    """Split `capacity` across pools in proportion to weights x live members, never above `live`.

    Whole people are handed out by systematic rounding: points offset, offset + 1, ... laid along the
    pools' running total of shares, so each pool gets the floor or the ceiling of its share and, over
    random offsets in [0, 1), exactly its share on average (a fixed rule, such as largest remainders, would
    hand the odd people to the same pools every day and starve the small ones). What a full pool cannot
    take is handed out again among the others.
    """
    n = len(live)
    take = np.zeros(n, dtype=np.int64)
    left = min(capacity, live.sum())
    while left > 0:
        total = 0.0
        rooms = 0
        for i in range(n):
            total += weights[i] * (live[i] - take[i])
            rooms += live[i] - take[i]
        use_weights = total > 0
        if not use_weights:
            total = float(rooms)
        given = 0
        running = 0.0
        below = 0  # points below the running total so far
        for i in range(n):  # pool i's share this round reads only its own room, so it is added at once
            room = live[i] - take[i]
            effort = weights[i] * room if use_weights else float(room)
            running += left * effort / total
            upto = min(max(np.int64(np.ceil(running - offset)), 0), left)
            whole = min(upto - below, room)
            below = upto
            given += whole
            take[i] += whole
        if given == 0:
            break
        left -= given
    return take
