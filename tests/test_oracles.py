"""Analytic oracles: Little's law on the engine's stages, a discrete-time queue oracle for the court, Erlang C.

Little's law (L = lambda x W) is checked on long, steady engine runs with daily
results: the stock (L, from the stocks table), the entry flow (lambda, from the
flows table) and the time in the stage (W, from the waits table or known exactly
from the parameters) are measured independently of one another.

Erlang C. The engine cannot express an M/M/c queue: its stages admit a whole
number of people per day (the floor of a running total of the capacity), not c
servers with exponential service times. So the M/M/c check runs against the
SimPy reference's generic capacity-limited stage (`mmc_mean_wait`), and the
engine's court stage is checked against a discrete-time oracle instead: Binomial
arrivals per day, a fixed capacity c per day, first come first served. Its
end-of-day backlog B follows the Lindley recursion B' = max(B + A - c, 0), whose
stationary distribution is computed exactly (a Markov chain on a truncated state
space), and a person's wait in days equals the number of end-of-day backlogs
they are counted in, so E[wait] = E[B] / lambda.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scipy import stats

from removalsim import load_scenario
from removalsim.engine.loop import advance, new_world, run
from removalsim.vocabulary import Flow, State, Wait

Z = 4.0  # tolerances: Z standard errors (replicate variance) plus any stated bias bound
CUSTODY = [State.DETAINED_PENDING, State.DETAINED_FINAL, State.AWAITING_TRANSPORT, State.APPEAL_DETAINED]


@functools.lru_cache(maxsize=None)
def _base():
    return load_scenario("baseline")


def empty_start(**extra) -> dict:
    """Overrides for a system that starts with nobody in it but the no-case stock, and no exits by hazard."""
    sc = _base()
    ov = {"population.pending_cases": 0, "population.final_orders": 0, "population.protected": 0,
          "detention.initial_detained": 0, "atd.initial_enrolled": 0, "mortality.death_rate": 0,
          "legalization.usc_adjustment_rate": 0, "self_departure.hazard_case_pending": 0,
          "self_departure.hazard_final_order": 0, "expedited_removal.arrival_share": 0,
          "border.cbp_custody_removal_share": 0,
          "court.referrals_per_day": 0, "court.reopened_per_day": 0}
    for g in sc.groups:
        if g != sc.remainder_group:
            ov.update({f"groups.{g}.pending_cases": 0, f"groups.{g}.final_orders": 0,
                       f"groups.{g}.protected": 0, f"groups.{g}.arrivals_per_day": 0})
    ov.update(extra)
    return ov


def window_mean(arr: np.ndarray, start: int) -> float:
    return float(arr[start:].mean())


# -- the discrete-time court oracle --------------------------------------------------------------
N_BORDER, Q_NTA, CAP = 10, 0.5, 6  # border arrivals a day, share released with a case, completions a day
ORACLE_SCALE = 0.001


def court_queue_scenario():
    # Only the remainder group arrives: 10,000 a day at the border x scale 0.001 = 10 a day; half are
    # paroled (protected, never ending), half get a case; the court completes exactly 6 a day; no arrests.
    return _base().with_overrides(empty_start(**{
        "groups.Other.arrivals_per_day": N_BORDER / ORACLE_SCALE, "groups.Other.share_border": 1.0,
        "groups.Other.share_evaded": 0.0, "groups.Other.share_overstay": 0.0,
        "groups.Other.arrivals_protected_share": 1 - Q_NTA, "arrests.officers": 0,
        "court.judges": CAP / ORACLE_SCALE, "court.completions_per_judge_day": 1.0,
        "court.nondetained_min_days": 0}))


def lindley_stationary(n: int, q: float, c: int, size: int = 400) -> np.ndarray:
    """Stationary law of B' = max(B + A - c, 0), A ~ Binomial(n, q), on 0..size-1 (mass beyond is negligible)."""
    a = stats.binom.pmf(np.arange(n + 1), n, q)
    P = np.zeros((size, size))
    for b in range(size):
        for k, pk in enumerate(a):
            P[b, min(max(b + k - c, 0), size - 1)] += pk
    w, v = np.linalg.eig(P.T)
    pi = np.real(v[:, np.argmin(np.abs(w - 1))])
    pi = pi / pi.sum()
    assert pi[-50:].sum() < 1e-12
    return pi


