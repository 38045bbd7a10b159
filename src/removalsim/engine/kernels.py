"""The counter-based random numbers, compiled (Numba): one hash per draw, usable from any compiled stage.

They compute exactly what their NumPy definitions compute (bit for bit;
`tests/test_kernels.py` checks this), so draws do not depend on whether they
are made in compiled code or from Python.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0


@njit(cache=True, inline="always")
def _mix(x):
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


@njit(cache=True, inline="always")
def _unit(pid, counter, key):
    x = np.uint64(pid) * _GOLDEN
    x ^= np.uint64(counter) * _C2 + key
    x = _mix(_mix(x))
    return (np.float64(x >> _S11) + 0.5) * _TO_UNIT


@njit(cache=True)
def uniform(ids, counters, key):
    """Counter-based uniforms in (0, 1): the hash of (key, person id, counter) for each person."""
    out = np.empty(len(ids), dtype=np.float64)
    for i in range(len(ids)):
        out[i] = _unit(ids[i], counters[i], key)
    return out


@njit(cache=True)
def uniform_same_counter(ids, counter, key):
    """As `uniform`, with one counter for everyone."""
    out = np.empty(len(ids), dtype=np.float64)
    for i in range(len(ids)):
        out[i] = _unit(ids[i], counter, key)
    return out
