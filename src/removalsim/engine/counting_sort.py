"""A stable sort of small-range integer keys in linear time, compiled (Numba).

The starting stock's lines are queued by the day each person joined them: a few
million keys spanning a few thousand days. A counting sort orders them in two
passes where a comparison sort takes n log n; it returns exactly the permutation
`np.argsort(keys, kind="stable")` returns.

>>> import numpy as np
>>> stable_order(np.array([3, -1, 3, 0, -1])).tolist()
[1, 4, 3, 0, 2]
"""

from __future__ import annotations

import numpy as np
from numba import njit

SPREAD = 4  # a key range wider than this many times the number of keys is sorted by comparison instead


def stable_order(keys: np.ndarray) -> np.ndarray:
    """The indices that sort integer `keys` ascending, ties in their original order (as a stable argsort)."""
    keys = np.asarray(keys)
    if keys.ndim != 1 or not np.issubdtype(keys.dtype, np.integer):
        raise TypeError(f"stable_order sorts a 1-d array of integers, not {keys.dtype} of shape {keys.shape}")
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    lo, hi = int(keys.min()), int(keys.max())
    if hi - lo >= SPREAD * len(keys) + 1024:  # sparse keys: counting would walk mostly empty buckets
        return np.argsort(keys, kind="stable")
    return _counting_order(keys.astype(np.int64, copy=False), lo, hi - lo + 1)


@njit(cache=True)
def _counting_order(keys, lo, buckets):
    """Counting sort of keys in lo..lo+buckets-1: count each key, turn counts into starts, place indices in order."""
    start = np.zeros(buckets + 1, dtype=np.int64)
    for i in range(len(keys)):
        b = keys[i] - lo
        if b < 0 or b >= buckets:
            raise ValueError("a key lies outside the range given")
        start[b + 1] += 1
    for b in range(buckets):
        start[b + 1] += start[b]
    out = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        b = keys[i] - lo
        out[start[b]] = i
        start[b] += 1
    return out
