"""Snapshots of person-level measures at yearly checkpoints, so analysis reads them from the Result.

At the end of each whole simulated year (and of the run) the engine counts, by
group: the recent-arrival cohort (people of the starting stock who entered within
`population.recent_entrant_window_days` before the start) by where they stand,
and the people ever ordered removed without counsel. A checkpoint costs one pass
over the population, a few times per run.
"""

from __future__ import annotations

import numpy as np

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
    n = people.n
    return np.flatnonzero((people.channel[:n] == 0) & (people.entry_day[:n] >= -window) & (people.entry_day[:n] < 0))


def snapshot(people, cohort: np.ndarray, groups: int) -> np.ndarray:
    """[measure, group] counts (CHECKPOINT_MEASURES) of the population as it stands now."""
    out = np.zeros((len(CHECKPOINT_MEASURES), groups), dtype=np.int64)
    g, state = people.group[cohort], people.state[cohort]
    out[0] = np.bincount(g, minlength=groups)
    for i, name in enumerate(CHECKPOINT_MEASURES[1:5], 1):
        out[i] = np.bincount(g[_IN[name][state]], minlength=groups)
    n = people.n
    out[5] = np.bincount(people.group[:n][people.unrep_order[:n]], minlength=groups)
    return out
