"""Marginal returns by lever: each change is +10% of the whole path, runs share their random numbers, and the
per-dollar figures, ranking and command-line output follow from the paired differences."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from removalsim.cli import app
from removalsim.levers import COST, MIN_COST, applies, headline, levers_of, marginal_returns, raised
from removalsim.scenario import load_scenario

SCALE, YEARS, REPS = 0.001, 1.0, 2


@pytest.fixture(scope="module")
def table():
    return marginal_returns("baseline", scale=SCALE, replicates=REPS, seed=3, years=YEARS,
                            levers=["officers", "beds", "court_productivity", "stipend"], workers=1)


def _lever(sc, key):
    return next(lv for lv in levers_of(sc) if lv.key == key)


def test_raised_scales_the_whole_path_and_keeps_the_draw():
    sc = load_scenario("judges_plus_700")
    up = raised(sc, _lever(sc, "judges"))
    assert up.name == "judges_plus_700.judges"
    before, after = sc.court.judges.schedule(), up.court.judges.schedule()
    assert [d for d, _ in before] == [d for d, _ in after] and len(before) > 1  # every dated step, same dates
    assert [v for _, v in after] == [807, 1577]  # 734 and 1,434 judges + 10%, rounded to whole judges
    # a parameter drawn per replicate keeps its distribution, its range scaled with it: the same quantile gives
    # 1.1 times the value, so the changed run draws from the same random number as the base run
    base = load_scenario("baseline")
    p = raised(base, _lever(base, "arrests_per_officer")).arrests.arrests_per_officer_day
    q = base.arrests.arrests_per_officer_day
    assert p.dist == q.dist == "triangular"
    assert (p.number(), p.low, p.high) == pytest.approx((1.1 * q.number(), 1.1 * q.low, 1.1 * q.high))
    # flights: the schedule and the ceiling of extra charters move together
    f = raised(base, _lever(base, "flights.asia")).transport.air["asia"]
    assert f.flights_per_week.number() == pytest.approx(0.55)
    assert f.max_flights_per_week.number() == pytest.approx(1.1)
    # everything else is untouched
    assert raised(base, _lever(base, "judges")).detention.beds == base.detention.beds


def test_the_stipend_lever_scales_the_amount_and_its_effect_and_is_absent_when_unpaid():
    base = load_scenario("baseline")
    assert not applies(base, _lever(base, "stipend"))  # no stipend in the baseline: +10% of nothing
    steps = lambda before, after: [("2025-01-20", before), ("2025-05-05", after)]  # noqa: E731
    sc = base.with_overrides({"self_departure.stipend_usd": steps(0, 1000),  # as self_departure_stipend
                              "self_departure.stipend_multiplier": steps(1, 1.2),
                              "self_departure.stipend_takeup_share": steps(0, 0.25)})
    lv = _lever(sc, "stipend")
    assert applies(sc, lv)
    up = raised(sc, lv).self_departure
    assert up.stipend_usd.schedule()[-1][1] == pytest.approx(1100)
    assert up.stipend_multiplier.schedule()[-1][1] == pytest.approx(1.22)  # the effect (1.2 - 1) grows by 10%
    assert up.stipend_multiplier.schedule()[0][1] == pytest.approx(1.0)    # no stipend yet: no effect


def test_paired_differences_give_zero_for_a_lever_that_does_not_bind(table):
    # beds are not full in the baseline: with common random numbers 10% more beds change no removal in any
    # replicate, while the funded beds cost more (every funded bed-day is paid on the fully loaded basis)
    beds = table[table["lever"] == "beds"].set_index("measure")
    assert beds.loc["removals_per_year", ["effect", "effect_low", "effect_high"]].tolist() == [0, 0, 0]
    sc = load_scenario("baseline")
    funded = 0.1 * sc.detention.beds.number() * sc.detention.bed_day_cost.number() * 365.25
    assert beds.loc[COST, "effect"] == pytest.approx(funded, rel=0.25)  # bed-day price is drawn per replicate
    assert beds.loc["removals_per_year", "per_bn"] == 0


def test_per_dollar_is_the_paired_ratio_and_the_ranking_follows_it(table):
    off = table[table["lever"] == "officers"].set_index("measure")
    r = off.loc["removals_per_year"]
    assert r["effect"] > 0 and r["cost"] > MIN_COST
    sc = load_scenario("baseline")
    payroll = 0.1 * sc.arrests.officers.number() * sc.arrests.cost_per_officer_year.number()
    assert r["cost"] >= 0.99 * payroll  # the officers themselves, plus the work they bring
    assert r["per_bn"] == pytest.approx(r["effect"] / r["cost"] * 1e9, rel=0.5)
    assert r["effect_low"] <= r["effect"] <= r["effect_high"]
    assert r["interval"] == "range" and r["replicates"] == REPS  # two replicates make a range, not a 90% band
    h = headline(table)
    assert list(h.index) == ["officers", "beds", "court_productivity"]  # priced by removals per $, then unpriced
    assert np.isnan(h.loc["court_productivity", "per_bn"])
    assert table.attrs["skipped"] == ["stipend"]


def test_unknown_lever_is_refused():
    with pytest.raises(ValueError, match="unknown lever 'ships'"):
        marginal_returns("baseline", levers=["ships"], scale=SCALE, replicates=1, years=YEARS)


def test_command_fits_80_columns_and_refuses_a_bad_lever(tmp_path):
    runner = CliRunner()
    csv = tmp_path / "tables" / "levers.csv"
    res = runner.invoke(app, ["levers", "baseline", "-r", "2", "--years", "1", "--scale", "0.001", "-q",
                              "-l", "officers", "-l", "judges", "--detail", "-w", "1", "--csv", str(csv)],
                        env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    table = csv.read_text().splitlines()
    assert "lever" in table[0] and any("officers" in x for x in table[1:]) and any("judges" in x for x in table[1:])
    lines = res.output.splitlines()
    assert max(len(x) for x in lines) <= 80 and "…" not in res.output
    assert any(x.startswith("│ 1. ICE") or x.startswith("│ 1. immigration") for x in lines)
    assert "removals per year (people a year)" in res.output and "range over 2 replicates" in res.output
    bad = runner.invoke(app, ["levers", "baseline", "-l", "ships"])
    assert bad.exit_code == 2 and "--lever 'ships' is not a lever of baseline" in bad.output
    assert "Traceback" not in bad.output
    listed = runner.invoke(app, ["levers", "baseline", "--list"])
    assert listed.exit_code == 0 and "documents.China" in listed.output and "stipend" in listed.output


def test_levers_are_labelled_with_place_names_a_reader_writes():
    labels = {lv.key: lv.label for lv in levers_of(load_scenario("baseline"))}
    assert labels["documents.ElSalvador"] == "travel documents, El Salvador"
    assert labels["flights.central_america"] == "charter flights, central america"
