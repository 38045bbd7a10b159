"""Each stage of the model, exercised so that the test fails if the stage were removed or broken."""

from __future__ import annotations

import numpy as np
import pytest

from removalsim.vocabulary import EXTRA_STOCKS, Cost, Flow, State, Wait
from removalsim.engine.world import LINE_COURT_AT_LARGE, LINE_COURT_DETAINED

from conftest import baseline, flow, small_world, stock


def test_inflows_follow_the_dated_arrival_rates():
    w = small_world({"groups.Mexico.arrivals_per_day": [("2025-01-20", 0), ("2025-07-01", 4000)]}, years=1)
    mx = w.inp.groups.index("Mexico")
    arrived = w.flows[:, [Flow.ARRIVAL_EVADED, Flow.ARRIVAL_OVERSTAY, Flow.BORDER_APPREHENSION], mx].sum(axis=1)
    assert arrived[:161].sum() == 0 and arrived[162:].sum() > 0
    assert arrived.sum() == w.inp.arrivals[mx].sum()


def test_arrests_need_officers_and_follow_priority_weights():
    assert flow(small_world({"arrests.officers": 0}), Flow.ARREST) == 0
    def criminal_share(w):
        p, n = w.people, w.people.n
        arrested = (p.arrest_day[:n] >= 0) & (p.channel[:n] != 1)  # not border apprehensions
        return p.criminal[:n][arrested].mean()

    assert criminal_share(small_world({"arrests.weight_criminal": 1000})) > 0.8
    assert criminal_share(small_world({"arrests.weight_criminal": 1})) < 0.3


def test_a_groups_arrest_factor_weighs_its_share_of_arrests():
    def mexico_share(factor):
        w = small_world({"groups.Mexico.arrest_factor": factor}, years=0.5)
        return flow(w, Flow.ARREST, "Mexico") / flow(w, Flow.ARREST)

    assert mexico_share(0.0) == 0
    low, high = mexico_share(1.0), mexico_share(4.0)
    assert 0 < low < high < 1
    # four times the weight, well above twice the odds against everyone else (arrests thin the pools they favour)
    assert high / (1 - high) > 2 * low / (1 - low)


def test_allocation_gives_small_pools_their_share_over_days():
    # 7 arrests a day over 80 pools: most shares are below one person; a fixed rounding rule would hand the odd
    # people to the same pools every day. Over random offsets every pool gets its share on average.
    from removalsim.engine.pools import allocate

    rng = np.random.default_rng(5)
    live = rng.integers(10, 2000, 80)
    weights = rng.uniform(0.5, 3, 80)
    days = [allocate(7, weights, live, u) for u in rng.uniform(0, 1, 4000)]
    assert all(d.sum() == 7 and (d <= live).all() for d in days)
    share = 7 * weights * live / (weights * live).sum()
    assert np.mean(days, axis=0) == pytest.approx(share, abs=0.03)
    assert allocate(10, np.ones(3), np.array([2, 0, 3]), 0.5).tolist() == [2, 0, 3]  # fewer people than capacity


def test_noncooperating_jurisdictions_lower_arrests():
    w = small_world({"arrests.noncooperating_factor": 0.0, "arrests.officers": 20_000})
    p, n = w.people, w.people.n
    arrested = (p.arrest_day[:n] >= 0) & (p.channel[:n] != 1)  # border apprehensions are not ICE arrests
    assert arrested.sum() > 50 and not (arrested & p.noncoop[:n]).any()


def test_referrals_file_cases_against_people_without_a_case_or_record():
    none = small_world({"court.referrals_per_day": 0, "court.reopened_per_day": 0, "arrests.officers": 0}, years=0.5)
    some = small_world({"court.referrals_per_day": 4000, "court.reopened_per_day": 0, "arrests.officers": 0},
                       years=0.5)
    extra = flow(some, Flow.CASE_FILED) - flow(none, Flow.CASE_FILED)
    assert abs(extra - 4000 * 0.0005 * some.days) <= 2  # the daily number, exactly, up to rounding
    p, n = some.people, some.people.n
    referred = (p.filed_day[:n] >= 0) & (p.channel[:n] != 1) & (p.arrest_day[:n] < 0)
    assert referred.sum() > 0 and not p.criminal[:n][referred].any()


