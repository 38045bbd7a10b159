"""Calibration: recovering known parameters, one-line CLI errors, the override file and the baseline."""

from __future__ import annotations

import re
from importlib import resources

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from removalsim import load_scenario
from removalsim.backtest import CalibrationError, fit, parse_years
from removalsim.backtest.calibrate import simulate
from removalsim.backtest.cli import register
from removalsim.data import get


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.command()
    def version() -> None:  # a second command so that sub-commands are named
        pass

    register(app)
    return app


def test_court_fit_recovers_a_known_productivity_from_synthetic_data():
    truth = 2.0  # below the receipts, so a backlog builds up as in FY2009-FY2014
    rng = np.random.default_rng(11)
    syn = simulate("court", {"completions_per_judge_day": truth, "nondetained_min_days": 90}, rng=rng,
                   year_sigma=0.05)
    records = {"court-completions": {y: float(v[0]) for y, v in syn["completions"].items()},
               "court-pending": {y: float(v[0]) for y, v in syn["pending"].items()}}
    f = fit(["court-completions", "court-pending"], ["completions_per_judge_day"], parse_years("2009-2014"),
            records=records)
    assert f.values["completions_per_judge_day"] == pytest.approx(truth, rel=0.03)
    assert f.se["completions_per_judge_day"] > 0
    assert abs(f.values["completions_per_judge_day"] - truth) < 4 * f.se["completions_per_judge_day"]


def test_ice_fit_recovers_a_known_removal_share():
    truth = 0.35
    rng = np.random.default_rng(5)
    syn = simulate("ice", {"removal_share_per_arrest": truth, "arrest_to_removal_days": 30}, rng=rng,
                   year_sigma=0.05)
    f = fit(["ice-interior-removals"], ["removal_share_per_arrest"], parse_years("2016-2024"),
            records={"ice-interior-removals": {y: float(v[0]) for y, v in syn["interior_removals"].items()}},
            fixed={"arrest_to_removal_days": 30})
    assert f.values["removal_share_per_arrest"] == pytest.approx(truth, rel=0.05)


def test_completions_alone_identify_productivity_even_from_a_flat_start():
    """Started where the court would be idle (completions = receipts), the grid still finds the truth."""
    syn = simulate("court", {"completions_per_judge_day": 2.0, "nondetained_min_days": 90})
    records = {"court-completions": {y: float(v[0]) for y, v in syn["completions"].items()}}
    f = fit(["court-completions"], ["completions_per_judge_day"], parse_years("2009-2014"), records=records,
            fixed={"completions_per_judge_day": 6.0})
    assert f.values["completions_per_judge_day"] == pytest.approx(2.0, rel=1e-3)


def test_unidentified_parameters_are_reported():
    """With a large backlog the minimum wait does not change the counts: the fit must say so."""
    syn = simulate("court", {"completions_per_judge_day": 2.0, "nondetained_min_days": 90})
    records = {"court-completions": {y: float(v[0]) for y, v in syn["completions"].items()}}
    f = fit(["court-completions"], ["completions_per_judge_day", "nondetained_min_days"], parse_years("2009-2014"),
            records=records)
    assert any("not identified" in n for n in f.notes)
    assert np.isnan(f.se["nondetained_min_days"])


def test_a_wrong_model_value_is_not_recovered_as_the_truth():
    """The fit must move: start far from the truth and end near it, not at the start."""
    syn = simulate("court", {"completions_per_judge_day": 1.5, "nondetained_min_days": 90})
    records = {"court-completions": {y: float(v[0]) for y, v in syn["completions"].items()}}
    f = fit(["court-completions"], ["completions_per_judge_day"], (2023, 2024, 2025), records=records,
            fixed={"completions_per_judge_day": 5.0})
    assert f.values["completions_per_judge_day"] == pytest.approx(1.5, rel=1e-3)
    assert f.mape < 1e-3


