"""Results: tidy tables, scaled summaries and an exact Parquet round trip."""

from __future__ import annotations

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
    assert s.loc[1, "removals"] == r.total("flows", "removed").sum() / SMALL
    assert 2e6 < s.loc[1, "court_backlog"] < 4e6
