"""The calendar of timed exits as day buckets of tokens, for compiled code.

A person who enters a state draws the day of their next timed exit (death, self-departure, adjustment, end of
protection) and, if it falls within the horizon, a token (person, tag) goes into that day's bucket; the tag
holds the person's `epoch` then and the kind of exit. Leaving the state raises the epoch, which makes the token
stale: nothing is unlinked, so a change of state reads and writes nothing here. The day's stage reads the
bucket in the order tokens were put in and skips the stale ones, which is the order and the membership a list
unlinked on every change of state would have (`links`), so results do not depend on which is used.

A bucket is a chain of blocks of BLOCK tokens taken from one shared pool. Only a minority of people have an exit
within the horizon at any time (a sixth at the start of the baseline), so the pool holds a token per person
plus a block per day twice over, half the memory of a list node per person. When the pool runs dry, the
buckets are compacted (stale tokens dropped, order kept); a person has at most one live token, so a pool of
that size always has room after compaction.

>>> import numpy as np
>>> ag = new_agenda(people=4, days=3)
>>> epoch = np.zeros(4, dtype=np.int32)
>>> for p in (3, 1, 2):
...     push(ag, epoch, 2, p, kind=p % 2)
>>> epoch[1] += 1  # person 1 changed state: their token is stale
>>> buf = np.zeros((BLOCK, 2), dtype=np.int32)
>>> n = take_block(ag, 2, buf)
>>> [(int(p), int(kind_of(t))) for p, t in buf[:n] if is_live(epoch, p, t)], take_block(ag, 2, buf)
([(3, 1), (2, 0)], -1)
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from .links import check_person_ids

BLOCK = 128  # tokens per block (1 KiB): a bucket's blocks are read in order, a day's stale tokens skipped
NONE = -1
WHO, TAG = 0, 1  # token columns: the person; epoch * KINDS + kind
KINDS = 4  # kinds of exit a tag can hold
SPARE, SPARE_COUNT, COMPACTIONS = 0, 1, 2  # slots of `spare`

Agenda = namedtuple("Agenda", ["first", "last", "after", "fill", "tokens", "spare"])
Agenda.__doc__ = ("Day buckets of tokens: each day's first and last block, each block's successor and fill, the "
                  "tokens [block, slot, (person, tag)], and the chain of spare blocks (its first block, its length, "
                  "compactions so far).")


def blocks_needed(people: int, days: int) -> int:
    """Blocks in the pool: every person's one live token, plus for each day a partly filled block twice over."""
    return -(-people // BLOCK) + 2 * days + 2


def new_agenda(people: int, days: int, blocks: int | None = None) -> Agenda:
    """Empty buckets for `days` days and a pool for `people` people (or exactly `blocks` blocks, for tests).

    Fewer blocks than `blocks_needed` only means more compactions, down to the point where a compaction cannot
    make room: the run then stops with an error rather than lose a token. The tokens are left unset: only the
    first fill[b] of block b are ever read.
    """
    check_person_ids(people)
    n = blocks_needed(people, days) if blocks is None else blocks
    after = np.arange(1, n + 1, dtype=np.int32)
    after[-1] = NONE
    return Agenda(np.full(days, NONE, np.int32), np.full(days, NONE, np.int32), after,
                  np.zeros(n, np.int32), np.empty((n, BLOCK, 2), np.int32), np.array([0, n, 0], np.int64))


@njit(cache=True, inline="always")
def kind_of(tag):
    return tag % KINDS


@njit(cache=True, inline="always")
def is_live(epoch, p, tag):
    """Whether a token is still the person's: they have not changed state since it was put in."""
    return epoch[p] == tag // KINDS


@njit(cache=True)
def push(ag, epoch, day, p, kind):
    """Put person `p`'s exit of `kind` (at their current epoch) at the end of day `day`'s bucket."""
    b = ag.last[day]
    if b == NONE or ag.fill[b] == BLOCK:
        if ag.spare[SPARE] == NONE:
            compact(ag, epoch)
            if ag.spare[SPARE] == NONE:
                raise RuntimeError("the calendar of exits is full even after dropping stale tokens")
            b = ag.last[day]  # compaction may have emptied the day's last block
        if b == NONE or ag.fill[b] == BLOCK:
            nb = np.int32(ag.spare[SPARE])
            ag.spare[SPARE] = ag.after[nb]
            ag.spare[SPARE_COUNT] -= 1
            ag.after[nb] = NONE
            ag.fill[nb] = 0
            if b == NONE:
                ag.first[day] = nb
            else:
                ag.after[b] = nb
            ag.last[day] = nb
            b = nb
    i = ag.fill[b]
    ag.tokens[b, i, WHO] = p
    ag.tokens[b, i, TAG] = epoch[p] * KINDS + kind
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


@njit(cache=True)
def take_block(ag, day, buf):
    """Copy the first block of day `day`'s bucket into buf[:n] and give the block back; returns n (-1 when the
    bucket is empty). Tokens being worked on are then out of the pool, where no compaction can move them."""
    b = ag.first[day]
    if b == NONE:
        return -1
    n = ag.fill[b]
    buf[:n] = ag.tokens[b, :n]
    ag.first[day] = ag.after[b]
    if ag.first[day] == NONE:
        ag.last[day] = NONE
    ag.after[b] = NONE
    _release(ag, b)
    return n


@njit(cache=True)
def compact(ag, epoch):
    """Drop the stale tokens of every bucket (those of days already read are empty), keeping the live ones in
    order, and give the blocks freed back to the pool. Every block of a bucket but its last is full, so the
    tokens kept are written over ones already read."""
    ag.spare[COMPACTIONS] += 1
    for d in range(len(ag.first)):
        b = ag.first[d]
        if b == NONE:
            continue
        wb, wi = b, 0  # where the next live token goes
        while b != NONE:
            for i in range(ag.fill[b]):
                p, tag = ag.tokens[b, i, WHO], ag.tokens[b, i, TAG]
                if is_live(epoch, p, tag):
                    if wi == BLOCK:
                        ag.fill[wb] = BLOCK
                        wb, wi = ag.after[wb], 0
                    ag.tokens[wb, wi, WHO], ag.tokens[wb, wi, TAG] = p, tag
                    wi += 1
            b = ag.after[b]
        if wi == 0:  # nothing live: the whole bucket goes back
            _release(ag, ag.first[d])
            ag.first[d] = ag.last[d] = NONE
        else:
            ag.fill[wb] = wi
            _release(ag, ag.after[wb])
            ag.after[wb] = NONE
            ag.last[d] = wb


def live_tokens(ag: Agenda, epoch: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every live token as (person, day, kind) arrays, day by day in bucket order (for tests and checks)."""
    who, days, kinds = [], [], []
    for d in range(len(ag.first)):
        b = ag.first[d]
        while b != NONE:
            t = ag.tokens[b, :ag.fill[b]]
            live = epoch[t[:, WHO]] == t[:, TAG] // KINDS
            who.append(t[live, WHO])
            days.append(np.full(int(live.sum()), d, np.int32))
            kinds.append(t[live, TAG] % KINDS)
            b = ag.after[b]
    if not who:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(who), np.concatenate(days), np.concatenate(kinds)
