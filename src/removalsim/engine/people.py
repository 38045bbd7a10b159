"""The population: one record per synthetic person, read and written as one array per attribute.

All attributes are registered in `ATTRIBUTES`, so they are allocated together
and nothing can be added to one person without the others. They are stored
side by side, a record per person (`RECORD`), and each attribute is a strided
view of the records: compiled code touches a person in one or two cache lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

NEVER = np.iinfo(np.int32).min  # day value meaning "has not happened"

ATTRIBUTES: dict[str, tuple[type, object]] = {
    "group": (np.int16, 0),
    "channel": (np.int8, 0),        # 0 stock, 1 border, 2 evaded, 3 overstay
    "state": (np.int8, 0),
    "epoch": (np.int32, 0),         # rises at every state change; stale tokens are skipped
    "state_day": (np.int32, 0),     # day the current state was entered
    "entry_day": (np.int32, 0),
    "filed_day": (np.int32, NEVER),  # case filed (NTA); NEVER if no case has been filed
    "arrest_day": (np.int32, NEVER),
    "criminal": (np.bool_, False),
    "usc_family": (np.bool_, False),
    "noncoop": (np.bool_, False),   # lives in a non-cooperating jurisdiction
    "represented": (np.bool_, False),
    "atd": (np.bool_, False),
    "stranded": (np.bool_, False),  # final order the receiving country will not honour (so far)
    "in_absentia": (np.bool_, False),
    "via_er": (np.bool_, False),    # ordered removed by expedited removal
    "unrep_order": (np.bool_, False),  # ordered removed without counsel
    "border_custody": (np.bool_, False),  # in custody since a CBP border apprehension, not an ICE arrest
    "reopenable": (np.bool_, False),  # at large with a case closed or an in-absentia order: may be recalendared
}

CHANNEL_NAMES = ("stock", "border", "evaded", "overstay")


def record_dtype() -> np.dtype:
    """One person's attributes side by side: the widest first, so every field sits at a multiple of its size.

    A change of state reads or writes a dozen attributes of one person, whose ids come in an order that is
    random in memory; kept in one record they share one or two cache lines instead of a line each.
    """
    order = sorted(ATTRIBUTES, key=lambda name: -np.dtype(ATTRIBUTES[name][0]).itemsize)
    widest = max(np.dtype(ATTRIBUTES[name][0]).itemsize for name in order)
    offsets, at = [], 0
    for name in order:
        offsets.append(at)
        at += np.dtype(ATTRIBUTES[name][0]).itemsize
    size = -(-at // widest) * widest
    return np.dtype({"names": order, "formats": [ATTRIBUTES[name][0] for name in order], "offsets": offsets,
                     "itemsize": size})


RECORD = record_dtype()
FILLED = tuple(name for name, (_, fill) in ATTRIBUTES.items() if fill != 0)  # the attributes that do not start at 0
FILLED_WITH = np.array([ATTRIBUTES[name][1] for name in FILLED], dtype=np.int32)
assert all(ATTRIBUTES[name][0] is np.int32 for name in FILLED), "_fill_records writes int32 attributes only"


@njit(cache=True)
def _fill_records(views, values):
    """views[k][p] = values[k] for every record p, in one pass over the records (a field each would be a pass
    each over hundreds of megabytes at full scale)."""
    for p in range(len(views[0])):
        for k in range(len(views)):
            views[k][p] = values[k]


class People:
    """Preallocated person records; each attribute is a view (one array per attribute, strided over the
    records); `n` rows are in use."""

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> np.ndarray: ...  # one array per ATTRIBUTES entry, set in __init__

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.n = 0
        self.records = np.zeros(capacity, dtype=RECORD)  # zeros come from the OS untouched: only pages used cost
        for name in ATTRIBUTES:
            setattr(self, name, self.records[name])
        if capacity:
            _fill_records(tuple(getattr(self, name) for name in FILLED), FILLED_WITH)

    def add(self, count: int) -> int:
        """Reserve `count` new rows; returns the first one's id (the rows are first..first + count - 1)."""
        if self.n + count > self.capacity:
            raise RuntimeError(f"population capacity {self.capacity} exceeded")
        first = self.n
        self.n += count
        return first

    def nbytes(self) -> int:
        return self.records.nbytes