def test_closed_cases_and_in_absentia_orders_are_reopened_oldest_first():
    none = small_world({"court.reopened_per_day": 0}, years=1)
    w = small_world({"court.reopened_per_day": 2000}, years=1)
    reopened = w.flows[:, Flow.CASE_REOPENED].sum(axis=1)
    assert flow(none, Flow.CASE_REOPENED) == 0
    assert (reopened <= w.inp.reopened).all() and reopened.sum() == w.inp.reopened.sum()  # never short of cases
    # the reopened join the docket: more cases pending than without, though no more were filed
    assert stock(w, State.CASE_PENDING) > stock(none, State.CASE_PENDING)
    assert abs(flow(w, Flow.CASE_FILED) - flow(none, Flow.CASE_FILED)) < 0.05 * flow(none, Flow.CASE_FILED)
    # those still waiting to be reopened are at large with a closed case or an in-absentia order
    p, n = w.people, w.people.n
    waiting = p.reopenable[:n]
    assert waiting.any() and not (waiting & ~np.isin(p.state[:n], [State.NO_CASE, State.FINAL_ORDER])).any()


def test_ice_releases_at_booking_the_share_it_chooses_to():
    held_all = small_world({"arrests.release_share": 0.0}, years=0.5)
    assert flow(held_all, Flow.RELEASED_DISCRETION) == 0
    w = small_world({"arrests.release_share": 1.0}, years=0.5)
    released, detained = flow(w, Flow.RELEASED_DISCRETION), flow(w, Flow.DETAINED)
    assert released > 0 and released + flow(w, Flow.RELEASED_NO_BED) < flow(w, Flow.ARREST) + 1
    # only people arrested with a final order (and border arrivals, which are not ICE arrests) are still held
    assert detained < flow(held_all, Flow.DETAINED)
    p, n = w.people, w.people.n
    in_custody = np.isin(p.state[:n], [int(s) for s in (State.DETAINED_PENDING, State.APPEAL_DETAINED)])
    assert not (in_custody & (p.arrest_day[:n] >= 0) & ~p.border_custody[:n]).any()


def test_custody_releases_when_no_bed_and_enrolls_atd():
    w = small_world({"detention.beds": 40_000, "arrests.officers": 30_000}, years=0.5)
    assert flow(w, Flow.RELEASED_NO_BED) > 0 and flow(w, Flow.ATD_ENROLLED) > 0
    roomy = small_world({"detention.beds": 500_000, "arrests.officers": 30_000}, years=0.5)
    assert flow(roomy, Flow.RELEASED_NO_BED) == 0
    assert stock(roomy, State.DETAINED_PENDING) > stock(w, State.DETAINED_PENDING)


def test_atd_enrols_people_already_on_the_docket_up_to_capacity():
    on_atd = EXTRA_STOCKS.index("on_atd")
    start = baseline().atd.initial_enrolled.number()
    w = small_world({"atd.capacity": 2 * start, "arrests.officers": 0}, years=0.25)  # nobody arrested, so few releases
    enrolled = w.extra_stocks[:, on_atd].sum(axis=1)
    cap = w.inp.atd_capacity
    assert (enrolled <= cap).all() and enrolled[5] == cap[5]  # filled from the docket within days
    assert flow(w, Flow.ATD_ENROLLED) >= cap[5] - round(start * w.inp.scale)
    held = small_world({"atd.capacity": start, "arrests.officers": 0}, years=0.25)
    assert held.extra_stocks[:, on_atd].sum(axis=1)[-1] == held.inp.atd_capacity[-1]  # places freed are refilled
    closed = small_world({"atd.capacity": 0, "arrests.officers": 0}, years=0.25)
    assert flow(closed, Flow.ATD_ENROLLED) == 0


