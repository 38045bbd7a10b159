"""Results: tidy tables, scaled summaries and an exact Parquet round trip."""

from __future__ import annotations

import json

import pytest

import removalsim
from removalsim import Result

from conftest import SMALL, baseline


def test_tables_are_tidy_and_round_trip_exactly(tmp_path):
    r = removalsim.simulate(baseline(), years=1, seed=2, scale=SMALL)
    for t in (r.stocks, r.flows, r.costs):
        assert list(t.columns) == ["date", "group", "measure", "value"]
        assert not t.duplicated(["date", "group", "measure"]).any()
    assert list(r.waits.columns) == ["date", "group", "measure", "bin_days", "count"]
    assert r.stocks["date"].nunique() == 13  # monthly: January 2025 (from the 20th) to January 2026
    back = Result.read_parquet(r.to_parquet(tmp_path / "run"))
    assert back.equals(r)


def test_monthly_tables_aggregate_the_daily_ones():
    d = removalsim.simulate(baseline(), years=0.5, seed=2, scale=SMALL, freq="D")
    m = removalsim.simulate(baseline(), years=0.5, seed=2, scale=SMALL)
    assert d.total("flows", "removed").sum() == m.total("flows", "removed").sum()
    assert d.total("stocks", "removed").iloc[-1] == m.total("stocks", "removed").iloc[-1]
    assert abs(d.total("costs", "detention").sum() - m.total("costs", "detention").sum()) < 1e-6


def test_summary_is_scaled_to_the_whole_country():
    r = removalsim.simulate(baseline(), years=1, seed=2, scale=SMALL)
    s = r.summary()
    # a year from 2025-01-20 covers part of FY2025 and part of FY2026, each said so, neither annualised
    assert list(s.index) == [2025, 2026] and sorted(s.attrs["partial"]) == [2025, 2026]
    assert s.attrs["partial"][2025] == "2025-01-20 to 2025-09-30, 254 days"
    assert s["removals"].sum() == pytest.approx(r.total("flows", "removed").sum() / SMALL)
    fy2025 = r.flows.query("measure == 'removed' and date < '2025-10-01'")["value"].sum()
    assert s.loc[2025, "removals"] == pytest.approx(fy2025 / SMALL)
    assert 2e6 < s.loc[2026, "court_backlog"] < 4e6


def test_yearly_checkpoints_match_the_end_of_a_shorter_run():
    # compare reads the cohort after 1 year from a longer run's checkpoint instead of a 1-year run
    long = removalsim.simulate("china", years=2, seed=4, scale=0.001)
    short = removalsim.simulate("china", years=1, seed=4, scale=0.001)
    cols = ["group", "measure", "value"]
    at_one = long.checkpoints[long.checkpoints["years"] == 1.0][cols].reset_index(drop=True)
    end = short.checkpoints[short.checkpoints["years"] == 1.0][cols].reset_index(drop=True)
    assert at_one["value"].sum() > 0 and at_one.equals(end)
    assert sorted(long.checkpoints["years"].unique()) == [1.0, 2.0]


def test_capacity_table_holds_each_stage_per_month():
    r = removalsim.simulate("baseline", years=0.5, seed=1, scale=0.001)
    cap = r.capacity
    assert set(cap["measure"]) == {"arrests", "beds", "court_completions", "appeal_completions", "travel_documents",
                                   "seats", "officer_days", "judge_days", "bed_days", "atd_place_days",
                                   "scheduled_flights", "flights_flown"}
    flown = cap[cap["measure"] == "flights_flown"]
    assert flown["value"].sum() > 0 and set(flown["group"]) == {r for r, air in r.meta["regions"].items() if air}
    assert set(cap[cap["measure"] == "seats"]["group"]) == set(r.meta["regions"])
    assert (cap[cap["measure"] == "arrests"]["value"] > 0).all()
    daily = removalsim.simulate("baseline", years=0.1, seed=1, scale=0.001, freq="D")
    arrests = daily.capacity[daily.capacity["measure"] == "arrests"]
    assert len(arrests) == daily.meta["days"]  # capacity follows the table frequency


def test_the_fully_loaded_basis_prices_funded_capacity():
    from removalsim.measures import loaded_costs

    r = removalsim.simulate("baseline", years=0.5, seed=3, scale=0.001)
    loaded, unit = loaded_costs(r), r.meta["unit_costs"]
    cap = r.capacity
    bed_days = cap[cap["measure"] == "bed_days"]["value"].sum()
    assert loaded["detention"].sum() == pytest.approx(bed_days * unit["bed_day"])
    officer_days = cap[cap["measure"] == "officer_days"]["value"].sum()
    assert loaded["arrest"].sum() == pytest.approx(officer_days * unit["officer_year"] / 365.25)
    marginal = r.costs.groupby("measure", observed=True)["value"].sum()
    # unused beds and idle charters are paid for: never below what the run used
    assert loaded["detention"].sum() > marginal["detention"] and loaded["transport"].sum() >= marginal["transport"]
    for c in ("travel_documents", "appeals", "stipends"):  # bought per use on both bases
        assert loaded[c].sum() == pytest.approx(marginal[c])


def test_a_result_written_before_the_new_tables_still_reads_and_summarises(tmp_path):
    r = removalsim.simulate("baseline", years=0.3, seed=1, scale=0.001)
    folder = r.to_parquet(tmp_path / "old")
    for t in ("checkpoints", "capacity"):
        (folder / f"{t}.parquet").unlink()
    meta = json.loads((folder / "meta.json").read_text())
    del meta["unit_costs"]
    (folder / "meta.json").write_text(json.dumps(meta))
    old = Result.read_parquet(folder)
    assert old.capacity.empty and old.checkpoints.empty
    summary = old.summary()
    assert "cost_loaded_usd" not in summary and summary["removals"].equals(r.summary()["removals"])


def test_the_fully_loaded_costs_are_computed_once_and_handed_out_as_copies():
    from removalsim.measures import _loaded_costs, loaded_costs

    r = removalsim.simulate(baseline(), years=1, seed=2, scale=SMALL)
    first = loaded_costs(r)
    first.iloc[:, :] = -1.0  # a caller's change stays with the caller
    again = loaded_costs(r)
    assert again.equals(_loaded_costs(r)) and (again.to_numpy() >= 0).all()
    assert again is not loaded_costs(r)
