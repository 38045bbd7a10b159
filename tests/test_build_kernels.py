"""The compiled passes of the starting-population build give exactly what their NumPy definitions give."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from removalsim.engine.counting_sort import stable_order
from removalsim.engine.pools import POOLS_PER_GROUP, room_needed
from removalsim.engine.prefetch import prefetch_row


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(st.integers(-3000, 3000), max_size=300), narrow=st.booleans())
def test_stable_order_is_the_stable_argsort(keys, narrow):
    keys = np.array(keys, dtype=np.int32 if narrow else np.int64) // (100 if narrow else 1)  # many ties
    assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))


@pytest.mark.parametrize("keys", [np.zeros(0, np.int64), np.array([7]), np.full(50, -4),
                                  np.array([0, 2**40, -(2**40), 5, 0])])  # empty, one, all tied, sparse
def test_stable_order_edge_cases(keys):
    got = stable_order(keys)
    assert got.dtype == np.int64 and np.array_equal(got, np.argsort(keys, kind="stable"))


def test_stable_order_refuses_what_it_cannot_sort():
    with pytest.raises(TypeError, match="1-d array of integers"):
        stable_order(np.array([0.5, 1.0]))


def numpy_room(criminal, noncoop, group, groups):
    """The definition: a group's criminal pools hold its people with a record, each other class those without."""
    room = np.zeros(groups * POOLS_PER_GROUP, dtype=np.int64)
    for g in range(groups):
        for nc in (0, 1):
            mine = (group == g) & (noncoop == bool(nc))
            room[g * POOLS_PER_GROUP + nc] = (criminal & mine).sum()
            room[g * POOLS_PER_GROUP + 2 + nc:(g + 1) * POOLS_PER_GROUP:2] = (~criminal & mine).sum()
    return room


@settings(max_examples=40, deadline=None)
@given(people=st.integers(0, 400), groups=st.integers(1, 6), seed=st.integers(0, 2**31))
def test_room_needed_counts_like_numpy(people, groups, seed):
    rng = np.random.default_rng(seed)
    criminal, noncoop = rng.random(people) < 0.3, rng.random(people) < 0.5
    group = rng.integers(0, groups, people).astype(np.int16)  # some groups may have nobody
    assert np.array_equal(room_needed(criminal, noncoop, group, groups), numpy_room(criminal, noncoop, group, groups))


def test_room_needed_refuses_bad_groups():
    with pytest.raises(ValueError, match="group is out of range"):
        room_needed(np.zeros(3, bool), np.zeros(3, bool), np.array([0, 2, 1], np.int16), 2)
    with pytest.raises(ValueError, match="one entry per person"):
        room_needed(np.zeros(3, bool), np.zeros(2, bool), np.zeros(3, np.int16), 1)


@njit
def _prefetch_everywhere(arr, rows):
    for r in rows:
        prefetch_row(arr, r)


def test_prefetch_changes_nothing_and_ignores_rows_outside():
    for arr in (np.arange(12, dtype=np.int32).reshape(6, 2), np.arange(5.0), np.zeros((0, 3), np.int32)):
        before = arr.copy()
        _prefetch_everywhere(arr, np.array([-(2**40), -1, 0, 3, len(arr), 2**40]))
        assert np.array_equal(arr, before)
