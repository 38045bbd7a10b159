"""Invariants that must hold in every run: conservation, capacities, determinism, common random numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import removalsim
from removalsim.engine import agenda, links, pools
from removalsim.engine.checkpoints import _COHORT_IN
from removalsim.engine.world import LINE_REOPENABLE
from removalsim.vocabulary import ARRESTABLE, CUSTODY, TERMINAL, Flow, State, mask

from conftest import SMALL, baseline, small_world

ARRIVALS = [Flow.ARRIVAL_EVADED, Flow.ARRIVAL_OVERSTAY, Flow.BORDER_APPREHENSION]


def check_invariants(w) -> None:
    """Conservation every day, consistency of counts, and no stage above its capacity on any day."""
    total = w.stocks.sum(axis=(1, 2))
    arrivals = w.flows[:, ARRIVALS].sum(axis=(1, 2)).cumsum()
    n0 = total[0] - arrivals[0]
    assert (total - arrivals == n0).all(), "people created or lost"
    assert w.people.n == total[-1]
    states = w.people.state[: w.people.n]
    assert (np.bincount(states, minlength=len(State)) == w.counts.sum(axis=1)).all()
    inp = w.inp
    assert (w.flows[:, Flow.ARREST].sum(axis=1) <= inp.arrest_capacity).all()
    assert (w.flows[:, Flow.COURT_COMPLETION].sum(axis=1) <= inp.court_capacity).all()
    appeals = w.flows[:, [Flow.APPEAL_REVERSED, Flow.APPEAL_DISMISSED]].sum(axis=(1, 2))
    assert (appeals <= inp.appeal_capacity).all()
    assert (w.flows[:, Flow.DOC_ISSUED] <= inp.doc_capacity.T).all()
    custody = w.stocks[:, mask(CUSTODY)].sum(axis=(1, 2))
    # admissions: book-ins, and border arrivals held by CBP until removed by land (an order, no book-in)
    admitted = w.flows[:, [Flow.DETAINED, Flow.EXPEDITED_REMOVAL_ORDER]].sum(axis=(1, 2)) > 0
    assert (custody[admitted] <= inp.beds[admitted]).all(), "people admitted beyond the free beds"
    grew = np.diff(custody) > 0
    assert admitted[1:][grew].all(), "custody grew without admissions"
    land = np.flatnonzero(~inp.region_is_air)
    land_groups = np.isin(inp.group_region, land)
    assert (w.flows[:, Flow.REMOVED_LAND][:, land_groups].sum(axis=1) <= inp.land_capacity[land].sum(axis=0)).all()
    air_cap = (inp.flights * inp.seats[:, None]).sum(axis=0) + len(inp.regions)
    assert (w.flows[:, Flow.REMOVED_AIR].sum(axis=1) <= air_cap).all()
    by_mode = w.flows[:, [Flow.REMOVED_LAND, Flow.REMOVED_AIR]].sum(axis=(1, 2))
    assert (w.flows[:, Flow.REMOVED].sum(axis=1) == by_mode).all()
    assert (w.stocks >= 0).all()
    check_memberships(w)


def check_memberships(w) -> None:
    """Pools, ATD, lines and calendars hold only people whose state allows it (transitions.leave relies on it)."""
    n = w.people.n
    state = w.people.state[:n]
    arrestable = mask(ARRESTABLE)[state]
    assert ((w.pools.place[:n, pools.KEY] >= 0) == arrestable).all(), "pool membership differs from the state"
    atd = w.people.atd[:n]
    assert not (atd & (state != State.CASE_PENDING)).any(), "ATD outside a pending case"
    assert (np.bincount(w.people.group[:n][atd], minlength=w.G) == w.atd_counts).all()
    unrep = w.people.unrep_order[:n]
    assert (np.bincount(w.people.group[:n][unrep], minlength=w.G) == w.unrep_counts).all(), \
        "the count of orders without counsel differs from the people"
    in_line = links.member_of(w.line)[:n] >= 0
    reopenable = links.member_of(w.line)[:n] == LINE_REOPENABLE
    assert (reopenable == w.people.reopenable[:n]).all(), "the reopenable flag and list differ"
    assert not (reopenable & ~np.isin(state, [State.NO_CASE, State.FINAL_ORDER])).any()
    assert not ((in_line & ~reopenable) & np.isin(state, [State.NO_CASE, State.FINAL_ORDER, State.PROTECTED])).any()
    assert not (in_line & mask(TERMINAL)[state]).any()
    on_calendar = (state == State.DETAINED_FINAL) | (state == State.AWAITING_TRANSPORT)
    assert not ((links.member_of(w.custody)[:n] >= 0) & ~on_calendar).any()
    who, day, _ = agenda.live_tokens(w.exits, w.people.epoch)
    assert len(np.unique(who)) == len(who), "a person has two live exits"
    assert not mask(TERMINAL)[state[who]].any() and (day >= w.day).all()
    check_cohort(w)


def check_cohort(w) -> None:
    """The recent-arrival cohort's running count by state (transitions.in_cohort) is the count of its people, and
    the last checkpoint (the run's end) reads the cohort as a pass over those people would."""
    n = w.people.n
    window = w.sc.population.recent_entrant_window_days.number()
    entry, state, group = w.people.entry_day[:n], w.people.state[:n], w.people.group[:n]
    member = (w.people.channel[:n] == 0) & (-window <= entry) & (entry < 0)
    direct = np.zeros_like(w.cohort_counts)
    np.add.at(direct, (state[member], group[member]), 1)
    assert (direct == w.cohort_counts).all(), "the cohort's running count differs from its people"
    assert member.sum() > 0
    if w.day in w.checkpoints:
        snap = w.checkpoints[w.day]
        assert (snap[0] == np.bincount(group[member], minlength=w.G)).all()
        for row, states in enumerate(_COHORT_IN, start=1):
            assert (snap[row] == np.bincount(group[member & states[state]], minlength=w.G)).all()


def test_invariants_baseline(base_world):
    check_invariants(base_world)
    assert base_world.flows[:, Flow.REMOVED].sum() > 0


def test_invariants_china():
    check_invariants(small_world(scenario="china", years=1.5))


def test_same_seed_same_numbers_different_seed_differs():
    a = removalsim.simulate(baseline(), years=0.5, seed=3, scale=SMALL)
    b = removalsim.simulate(baseline(), years=0.5, seed=3, scale=SMALL)
    c = removalsim.simulate(baseline(), years=0.5, seed=4, scale=SMALL)
    assert a.equals(b)
    assert not a.flows.equals(c.flows)


def test_common_random_numbers_policy_from_a_date():
    """A policy that starts on day 100 leaves days 0-99 identical, and the same people arrive."""
    policy = baseline().with_overrides({"detention.beds": [("2025-01-20", 41_500), ("2025-04-30", 90_000)],
                                        "arrests.officers": [("2025-01-20", 6000), ("2025-04-30", 20_000)]})
    a = small_world(years=1)
    b = run_policy(policy)
    assert (a.stocks[:100] == b.stocks[:100]).all()
    assert (a.flows[:100] == b.flows[:100]).all()
    assert not (a.flows[100:, Flow.ARREST] == b.flows[100:, Flow.ARREST]).all()
    n = min(a.people.n, b.people.n)
    for attr in ("group", "channel", "entry_day", "criminal", "usc_family", "noncoop"):
        assert (getattr(a.people, attr)[:n] == getattr(b.people, attr)[:n]).all(), attr


def run_policy(sc):
    from removalsim.engine.loop import run

    return run(sc, 1.0, 1, SMALL)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(beds=st.integers(0, 60_000), judges=st.integers(0, 1500), officers=st.integers(0, 30_000),
       refusal=st.floats(0, 1), er=st.floats(0, 1), recent=st.floats(0, 1), hazard=st.floats(0, 0.5),
       flights=st.floats(0, 30), seed=st.integers(0, 2**31 - 1))
def test_invariants_hold_for_random_scenarios(beds, judges, officers, refusal, er, recent, hazard, flights, seed):
    beds = max(beds, 40_000)  # the start-date population must fit in the beds
    w = small_world({"detention.beds": [("2025-01-20", beds), ("2025-06-01", beds // 3)],
                     "court.judges": judges, "arrests.officers": officers,
                     "groups.China.doc_refusal_share": refusal, "groups.Mexico.doc_refusal_share": refusal,
                     "expedited_removal.arrival_share": er, "expedited_removal.recent_arrival_share": recent,
                     "self_departure.hazard_no_case": hazard,
                     "transport.air.central_america.flights_per_week": flights},
                    years=0.6, seed=seed, scale=0.0003)
    check_invariants(w)
