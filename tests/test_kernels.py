"""The compiled kernels compute exactly what their NumPy definitions compute."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _awkward_totals(rng):
    """Running totals the search must handle: constant, stepped, with flat stretches (a hazard of zero for a
    while), with jumps, tiny, and flat from the start."""
    days = 400
    rates = [np.full(days, 0.002), np.where(np.arange(days) < 200, 0.0005, 0.03),
             np.where((np.arange(days) // 50) % 2 == 0, 0.0, 0.01),
             rng.exponential(0.01, days) * (rng.random(days) < 0.1),
             np.full(days, 1e-9), np.zeros(days), np.where(np.arange(days) > 380, 5.0, 0.0)]
    return [np.concatenate([[0.0], np.cumsum(r)]) for r in rates]


def test_hazard_search_is_numpys_searchsorted_from_the_day_after():
    """The guessed-and-galloped search gives max(np.searchsorted(cum, target), day + 1) exactly, on every day of
    awkward running totals, for targets equal to entries (ties, also along flat stretches), just off them, in
    between, below today's total and beyond the horizon; and so does the draw's search for draws near 0 and 1."""
    from removalsim.engine.transitions import _hazard_search, first_reaching

    rng = np.random.default_rng(3)
    u = np.concatenate([rng.random(20), [1e-300, 1e-12, 0.5, 1 - 1e-12, 1 - 2**-53]])
    for cum in _awkward_totals(rng):
        off = np.concatenate([cum, np.nextafter(cum, np.inf), np.nextafter(cum, -np.inf), [cum[-1] + 1, -1.0]])
        for day in range(len(cum) - 1):
            targets = np.concatenate([off[rng.integers(0, len(off), 60)], cum[day] - np.log(u)])
            want = np.maximum(np.searchsorted(cum, targets, side="left"), day + 1)
            got = np.array([first_reaching(cum, day, t) for t in targets])
            assert np.array_equal(want, got), (cum[:3], day)
            drawn = np.array([_hazard_search(cum, day, x) for x in u])
            assert np.array_equal(want[-len(u):], drawn)


def test_hazard_draw_inverts_the_running_total_like_numpy():
    """transitions.hazard_day gives the day of the plain NumPy inversion of the running total (> today),
    or the horizon when that day falls beyond it (found there without the search)."""
    from removalsim.engine.transitions import hazard_day
    from removalsim.engine.transitions import unseen

    s = Streams(5)
    cum = np.concatenate([[0.0], np.cumsum(np.linspace(0.001, 0.02, 300))])
    horizon = len(cum) - 1
    ids = np.arange(3000, dtype=np.int64)
    ep = (ids % 5).astype(np.int32)
    for day in (0, 17, 150, horizon - 1):
        u = s.uniform("h", ids, ep)
        want = np.maximum(np.searchsorted(cum, cum[day] - np.log(u), side="left"), day + 1)
        got = np.array([hazard_day(cum, unseen(cum), day, p, e, s.key("h")) for p, e in zip(ids, ep)])
        assert np.array_equal(np.minimum(want, horizon), got)
        assert (got > day).all() and (got == horizon).any()  # some fall beyond the horizon