@pytest.mark.parametrize("args, pattern", [
    (["--target", "court-x", "--params", "completions_per_judge_day", "--years", "2009-2014"],
     r"--target 'court-x' is unknown; allowed: court-completions, court-pending, ice-interior-removals"),
    (["--target", "court-pending", "--params", "judges", "--years", "2009-2014"],
     r"--params 'judges' is not a free parameter .*allowed: completions_per_judge_day, nondetained_min_days"),
    (["--target", "court-pending", "--params", "completions_per_judge_day", "--years", "2014-2009"],
     r"runs backwards"),
    (["--target", "court-pending", "--params", "completions_per_judge_day", "--years", "20x9"],
     r"is not a year range"),
    (["--target", "court-pending", "--params", "completions_per_judge_day", "--years", "1990-1995"],
     r"years available: FY2009-FY2014"),
    (["--target", "court-pending,ice-interior-removals", "--params", "completions_per_judge_day",
      "--years", "2016-2020"], r"mixes models"),
])
def test_calibrate_cli_errors_are_one_line(args, pattern):
    res = CliRunner().invoke(_app(), ["calibrate", *args])
    assert res.exit_code == 2
    text = res.output.strip()
    assert "Traceback" not in text and len(text.splitlines()) <= 2  # one line, maybe soft-wrapped
    assert re.search(pattern, " ".join(text.split())), text


def test_calibrate_writes_an_override_file_that_loads(tmp_path):
    target = tmp_path / "cal" / "court.toml"
    res = CliRunner().invoke(_app(), ["calibrate", "--target", "court-completions", "--params",
                                      "completions_per_judge_day", "--years", "2023-2025", "--out", str(target)])
    assert res.exit_code == 0, res.output
    sc = load_scenario(target)
    p = sc.court.completions_per_judge_day
    assert p.source == "calibration:court.toml"
    f = fit(["court-completions"], ["completions_per_judge_day"], (2023, 2024, 2025))
    assert p.number() == pytest.approx(f.values["completions_per_judge_day"], rel=1e-3)
    assert p.low < p.number() < p.high and "FY2023-FY2025" in p.note
    assert sc.court.judges == load_scenario("baseline").court.judges  # everything else from baseline


def test_backtest_cli_rejects_bad_options(tmp_path):
    res = CliRunner().invoke(_app(), ["backtest", "--replicates", "0", "--out", str(tmp_path)])
    assert res.exit_code == 2 and "--replicates 0 is out of range" in res.output
    res = CliRunner().invoke(_app(), ["backtest", "--side-model", "--court-fit-years", "2030-2031", "--out",
                                      str(tmp_path)])
    assert res.exit_code == 2 and "years available" in " ".join(res.output.split())


