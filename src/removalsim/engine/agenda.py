"""Lines and the calendar of timed exits as lists of tokens kept in blocks, for compiled code.

A person who joins a line (a court docket, a document or transport line, the countries' answers due on a day) or
draws a timed exit within the horizon (death, self-departure, adjustment, end of protection; one list per day)
gets a token (person, epoch, extra) at the end of that list: their `epoch` then, and the day they are ready to be
served or the kind of exit. Leaving a state raises the epoch, which makes the person's tokens stale: nothing is
unlinked, so a change of state reads and writes nothing here. Lists are read from the front in the order tokens
went in, skipping stale ones, which is the order and membership a linked list unlinked on every change of state
would have (`links`), so results do not depend on which is used; and the tokens a few places ahead are known
without following links, so their people's records can be fetched early.

A list is a chain of blocks of BLOCK tokens taken from one shared pool, read from `head_at` in its first block.
A person has at most one live token in a family (one line, one timed exit), so a pool with room for a token per
person plus two blocks per list always has room once stale tokens are dropped: when it runs dry, every list is
compacted (stale tokens dropped, order kept). Only a minority of people are in a line or have an exit within the
horizon at any time, so the blocks in use are a fraction of the pool, which is allocated untouched.

>>> import numpy as np
>>> ag = new_agenda(people=4, lists=3)
>>> epoch = np.zeros(4, dtype=np.int32)
>>> for p in (3, 1, 2):
...     push(ag, epoch, 2, p, p * 10)
>>> epoch[1] += 1  # person 1 changed state: their token is stale
>>> [(int(first_live(ag, epoch, 2)), int(front(ag, 2, EXTRA)), int(pop(ag, 2))) for _ in range(2)]
[(3, 30, 3), (2, 20, 2)]
>>> int(first_live(ag, epoch, 2)), int(ag.spare[SPARE_COUNT]) == len(ag.after)  # empty; its block given back
(-1, True)
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

BLOCK = 128  # tokens per block
NONE = -1
WHO, EPOCH, EXTRA = 0, 1, 2  # token columns: the person, their epoch when it went in, ready day or kind of exit
SPARE, SPARE_COUNT, COMPACTIONS = 0, 1, 2  # slots of `spare`

Agenda = namedtuple("Agenda", ["first", "last", "head_at", "after", "fill", "tokens", "spare"])
Agenda.__doc__ = ("Lists of tokens in blocks: each list's first and last block and where it is read from in the "
                  "first; each block's successor and fill; the tokens [block, slot, (person, epoch, extra)]; and "
                  "the chain of spare blocks (its first block, its length, compactions so far).")


def blocks_needed(people: int, lists: int) -> int:
    """Blocks in the pool: every person's one live token, plus for each list a partly filled block twice over."""
    return -(-people // BLOCK) + 2 * lists + 2


def new_agenda(people: int, lists: int, blocks: int | None = None) -> Agenda:
    """Empty lists and a pool for `people` people (or exactly `blocks` blocks, for tests).

    Fewer blocks than `blocks_needed` only means more compactions, down to the point where a compaction cannot
    make room: the run then stops with an error rather than lose a token.
    """
    if people >= np.iinfo(np.int32).max:
        raise ValueError(f"{people:,} people exceed the engine's limit of {np.iinfo(np.int32).max - 1:,}")
    n = blocks_needed(people, lists) if blocks is None else blocks
    after = np.arange(1, n + 1, dtype=np.int32)
    after[-1] = NONE
    return Agenda(np.full(lists, NONE, np.int32), np.full(lists, NONE, np.int32), np.zeros(lists, np.int32), after,
                  np.zeros(n, np.int32), np.zeros((n, BLOCK, 3), np.int32), np.array([0, n, 0], np.int64))


@njit(cache=True)
def push(ag, epoch, lst, p, extra):
    """Put person `p` (at their current epoch) at the end of list `lst`, with `extra`."""
    b = ag.last[lst]
    if b == NONE or ag.fill[b] == BLOCK:
        if ag.spare[SPARE] == NONE:
            compact(ag, epoch)
            if ag.spare[SPARE] == NONE:
                raise RuntimeError("the engine's lines or calendar of exits are full even after dropping stale "
                                   "tokens")
            b = ag.last[lst]  # compaction may have emptied the list's last block
        if b == NONE or ag.fill[b] == BLOCK:
            nb = np.int32(ag.spare[SPARE])
            ag.spare[SPARE] = ag.after[nb]
            ag.spare[SPARE_COUNT] -= 1
            ag.after[nb] = NONE
            ag.fill[nb] = 0
            if b == NONE:
                ag.first[lst] = nb
                ag.head_at[lst] = 0
            else:
                ag.after[b] = nb
            ag.last[lst] = nb
            b = nb
    i = ag.fill[b]
    ag.tokens[b, i, WHO] = p
    ag.tokens[b, i, EPOCH] = epoch[p]
    ag.tokens[b, i, EXTRA] = extra
    ag.fill[b] = i + 1


@njit(cache=True, inline="always")
def _release(ag, b):
    """Give block `b` (and the rest of its chain) back to the spare chain."""
    while b != NONE:
        nb = ag.after[b]
        ag.after[b] = ag.spare[SPARE]
        ag.spare[SPARE] = b
        ag.spare[SPARE_COUNT] += 1
        b = nb


@njit(cache=True, inline="always")
def _drop_first_block(ag, lst):
    b = ag.first[lst]
    ag.first[lst] = ag.after[b]
    if ag.first[lst] == NONE:
        ag.last[lst] = NONE
    ag.head_at[lst] = 0
    ag.after[b] = NONE
    _release(ag, b)


@njit(cache=True, inline="always")
def pop(ag, lst):
    """Take the token at the front of list `lst` (which has one) off it; returns its person."""
    b = ag.first[lst]
    i = ag.head_at[lst]
    p = ag.tokens[b, i, WHO]
    if i + 1 == ag.fill[b]:
        _drop_first_block(ag, lst)
    else:
        ag.head_at[lst] = i + 1
    return p


@njit(cache=True, inline="always")
def front(ag, lst, column):
    """A column of the token at the front of list `lst` (which has one)."""
    return ag.tokens[ag.first[lst], ag.head_at[lst], column]


@njit(cache=True)
def first_live(ag, epoch, lst):
    """Drop the stale tokens at the front of list `lst`; returns the person of the first live one (-1: none)."""
    while ag.first[lst] != NONE:
        b, i = ag.first[lst], ag.head_at[lst]
        p = ag.tokens[b, i, WHO]
        if epoch[p] == ag.tokens[b, i, EPOCH]:
            return p
        pop(ag, lst)
    return NONE


@njit(cache=True, inline="always")
def ahead(ag, lst, k):
    """The person of the k-th token after the front of list `lst`, live or not (k < BLOCK; -1: none)."""
    b = ag.first[lst]
    if b == NONE:
        return NONE
    i = ag.head_at[lst] + k
    if i < ag.fill[b]:
        return ag.tokens[b, i, WHO]
    b = ag.after[b]
    i -= BLOCK
    if b == NONE or i >= ag.fill[b]:
        return NONE
    return ag.tokens[b, i, WHO]


@njit(cache=True)
def take_block(ag, lst, buf):
    """Copy the unread tokens of the first block of list `lst` into buf[:n] and give the block back; returns n
    (-1 when the list is empty). Tokens being worked on are then out of the pool, where no compaction moves them."""
    b = ag.first[lst]
    if b == NONE:
        return -1
    i = ag.head_at[lst]
    n = ag.fill[b] - i
    buf[:n] = ag.tokens[b, i:i + n]
    _drop_first_block(ag, lst)
    return n


@njit(cache=True)
def compact(ag, epoch):
    """Drop the stale tokens of every list, keeping the live ones in order, and give the blocks freed back to the
    pool. Every block of a list but its last is full, so the tokens kept are written over ones already read."""
    ag.spare[COMPACTIONS] += 1
    for lst in range(len(ag.first)):
        b = ag.first[lst]
        if b == NONE:
            continue
        wb, wi, i = b, 0, ag.head_at[lst]  # where the next live token goes; where reading starts
        while b != NONE:
            for j in range(i, ag.fill[b]):
                p = ag.tokens[b, j, WHO]
                if epoch[p] == ag.tokens[b, j, EPOCH]:
                    if wi == BLOCK:
                        ag.fill[wb] = BLOCK
                        wb, wi = ag.after[wb], 0
                    ag.tokens[wb, wi] = ag.tokens[b, j]
                    wi += 1
            b, i = ag.after[b], 0
        ag.head_at[lst] = 0
        if wi == 0:  # nothing live: the whole list goes back
            _release(ag, ag.first[lst])
            ag.first[lst] = ag.last[lst] = NONE
        else:
            ag.fill[wb] = wi
            _release(ag, ag.after[wb])
            ag.after[wb] = NONE
            ag.last[lst] = wb


def live_tokens(ag: Agenda, epoch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every live token as (person, list, extra) arrays, list by list from the front (for tests and checks)."""
    who, lists, extra = [np.zeros(0, np.int32)], [np.zeros(0, np.int32)], [np.zeros(0, np.int32)]
    for lst in range(len(ag.first)):
        b, i = ag.first[lst], ag.head_at[lst]
        while b != NONE:
            t = ag.tokens[b, i:ag.fill[b]]
            live = epoch[t[:, WHO]] == t[:, EPOCH]
            who.append(t[live, WHO])
            lists.append(np.full(int(live.sum()), lst, np.int32))
            extra.append(t[live, EXTRA])
            b, i = ag.after[b], 0
    return np.concatenate(who), np.concatenate(lists), np.concatenate(extra)


def list_of(ag: Agenda, epoch: np.ndarray, people: int) -> np.ndarray:
    """The list each of the first `people` people has a live token in (NONE if none)."""
    out = np.full(people, NONE, np.int32)
    who, lists, _ = live_tokens(ag, epoch)
    keep = who < people
    out[who[keep]] = lists[keep]
    return out
