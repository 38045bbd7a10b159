"""Cohort-level models of the court stage and of ICE interior removals, driven by recorded inputs.

Why not the engine itself: the engine creates court cases only through its own
arrivals and arrests (there is no input for "N cases filed on day d"), holds
capacity fixed at judges x rate with no noise, and steps every person through
every day; a calibration needs thousands of runs over 17 fiscal years. So the court
stage is re-stated here with the rules of ``docs/model.md`` (step 5) on counts:

* daily capacity = judges on board x completions per judge-day (Poisson around that,
  times a per-fiscal-year productivity factor in replicates);
* one first-in-first-out line by filing day; a case may be decided only once
  ``nondetained_min_days`` have passed since filing; the starting stock is old
  enough to be decided at once;
* receipts arrive every day (Poisson around the recorded yearly total / days).

Differences from the engine, stated in the report and the model card: the record
does not split receipts into detained and non-detained, so there is one line (the
detained docket's priority is not modelled) and the outcomes of completions are not
drawn (only counts matter here). Served counts follow from cumulative curves:
``S_t = min(S_{t-1} + c_t, E_t)`` (E = cases eligible so far), which unrolls to
``S_t = C_t + min(0, min_{k<=t}(E_k - C_k))``, so a whole run is a few array operations.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .history import COURT_RECEIPTS, ICE_ARRESTS, Segment, fy_days, fy_start, judges_on, series


def _lognormal_factors(rng: np.random.Generator | None, sigma: float, shape: tuple[int, ...]) -> np.ndarray:
    """Mean-one multiplicative noise (1 when there is no generator or no spread)."""
    if rng is None or sigma <= 0:
        return np.ones(shape)
    return np.exp(sigma * rng.standard_normal(shape) - sigma**2 / 2)


def served_curve(eligible: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Cumulative cases decided by each day, first-in-first-out with a daily capacity.

    `eligible[..., t]` is the number of cases that may be decided by day t (cumulative,
    non-decreasing), `capacity[..., t]` the day's capacity. Same as the loop
    ``S_t = min(S_{t-1} + capacity_t, eligible_t)``.
    """
    cum_cap = np.cumsum(capacity, axis=-1)
    return cum_cap + np.minimum(0.0, np.minimum.accumulate(eligible - cum_cap, axis=-1))


def court_segment(seg: Segment, completions_per_judge_day: float | np.ndarray, nondetained_min_days: float,
                  *, rng: np.random.Generator | None = None, replicates: int = 1,
                  year_sigma: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Completions per fiscal year and pending at each fiscal year's end, shape (replicates, years).

    Without `rng` the run is the deterministic mean path (fluid counts), used for fitting.
    `completions_per_judge_day` may be one value per replicate (parameter uncertainty).
    """
    receipts = series({y: COURT_RECEIPTS[y] for y in seg.years})
    lengths = np.array([fy_days(y) for y in seg.years])
    days = int(lengths.sum())
    year_of_day = np.repeat(np.arange(len(seg.years)), lengths)
    rate = np.repeat([receipts[y].value / n for y, n in zip(seg.years, lengths)], lengths)
    dates = [seg.start + dt.timedelta(days=int(d)) for d in range(days)]
    judges = judges_on(dates)
    cpjd = np.broadcast_to(np.asarray(completions_per_judge_day, dtype=float), (replicates,))
    mult = _lognormal_factors(rng, year_sigma, (replicates, len(seg.years)))[:, year_of_day]
    cap_mean = judges[None, :] * cpjd[:, None] * mult
    if rng is None:
        arrivals = np.broadcast_to(rate, (replicates, days)).astype(float)
        cap = cap_mean
    else:
        arrivals = rng.poisson(np.broadcast_to(rate, (replicates, days))).astype(float)
        cap = rng.poisson(cap_mean).astype(float)
    stock = seg.start_stock.value
    arrived = np.cumsum(arrivals, axis=1)
    m = int(round(nondetained_min_days))
    eligible = np.full((replicates, days), stock)
    if m < days:
        eligible[:, m:] += arrived[:, : days - m]
    served = served_curve(eligible, cap)
    ends = np.cumsum(lengths) - 1
    served_end = served[:, ends]
    completions = np.diff(served_end, axis=1, prepend=0.0)
    pending = stock + arrived[:, ends] - served_end
    return completions, pending


def ice_interior(years: tuple[int, ...], removal_share_per_arrest: float | np.ndarray, arrest_to_removal_days: float,
                 *, rng: np.random.Generator | None = None, replicates: int = 1,
                 year_sigma: float = 0.0) -> np.ndarray:
    """Interior removals per fiscal year, shape (replicates, years), from recorded ICE arrests.

    Each arrest ends in a removal with probability `removal_share_per_arrest` (times a
    per-year factor in replicates), after an exponential lag with mean
    `arrest_to_removal_days`. Arrests before the first year are taken to run at the
    first year's rate (the record has no ICE arrests before FY2016).
    """
    arrests = series({y: ICE_ARRESTS[y] for y in years})
    lengths = np.array([fy_days(y) for y in years])
    days = int(lengths.sum())
    year_of_day = np.repeat(np.arange(len(years)), lengths)
    rate = np.repeat([arrests[y].value / n for y, n in zip(years, lengths)], lengths)
    share = np.broadcast_to(np.asarray(removal_share_per_arrest, dtype=float), (replicates,))
    p = np.clip(share[:, None] * _lognormal_factors(rng, year_sigma, (replicates, len(years)))[:, year_of_day], 0, 1)
    if rng is None:
        bound = rate[None, :] * p
    else:
        bound = rng.binomial(rng.poisson(np.broadcast_to(rate, (replicates, days))), p).astype(float)
    h = 1.0 - np.exp(-1.0 / max(arrest_to_removal_days, 1e-9))  # daily chance the lag ends
    queue = share * rate[0] / h  # steady state before the first day
    removed = np.empty((replicates, days))
    for t in range(days):  # one short loop over days; vectors over replicates
        out = queue * h
        removed[:, t] = out
        queue = queue - out + bound[:, t]
    totals = np.add.reduceat(removed, np.r_[0, np.cumsum(lengths)[:-1]], axis=1)
    return totals


def fy_label(fy: int) -> str:
    return f"FY{fy}"


__all__ = ["court_segment", "ice_interior", "served_curve", "fy_label", "fy_start"]
