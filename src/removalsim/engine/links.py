"""Waiting lines and day calendars as doubly linked lists over person ids, for compiled code.

Each person owns one node per family of lists (one line node, one custody-limit
node; timed exits are kept apart, in `agenda`), so a family needs no memory
beyond the population and a head and tail per list. A node is one row (previous, next, list, then any
columns the family keeps per member), so following a link touches one cache line.
A person is in at most one list of a family at a time;
leaving a state unlinks the node in O(1), so every list holds only live members
and nothing is ever searched for or skipped. Pushing at the tail keeps arrival
order, which makes a line first-come first-served and a calendar day
deterministic.

>>> import numpy as np
>>> dl = new_dlist(nodes=5, lists=2)
>>> for p in (3, 1, 4):
...     push(dl, p, 0)
>>> unlink(dl, 1)
>>> [int(pop_head(dl, 0)) for _ in range(2)], int(pop_head(dl, 0)), int(member_of(dl)[3])
([3, 4], -1, -1)
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

NONE = -1
PRV, NXT, LST = 0, 1, 2  # node columns; a family may keep more after these (EXTRA onwards)
# LST holds the list's number + 1, so 0 means "in no list": nodes start as zeros, which the OS hands out
# untouched, and a node costs memory only once its person joins a list of the family.
EXTRA = 3

DList = namedtuple("DList", ["head", "tail", "node"])
DList.__doc__ = "A family of doubly linked lists: per-list head and tail; per node prev, next, list (and extras)."


def check_person_ids(people: int) -> None:
    """Person ids are kept as int32 in lists and calendars: refuse a population they cannot number."""
    if people >= np.iinfo(np.int32).max:
        limit = np.iinfo(np.int32).max - 1
        raise ValueError(f"{people:,} people exceed the engine's limit of {limit:,}")


def new_dlist(nodes: int, lists: int, extra: int = 0) -> DList:
    """Empty lists; node ids are person ids (int32, so up to 2**31 - 1 people)."""
    check_person_ids(nodes)
    node = np.zeros((nodes, EXTRA + extra), dtype=np.int32)
    return DList(np.full(lists, NONE, np.int32), np.full(lists, NONE, np.int32), node)


def member_of(dl: DList) -> np.ndarray:
    """The list each node is in (NONE if in none)."""
    return dl.node[:, LST] - 1


@njit(cache=True, inline="always")
def push(dl, node, list_id):
    """Append `node` (not in any list of the family) at the tail of list `list_id`."""
    nd = dl.node
    tail = dl.tail[list_id]
    nd[node, PRV] = tail
    nd[node, NXT] = NONE
    nd[node, LST] = list_id + 1
    if tail == NONE:
        dl.head[list_id] = node
    else:
        nd[tail, NXT] = node
    dl.tail[list_id] = node


@njit(cache=True, inline="always")
def unlink(dl, node):
    """Take `node` out of whatever list of the family it is in (nothing if none)."""
    nd = dl.node
    list_id = nd[node, LST] - 1
    if list_id == NONE:
        return
    a, b = nd[node, PRV], nd[node, NXT]
    if a == NONE:
        dl.head[list_id] = b
    else:
        nd[a, NXT] = b
    if b == NONE:
        dl.tail[list_id] = a
    else:
        nd[b, PRV] = a
    nd[node, LST] = 0


@njit(cache=True, inline="always")
def pop_head(dl, list_id):
    """Unlink and return the first node of list `list_id`, or -1 if it is empty."""
    node = dl.head[list_id]
    if node != NONE:
        unlink(dl, node)
    return node