def test_lindley_oracle_matches_a_direct_recursion():
    pi = lindley_stationary(N_BORDER, Q_NTA, CAP)
    rng = np.random.default_rng(1)
    b, total, days = 0, 0, 400_000
    for a in rng.binomial(N_BORDER, Q_NTA, days):
        b = max(b + a - CAP, 0)
        total += b
    assert abs(total / days - pi @ np.arange(len(pi))) < 0.05


def test_engine_court_matches_the_discrete_queue_oracle():
    sc = court_queue_scenario()
    pi = lindley_stationary(N_BORDER, Q_NTA, CAP)
    mean_b, p_empty = float(pi @ np.arange(len(pi))), float(pi[0])
    lam = N_BORDER * Q_NTA
    runs = []
    for seed in range(6):
        w = run(sc, 3, seed, ORACLE_SCALE)
        assert (w.flows[:, Flow.ARRIVAL_BORDER_RELEASE].sum(axis=1) + w.flows[:, Flow.ARRIVAL_PAROLED].sum(axis=1)
                == N_BORDER).all()
        assert (w.flows[:, Flow.COURT_COMPLETION].sum(axis=1) <= CAP).all()
        backlog = w.stocks[:, State.CASE_PENDING].sum(axis=1)
        waits = w.waits[Wait.FILING_TO_DECISION]
        day = waits.col("day")
        runs.append((window_mean(backlog, 60), float((backlog[60:] == 0).mean()),
                     float(waits.col("wait")[day >= 60].mean())))
    b, e, wt = (np.array(x) for x in zip(*runs))
    se = lambda x: x.std(ddof=1) / np.sqrt(len(x))  # noqa: E731
    assert abs(b.mean() - mean_b) <= Z * se(b) + 0.02, (b.mean(), mean_b)
    assert abs(e.mean() - p_empty) <= Z * se(e) + 0.005, (e.mean(), p_empty)
    # mean wait in days = E[B] / lambda (each end-of-day backlog a person is in is one day of waiting)
    assert abs(wt.mean() - mean_b / lam) <= Z * se(wt) + 0.01, (wt.mean(), mean_b / lam)


