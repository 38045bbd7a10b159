"""The vectorised engine against the SimPy reference: the same model, two implementations, statistically equal.

The two share no random draws, so each is run over independent seeds and every
summary is compared across replicates (one number per run, runs independent):

* removals per month, court backlog, detention population and final orders
  not executable at each quarter's end, cost by component, and, per run, the mean
  and the share of waits below fixed cut-offs (the empirical CDF) of both waiting
  times: Welch two-sample t-tests;
* the distribution of each run's mean wait: a two-sample Kolmogorov-Smirnov test.

Pooled waits are not compared with a KS test on all individual waits: within a
run they are strongly dependent (people share the same backlog), which would make
such a test reject far too often. Replicate-level statistics are independent.

The family of tests for one scenario is held at a false-alarm rate of ALPHA by
Bonferroni: each test is run at ALPHA / (number of tests). A test that perturbs
one rule of the reference only must then fail.

Sizes: the default tests use a small scale and 20 seeds; the `slow` ones use
REMOVALSIM_EQUIV_SCALE (default 0.002), REMOVALSIM_EQUIV_SEEDS (default 40) and 3 years.
"""

from __future__ import annotations

import functools
import os
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import removalsim
from removalsim import load_scenario

from removalsim import reference  # noqa: E402
import simpy  # noqa: E402,F401  a declared test dependency ([test] extra): without it these tests fail, not skip

ALPHA = 0.002  # family-wise false-alarm rate per scenario comparison
SMALL, SEEDS, YEARS = 0.0005, 20, 2
SLOW_SCALE = float(os.environ.get("REMOVALSIM_EQUIV_SCALE", "0.002"))
SLOW_SEEDS = int(os.environ.get("REMOVALSIM_EQUIV_SEEDS", "40"))
CUSTODY = ("detained_pending", "detained_final", "awaiting_transport", "appeal_detained")
BACKLOG = ("case_pending", "detained_pending")
WAIT_CUTS = {"arrest_to_removal_days": (28, 56, 119), "filing_to_decision_days": (182, 364, 728, 1092)}

# Detention, travel documents and charters that bind: many arrests for few beds, slow and refusing countries,
# a short custody limit, a low charter ceiling; border arrivals also returned, removed from CBP custody and booked onto
# the detained docket.
BINDING = {"arrests.officers": 30000, "detention.beds": 20000, "detention.initial_detained": 19000,
           "detention.custody_limit_days": 90, "groups.Mexico.doc_monthly_capacity": 600,
           "groups.Other.doc_monthly_capacity": 1000, "groups.China.doc_refusal_share": 0.6,
           "groups.Guatemala.doc_refusal_share": 0.5, "transport.air.other.max_flights_per_week": 7,
           "border.voluntary_return_share": 0.1, "border.cbp_custody_removal_share": 0.1,
           "border.detained_nta_share": 0.1}


@functools.lru_cache(maxsize=None)
def scenario(name: str, binding: bool = False):
    sc = load_scenario(name)
    return sc.with_overrides(BINDING) if binding else sc


