"""A run's bundle (engine/bundles.py) reaches compiled code without reference counting, yet is freed exactly once.

Compiled code takes and drops no reference to the bundle (its data model reports none), so the only reference is
the Python proxy's: the bundle must live while the proxy does, and go when it goes, leaking nothing the day loop
allocated.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest
from numba.core.runtime import _nrt_python as nrt

from removalsim.engine import loop
from removalsim.engine.bundles import bundle_of
from removalsim.engine.generated import run_days
from removalsim.scenario import load_scenario


@pytest.fixture
def nrt_stats():
    """Count the compiled runtime's allocations and frees for the length of a test."""
    was_on = nrt.memsys_stats_enabled()
    nrt.memsys_enable_stats()
    yield lambda: (nrt.memsys_get_stats_mi_alloc(), nrt.memsys_get_stats_mi_free())
    if not was_on:
        nrt.memsys_disable_stats()


def test_the_bundle_type_carries_no_reference_count():
    bundle = bundle_of(loop.new_world(load_scenario("baseline"), 0.05, 0, 2e-4))
    from numba import typeof
    from numba.core.datamodel import default_manager

    model = default_manager.lookup(typeof(bundle))
    assert not model.has_nrt_meminfo() and not model.contains_nrt_meminfo()


def test_a_bundle_lives_as_long_as_its_proxy_and_is_freed_once(nrt_stats):
    w = loop.new_world(load_scenario("baseline"), 0.2, 0, 2e-4)
    gc.collect()
    alloc0, free0 = nrt_stats()
    w.reserve_waits(loop.most_waits(w.inp, 0, 60))  # room in the log for the waits of the 60 days
    bundle = bundle_of(w)
    run_days(bundle, 0, 30)
    run_days(bundle, 30, 60)  # the same bundle, still whole after a compiled call
    assert bundle._meminfo.refcount == 1  # the proxy's own reference, and no other
    alloc1, free1 = nrt_stats()
    assert alloc1 - free1 == alloc0 - free0 + 1  # only the bundle outlives the calls
    del bundle
    gc.collect()
    alloc2, free2 = nrt_stats()
    assert alloc2 - free2 == alloc0 - free0  # ... and it is freed with its proxy
    assert w.events > 0 and np.all(w.counts >= 0)
