"""Counting the waiting-time log into a histogram in one compiled pass (kind x period x group x bin).

A whole-country run logs about ten million waiting times; grouping them with pandas took seconds, this takes
a fraction of one. Indices are checked here, before the kernel sees them, so it cannot write out of bounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit


DENSE_CELLS = 2**24  # at most 128 MiB of counts; beyond, the counts are kept sparse


@dataclass(frozen=True)
class SparseCounts:
    """The nonzero cells of a counts array too large to hold densely: flat indices (sorted) and their counts."""

    shape: tuple[int, ...]
    keys: np.ndarray
    counts: np.ndarray

    def nonzero(self) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        return np.unravel_index(self.keys, self.shape), self.counts


@njit(cache=True)
def _wait_range(wait):
    low, high = wait[0], wait[0]
    for x in wait:
        low, high = min(low, x), max(high, x)
    return low, high


@njit(cache=True)
def _count(kind, day, group, wait, day_period, rank, bin_days, low_bin, out):
    for i in range(len(kind)):
        out[kind[i], day_period[day[i]], rank[group[i]], wait[i] // bin_days - low_bin] += 1


def wait_histogram(blocks: list[tuple[np.ndarray, ...]], day_period: np.ndarray, rank: np.ndarray, n_kinds: int,
                   n_periods: int, bin_days: int) -> tuple[np.ndarray | SparseCounts, int]:
    """Counts[kind, period, rank[group], bin] of the log's blocks of (kind, day, group, wait) and the lowest bin
    (bin b holds waits from (b + lowest) * bin_days); `day_period` maps a day to its period, `rank` a group to
    its position."""
    blocks = [b for b in blocks if len(b[0])]
    n_bins, low_bin = 0, 0
    if blocks:
        ranges = [_wait_range(b[3]) for b in blocks]
        low_bin = int(min(r[0] for r in ranges)) // bin_days
        n_bins = int(max(r[1] for r in ranges)) // bin_days - low_bin + 1
        if day_period.min(initial=0) < 0 or day_period.max(initial=0) >= n_periods or rank.min(initial=0) < 0 \
                or rank.max(initial=0) >= len(rank):
            raise ValueError("the waiting-time log's periods or group ranks lie outside the run")
        for kind, day, group, _ in blocks:
            if (kind.min() < 0 or kind.max() >= n_kinds or day.min() < 0 or day.max() >= len(day_period)
                    or group.min() < 0 or group.max() >= len(rank)):
                raise ValueError("the waiting-time log holds a kind, day or group outside the run")
    shape = (n_kinds, n_periods, len(rank), n_bins)
    if np.prod(shape, dtype=np.float64) > DENSE_CELLS:  # daily periods over many years: count the keys that occur
        key = np.concatenate([np.ravel_multi_index((k, day_period[d], rank[g], w // bin_days - low_bin), shape)
                              for k, d, g, w in blocks] or [np.zeros(0, np.int64)])
        keys, counts = np.unique(key, return_counts=True)
        return SparseCounts(shape, keys, counts), low_bin
    out = np.zeros(shape, np.int64)
    periods, ranks = day_period.astype(np.int64), rank.astype(np.int64)  # one kernel signature for every block
    for kind, day, group, wait in blocks:
        _count(kind, day, group, wait, periods, ranks, np.int64(bin_days), np.int64(low_bin), out)
    return out, low_bin


def nonzero_cells(counts: np.ndarray | SparseCounts) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """(indices per axis, counts) of the nonzero cells, in C order."""
    if isinstance(counts, SparseCounts):
        return counts.nonzero()
    index = np.nonzero(counts)
    return index, counts[index]
