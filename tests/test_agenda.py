"""Lines and the calendar of exits as lists of tokens (engine/agenda.py): stale tokens skipped, compaction."""

import numpy as np
import pytest

from removalsim.engine import agenda
from removalsim.engine.agenda import (BLOCK, EPOCH, EXTRA, NONE, WHO, ahead, compact, first_live, front,
                                      live_tokens, new_agenda, pop, push, take_block)


def _take_list(ag, epoch, lst):
    """Every live token of a list, taken block by block (as the calendar's stages do), as (person, extra)."""
    buf = np.zeros((BLOCK, 3), dtype=np.int32)
    out = []
    while (n := take_block(ag, lst, buf)) >= 0:
        out += [(int(t[WHO]), int(t[EXTRA])) for t in buf[:n] if epoch[t[WHO]] == t[EPOCH]]
    return out


def _chain_ok(ag):
    """Every block is in exactly one chain (a list or the spare chain); all blocks of a list but its last are
    full; `last` ends each list; the front of a list is inside its first block; the spare count is right."""
    seen = np.zeros(len(ag.after), dtype=int)
    for lst in range(len(ag.first)):
        b, end = ag.first[lst], NONE
        if b != NONE:
            assert 0 <= ag.head_at[lst] < ag.fill[b]
        while b != NONE:
            seen[b] += 1
            assert ag.fill[b] == BLOCK or ag.after[b] == NONE
            end, b = b, ag.after[b]
        assert ag.last[lst] == end
    b, spare = ag.spare[agenda.SPARE], 0
    while b != NONE:
        seen[b] += 1
        spare += 1
        b = ag.after[b]
    assert spare == ag.spare[agenda.SPARE_COUNT]
    assert (seen == 1).all()


def _change_state(rng, epoch, want, people):
    """A random person leaves their state: their live token, wherever it is, goes stale."""
    p = int(rng.integers(people))
    epoch[p] += 1
    for lst in want:
        lst[:] = [(q, x) for q, x in lst if q != p]
    return p


def test_a_calendar_read_a_day_at_a_time_gives_what_an_unlinked_list_would():
    """People change state at random (their old token goes stale) and draw an exit on one of a few days, in a pool
    so small it is compacted again and again; each day, read when it comes, gives exactly the live exits in the
    order they were drawn, as a list unlinked on every change of state would."""
    rng = np.random.default_rng(7)
    people, days = 60, 4
    ag = new_agenda(people, days, blocks=days + 2)  # room for a few hundred tokens: live ones at most 60
    epoch = np.zeros(people, dtype=np.int32)
    want: list[list[tuple[int, int]]] = [[] for _ in range(days)]
    for today in range(days):
        for _ in range(3000):
            p = _change_state(rng, epoch, want, people)
            day, kind = int(rng.integers(today, days)), int(rng.integers(4))
            push(ag, epoch, day, p, kind)
            want[day].append((p, kind))
        _chain_ok(ag)
        assert _take_list(ag, epoch, today) == want[today]
        want[today] = []
        _chain_ok(ag)
    assert ag.spare[agenda.COMPACTIONS] > 10
    assert ag.spare[agenda.SPARE_COUNT] == len(ag.after)  # every block back in the pool


def test_lines_served_from_the_front_give_what_an_unlinked_list_would():
    """Lines joined, left (stale) and served a token at a time from the front, in a small pool compacted while
    lines are part-served: the first live person, their ready day, and the people a few places on (`ahead`, stale
    or not) are what a list unlinked on every change of state would give, in order."""
    rng = np.random.default_rng(11)
    people, lines = 200, 3
    ag = new_agenda(people, lines, blocks=lines + 3)
    epoch = np.zeros(people, dtype=np.int32)
    want: list[list[tuple[int, int]]] = [[] for _ in range(lines)]  # live (person, ready) in order
    tokens: list[list[tuple[int, int]]] = [[] for _ in range(lines)]  # every token still in the list, live or not
    for step in range(20000):
        lst = int(rng.integers(lines))
        if rng.random() < 0.85:
            p = _change_state(rng, epoch, want, people)
            want[lst].append((p, step))
            tokens[lst].append((p, int(epoch[p])))
            compactions = int(ag.spare[agenda.COMPACTIONS])
            push(ag, epoch, lst, p, step)
            if ag.spare[agenda.COMPACTIONS] > compactions:  # the push compacted every list: stale tokens gone
                tokens = [[(q, e) for q, e in t if epoch[q] == e] for t in tokens]
            continue
        got = first_live(ag, epoch, lst)
        while tokens[lst] and epoch[tokens[lst][0][0]] != tokens[lst][0][1]:
            tokens[lst].pop(0)  # first_live drops the stale tokens in front
        assert got == (want[lst][0][0] if want[lst] else NONE)
        if got == NONE:
            continue
        assert front(ag, lst, EXTRA) == want[lst][0][1]
        assert pop(ag, lst) == got
        want[lst].pop(0)
        tokens[lst].pop(0)
        k = int(rng.integers(BLOCK))
        assert ahead(ag, lst, k) == (tokens[lst][k][0] if k < len(tokens[lst]) else NONE)
    _chain_ok(ag)
    assert ag.spare[agenda.COMPACTIONS] > 10
    who, lst_of, extra = live_tokens(ag, epoch)
    for lst in range(lines):
        assert list(zip(who[lst_of == lst].tolist(), extra[lst_of == lst].tolist())) == want[lst]


def test_compaction_keeps_live_tokens_in_order_and_frees_whole_blocks():
    epoch = np.zeros(3 * BLOCK, dtype=np.int32)
    ag = new_agenda(3 * BLOCK, 2, blocks=5)
    for p in range(3 * BLOCK):  # three full blocks in list 1
        push(ag, epoch, 1, p, p % 4)
    assert pop(ag, 1) == 0 and pop(ag, 1) == 1  # read from the middle of the first block
    epoch[::2] += 1  # half go stale
    spare = int(ag.spare[agenda.SPARE_COUNT])
    compact(ag, epoch)
    _chain_ok(ag)
    assert ag.spare[agenda.SPARE_COUNT] == spare + 1  # 191 live tokens fill two blocks: one freed
    who, lst, kind = live_tokens(ag, epoch)
    assert who.tolist() == list(range(3, 3 * BLOCK, 2)) and set(lst.tolist()) == {1}
    assert (kind == who % 4).all()
    assert first_live(ag, epoch, 1) == 3 and ahead(ag, 1, BLOCK - 1) == 3 + 2 * (BLOCK - 1)


def test_a_pool_that_cannot_make_room_stops_the_run_with_an_error():
    """Two people keep live tokens in two lists of a one-block pool: no compaction can make room, and the push
    raises instead of losing a token."""
    epoch = np.zeros(2, dtype=np.int32)
    ag = new_agenda(2, 3, blocks=1)
    push(ag, epoch, 1, 0, 0)
    with pytest.raises(RuntimeError, match="full even after dropping stale tokens"):
        push(ag, epoch, 2, 1, 0)
    assert live_tokens(ag, epoch)[0].tolist() == [0]


def test_the_default_pool_has_two_blocks_a_list_beyond_a_token_a_person():
    ag = new_agenda(1000, 30)
    assert len(ag.after) == -(-1000 // BLOCK) + 2 * 30 + 2
    assert ag.spare[agenda.SPARE_COUNT] == len(ag.after) and (ag.first == NONE).all()