# -- Erlang C against the SimPy reference's generic stage ----------------------------------------
def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    a = lam / mu
    rho = a / c
    from math import factorial

    top = a ** c / factorial(c) / (1 - rho)
    p_wait = top / (sum(a ** k / factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


@pytest.mark.parametrize("lam,mu,c", [(0.8, 1.0, 1), (3.0, 1.0, 4), (8.0, 0.5, 20)])
def test_reference_generic_stage_is_erlang_c(lam, mu, c):
    from removalsim.reference.simpy_model import mmc_mean_wait  # needs SimPy, a [test] dependency

    exact = erlang_c_wait(lam, mu, c)
    means = np.array([mmc_mean_wait(lam, mu, c, customers=20_000, seed=s) for s in range(8)])
    se = means.std(ddof=1) / np.sqrt(len(means))
    assert abs(means.mean() - exact) <= Z * se + 0.01 * exact, (means.mean(), exact)


# -- Little's law on the engine ------------------------------------------------------------------
WARM = 365


@functools.lru_cache(maxsize=None)
def docket_runs():
    """A non-detained docket in steady state: border releases with a case, a court at about 90% load."""
    sc = _base().with_overrides(empty_start(**{
        "groups.Other.arrivals_per_day": 9000, "groups.Other.share_border": 1.0, "groups.Other.share_evaded": 0.0,
        "groups.Other.share_overstay": 0.0, "groups.Other.arrivals_protected_share": 0.5,
        "arrests.officers": 0, "court.judges": 5000, "court.completions_per_judge_day": 1.0}))
    return [run(sc, 5, seed, 0.001) for seed in range(4)]


def test_little_non_detained_docket():
    for w in docket_runs():
        L = window_mean(w.stocks[:, State.CASE_PENDING].sum(axis=1), WARM)
        lam = window_mean(w.flows[:, Flow.ARRIVAL_BORDER_RELEASE].sum(axis=1), WARM)
        waits = w.waits[Wait.FILING_TO_DECISION]
        W = float(waits.col("wait")[waits.col("day") >= WARM + 200].mean())
        # finite window: people in the stage at its ends are counted in L but not fully in W;
        # the window is many times W, so the edge error is at most L_end / T
        edge = w.stocks[-1, State.CASE_PENDING].sum() / (w.days - WARM)
        assert abs(L - lam * W) <= 0.02 * L + edge, (L, lam, W)


@functools.lru_cache(maxsize=None)
def custody_runs():
    """Arrests of final orders only, ample beds and documents, no refusals: everyone detained is removed."""
    sc = _base()
    ov = {"population.pending_cases": 0, "population.protected": 0, "detention.initial_detained": 0,
          "atd.initial_enrolled": 0, "mortality.death_rate": 0, "detention.custody_limit_days": 36525,
          "arrests.weight_criminal": 0, "arrests.weight_pending_case": 0, "arrests.weight_no_case": 0,
          "detention.beds": 200000, "expedited_removal.arrival_share": 0, "border.cbp_custody_removal_share": 0,
          "self_departure.hazard_final_order": 0,
          "court.referrals_per_day": 0, "court.reopened_per_day": 0}
    for r in sc.transport.air:  # enough seats that every line is stable (Little needs a steady state)
        ov[f"transport.air.{r}.flights_per_week"] = 40
    for g in sc.groups:
        ov[f"groups.{g}.doc_refusal_share"] = 0
        ov[f"groups.{g}.doc_monthly_capacity"] = 1_000_000
        ov[f"groups.{g}.criminal_record_share"] = 0
        if g != sc.remainder_group:
            ov[f"groups.{g}.pending_cases"] = 0
            ov[f"groups.{g}.protected"] = 0
    sc = sc.with_overrides(ov)
    return [run(sc, 5, seed, 0.002) for seed in range(3)]


def expected_lag(median: float, sigma: float) -> float:
    """E[max(rint(median * exp(sigma Z)), 1)], Z standard normal, by quadrature on a fine grid."""
    z = np.linspace(-9, 9, 200_001)
    lag = np.maximum(np.rint(median * np.exp(sigma * z)), 1)
    dens = stats.norm.pdf(z)
    return float((lag * dens).sum() / dens.sum())


def test_little_custody_and_awaiting_document():
    for w in custody_runs():
        T = w.days - WARM
        entered = w.flows[WARM:, Flow.DETAINED].sum(axis=0)  # by group
        lam = entered / T
        # whole custody stage, W = arrest to removal (everyone detained here is removed)
        L = window_mean(w.stocks[:, CUSTODY].sum(axis=(1, 2)), WARM)
        waits = w.waits[Wait.ARREST_TO_REMOVAL]
        W = float(waits.col("wait")[waits.col("day") >= WARM].mean())
        edge = w.stocks[-1, CUSTODY].sum() / T
        assert abs(L - lam.sum() * W) <= 0.03 * L + edge, (L, lam.sum(), W)
        # awaiting a travel document, per group: W is the verification lag, known exactly
        for g, name in enumerate(w.inp.groups):
            if entered[g] < 100:
                continue
            Lg = window_mean(w.stocks[:, State.DETAINED_FINAL, g], WARM)
            Wg = expected_lag(w.inp.gp["doc_lag_median_days"][g], w.inp.gp["doc_lag_sigma"][g])
            se = np.sqrt(lam[g] * T) / T * Wg * 2 + w.stocks[-1, State.DETAINED_FINAL, g] / T
            assert abs(Lg - lam[g] * Wg) <= Z * se + 0.02 * Lg, (name, Lg, lam[g], Wg)


def test_little_awaiting_transport():
    for w in custody_runs():
        T = w.days - WARM
        waits = w.waits[Wait.ARREST_TO_REMOVAL]
        day, grp, wt = waits.col("day"), waits.col("group"), waits.col("wait")
        for r, region in enumerate(w.inp.regions):
            gs = np.flatnonzero(w.inp.group_region == r)
            issued = w.flows[WARM:, Flow.DOC_ISSUED][:, gs].sum()
            if issued < 200:
                continue
            lam = issued / T
            L = window_mean(w.stocks[:, State.AWAITING_TRANSPORT][:, gs].sum(axis=1), WARM)
            # time awaiting transport = arrest to removal - time awaiting the document (its exact mean)
            sel = (day >= WARM) & np.isin(grp, gs)
            lag = sum(expected_lag(w.inp.gp["doc_lag_median_days"][g], w.inp.gp["doc_lag_sigma"][g])
                      * np.sum(grp[sel] == g) for g in gs) / sel.sum()
            W = float(wt[sel].mean()) - lag
            edge = w.stocks[-1, State.AWAITING_TRANSPORT][gs].sum() / T
            tol = 0.05 * max(L, 1) + edge + lam * 4 * wt[sel].std() / np.sqrt(sel.sum())
            assert abs(L - lam * W) <= tol, (region, L, lam, W)


# -- Little's law on every stage at once ----------------------------------------------------------
PIPELINE_STATES = [State.CASE_PENDING, State.DETAINED_PENDING, State.APPEAL_DETAINED, State.APPEAL_AT_LARGE,
                   State.DETAINED_FINAL, State.AWAITING_TRANSPORT]  # the stages with a line or a capacity


@functools.lru_cache(maxsize=None)
def pipeline_run():
    """Every stage in use and stable: border releases with a case, arrests of pending cases and final
    orders into ample beds, a court and appeals board with spare capacity, ample documents and seats."""
    sc = _base()
    ov = empty_start(**{
        "groups.Other.arrivals_per_day": 3000, "groups.Other.share_border": 1.0, "groups.Other.share_evaded": 0.0,
        "groups.Other.share_overstay": 0.0, "groups.Other.arrivals_protected_share": 0.0,
        "arrests.weight_no_case": 0, "arrests.weight_criminal": 0, "detention.beds": 500_000,
        "arrests.arrests_per_officer_day": 0.3, "appeals.appeal_share_represented": 0.5,
        "appeals.appeal_share_unrepresented": 0.3, "court.detained_contested_share": 0.6,
        "court.judges": 3000, "appeals.completions_per_day": 2000, "detention.custody_limit_days": 36525,
        "self_departure.hazard_final_order": 0.3})
    for r in sc.transport.air:
        ov[f"transport.air.{r}.flights_per_week"] = 120
    ov["groups.Other.doc_refusal_share"] = 0
    ov["groups.Other.doc_monthly_capacity"] = 1_000_000
    sc = sc.with_overrides(ov)
    w = new_world(sc, 6, 11, 0.002)
    w.log_stays(4 * w.people.capacity)  # every finished stay: the state left, the day entered, the day left
    advance(w, w.days)
    return w, tuple(a.astype(np.int64) for a in w.stays())


@pytest.mark.parametrize("state", PIPELINE_STATES, ids=lambda s: s.name.lower())
def test_little_holds_for_every_stage(state):
    """Mean stock = entry rate x mean stay, per stage, over the last years of a steady run.

    L comes from the stocks table, lambda from the stays that began in the window,
    W from the same stays' lengths (stays still open at the end are few: W is a few
    months against a five-year window). Tolerance: 3% plus the edge terms (people
    present at either end of the window, each counted for at most W there).
    """
    w, (left_state, entered, left) = pipeline_run()
    a, b = WARM, w.days
    T = b - a
    mine = (left_state == state) & (entered >= a)
    # the set-up is chosen so that every stage admits; a stage that stops admitting is a failure, not a skip
    assert mine.sum() >= 300, f"{state.name} admitted only {mine.sum()} people in the window"
    L = window_mean(w.stocks[:, state].sum(axis=1), a)
    lam = mine.sum() / T
    W = float((left[mine] - entered[mine]).mean())
    edge = (w.stocks[a, state].sum() + w.stocks[-1, state].sum()) * W / T
    assert abs(L - lam * W) <= 0.03 * L + edge, (state.name, L, lam, W)
    assert W > 0