def test_court_capacity_and_detained_docket_first():
    assert flow(small_world({"court.judges": 0}), Flow.COURT_COMPLETION) == 0
    # With scarce judges, every completion comes from the detained docket; the non-detained line never moves.
    w = small_world({"court.judges": 60}, years=1)
    assert flow(w, Flow.COURT_COMPLETION) > 0
    assert w.served(LINE_COURT_DETAINED) > 0 and w.served(LINE_COURT_AT_LARGE) == 0
    ample = small_world(years=1)
    assert ample.served(LINE_COURT_AT_LARGE) > 0
    assert len(ample.waits[Wait.FILING_TO_DECISION].col("wait")) == flow(ample, Flow.COURT_COMPLETION)


def test_court_outcomes_respond_to_their_parameters():
    none_absent = small_world({"court.in_absentia_share": 0.0})
    assert flow(none_absent, Flow.IN_ABSENTIA_ORDER) == 0
    all_relief = small_world({"groups.Mexico.grant_rate_unrepresented": 1.0, "court.grant_factor_detained": 1.0,
                              "groups.Mexico.grant_rate_represented": 1.0, "court.in_absentia_share": 0.0,
                              "court.detained_contested_share": 1.0})
    mx_done = flow(all_relief, Flow.COURT_COMPLETION, "Mexico")
    assert mx_done > 0 and flow(all_relief, Flow.RELIEF_GRANTED, "Mexico") == mx_done


def test_detained_respondents_win_relief_at_the_detained_grant_factor():
    # With scarce judges every completion is on the detained docket (see above), where there are no in-absentia
    # orders: relief then follows grant rate x the detained factor alone.
    certain = {"court.judges": 60, "groups.Mexico.grant_rate_unrepresented": 1.0,
               "groups.Mexico.grant_rate_represented": 1.0, "court.detained_contested_share": 1.0,
               "court.detained_min_days": 48}  # everyone contests, with merits hearings well within the run
    none = small_world({**certain, "court.grant_factor_detained": 0.0}, years=0.5)
    done = flow(none, Flow.COURT_COMPLETION, "Mexico")
    assert done > 0 and flow(none, Flow.RELIEF_GRANTED, "Mexico") == 0
    every = small_world({**certain, "court.grant_factor_detained": 1.0}, years=0.5)
    assert flow(every, Flow.RELIEF_GRANTED, "Mexico") == flow(every, Flow.COURT_COMPLETION, "Mexico") > 0


def test_uncontested_detained_cases_end_at_the_first_hearing():
    # With scarce judges every completion is on the detained docket. Nobody contesting: no relief, closure or
    # appeal even when relief is certain; everybody contesting: relief for all.
    certain = {"court.judges": 60, "groups.Mexico.grant_rate_unrepresented": 1.0,
               "groups.Mexico.grant_rate_represented": 1.0, "court.grant_factor_detained": 1.0,
               "court.closure_share_detained": 0.2, "court.detained_min_days": 48}
    none = small_world({**certain, "court.detained_contested_share": 0.0}, years=0.5)
    assert flow(none, Flow.COURT_COMPLETION, "Mexico") > 0 and flow(none, Flow.REMOVAL_ORDER) > 0
    assert flow(none, Flow.RELIEF_GRANTED) == flow(none, Flow.CASE_CLOSED) == flow(none, Flow.APPEAL_FILED) == 0
    every = small_world({**certain, "court.detained_contested_share": 1.0}, years=0.5)
    assert flow(every, Flow.RELIEF_GRANTED, "Mexico") == flow(every, Flow.COURT_COMPLETION, "Mexico") > 0


def test_detained_decisions_come_at_the_first_or_the_merits_hearing():
    # Judges enough for both dockets, and no non-detained case filed in the run decided within it: a decision
    # within 30 days of filing can only be a detained case filed on detention and decided at its first hearing
    # (10 days); when everyone contests, none comes before the merits hearing (70 days after detention).
    timing = {"court.nondetained_min_days": 400, "court.detained_first_hearing_days": 10,
              "court.detained_min_days": 70}
    none = small_world({**timing, "court.detained_contested_share": 0.0}, years=0.5)
    every = small_world({**timing, "court.detained_contested_share": 1.0}, years=0.5)
    assert (none.waits[Wait.FILING_TO_DECISION].col("wait") <= 30).sum() >= 10
    waits = every.waits[Wait.FILING_TO_DECISION].col("wait")
    assert len(waits) > 0 and (waits < 60).sum() == 0