def summarize(r: removalsim.Result) -> dict[str, float]:
    """One run's comparable numbers: monthly removals, quarterly stocks, costs, waiting-time statistics."""
    out: dict[str, float] = {}
    start = pd.Timestamp(r.meta["start_date"])

    def quarter(dates) -> np.ndarray:
        return ((pd.DatetimeIndex(dates) - start).days // 91).to_numpy()

    for month, v in r.total("flows", "removed").items():  # monthly sums, zeros included
        out[f"removals_{month:%Y-%m}"] = float(v)
    for label, measures in (("court_backlog", BACKLOG), ("detained", CUSTODY),
                            ("final_orders_unexecutable", ("final_order_unexecutable",))):
        s = sum(r.total("stocks", m) for m in measures)
        for q, v in s.groupby(quarter(s.index)).last().items():
            out[f"{label}_q{q}"] = float(v)
    costs = r.costs.groupby("measure", observed=True)["value"].sum()
    for m, v in costs.items():
        out[f"cost_{m}"] = float(v)
    for m, cuts in WAIT_CUTS.items():
        w = r.waits[r.waits["measure"] == m]
        n = w["count"].sum()
        if n == 0:
            continue
        out[f"{m}_mean"] = float((w["bin_days"] * w["count"]).sum() / n)
        for c in cuts:
            out[f"{m}_cdf{c}"] = float(w.loc[w["bin_days"] < c, "count"].sum() / n)
    return out


def replicate(fn, sc, seeds: range, scale: float, years: float, **kw) -> pd.DataFrame:
    return pd.DataFrame([summarize(fn(sc, years=years, seed=s, scale=scale, **kw)) for s in seeds])


def compare(a: pd.DataFrame, b: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """Welch t-tests per statistic and KS tests on per-run mean waits, Bonferroni-corrected.

    Returns one row per test with its p-value and whether it rejects equality.
    """
    cols = sorted(set(a.columns) & set(b.columns))
    rows = []
    for c in cols:
        x, y = a[c].dropna().to_numpy(), b[c].dropna().to_numpy()
        if len(x) < 3 or len(y) < 3:
            continue
        if x.var() == 0 and y.var() == 0:
            p = 1.0 if x[0] == y[0] else 0.0
        else:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # near-constant samples
                p = float(stats.ttest_ind(x, y, equal_var=False).pvalue)
        rows.append(("t", c, x.mean(), y.mean(), p))
    for c in cols:
        if c.endswith("_mean") and a[c].notna().sum() >= 3 and b[c].notna().sum() >= 3:
            rows.append(("ks", c, a[c].median(), b[c].median(),
                         float(stats.ks_2samp(a[c].dropna(), b[c].dropna()).pvalue)))
    out = pd.DataFrame(rows, columns=["test", "stat", "engine", "reference", "p"])
    out["reject"] = out["p"] < alpha / len(out)
    return out


def describe(res: pd.DataFrame) -> str:
    return res.sort_values("p").head(8).to_string()


@functools.lru_cache(maxsize=None)
def engine_runs(name: str, binding: bool, scale: float, seeds: int, years: float) -> pd.DataFrame:
    return replicate(removalsim.simulate, scenario(name, binding), range(seeds), scale, years)


@functools.lru_cache(maxsize=None)
def reference_runs(name: str, binding: bool, scale: float, seeds: int, years: float,
                   perturb: str | None = None) -> pd.DataFrame:
    # Seeds offset from the engine's: the implementations' streams are unrelated anyway.
    return replicate(reference.simulate, scenario(name, binding), range(1000, 1000 + seeds), scale, years,
                     perturb=perturb)


def check(name: str, binding: bool = False, scale: float = SMALL, seeds: int = SEEDS, years: float = YEARS):
    res = compare(engine_runs(name, binding, scale, seeds, years), reference_runs(name, binding, scale, seeds, years))
    assert len(res) >= 30
    assert not res["reject"].any(), f"engine and reference disagree:\n{describe(res)}"
    return res


# -- the tests -----------------------------------------------------------------------------------
def test_compare_rejects_a_shifted_sample_and_accepts_its_twin():
    rng = np.random.default_rng(0)
    a = pd.DataFrame({f"s{i}": rng.normal(10, 1, 20) for i in range(30)})
    same = pd.DataFrame({f"s{i}": rng.normal(10, 1, 20) for i in range(30)})
    shifted = same.copy()
    shifted["s3"] += 3
    assert not compare(a, same)["reject"].any()
    assert compare(a, shifted).set_index("stat").loc["s3", "reject"]


def test_reference_is_independent_of_the_engine_modules():
    import inspect

    from removalsim.reference import simpy_model

    src = inspect.getsource(simpy_model)
    for forbidden in ("engine.world", "engine.processes", "engine.transitions", "engine.links", "engine.pools",
                      "engine.bundles", "engine.population", "engine.rng"):
        assert forbidden not in src


def test_reference_conserves_people_and_respects_beds():
    sc = scenario("baseline", True)
    r = reference.simulate(sc, years=1, seed=3, scale=SMALL, freq="D")
    states = [m for m in r.stocks["measure"].cat.categories
              if m not in ("final_order_unexecutable", "on_atd")]
    total = r.stocks[r.stocks["measure"].isin(states)].groupby("date")["value"].sum()
    arrivals = sum(r.total("flows", m) for m in ("border_apprehension", "arrival_evaded", "arrival_overstay"))
    assert (total.diff().iloc[1:] == arrivals.iloc[1:]).all()
    custody = sum(r.total("stocks", m) for m in CUSTODY)
    assert custody.max() <= np.floor(20000 * SMALL)


def test_baseline_equivalent():
    check("baseline")


def test_binding_detention_and_documents_equivalent():
    res = check("baseline", binding=True)
    # the scenario must really bind: arrests released for want of a bed, refusals, custody-limit releases
    eng = engine_runs("baseline", True, SMALL, SEEDS, YEARS)
    assert eng["detained_q4"].mean() >= 0.9 * np.floor(20000 * SMALL)
    assert len(res) > 30


def test_china_equivalent():
    check("china")  # a scenario that does not load fails here (ScenarioError), it is not skipped


def test_perturbed_reference_is_caught():
    """Serving the non-detained docket before the detained one, in the reference only, must be detected."""
    eng = engine_runs("baseline", True, SMALL, SEEDS, YEARS)
    bad = reference_runs("baseline", True, SMALL, SEEDS, YEARS, perturb="nondetained_first")
    res = compare(eng, bad)
    assert res["reject"].any(), f"perturbation not detected:\n{describe(res)}"


@pytest.mark.slow
@pytest.mark.parametrize("name,binding", [("baseline", False), ("baseline", True), ("china", False)])
def test_equivalent_larger(name, binding):
    check(name, binding, scale=SLOW_SCALE, seeds=SLOW_SEEDS, years=3)


@pytest.mark.slow
def test_dropping_the_custody_limit_is_caught():
    eng = engine_runs("baseline", True, SLOW_SCALE, SLOW_SEEDS, 3)
    bad = reference_runs("baseline", True, SLOW_SCALE, SLOW_SEEDS, 3, perturb="no_custody_limit")
    res = compare(eng, bad)
    assert res["reject"].any(), f"perturbation not detected:\n{describe(res)}"
