"""The vocabulary: every state, flow, cost and wait has a label and a unit, and the named groups are what they say."""

from __future__ import annotations

import numpy as np

from removalsim import vocabulary as v


def test_every_member_has_a_label_and_a_unit():
    for enum in (v.State, v.Flow, v.Cost, v.Wait):
        for member in enum:
            assert v.label(member) and v.unit(member)
    assert len({v.label(f) for f in v.Flow}) == v.N_FLOWS, "two flows share a label"


def test_labels_do_not_mix_enums_whose_members_are_equal_ints():
    assert v.State.NO_CASE == v.Flow.ARRIVAL_BORDER_RELEASE  # both 0: lookups must be by type
    assert v.label(v.State.NO_CASE) != v.label(v.Flow.ARRIVAL_BORDER_RELEASE)
    assert v.unit(v.Cost.ARREST) == "USD" and v.unit(v.State.REMOVED) == "people"


def test_groups_partition_the_states():
    everyone = set(v.State)
    assert set(v.CUSTODY) | set(v.AT_LARGE) | set(v.TERMINAL) == everyone
    assert not set(v.CUSTODY) & set(v.AT_LARGE) and not set(v.TERMINAL) & (set(v.CUSTODY) | set(v.AT_LARGE))
    assert set(v.ARRESTABLE) <= set(v.AT_LARGE) and set(v.BACKLOG) <= set(v.PENDING)


def test_mask_marks_exactly_the_group():
    m = v.mask(v.CUSTODY)
    assert m.dtype == np.bool_ and m.shape == (v.N_STATES,)
    assert sorted(np.flatnonzero(m)) == sorted(int(s) for s in v.CUSTODY)
    assert v.measure_names(v.BACKLOG) == ("case_pending", "detained_pending")