def test_documents_asked_for_while_the_case_is_pending_shorten_custody():
    # A slow, certain verification (60 days) after a detained hearing of at least 45 days: counting the custody
    # before the order toward the lag removes people sooner after arrest.
    slow = {"groups.Mexico.doc_lag_median_days": 60, "groups.Mexico.doc_lag_sigma": 0.01,
            "court.detained_min_days": 45, "court.detained_contested_share": 1.0,
            "border.cbp_custody_removal_share": 0.0}  # none removed from CBP custody

    def mean_arrest_to_removal(share):
        w = small_world({**slow, "travel_documents.request_before_order_share": share}, years=1)
        rec = w.waits[Wait.ARREST_TO_REMOVAL]
        mx = rec.col("group") == w.inp.groups.index("Mexico")
        return float(rec.col("wait")[mx].mean())

    at_order, early = mean_arrest_to_removal(0.0), mean_arrest_to_removal(1.0)
    assert early < at_order - 20, (early, at_order)


def test_documents_for_the_starting_detainees_are_already_under_way():
    # A 120-day verification with almost no spread: people ordered after the start wait it out, but those held
    # with a final order at the start have a uniform part of it left, so answers come from the first weeks.
    slow = {"groups.Mexico.doc_lag_median_days": 120, "groups.Mexico.doc_lag_sigma": 0.01,
            "detention.initial_final_order_share": 1.0}
    w = small_world(slow, years=0.5)
    mx = w.inp.groups.index("Mexico")
    answered = w.flows[:, Flow.DOC_ISSUED, mx] + w.flows[:, Flow.DOC_REFUSED, mx]
    assert answered[:60].sum() > 0.3 * answered[:120].sum() > 0


def test_appeals_stage():
    # (an uncontested detained order is not appealed: everyone contests here)
    w = small_world({"appeals.appeal_share_represented": 1.0, "appeals.appeal_share_unrepresented": 1.0,
                     "appeals.reversal_share": 1.0, "appeals.min_days": 10, "court.detained_contested_share": 1.0},
                    years=1)
    assert flow(w, Flow.APPEAL_FILED) == flow(w, Flow.REMOVAL_ORDER) > 0
    assert flow(w, Flow.APPEAL_REVERSED) > 0 and flow(w, Flow.APPEAL_DISMISSED) == 0
    assert flow(small_world({"appeals.completions_per_day": 0}), Flow.APPEAL_REVERSED) == 0


def test_travel_document_refusal_strands_people():
    # (removals from CBP custody, by land at the border, need no document: off here)
    w = small_world({"groups.Mexico.doc_refusal_share": 1.0, "border.cbp_custody_removal_share": 0.0}, years=1)
    assert flow(w, Flow.REMOVED, "Mexico") == 0 and flow(w, Flow.DOC_REFUSED, "Mexico") > 0
    mx = w.inp.groups.index("Mexico")
    assert w.extra_stocks[-1, 0, mx] > w.extra_stocks[0, 0, mx]


def test_custody_limit_releases_when_no_documents_come():
    w = small_world({"groups.Guatemala.doc_monthly_capacity": 0, "groups.Guatemala.doc_lag_median_days": 5},
                    years=1)
    assert flow(w, Flow.REMOVED, "Guatemala") == 0
    g = w.inp.groups.index("Guatemala")
    released = w.flows[:, Flow.CUSTODY_LIMIT_RELEASE, g]
    assert released.sum() > 0 and released[:120].sum() == 0  # nobody released before the limit


def test_transport_needs_flights_and_land_capacity():
    w = small_world({"transport.air.central_america.flights_per_week": 0,
                     "transport.air.central_america.max_flights_per_week": 0}, years=1)
    for g in ("Guatemala", "Honduras", "ElSalvador"):
        assert flow(w, Flow.REMOVED, g) == 0
    assert stock(w, State.AWAITING_TRANSPORT) > 0
    assert flow(small_world({"transport.land.mexico.capacity_per_day": 0}), Flow.REMOVED_LAND) == 0
    assert w.costs[:, Cost.TRANSPORT].sum() > 0
    # with no seat ever, people holding a document are released at the post-order custody limit, not stranded
    g = w.inp.groups.index("Guatemala")
    assert w.flows[:, Flow.CUSTODY_LIMIT_RELEASE, g].sum() > 0
    assert stock(w, State.AWAITING_TRANSPORT) < stock(w, State.FINAL_ORDER)


