"""The calendar of timed exits (engine/agenda.py): day buckets of tokens, stale tokens skipped, compaction."""

import numpy as np
import pytest

from removalsim.engine import agenda
from removalsim.engine.agenda import BLOCK, NONE, compact, live_tokens, new_agenda, push, take_block


def _take_day(ag, epoch, day):
    """Every live token of the day, taken block by block, as (person, kind) pairs."""
    buf = np.zeros((BLOCK, 2), dtype=np.int32)
    out = []
    while (n := take_block(ag, day, buf)) >= 0:
        out += [(int(p), int(t % agenda.KINDS)) for p, t in buf[:n] if epoch[p] == t // agenda.KINDS]
    return out


def _chain_ok(ag):
    """Every block is in exactly one chain (a day's bucket or the spare chain); all blocks of a bucket but its last
    are full; `last` is the end of each bucket; the spare count is the spare chain's length."""
    seen = np.zeros(len(ag.after), dtype=int)
    for d in range(len(ag.first)):
        b, end = ag.first[d], NONE
        while b != NONE:
            seen[b] += 1
            assert ag.fill[b] == BLOCK or ag.after[b] == NONE
            end, b = b, ag.after[b]
        assert ag.last[d] == end
    b, spare = ag.spare[agenda.SPARE], 0
    while b != NONE:
        seen[b] += 1
        spare += 1
        b = ag.after[b]
    assert spare == ag.spare[agenda.SPARE_COUNT]
    assert (seen == 1).all()


def test_random_changes_of_state_read_back_as_a_list_would_give_them():
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
            p = int(rng.integers(people))
            epoch[p] += 1  # leaves the state: any earlier token of p is stale
            for d in range(days):
                want[d] = [(q, k) for q, k in want[d] if q != p]
            day, kind = int(rng.integers(today, days)), int(rng.integers(agenda.KINDS))
            push(ag, epoch, day, p, kind)
            want[day].append((p, kind))
        _chain_ok(ag)
        assert _take_day(ag, epoch, today) == want[today]
        want[today] = []
        _chain_ok(ag)
    assert ag.spare[agenda.COMPACTIONS] > 10
    assert ag.spare[agenda.SPARE_COUNT] == len(ag.after)  # every block back in the pool


def test_compaction_keeps_live_tokens_in_order_and_frees_whole_blocks():
    epoch = np.zeros(3 * BLOCK, dtype=np.int32)
    ag = new_agenda(3 * BLOCK, 2, blocks=5)
    for p in range(3 * BLOCK):  # three full blocks on day 1
        push(ag, epoch, 1, p, p % agenda.KINDS)
    epoch[::2] += 1  # half go stale
    spare = int(ag.spare[agenda.SPARE_COUNT])
    compact(ag, epoch)
    _chain_ok(ag)
    assert ag.spare[agenda.SPARE_COUNT] == spare + 1  # 192 live tokens fill two blocks: one freed
    who, day, kind = live_tokens(ag, epoch)
    assert who.tolist() == list(range(1, 3 * BLOCK, 2)) and set(day.tolist()) == {1}
    assert (kind == who % agenda.KINDS).all()


def test_a_pool_that_cannot_make_room_stops_the_run_with_an_error():
    """Two people keep live tokens on two days in a one-block pool: no compaction can make room, and the push
    raises instead of losing a token."""
    epoch = np.zeros(2, dtype=np.int32)
    ag = new_agenda(2, 3, blocks=1)
    push(ag, epoch, 1, 0, 0)
    with pytest.raises(RuntimeError, match="calendar of exits is full"):
        push(ag, epoch, 2, 1, 0)
    assert live_tokens(ag, epoch)[0].tolist() == [0]


def test_the_default_pool_has_a_block_a_day_twice_over_beyond_a_token_a_person():
    ag = new_agenda(1000, 30)
    assert len(ag.after) == -(-1000 // BLOCK) + 2 * 30 + 2
    assert ag.spare[agenda.SPARE_COUNT] == len(ag.after) and (ag.first == NONE).all()
