"""A Result for a reader: a short display, whole-country tables, a quick plot, CSV and Excel exports."""

from __future__ import annotations

import pandas as pd
import pytest

import removalsim

SCALE = 0.002


@pytest.fixture(scope="module")
def res():
    return removalsim.simulate("china", years=1, seed=5, scale=SCALE)


def test_display_is_short_and_says_what_was_run(res):
    text = repr(res)
    assert len(text) < 800 and len(text.splitlines()) <= 10  # not kilobytes of raw tables
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "china, seed 5, a 0.2% sample (scale 0.002), 2025-01-20 to 2026-01-19" in text
    removals = removalsim.measures.HORIZON["removals_per_year"].horizon(res, None)
    assert f"{removalsim.formatting.amount(removals)} a year" in text
    assert "$" in text and " bn a year" in text  # money written once, one way
    page = res._repr_html_()
    assert page.startswith("<div>") and "FY2025 (part)" in page and "<script" not in page


def test_whole_country_divides_by_the_scale_once(res):
    flows = res.whole_country("flows")
    china = flows.query("measure == 'removed' and group == 'China'")["value"].sum()
    sample = res.flows.query("measure == 'removed' and group == 'China'")["value"].sum()
    assert china == pytest.approx(sample / SCALE) and sample > 0
    assert res.whole_country("waits")["count"].sum() == pytest.approx(res.waits["count"].sum() / SCALE)
    assert res.flows.query("measure == 'removed'")["value"].sum() == sample + res.flows.query(
        "measure == 'removed' and group != 'China'")["value"].sum()  # the Result's own tables are untouched
    with pytest.raises(KeyError, match="no table 'flow'"):
        res.whole_country("flow")


def test_exports_hold_the_whole_country_and_the_fiscal_years(res, tmp_path):
    folder = res.to_csv(tmp_path / "csv")
    summary = pd.read_csv(folder / "summary.csv", index_col="fiscal_year")
    assert list(summary.index) == [2025, 2026]
    assert summary["removals"].sum() == pytest.approx(res.flows.query("measure == 'removed'")["value"].sum() / SCALE)
    flows = pd.read_csv(folder / "flows.csv")
    assert flows["value"].sum() == pytest.approx(res.flows["value"].sum() / SCALE)
    book = pd.read_excel(res.to_excel(tmp_path / "r.xlsx"), sheet_name=None)
    assert {"summary", "stocks", "flows", "costs", "waits", "checkpoints", "capacity", "run"} <= set(book)
    assert book["summary"]["removals"].sum() == pytest.approx(summary["removals"].sum())


def test_plot_draws_the_measure_in_whole_country_units(res, tmp_path):
    ax = res.plot("court_backlog", path=tmp_path / "backlog.png")
    y = ax.lines[0].get_ydata()
    assert y[-1] == pytest.approx(removalsim.measures.series(res, "court_backlog").iloc[-1])
    assert y[-1] > 1e6  # millions of cases: the country, not the sample
    assert (tmp_path / "backlog.png").stat().st_size > 5_000
    with pytest.raises(KeyError, match="unknown measure"):
        res.plot("nonsense")