def test_extra_charters_answer_the_people_waiting_after_the_response_time():
    no_schedule = {"transport.air.central_america.flights_per_week": 0,
                   "transport.air.central_america.max_flights_per_week": 27,
                   "transport.air.central_america.response_days": 30}
    w = small_world(no_schedule, years=1)
    removed = sum(w.flows[:, Flow.REMOVED, w.inp.groups.index(g)] for g in ("Guatemala", "Honduras", "ElSalvador"))
    assert removed[:30].sum() == 0 and removed[30:].sum() > 0  # nothing flies before the response time
    slower = small_world({**no_schedule, "transport.air.central_america.response_days": 90}, years=1)
    late = sum(slower.flows[:, Flow.REMOVED, slower.inp.groups.index(g)] for g in ("Guatemala", "Honduras",
                                                                                    "ElSalvador"))
    assert late[:90].sum() == 0 and late.sum() > 0 and removed[30:90].sum() > 0  # the slower answer flies later
    capped = small_world({**no_schedule, "transport.air.central_america.max_flights_per_week": 1}, years=1)
    assert stock(capped, State.AWAITING_TRANSPORT) > stock(w, State.AWAITING_TRANSPORT)  # the ceiling binds


def test_self_departure_follows_its_hazard_and_pays_stipends():
    assert flow(small_world({"self_departure.hazard_no_case": 0, "self_departure.hazard_case_pending": 0,
                             "self_departure.hazard_final_order": 0, "self_departure.hazard_protected": 0}),
                Flow.SELF_DEPARTURE) == 0
    w = small_world({"self_departure.stipend_multiplier": [("2025-01-20", 1), ("2025-07-20", 3)],
                     "self_departure.stipend_usd": 3000, "self_departure.stipend_takeup_share": 0.5})
    daily = w.flows[:, Flow.SELF_DEPARTURE].sum(axis=1)
    assert daily[181:].mean() > 2 * daily[:181].mean()
    assert np.isclose(w.costs[:, Cost.STIPENDS].sum(), 1500 * daily.sum())


def test_legalization_adjustment_and_protection_end():
    assert flow(small_world({"legalization.usc_adjustment_rate": 0}), Flow.ADJUSTMENT) == 0
    assert flow(small_world({"legalization.usc_adjustment_rate": 0.5}), Flow.ADJUSTMENT) > 100
    import datetime as dt
    w = small_world({"groups.Venezuela.protection_end_date": {"value": dt.date(2025, 9, 10), "unit": "date",
                                                             "source": "override"}})
    v = w.inp.groups.index("Venezuela")
    ended = w.flows[:, Flow.PROTECTION_ENDED, v]
    day = (dt.date(2025, 9, 10) - dt.date(2025, 1, 20)).days
    assert ended[day] > 0 and ended.sum() == ended[day]
    assert w.stocks[-1, State.PROTECTED, v] == 0


def test_expedited_removal_at_the_border_and_for_recent_entrants():
    no_border_er = {"expedited_removal.arrival_share": 0.0, "border.cbp_custody_removal_share": 0.0}
    assert flow(small_world(no_border_er), Flow.EXPEDITED_REMOVAL_ORDER) == 0
    w = small_world({**no_border_er, "expedited_removal.recent_arrival_share": 1.0, "arrests.weight_no_case": 50})
    assert flow(w, Flow.EXPEDITED_REMOVAL_ORDER) > 0
    assert flow(w, Flow.REMOVED_VIA_ER) > 0


