"""Named random streams derived from the scenario seed; the only source of randomness in the engine.

Per-person draws are counter-based: a draw is a hash of (seed, stream name, person
id, counter), so it does not depend on the order in which people are processed,
on how many other draws were made, or on the process that makes it. Two
scenarios run with the same seed give the same person the same draw for the same
decision (common random numbers). The counter is normally the person's epoch (the
number of state changes so far), so each stay in a state gets fresh draws.

>>> s = Streams(seed=1)
>>> import numpy as np
>>> u = s.uniform("court.outcome", np.arange(5), 0)
>>> bool(((u > 0) & (u < 1)).all()), s.uniform("court.outcome", np.arange(5), 0).tolist() == u.tolist()
(True, True)
"""

from __future__ import annotations

import hashlib

import numpy as np

from . import kernels


def stream_key(seed: int, name: str) -> int:
    """A 64-bit key for a named stream."""
    return int.from_bytes(hashlib.blake2b(f"{seed}/{name}".encode(), digest_size=8).digest(), "little")


class Streams:
    """Counter-based uniform draws keyed by (stream, person, counter)."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, np.uint64] = {}

    def key(self, name: str) -> np.uint64:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = np.uint64(stream_key(self.seed, name))
        return k

    def uniform(self, name: str, ids: np.ndarray, counter: np.ndarray | int) -> np.ndarray:
        """Uniform draws in the open interval (0, 1): a SplitMix64 hash of (key, id, counter), in `kernels`."""
        ids = np.asarray(ids, dtype=np.int64)
        if np.ndim(counter) == 0:
            return kernels.uniform_same_counter(ids, np.int64(counter), self.key(name))
        return kernels.uniform(ids, np.asarray(counter, dtype=np.int64), self.key(name))
