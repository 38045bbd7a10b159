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

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a bijective avalanche on uint64 arrays (wraps on overflow by design)."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def stream_key(seed: int, name: str) -> int:
    """A 64-bit key for a named stream."""
    return int.from_bytes(hashlib.blake2b(f"{seed}/{name}".encode(), digest_size=8).digest(), "little")


class Streams:
    """Counter-based uniform, exponential and normal draws keyed by (stream, person, counter)."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, np.uint64] = {}

    def key(self, name: str) -> np.uint64:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = np.uint64(stream_key(self.seed, name))
        return k

    def bits(self, name: str, ids: np.ndarray, counter: np.ndarray | int) -> np.ndarray:
        with np.errstate(over="ignore"):
            x = ids.astype(np.uint64) * _GOLDEN
            x ^= np.asarray(counter).astype(np.uint64) * _C2 + self.key(name)
            return _mix(_mix(x))

    def uniform(self, name: str, ids: np.ndarray, counter: np.ndarray | int) -> np.ndarray:
        """Uniform draws in the open interval (0, 1) (compiled; equal to `(bits >> 11 + 0.5) / 2**53`)."""
        ids = np.asarray(ids, dtype=np.int64)
        if np.ndim(counter) == 0:
            return kernels.uniform_same_counter(ids, np.int64(counter), self.key(name))
        return kernels.uniform(ids, np.asarray(counter, dtype=np.int64), self.key(name))

    def exponential(self, name: str, ids: np.ndarray, counter: np.ndarray | int) -> np.ndarray:
        """Exp(1) draws."""
        return -np.log(self.uniform(name, ids, counter))

    def normal(self, name: str, ids: np.ndarray, counter: np.ndarray | int) -> np.ndarray:
        """Standard normal draws (Box-Muller on two independent uniforms)."""
        u1 = self.uniform(name + "#1", ids, counter)
        u2 = self.uniform(name + "#2", ids, counter)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

    def generator(self, name: str, day: int) -> np.random.Generator:
        """A NumPy generator for one day's draws of a stream that is not tied to persons."""
        return np.random.Generator(np.random.Philox(key=int(self.key(name)) ^ (day * 0x9E3779B1)))
