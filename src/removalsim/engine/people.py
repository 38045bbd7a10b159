"""The population as a struct of arrays: one row per synthetic person, one array per attribute.

All attributes are registered in `ATTRIBUTES`, so they are allocated together
and nothing can be added to one person without the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

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


class People:
    """Preallocated person arrays; `n` rows are in use."""

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> np.ndarray: ...  # one array per ATTRIBUTES entry, set in __init__

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.n = 0
        for name, (dtype, fill) in ATTRIBUTES.items():  # zeros come from the OS untouched: only pages used cost
            setattr(self, name, np.zeros(capacity, dtype=dtype) if fill == 0 else np.full(capacity, fill, dtype=dtype))

    def add(self, count: int) -> int:
        """Reserve `count` new rows; returns the first one's id (the rows are first..first + count - 1)."""
        if self.n + count > self.capacity:
            raise RuntimeError(f"population capacity {self.capacity} exceeded")
        first = self.n
        self.n += count
        return first

    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in ATTRIBUTES)
