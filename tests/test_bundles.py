"""A run's bundle (engine/bundles.py) reaches compiled code without reference counting, yet is freed exactly once.

Compiled code takes and drops no reference to the bundle or to its arrays (their data models report none), so
the only reference is the Python proxy's: the bundle must live while the proxy does, and go when it goes,
leaking nothing the day loop allocated.
"""

from __future__ import annotations

import gc
import re

import numpy as np
import pytest
from numba import njit, typeof, types
from numba.core.datamodel import default_manager
from numba.core.runtime import _nrt_python as nrt

from removalsim.engine import loop
from removalsim.engine.bundles import BorrowedArray, bundle_of
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


def test_the_bundle_and_its_arrays_carry_no_reference_count():
    bundle = bundle_of(loop.new_world(load_scenario("baseline"), 0.05, 0, 2e-4))
    bundle_type = typeof(bundle)
    for t in [bundle_type] + [t for t in bundle_type.field_dict.values() if isinstance(t, types.Array)]:
        model = default_manager.lookup(t)
        assert not model.has_nrt_meminfo() and not model.contains_nrt_meminfo(), t
    assert sum(isinstance(t, BorrowedArray) for t in bundle_type.field_dict.values()) > 50


def test_compiled_reads_of_a_bundle_call_no_reference_counting():
    @njit
    def read(S, p):
        return S.counts[0, 0] + S.tally[0] + S.group[p] + S.line.node[p, 0]

    w = loop.new_world(load_scenario("baseline"), 0.05, 0, 2e-4)
    assert read(bundle_of(w), 3) == w.counts[0, 0] + w.tally[0] + w.people.group[3] + w.line.node[3, 0]
    llvm = read.inspect_llvm(read.signatures[0])
    compiled = [f for f in llvm.split("\ndefine ")[1:]
                if "4readB" in f.split("(")[0] and "cpython" not in f.split("(")[0]]  # not the Python wrapper
    assert any("ret i32 0" in f for f in compiled)  # the function itself is among them
    assert not any(re.search(r"call [^\n]*@NRT_(incref|decref)", f) for f in compiled)


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