def test_backtest_side_model_prints_the_table_and_writes_the_figure(tmp_path):
    res = CliRunner().invoke(_app(), ["backtest", "--side-model", "--replicates", "20", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "MAPE court-completions fit" in text and "held-out" in text and "fit years: FY2009-FY2014" in text
    assert (tmp_path / "backtest.png").stat().st_size > 10_000 and (tmp_path / "backtest.csv").exists()


def test_every_calibration_cited_by_a_shipped_scenario_exists_and_matches():
    from removalsim.backtest.modelcard import _params
    from removalsim.scenario import shipped_names

    folder = resources.files("removalsim.scenario") / "data" / "calibration"
    cited = 0
    for name in shipped_names():
        sc = load_scenario(name)
        for path, p in _params(sc):
            for s in p.sources:
                if s.startswith("calibration:"):
                    f = folder / s.removeprefix("calibration:")
                    assert f.is_file(), f"{name}: {path} cites missing {s}"
                    cal = load_scenario(str(f))
                    node = cal
                    for part in path.split("."):
                        node = node[part] if isinstance(node, dict) else getattr(node, part)
                    steps = [v for _, v in p.schedule()]
                    if node.steps:  # a dated calibration: the whole schedule
                        assert p.schedule() == node.schedule(), f"{name}: {path} differs from {s}"
                    else:  # a dated parameter takes the calibrated value in one of its steps (the fitted years)
                        assert any(v == pytest.approx(node.number()) for v in steps), f"{name}: {path} differs from {s}"
                    cited += 1
    assert cited >= 1


def test_shipped_calibration_reproduces_itself():
    """Re-running the fit on today's statistics gives the value the baseline ships."""
    f = fit(["court-completions"], ["completions_per_judge_day"], (2024, 2025))
    assert load_scenario("baseline").court.completions_per_judge_day.number() == pytest.approx(
        f.values["completions_per_judge_day"], rel=2e-3)


def test_baseline_first_year_court_completions_match_the_fy2025_record():
    """Tolerance 10%: the calibrated productivity with 734 judges against 955,000 completions."""
    from removalsim import simulate as run

    scale = 0.002
    r = run("baseline", years=1, seed=0, scale=scale)
    done = r.flows.query("measure == 'court_completion'").value.sum() / scale
    assert done == pytest.approx(get("court-completions-fy2025")["value"], rel=0.10)


def test_parse_years():
    assert parse_years("FY2009-FY2011") == (2009, 2010, 2011)
    assert parse_years("2024") == (2024,)
    with pytest.raises(CalibrationError):
        parse_years("2024-20")


def _script(name: str):
    """A fitting script of `scripts/` as a module."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_arrest_factors_reproduce_their_fit():
    """Re-running the fit of the groups' arrest factors to the 2025 shares of ICE arrests gives the shipped values
    (within 10%: an engine change that moves them more must refit them)."""
    fit_script = _script("fit_arrest_factors")
    factors, want, got = fit_script.fit(say=lambda _: None)
    base = load_scenario("baseline")
    for g, f in factors.items():
        assert base.groups[g].arrest_factor.number() == pytest.approx(f, rel=0.1), g
        assert got[g] == pytest.approx(want[g], rel=0.05), g  # the fit reaches the record


@pytest.mark.parametrize("label", ["2025", "late 2024"])
def test_the_shipped_detained_docket_reaches_its_two_targets(label):
    """In each regime the fitted contested share and merits delay give the recorded stay and share removed
    within 60 days (the whole two-way fit takes minutes, so the test reads the fit's own measure at the shipped
    values), and a step either way of each value moves its measure the way the fit's bisection assumes."""
    fit_script = _script("fit_detained_docket")
    regime, _, scenario = fit_script.REGIMES[label]
    court = load_scenario(scenario).court
    share, days = court.detained_contested_share.number(), int(court.detained_min_days.number())
    got, want = fit_script.model(regime, share, days, 0.01, 4), fit_script.record(regime)
    assert got["stay"] == pytest.approx(want["stay"], rel=0.05)
    assert got["removed"] == pytest.approx(want["removed"], abs=0.03)
    if label == "2025":  # the directions, once
        m = lambda s, d: fit_script.model(regime, s, d, 0.01, 2)  # noqa: E731
        assert m(share, days + 30)["stay"] > m(share, days - 30)["stay"]
        assert m(share + 0.1, days)["removed"] < m(share - 0.1, days)["removed"]


def test_history_takes_the_late_2024_detained_docket_until_the_2025_one():
    history, fy2024, baseline = (load_scenario(n).court for n in ("history", "fy2024", "baseline"))
    for key in ("detained_contested_share", "detained_min_days"):
        steps = getattr(history, key).schedule()
        assert [v for _, v in steps] == [getattr(fy2024, key).number(), getattr(baseline, key).number()], key
        assert steps[1][0].isoformat() == "2025-01-20"


def test_the_history_release_shares_reproduce_their_fit():
    """Re-running the fit of the history scenario's release shares (fit years FY2020-FY2023 only) gives the
    shipped schedule, and the fitted interior removals reach the record."""
    fit_script = _script("fit_history_release")
    values, want, got = fit_script.fit(say=lambda _: None)
    shipped = dict(load_scenario("history").arrests.release_share.schedule())
    for fy, v in values.items():
        assert shipped[fit_script.fy_start(fy)] == pytest.approx(v, abs=0.05), fy
        assert got[fy] == pytest.approx(want[fy], rel=0.05), fy
    assert min(fit_script.FIT_YEARS) >= 2020  # never a validation year


def test_the_fy2024_cbp_custody_share_reproduces_its_fit():
    """Re-running the fit of the share removed from CBP custody to FY2024 ICE removals (a fit year) gives the
    shipped value, and the fitted removals reach the record."""
    fit_script = _script("fit_cbp_custody_removals")
    share, want, got = fit_script.fit(say=lambda _: None)
    shipped = load_scenario("fy2024").border.cbp_custody_removal_share.number()
    assert shipped == pytest.approx(share, abs=0.005)
    assert got == pytest.approx(want, rel=0.02)
    assert fit_script.TARGET == "ice-removals-fy2024"  # a fit year, never a validation year


def test_a_one_parameter_calibration_file_loads_as_the_scenario_it_describes(tmp_path):
    from removalsim.backtest.fit_files import one_parameter_file

    text = one_parameter_file("fit_x.py", 0.02, 4, ["Fit: a test."], "detention-alos-2025", "baseline",
                              "fit-x", 'baseline with a "quoted" word', "court.detained_min_days", "47", "days",
                              "Fitted for a test.")
    assert text.splitlines()[2:4] == ["# Fit: a test.", "# Data (statistics ids): detention-alos-2025"]
    path = tmp_path / "fit-x.toml"
    path.write_text(text)
    sc = load_scenario(path)
    p = sc.court.detained_min_days
    assert sc.description == 'baseline with a "quoted" word' and p.number() == 47
    assert p.source == "calibration:fit-x.toml" and p.note == "Fitted for a test."


def test_detention_2025_follows_book_ins_to_their_exits():
    """People booked in during 2025 are followed to removal or release: when every detained case goes to a
    merits hearing at 48 days (the model before first hearings), more are released within 60 days than with the
    fitted first hearings, where only the few who contest can be released that early."""
    from removalsim.backtest.detention import RECORD_2025, Y2025, follow

    script = _script("detention_2025")
    central = follow(Y2025, {}, 0.005, 0)
    all_contest = follow(Y2025, script.VARIANTS["all contest"], 0.005, 0)
    assert 0 <= central["released"] < all_contest["released"] < 0.5
    assert 0.3 < central["removed"] < 1 and central["removed"] + central["released"] <= 1
    assert central["stay"] == pytest.approx(float(get("detention-alos-2025")["value"]), rel=0.15)
    assert central["held"] > 0 and central["pace"] > 0
    assert all(float(get(i)["value"]) > 0 for i in RECORD_2025.values())  # the record row's figures exist


def test_a_calibration_file_of_several_parameters_groups_them_by_section(tmp_path):
    from removalsim.backtest.fit_files import parameters_file

    text = parameters_file("fit_x.py", 0.01, 2, ["Fit: a test."], "detention-alos-2025, detention-alos-fy2024",
                           "baseline", "fit-y", "baseline with two fits",
                           [("court.detained_min_days", "100", "days", "One."),
                            ("groups.China.arrest_factor", "1.5", "relative", "Two."),
                            ("court.detained_contested_share", "0.4", "share", "Three.")])
    assert text.count("[court]") == 1 and text.index("detained_contested_share") < text.index("[groups.China]")
    path = tmp_path / "fit-y.toml"
    path.write_text(text)
    sc = load_scenario(path)
    assert sc.court.detained_min_days.number() == 100 and sc.court.detained_contested_share.number() == 0.4
    assert sc.groups["China"].arrest_factor.number() == 1.5
    assert sc.groups["China"].arrest_factor.source == "calibration:fit-y.toml"
