"""History through the engine: targets by fiscal year, fit and validation years apart, the table and the guard
that keeps validation-year outcomes out of every fit."""

from __future__ import annotations

import pytest

from removalsim.backtest.engine import (EXCLUDED, FIT_BAR, NO_BAR, SERIES, VALIDATION_YEARS, fy_window,
                                        markdown, plot, run_history, split, summary_lines, targets,
                                        validation_leaks)
from removalsim.data import get


def test_targets_cover_every_recorded_year_with_the_bar_of_its_split():
    ts = targets()
    ids = {t.stat_id for t in ts}
    assert not ids & set(EXCLUDED)
    for want in ("eoir-pending-fy2020", "ice-removals-fy2018", "detention-adp-fy2016", "ice-removals-fy2024"):
        assert want in ids
    by_id = {t.stat_id: t for t in ts}
    assert by_id["ice-removals-fy2018"].bar == 0.20            # validation year: ICE removals within 20%
    assert by_id["eoir-pending-fy2020"].bar == FIT_BAR          # fit year
    assert by_id["trac-pending-fy2019"].bar == 0.15             # validation year: court within 15%
    receipts = [t for t in ts if t.measure == "case_filed"]
    assert receipts and all(t.bar == NO_BAR for t in receipts)  # shown, not judged
    atd = [t for t in ts if t.measure == "on_atd"]  # the record gives ATD on dates, not at FY ends
    assert {t.stat_id for t in atd} >= {"atd-enrollment-2024-08-10", "atd-enrollment-2025-04"}
    assert by_id["atd-enrollment-2024-08-10"].end.isoformat() == "2024-08-10"
    start, end = fy_window(2018)
    assert (start.isoformat(), end.isoformat()) == ("2017-10-01", "2018-09-30")
    assert by_id["ice-removals-fy2018"].start == start and by_id["eoir-pending-fy2020"].start.month == 9
    assert split(2017) == "validation" and split(2021) == "fit" and VALIDATION_YEARS == tuple(range(2015, 2020))


def test_the_history_table_compares_each_year_with_its_record(tmp_path):
    # A one-year stand-in for the history scenario: the fy2024 replay against FY2024's figures.
    table = run_history(replicates=1, scale=0.002, scenario="fy2024", first=2024, last=2024, workers=1)
    assert set(table.split) == {"fit"} and set(table.fy) == {2024}
    assert set(table.series) <= {s.name for s in SERIES} and "ice_removals" in set(table.series)
    for r in table.itertuples():
        assert r.record == get(r.stat_id)["value"]
        assert r.error == pytest.approx(r.median / r.record - 1)
        assert r.within == (abs(r.error) <= r.bar)
    text = markdown(table)
    assert text.count("\n") == len(table) + 1 and "`ice-removals-fy2024`" in text
    assert any(line.startswith("ICE removals, fit years: 1 figure,") for line in summary_lines(table))
    pngs = plot(table, tmp_path)
    assert sorted(p.name for p in pngs) == sorted(f"history-{s}.png" for s in set(table.series))
    assert all(p.stat().st_size > 10_000 for p in pngs)


def test_no_validation_year_outcome_enters_any_fit(tmp_path):
    assert validation_leaks() == []
    (tmp_path / "planted.toml").write_text("# Data (statistics ids): trac-completions-fy2024, ice-removals-fy2018\n")
    (tmp_path / "clean.toml").write_text("# Data (statistics ids): trac-completions-fy2024\n")
    assert validation_leaks(tmp_path) == ["planted.toml: ice-removals-fy2018"]
