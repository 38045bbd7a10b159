"""Alternatives to detention: people already on the non-detained docket are enrolled while places last.

Each day, the places left under `atd.capacity` are offered to people at large with
a pending case and no criminal record, chosen uniformly at random (the two
pending-case arrest pools, in proportion to their size); those already enrolled
are skipped. People leave ATD when their case leaves the docket. Releases from
custody are enrolled first, by the custody stage, earlier in the day.
"""

from __future__ import annotations

from numba import njit

from .. import pools
from ..transitions import enroll_atd
from ..world import stream_indices
from .arrests import draw_among
from .base import Stage

STAGE = Stage(
    "atd", "places left in ATD offered to people on the non-detained docket",
    uses=("atd_capacity",),
    fields=("atd", "atd_counts", "scratch"),
    streams=("atd.enrol",))
(ST_ENROL,) = stream_indices(STAGE.streams)


@njit(cache=True)
def step(S, day):
    room = min(S.atd_capacity[day] - S.atd_counts.sum(), len(S.scratch) - 1)
    if room <= 0:
        return
    n = draw_among(S, pools.PENDING_CLASS, room, S.keys[ST_ENROL], day)
    for i in range(n):
        p = S.scratch[i]
        if not S.atd[p]:
            enroll_atd(S, p, day)