def test_border_arrivals_are_returned_booked_onto_the_detained_docket_or_removed_as_border_origin():
    base = small_world(years=1)
    assert flow(base, Flow.VOLUNTARY_RETURN) == 0  # the baseline returns nobody
    border = flow(base, Flow.REMOVED_BORDER)
    assert 0 < border < flow(base, Flow.REMOVED)  # some removals began at the border, some with an ICE arrest
    w = small_world({"border.voluntary_return_share": 0.15, "border.detained_nta_share": 0.05,
                     "groups.Mexico.arrivals_per_day": 4000}, years=1)
    apprehended = flow(w, Flow.BORDER_APPREHENSION)
    returned = flow(w, Flow.VOLUNTARY_RETURN)
    assert abs(returned / apprehended - 0.15) < 0.05 and stock(w, State.DEPARTED) >= returned
    # the detained-docket channel books people into custody with a case, so more are held than in the baseline
    assert flow(w, Flow.DETAINED) > flow(base, Flow.DETAINED)
    # no border arrivals in ER or on the detained docket: no border-origin removals beyond the starting stock's
    none = small_world({"expedited_removal.arrival_share": 0.0, "border.cbp_custody_removal_share": 0.0}, years=1)
    assert flow(none, Flow.REMOVED_BORDER) == 0 and flow(none, Flow.REMOVED) > 0


def test_border_arrivals_removed_from_cbp_custody_by_land_take_no_book_in_others_are_booked():
    """The CBP-custody slice: Mexicans are removed by land without an ICE book-in; nationals who must be flown
    home are booked into ICE detention for expedited removal instead."""
    more = {"groups.Mexico.arrivals_per_day": 4000, "groups.Guatemala.arrivals_per_day": 4000,
            "transport.land.mexico.capacity_per_day": 200_000,  # the land border takes everyone the day they come
            "detention.beds": 1_000_000}  # and a bed is free for everyone booked in
    off = {**more, "expedited_removal.arrival_share": 0.0, "border.cbp_custody_removal_share": 0.0}
    on = {**more, "expedited_removal.arrival_share": 0.0, "border.cbp_custody_removal_share": 1.0}
    a, b = small_world(off, years=1), small_world(on, years=1)
    mx, gt = b.inp.groups.index("Mexico"), b.inp.groups.index("Guatemala")

    def by_group(w, f, g):
        return int(w.flows[:, f, g].sum())

    apprehended = by_group(b, Flow.BORDER_APPREHENSION, mx)
    assert apprehended > 50
    assert by_group(a, Flow.REMOVED_BORDER, mx) == 0  # nobody held at the border: no border-origin removals
    assert by_group(b, Flow.EXPEDITED_REMOVAL_ORDER, mx) == apprehended  # every Mexican ordered removed at once
    assert by_group(b, Flow.REMOVED_BORDER, mx) >= 0.95 * apprehended  # and removed by land, the same day
    assert b.stocks[:, State.AWAITING_TRANSPORT, mx].max() <= b.stocks[:, State.AWAITING_TRANSPORT, mx].min() + 5
    assert by_group(b, Flow.DETAINED, mx) < by_group(b, Flow.REMOVED_BORDER, mx)  # without a book-in
    # Guatemalans fly home: they are booked into ICE detention for expedited removal, not released
    gt_apprehended = by_group(b, Flow.BORDER_APPREHENSION, gt)
    assert by_group(b, Flow.DETAINED, gt) > by_group(a, Flow.DETAINED, gt) + 0.5 * gt_apprehended
    assert by_group(b, Flow.ARRIVAL_BORDER_RELEASE, gt) < by_group(a, Flow.ARRIVAL_BORDER_RELEASE, gt)


def test_mortality():
    assert flow(small_world({"mortality.death_rate": 0}), Flow.DEATH) == 0
    assert flow(small_world({"mortality.death_rate": 0.1}), Flow.DEATH) > 300


def test_accounting_costs_bed_days():
    w = small_world(years=0.5)
    custody = w.stocks[:, [State.DETAINED_PENDING, State.DETAINED_FINAL, State.AWAITING_TRANSPORT,
                           State.APPEAL_DETAINED]].sum(axis=(1, 2))
    rate = w.sc.detention.bed_day_cost.number()
    assert np.isclose(w.costs[:, Cost.DETENTION].sum(), custody.sum() * rate)
    assert np.isclose(w.costs[:, Cost.ATD].sum(), w.extra_stocks[:, 1].sum() * w.sc.atd.day_cost.number())
