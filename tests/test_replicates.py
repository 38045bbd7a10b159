"""Replicates: parameter distributions, per-replicate draws, bands, resume, and `run --replicates`."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from removalsim import load_scenario
from removalsim.cli import app
from removalsim.scenario import ScenarioError
from removalsim.uncertainty import replicate_seed, run_replicates, summarize
from removalsim.uncertainty.jobs import make_run
from removalsim.uncertainty.runner import run_specs
from removalsim.uncertainty.sampling import apply, draw, uncertain_params

TINY = dict(years=0.25, scale=0.001)


def test_dist_is_validated_with_one_clear_line():
    sc = load_scenario("baseline")
    with pytest.raises(ScenarioError, match="dist 'beta' is not allowed; expected one of 'triangular'"):
        sc.with_overrides({"court.judges": {"value": 734, "low": 600, "high": 900, "dist": "beta"}})
    with pytest.raises(ScenarioError, match="needs low and high"):
        sc.with_overrides({"court.judges": {"value": 734, "dist": "uniform"}})
    with pytest.raises(ScenarioError, match="low <= value <= high"):
        sc.with_overrides({"court.judges": {"value": 734, "low": 800, "high": 900, "dist": "triangular"}})


def test_quantiles_follow_the_declared_distributions():
    by_path = {u.path: u for u in uncertain_params(load_scenario("baseline"))}
    assert len(by_path) >= 5
    tri = by_path["detention.bed_day_cost"]
    us = np.linspace(0.0005, 0.9995, 2000)
    xs = np.array([tri.quantile(u) for u in us])
    assert xs.min() >= tri.low and xs.max() <= tri.high and np.all(np.diff(xs) >= 0)
    assert abs(xs.mean() - (tri.low + tri.mode + tri.high) / 3) < 0.5   # triangular mean
    logn = by_path["self_departure.hazard_no_case"]
    assert logn.quantile(0.5) == pytest.approx(logn.mode)
    ratio = logn.quantile(0.95) / logn.quantile(0.05)
    assert ratio == pytest.approx(logn.high / logn.low, rel=1e-3)


def test_draws_depend_on_seed_and_replicate_only():
    base, china = load_scenario("baseline"), load_scenario("china")
    a = draw(base, 3, 0)
    c = draw(china, 3, 0)                                         # china.toml sets China's lag without dist
    assert a == draw(base, 3, 0) and c == {k: v for k, v in a.items() if k in c} and len(c) >= 5
    assert a != draw(base, 3, 1) and a != draw(base, 4, 0)
    sc = apply(base, a)
    assert sc.detention.bed_day_cost.number() == pytest.approx(a["detention.bed_day_cost"])
    assert uncertain_params(sc) == []                             # the replicate's scenario is fixed
    assert sc.groups["China"].doc_lag_median_days.value == pytest.approx(a["groups.China.doc_lag_median_days"])


def test_group_default_distribution_is_one_draw_for_the_groups_that_inherit_it():
    sc = load_scenario("baseline").with_overrides({"group_defaults.usc_family_share": {
        "value": 0.25, "low": 0.15, "high": 0.4, "dist": "uniform", "source": "assumption", "note": "test"}})
    (u,) = [u for u in uncertain_params(sc) if u.path.startswith("group_defaults")]
    x = draw(sc, 0, 0)[u.path]
    out = apply(sc, {u.path: x})
    assert {g.usc_family_share.value for g in out.groups.values()} == {x}


def test_dated_parameter_is_scaled_as_a_whole():
    sc = load_scenario("baseline").with_overrides({"court.completions_per_judge_day": {
        "steps": [{"from": "2025-01-20", "value": 3.0}, {"from": "2026-01-01", "value": 4.0}],
        "low": 2.0, "high": 4.0, "dist": "uniform", "source": "assumption", "note": "test"}})
    out = apply(sc, {"court.completions_per_judge_day": 1.5})
    assert [s.value for s in out.court.completions_per_judge_day.steps] == [1.5, 2.0]


def test_replicates_differ_fixed_params_keep_values_and_resume_skips(tmp_path):
    res = run_replicates("baseline", 3, seed=6, **TINY)
    assert [r.meta["seed"] for r in res] == [replicate_seed(6, r) for r in range(3)]
    assert res[0].meta["params"] != res[1].meta["params"]
    fixed = run_replicates("baseline", 2, seed=5, fixed_params=True, **TINY)
    assert fixed[0].meta["params"] == {}
    bands = summarize(res)
    # the bands are percentiles of the replicates' own yearly numbers: checked on a year with 3 distinct values
    rows = [row for _, row in bands[bands["measure"] == "removals"].iterrows()
            if len({r.summary().loc[row["year"], "removals"] for r in res}) == 3]
    assert rows, "no year where the three replicates differ"
    row = rows[0]
    x = np.array([r.summary().loc[row["year"], "removals"] for r in res])
    assert row["replicates"] == 3
    assert [row[c] for c in ("p05", "p25", "median", "p75", "p95")] == pytest.approx(
        np.percentile(x, [5, 25, 50, 75, 95]))
    # with an output folder, a second call computes nothing and returns the same results
    spec = make_run(load_scenario("baseline"), seed=6, replicates=3, **TINY)
    first = run_specs([spec], out=tmp_path, workers=1)
    again = run_specs([spec], out=tmp_path, workers=1)
    assert (first.computed, again.computed, again.reused) == (3, 0, 3)
    assert all(a.equals(b) for a, b in zip(first.results[spec.run_id], again.results[spec.run_id]))
    assert all(a.equals(b) for a, b in zip(first.results[spec.run_id], res))


def test_cli_run_replicates_prints_bands(tmp_path):
    r = CliRunner().invoke(app, ["run", "baseline", "--replicates", "2", "--years", "0.25", "--scale", "0.001",
                                 "--workers", "1", "--out", str(tmp_path), "-q"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    # two replicates: each cell gives their range, named so, never a "90% band"
    assert "median and range" in text and "removals" in text and "range " in text and "90% " not in text
    assert "FY2025" in text
    assert (tmp_path / "catalogue.duckdb").is_file()
    bad = CliRunner().invoke(app, ["run", "--replicates", "0", "--scale", "0.001"])
    assert bad.exit_code == 2 and "--replicates 0 is out of range" in bad.output
