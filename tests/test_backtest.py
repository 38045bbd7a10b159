"""The backtest: history series, the cohort court model, MAPE, the report and the model card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from removalsim.backtest import mape, run_backtest
from removalsim.backtest.history import (COURT_COMPLETIONS, COURT_PENDING, COURT_RECEIPTS, ICE_ARRESTS,
                                         ICE_INTERIOR_REMOVALS, JUDGE_ANCHORS, Obs, Segment, court_segments,
                                         fy_days, history_table, judges_on)
from removalsim.backtest.models import court_segment, ice_interior, served_curve
from removalsim.backtest.run import plot, record_balance
from removalsim.data import get

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def short_backtest():
    return run_backtest(tuple(range(2009, 2012)), tuple(range(2020, 2022)), replicates=30, seed=3)


def test_every_series_id_is_in_the_statistics_table():
    for ids in (COURT_PENDING, COURT_RECEIPTS, COURT_COMPLETIONS, ICE_ARRESTS, ICE_INTERIOR_REMOVALS):
        for fy, sid in ids.items():
            row = get(sid)
            assert row["period"] in (f"FY{fy}", str(fy)) or row["period"].startswith(str(fy)), sid
    table = history_table()
    assert table.value.gt(0).all() and not table.duplicated(["series", "fy"]).any()


def test_judges_interpolate_between_recorded_counts():
    dates = [d for _, d in JUDGE_ANCHORS]
    np.testing.assert_allclose(judges_on(dates), [get(s)["value"] for s, _ in JUDGE_ANCHORS])
    (a, da), (b, db) = JUDGE_ANCHORS[1], JUDGE_ANCHORS[2]
    mid = da + (db - da) / 2
    assert judges_on([mid])[0] == pytest.approx((get(a)["value"] + get(b)["value"]) / 2, abs=0.1)
    assert judges_on([dt.date(2000, 1, 1)])[0] == get(JUDGE_ANCHORS[0][0])["value"]  # flat before


def test_segments_start_from_recorded_stocks_and_skip_years_without_receipts():
    segs, not_run = court_segments()
    assert segs[0].start_stock.stat_id == "eoir-pending-fy2008" and segs[0].years[0] == 2009
    for s in segs:
        assert all(y in COURT_RECEIPTS for y in s.years)
        assert list(s.years) == list(range(s.years[0], s.years[-1] + 1))
    assert set(not_run) and not set(not_run) & set(COURT_RECEIPTS)


def test_served_curve_matches_the_day_by_day_rule():
    rng = np.random.default_rng(0)
    eligible = np.cumsum(rng.integers(0, 9, size=(4, 300)), axis=1).astype(float) + 20
    cap = rng.integers(0, 8, size=(4, 300)).astype(float)
    s, expect = 0.0, []
    for r in range(4):
        s, row = 0.0, []
        for t in range(300):
            s = min(s + cap[r, t], eligible[r, t])  # docs/model.md step 5 on counts
            row.append(s)
        expect.append(row)
    np.testing.assert_allclose(served_curve(eligible, cap), expect)


def test_court_segment_conserves_cases_and_respects_the_minimum_wait():
    seg = Segment(Obs(2008, 1000.0, "toy", "toy"), (2009, 2010))
    comp, pend = court_segment(seg, 10.0, 30)  # capacity far above the toy stock
    receipts = [get(COURT_RECEIPTS[y])["value"] for y in seg.years]
    # conservation: stock + receipts = completions + pending
    assert 1000 + sum(receipts) == pytest.approx(comp.sum() + pend[0, -1])
    # huge capacity: pending at year end is exactly the last 30 days of receipts
    assert pend[0, 0] == pytest.approx(receipts[0] / fy_days(2009) * 30)
    slow, _ = court_segment(seg, 0.01, 30)
    assert slow[0, 0] < comp[0, 0]


def test_mape_of_a_toy_input():
    assert mape(np.array([110.0, 90.0, 150.0]), np.array([100.0, 100.0, 100.0])) == pytest.approx((0.1 + 0.1 + 0.5) / 3)


def test_backtest_table_and_mape_are_consistent(short_backtest):
    bt = short_backtest
    t = bt.table
    assert set(t.split) == {"fit", "held-out"}
    assert set(t[t.split == "fit"].fy[t.target.str.startswith("court")]) == {2009, 2010, 2011}
    assert set(t[t.split == "fit"].fy[t.target == "ice-interior-removals"]) == {2020, 2021}
    assert (t.p95 > t.p05).all(), "replicates draw parameters and noise: every band must have a width"
    sub = t[(t.target == "court-completions") & (t.split == "held-out")]
    by_hand = np.mean([abs(m - h) / h for m, h in zip(sub["median"], sub["history"])])
    assert bt.mape("court-completions", "held-out") == pytest.approx(by_hand)
    assert np.allclose(t.error, t["median"] / t.history - 1)


def test_ice_model_scales_with_the_removal_share():
    years = (2016, 2017, 2018)
    a = ice_interior(years, 0.2, 30)[0]
    b = ice_interior(years, 0.4, 30)[0]
    np.testing.assert_allclose(b, 2 * a)
    # with a short lag nearly every removal falls in the arrest's year
    quick = ice_interior(years, 1.0, 1)[0]
    np.testing.assert_allclose(quick, [get(ICE_ARRESTS[y])["value"] for y in years], rtol=0.01)


def test_record_balance_is_the_recorded_arithmetic():
    gaps = dict(record_balance(2009, 2009))
    p = get("eoir-pending-fy2009")["value"] - get("eoir-pending-fy2008")["value"]
    flow = get("eoir-receipts-fy2009")["value"] - get("eoir-completions-fy2009")["value"]
    assert gaps[2009] == pytest.approx(p - flow)


def test_plot_writes_a_png(short_backtest, tmp_path):
    path = plot(short_backtest, tmp_path / "bt.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_model_card_lists_every_shipped_assumption():
    from removalsim.backtest.modelcard import assumption_rows

    card = (ROOT / "docs" / "model-card.md").read_text(encoding="utf-8")
    rows = assumption_rows()
    assert rows
    sections = card.split("#### ")
    for name, path, _ in rows:
        block = next((s for s in sections if s.startswith(f"`{name}`")), None)
        assert block is not None, f"model card has no section for scenario {name}"
        assert f"`{path}`" in block, f"model card is missing the assumption {name}: {path}"


def test_history_summary_counts_figures_in_words():
    import pandas as pd

    from removalsim.backtest.engine import SERIES, summary_lines

    s = SERIES[0]
    one = pd.DataFrame({"series": [s.name], "split": ["fit"], "error": [0.05], "bar": [0.10], "within": [True]})
    assert summary_lines(one) == [f"{s.label}, fit years: 1 figure, mean absolute error 5%, 0 outside the bar"]
