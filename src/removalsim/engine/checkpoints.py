"""Snapshots of person-level measures at yearly checkpoints, so analysis reads them from the Result.

At the end of each whole simulated year (and of the run) the engine counts, by
group: the recent-arrival cohort (people of the starting stock who entered within
`population.recent_entrant_window_days` before the start) by where they stand,
and the people ordered removed without counsel (a count the engine keeps as it goes). A checkpoint costs
one compiled pass over the cohort, a few times per run.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..vocabulary import CHECKPOINT_MEASURES, FINAL, PENDING, State, mask
_IN = {"cohort_final_order": mask(FINAL), "cohort_pending": mask(PENDING),
       "cohort_removed": mask((State.REMOVED,)), "cohort_legalized": mask((State.LEGALIZED,))}


def checkpoint_days(years: float, horizon_days) -> dict[int, float]:
    """Days simulated at each checkpoint -> years: every whole year within the run, and the run's end."""
    out, y = {}, 1
    while horizon_days(y) < horizon_days(years):
        out[horizon_days(y)] = float(y)
        y += 1
    out[horizon_days(years)] = float(years)
    return out


def recent_cohort(people, window: float) -> np.ndarray:
    """Ids of the starting stock who entered within `window` days before the start."""
    return _recent(people.channel[:people.n], people.entry_day[:people.n], float(window))


@njit(cache=True)
def _recent(channel, entry_day, window):
    """The ids with channel 0 (the starting stock) and -window <= entry day < 0, in one compiled pass."""
    keep = np.zeros(len(channel), dtype=np.bool_)
    for p in range(len(channel)):
        keep[p] = channel[p] == 0 and -window <= entry_day[p] < 0
    return np.flatnonzero(keep)


# The states each cohort measure counts (CHECKPOINT_MEASURES[1:5]), one row per measure.
_COHORT_IN = np.stack([_IN[name] for name in CHECKPOINT_MEASURES[1:5]])
assert CHECKPOINT_MEASURES[0] == "cohort_size" and CHECKPOINT_MEASURES[5:] == ("ordered_without_counsel",)


def snapshot(people, cohort: np.ndarray, unrep_counts: np.ndarray) -> np.ndarray:
    """[measure, group] counts (CHECKPOINT_MEASURES) of the population as it stands now.

    Everyone ordered without counsel is the running count the engine keeps (transitions.set_unrep_order); only
    the cohort is counted here.
    """
    out = _cohort_counts(people.group[:people.n], people.state[:people.n], cohort, _COHORT_IN, len(unrep_counts))
    out[len(_COHORT_IN) + 1] = unrep_counts
    return out


@njit(cache=True)
def _cohort_counts(group, state, cohort, cohort_in, groups):
    """The cohort by group and by the states of each measure, in one compiled pass over the cohort (the person
    arrays are strided views of the records); the last row is left for those ordered without counsel."""
    out = np.zeros((len(cohort_in) + 2, groups), dtype=np.int64)
    for p in cohort:
        g = group[p]
        out[0, g] += 1
        for i in range(len(cohort_in)):
            if cohort_in[i, state[p]]:
                out[1 + i, g] += 1
    return out
