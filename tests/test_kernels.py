"""The compiled kernels compute exactly what their NumPy definitions compute."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from removalsim.engine import kernels
from removalsim.engine.rng import Streams

# The hash written out in NumPy, as the definition the compiled kernel must match (SplitMix64 finaliser,
# applied twice to id x golden ratio XOR (counter x C2 + stream key)).
GOLDEN, C2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xD1B54A32D192ED03)
M1, M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def mix(x):
    x = (x ^ (x >> np.uint64(30))) * M1
    x = (x ^ (x >> np.uint64(27))) * M2
    return x ^ (x >> np.uint64(31))


def numpy_uniform(s: Streams, name, ids, counter):
    with np.errstate(over="ignore"):
        x = ids.astype(np.uint64) * GOLDEN
        x ^= np.asarray(counter).astype(np.uint64) * C2 + s.key(name)
        b = mix(mix(x)) >> np.uint64(11)
    return (b.astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**31), ids=st.lists(st.integers(0, 2**40), min_size=0, max_size=50),
       counter=st.integers(0, 2**31 - 1))
def test_uniform_kernel_equals_the_numpy_hash(seed, ids, counter):
    s = Streams(seed)
    ids = np.array(ids, dtype=np.int64)
    counters = (ids * 7 + counter) % (2**31)
    assert np.array_equal(s.uniform("x", ids, counter), numpy_uniform(s, "x", ids, counter))
    assert np.array_equal(s.uniform("x", ids, counters), numpy_uniform(s, "x", ids, counters))


def test_hazard_days_inverts_the_running_total_like_numpy():
    s = Streams(3)
    cum = np.concatenate([[0.0], np.cumsum(np.full(400, 0.01))])
    ids = np.arange(1000, dtype=np.int64)
    ep = np.arange(1000, dtype=np.int32) % 5
    day = 17
    want = np.maximum(np.searchsorted(cum, cum[day] - np.log(s.uniform("h", ids, ep)), side="left"), day + 1)
    got = kernels.hazard_days(cum, day, ids, ep, s.key("h"))
    assert np.array_equal(got, want)
    assert (got > day).all() and (got == len(cum)).any()  # some fall beyond the horizon


def test_the_engine_hazard_draw_skips_only_draws_beyond_the_horizon():
    """transitions.hazard_day (with its no-search shortcut) gives the same day as the plain inversion,
    or the horizon when the plain inversion falls beyond it."""
    from removalsim.engine.transitions import hazard_day
    from removalsim.engine.world import unseen

    s = Streams(5)
    cum = np.concatenate([[0.0], np.cumsum(np.linspace(0.001, 0.02, 300))])
    horizon = len(cum) - 1
    ids = np.arange(3000, dtype=np.int64)
    for day in (0, 150, horizon - 1):
        want = kernels.hazard_days(cum, day, ids, np.zeros(3000, np.int32), s.key("h"))
        got = np.array([hazard_day(cum, unseen(cum), day, p, 0, s.key("h")) for p in ids])
        assert np.array_equal(np.minimum(want, horizon), got)
