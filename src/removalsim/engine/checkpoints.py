"""Snapshots of person-level measures at yearly checkpoints, so analysis reads them from the Result.

At the end of each whole simulated year (and of the run) the engine counts, by
group: the recent-arrival cohort (people of the starting stock who entered within
`population.recent_entrant_window_days` before the start) by where they stand,
and the people ordered removed without counsel. The engine keeps both counts as people move, so a checkpoint
reads them and passes over nobody.
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


# The states each cohort measure counts (CHECKPOINT_MEASURES[1:5]), one row per measure.
_COHORT_IN = np.stack([_IN[name] for name in CHECKPOINT_MEASURES[1:5]])
assert CHECKPOINT_MEASURES[0] == "cohort_size" and CHECKPOINT_MEASURES[5:] == ("ordered_without_counsel",)


def snapshot(cohort_counts: np.ndarray, unrep_counts: np.ndarray) -> np.ndarray:
    """[measure, group] counts (CHECKPOINT_MEASURES) of the population as it stands now.

    Both are running counts the engine keeps as people move: the cohort by state and group
    (transitions.in_cohort) and everyone ordered without counsel (transitions.set_unrep_order).
    """
    out = np.zeros((len(_COHORT_IN) + 2, cohort_counts.shape[1]), dtype=np.int64)
    out[0] = cohort_counts.sum(axis=0)  # every member, whatever their state (the terminal ones included)
    for i, states in enumerate(_COHORT_IN):
        out[1 + i] = cohort_counts[states].sum(axis=0)
    out[len(_COHORT_IN) + 1] = unrep_counts
    return out
