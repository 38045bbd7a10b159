"""Scenarios: shipped files are complete and sourced; bad input gets one clear message."""

from __future__ import annotations

import datetime as dt

import pytest

from removalsim import ScenarioError, load_scenario
from removalsim.cli import iter_params
from removalsim.scenario import shipped_names
from removalsim.scenario.params import ASSUMPTION


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_parameter_is_sourced(name):
    sc = load_scenario(name)
    for path, p in iter_params(sc):
        srcs = p.sources
        assert srcs, path
        if srcs[0] == ASSUMPTION:
            assert p.note, f"{path}: assumption without rationale"
            if isinstance(p.value, (int, float)) and not isinstance(p.value, bool):
                assert p.low is not None and p.high is not None, f"{path}: assumption without range"
        else:
            assert all(s.startswith(("stats:", "calibration:")) for s in srcs), path


def test_baseline_matches_the_public_totals():
    sc = load_scenario("baseline")
    assert sc.population.total.number() == 14_000_000
    assert sc.population.pending_cases.number() == 3_600_000
    assert sc.population.final_orders.number() == 1_445_549
    assert sc.groups["China"].final_orders.number() == 37_908
    named = sum(sc.stock(g, "final_orders") for g in sc.groups)
    assert named == 1_445_549


def test_china_extends_baseline_with_its_own_charters():
    sc = load_scenario("china")
    assert sc.extends == "baseline"
    assert sc.groups["China"].region.value == "china"
    assert 116 <= sc.transport.air["china"].seats_per_flight.number() <= 122
    assert sc.groups["China"].grant_rate_represented.number() == 0.67
    assert sc.court.judges == load_scenario("baseline").court.judges


def write(tmp_path, text, name="s.toml"):
    f = tmp_path / name
    f.write_text('extends = "baseline"\nname = "t"\n' + text)
    return f


@pytest.mark.parametrize("text, expected", [
    ('[court]\njudges = { value = -1, unit = "judges", source = "stats:ij-count-2025-01" }',
     "court.judges: value -1 is out of range"),
    ('[court]\njudges = { value = 700, unit = "people", source = "stats:ij-count-2025-01" }',
     "unit 'people' is wrong; this parameter is in 'judges'"),
    ('[court]\njudgez = 3', "court.judgez: unknown key"),
    ('[court]\njudges = { value = 700, unit = "judges", source = "stats:no-such-id" }', "no-such-id"),
    ('[court]\njudges = { value = 700, unit = "judges", source = "my blog" }', "source 'my blog' is not allowed"),
    ('[court]\njudges = { value = 700, unit = "judges", source = "assumption" }', "no note"),
    ('[court]\ncompletions_per_judge_day = { steps = [{from = 2026-01-01, value = 3}, {from = 2025-01-01, value = 4}], '
     'unit = "cases/judge/day", source = "stats:trac-completions-fy2024" }', "strictly increasing"),
    ('[court]\nnondetained_min_days = { steps = [{from = 2026-01-01, value = 3}], unit = "days", '
     'source = "stats:trac-completions-fy2024" }', "cannot be dated"),
    ('[court]\ndetained_min_days = { value = 10, unit = "days", source = "stats:detention-alos-2025" }',
     "detained_min_days 10 is before detained_first_hearing_days 14"),
    ('[groups.China]\nshare_border = { value = 0.9, unit = "share", source = "stats:aircraft-capacity-max" }',
     "must sum to 1"),
    ('[groups.China]\nregion = { value = "mars", unit = "region", source = "assumption", note = "x" }',
     "not a transport region"),
    ('[court\n', "not valid TOML"),
    # no value may reach the engine unset, infinite or too large for its integer arrays
    ('[court]\njudges = { steps = [{from = 2025-06-01, value = 700}], unit = "judges", '
     'source = "stats:ij-count-2025-01" }', "court.judges: the first step (from 2025-06-01) comes after the start"),
    ('[transport.air.asia]\nflights_per_week = { value = inf, unit = "flights/week", source = "assumption", '
     'low = 0, high = 1, note = "x" }', "transport.air.asia.flights_per_week: value inf is not a finite number"),
    ('[transport.land.mexico]\ncapacity_per_day = { value = 1e308, unit = "people/day", source = "assumption", '
     'low = 0, high = 1, note = "x" }', "value 1e+308 is out of range; expected a number in [0, 1e+06] (people/day)"),
    ('[court]\njudges = { steps = [{from = 2025-01-20, value = 700}, {from = 2026-01-01, value = nan}], '
     'unit = "judges", source = "stats:ij-count-2025-01" }', "step from 2026-01-01: value nan is not a finite number"),
    ('[court]\njudges = { value = 700, unit = "judges", source = "assumption", low = 0, high = inf, note = "x" }',
     "plausible-range high inf is not a finite number"),
])
def test_bad_scenarios_get_one_clear_message(tmp_path, text, expected):
    f = write(tmp_path, text)
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert expected in msg and "\n" not in msg
    assert str(f) in msg


def test_missing_file_unknown_name_and_cycles(tmp_path):
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path / "none.toml")
    with pytest.raises(ScenarioError, match="unknown scenario.*baseline"):
        load_scenario("baselin")
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname="a"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname="b"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        load_scenario(tmp_path / "a.toml")


def test_extends_replaces_a_parameter_whole_and_keeps_the_rest(tmp_path):
    f = write(tmp_path, '[court]\njudges = { value = 1434, unit = "judges", source = "assumption", '
                        'note = "700 more judges", low = 1000, high = 1500 }')
    sc = load_scenario(f)
    assert sc.court.judges.number() == 1434 and sc.court.judges.source == "assumption"
    assert sc.court.completions_per_judge_day == load_scenario("baseline").court.completions_per_judge_day
    assert sc.origin("court.judges") == str(f)


def test_overrides_in_code():
    sc = load_scenario("baseline").with_overrides({
        "detention.beds": [("2025-01-20", 41_500), ("2026-01-01", 100_000)],
        "groups.China.doc_refusal_share": 0.9})
    assert sc.detention.beds.schedule()[1] == (dt.date(2026, 1, 1), 100_000)
    assert sc.groups["China"].doc_refusal_share.number() == 0.9
    with pytest.raises(ScenarioError, match="no such parameter"):
        load_scenario("baseline").with_overrides({"court.judgez": 3})
    with pytest.raises(ScenarioError, match="out of range"):
        load_scenario("baseline").with_overrides({"groups.China.doc_refusal_share": 1.5})


def test_the_engine_never_sees_a_day_without_a_value():
    """Even a Param built past the loader (here by hand) cannot leave days unset: `daily` refuses it."""
    from removalsim.engine.inputs import daily
    from removalsim.scenario.params import Param

    late = Param.model_validate({"steps": [{"from": dt.date(2025, 6, 1), "value": 700}], "unit": "judges",
                                 "source": "stats:ij-count-2025-01"})
    with pytest.raises(ValueError, match="no value in force on 132 day"):
        daily(late, dt.date(2025, 1, 20), 365)
    on_time = Param.model_validate({"steps": [{"from": dt.date(2025, 1, 20), "value": 700}], "unit": "judges",
                                    "source": "stats:ij-count-2025-01"})
    assert (daily(on_time, dt.date(2025, 1, 20), 365) == 700).all()
