"""The scenario compiled for one run: every dated parameter as a daily array, scaled, in engine units.

Capacities become whole numbers per day by flooring their running total, so a
capacity of 0.3 a day serves 3 people every 10 days and the long-run rate is exact
at any scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ..scenario.params import Param
from ..scenario.schema import CHANNELS, Scenario

DAYS_PER_YEAR = 365.25


def daily(p: Param, start: dt.date, days: int, factor: float = 1.0) -> np.ndarray:
    """The value in force on each of `days` days from `start`, times `factor`."""
    steps = p.schedule()
    if steps[0][0] > start:  # the scenario loader refuses such steps; never hand the kernels unset days
        unset = min(days, (steps[0][0] - start).days)
        raise ValueError(f"no value in force on {unset} day(s) from {start}: the first step comes after the start "
                         "date")
    if len(steps) == 1:  # most parameters: one value throughout
        return np.full(days, steps[0][1] * factor)
    out = np.empty(days)
    for i, (frm, v) in enumerate(steps):
        lo = 0 if frm <= start else min(days, (frm - start).days)
        hi = days if i + 1 == len(steps) else max(0, min(days, (steps[i + 1][0] - start).days))
        if hi > lo:
            out[lo:hi] = v * factor
    return out


def whole_per_day(rate: np.ndarray) -> np.ndarray:
    """Integer amounts per day whose running total tracks the running total of `rate` (days on the last axis)."""
    cum = np.floor(np.cumsum(rate, axis=-1) + 1e-9).astype(np.int64)
    out = np.empty_like(cum)
    out[..., :1] = cum[..., :1]
    np.subtract(cum[..., 1:], cum[..., :-1], out=out[..., 1:])
    return out


def day_of(value: object, start: dt.date) -> int | None:
    """Day index of a date parameter value (None for "none")."""
    if isinstance(value, dt.date):
        return (value - start).days
    return None


@dataclass
class Inputs:
    """Everything the day loop needs, as arrays indexed by [day] or [group, day]."""

    scenario: Scenario
    days: int
    scale: float
    groups: list[str]
    regions: list[str]
    region_is_air: np.ndarray
    group_region: np.ndarray
    # compiled from the scenario by `compile`: capacities and rates per day, scaled, in engine units
    arrest_capacity: np.ndarray = field(init=False)
    officers: np.ndarray = field(init=False)
    judges: np.ndarray = field(init=False)
    arrest_weights: np.ndarray = field(init=False)
    noncoop_factor: np.ndarray = field(init=False)
    beds: np.ndarray = field(init=False)
    atd_capacity: np.ndarray = field(init=False)
    court_capacity: np.ndarray = field(init=False)
    referrals: np.ndarray = field(init=False)
    reopened: np.ndarray = field(init=False)
    in_absentia: np.ndarray = field(init=False)
    closure: np.ndarray = field(init=False)
    closure_detained: np.ndarray = field(init=False)
    contested: np.ndarray = field(init=False)
    merits_days: np.ndarray = field(init=False)
    appeal_capacity: np.ndarray = field(init=False)
    er_arrival_share: np.ndarray = field(init=False)
    voluntary_return_share: np.ndarray = field(init=False)
    detained_nta_share: np.ndarray = field(init=False)
    cbp_custody_removal_share: np.ndarray = field(init=False)
    er_recent_share: np.ndarray = field(init=False)
    release_share: np.ndarray = field(init=False)
    sd_multiplier: np.ndarray = field(init=False)
    stipend_cost: np.ndarray = field(init=False)
    arrivals: np.ndarray = field(init=False)
    arrivals_protected: np.ndarray = field(init=False)
    doc_capacity: np.ndarray = field(init=False)
    doc_refusal: np.ndarray = field(init=False)
    gp: dict[str, np.ndarray] = field(init=False)
    protection_end: np.ndarray = field(init=False)
    land_capacity: np.ndarray = field(init=False)
    flights: np.ndarray = field(init=False)
    extra_flights: np.ndarray = field(init=False)
    response_days: np.ndarray = field(init=False)
    seats: np.ndarray = field(init=False)
    min_load: np.ndarray = field(init=False)
    flight_cost: np.ndarray = field(init=False)
    land_cost: np.ndarray = field(init=False)
    total_arrivals: int = field(init=False)

    @classmethod
    def compile(cls, sc: Scenario, days: int, scale: float) -> "Inputs":
        groups = sc.group_names()
        regions = sc.transport.region_names()
        self = cls(sc, days, scale, groups, regions,
                   np.array([r in sc.transport.air for r in regions]),
                   np.array([regions.index(str(sc.groups[g].region.value)) for g in groups]))
        start = sc.start_date
        d = lambda p, f=1.0: daily(p, start, days, f)  # noqa: E731
        a, c, det = sc.arrests, sc.court, sc.detention
        self.officers = d(a.officers, scale)
        self.judges = d(c.judges, scale)
        self.arrest_capacity = whole_per_day(self.officers * d(a.arrests_per_officer_day))
        self.arrest_weights = np.stack([d(a.weight_criminal), d(a.weight_final_order),
                                        d(a.weight_pending_case), d(a.weight_no_case)])
        self.noncoop_factor = d(a.noncooperating_factor)
        self.beds = np.floor(d(det.beds, scale) + 1e-9).astype(np.int64)
        self.atd_capacity = np.floor(d(sc.atd.capacity, scale) + 1e-9).astype(np.int64)
        self.court_capacity = whole_per_day(self.judges * d(c.completions_per_judge_day))
        self.referrals = whole_per_day(d(c.referrals_per_day, scale))
        self.reopened = whole_per_day(d(c.reopened_per_day, scale))
        self.in_absentia = d(c.in_absentia_share)
        self.closure = d(c.closure_share)
        self.closure_detained = d(c.closure_share_detained)
        self.contested = d(c.detained_contested_share)
        self.merits_days = np.rint(d(c.detained_min_days)).astype(np.int64)
        self.appeal_capacity = whole_per_day(d(sc.appeals.completions_per_day, scale))
        self.er_arrival_share = d(sc.expedited_removal.arrival_share)
        self.voluntary_return_share = d(sc.border.voluntary_return_share)
        self.detained_nta_share = d(sc.border.detained_nta_share)
        self.cbp_custody_removal_share = d(sc.border.cbp_custody_removal_share)
        self.er_recent_share = d(sc.expedited_removal.recent_arrival_share)
        self.release_share = d(sc.arrests.release_share)
        sd = sc.self_departure
        self.sd_multiplier = d(sd.enforcement_fear_multiplier) * d(sd.stipend_multiplier)
        self.stipend_cost = d(sd.stipend_usd) * d(sd.stipend_takeup_share)
        G = len(groups)
        arrival_rate = np.zeros((G, len(CHANNELS), days))
        doc_rate = np.zeros((G, days))
        self.doc_refusal = np.zeros((G, days))
        self.arrivals_protected = np.zeros((G, days))
        for i, g in enumerate(groups):
            gp = sc.groups[g]
            rate = d(gp.arrivals_per_day, scale)
            for j, ch in enumerate(CHANNELS):
                arrival_rate[i, j] = rate * getattr(gp, f"share_{ch}").number()
            doc_rate[i] = d(gp.doc_monthly_capacity, scale * 12 / 365.0)
            self.doc_refusal[i] = d(gp.doc_refusal_share)
            self.arrivals_protected[i] = d(gp.arrivals_protected_share)
        self.arrivals = whole_per_day(arrival_rate)
        self.doc_capacity = whole_per_day(doc_rate)
        self.gp = {name: np.array([_num(getattr(sc.groups[g], name)) for g in groups])
                   for name in ("criminal_record_share", "usc_family_share", "noncooperating_share",
                                "representation_share", "grant_rate_unrepresented", "grant_rate_represented",
                                "doc_lag_median_days", "doc_lag_sigma", "unexecutable_share", "arrest_factor")}
        self.protection_end = np.array([
            _end_day(sc.groups[g].protection_end_date.value, start) for g in groups], dtype=np.int64)
        self.land_capacity = np.zeros((len(regions), days), dtype=np.int64)
        self.flights = np.zeros((len(regions), days), dtype=np.int64)
        self.extra_flights = np.zeros((len(regions), days), dtype=np.int64)
        self.response_days = np.ones(len(regions), dtype=np.int64)
        self.seats = np.zeros(len(regions))
        self.min_load = np.zeros(len(regions))
        self.flight_cost = np.zeros(len(regions))
        self.land_cost = np.zeros(len(regions))
        for r, name in enumerate(regions):
            if name in sc.transport.land:
                lr = sc.transport.land[name]
                self.land_capacity[r] = whole_per_day(d(lr.capacity_per_day, scale))
                self.land_cost[r] = lr.cost_per_person.number()
            else:
                ar = sc.transport.air[name]
                # The flight schedule is kept at every scale; each flight carries `scale` of its seats
                # (and costs `scale` of a flight), so removal timing does not get lumpier at small scale.
                self.flights[r] = whole_per_day(d(ar.flights_per_week, 1 / 7.0))
                if ar.max_flights_per_week is not None:
                    room = np.maximum(d(ar.max_flights_per_week) - d(ar.flights_per_week), 0.0)
                    self.extra_flights[r] = whole_per_day(room / 7.0)
                    self.response_days[r] = int(ar.response_days.number())
                self.seats[r] = ar.seats_per_flight.number() * scale
                self.min_load[r] = max(ar.min_load_share.number() * self.seats[r], min(1.0, self.seats[r]))
                self.flight_cost[r] = ar.flight_hours.number() * ar.cost_per_flight_hour.number() * scale
        self.total_arrivals = int(self.arrivals.sum())
        return self


def _num(p: Param) -> float:
    return p.number()


def _end_day(value: object, start: dt.date) -> int:
    day = day_of(value, start)
    return np.iinfo(np.int64).max // 4 if day is None else day
