"""Policy comparison: common random numbers, differences and intervals, bottleneck rule, CLI."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from removalsim.compare import binding_stage, differences, run_scenarios
from removalsim.measures import CUSTODY_STOCKS as CUSTODY
from removalsim.engine.inputs import Inputs
from removalsim.measures import er_claim_share
from removalsim.scenario import load_scenario

SCALE, YEARS = 0.001, 1.5


@pytest.fixture(scope="module")
def runs():
    return run_scenarios(["baseline", "detention_100k", "judges_plus_700", "mass_removal_650k"], replicates=2,
                         years=YEARS, scale=SCALE, fixed_params=True)


def test_common_random_numbers_make_a_non_binding_change_exactly_zero(runs):
    # beds never fill in the baseline, so 100,000 beds change nothing a run uses: with shared random numbers
    # every replicate must come out identical, not merely similar; only the funded (fully loaded) cost rises
    d = differences(runs, "baseline", "detention_100k").set_index("measure")
    loaded = d.index.str.startswith("cost_loaded")
    assert (d.loc[~loaded, "diff"].abs().fillna(0) == 0).all()
    bed_days = [res.capacity.query("measure == 'bed_days'")["value"].sum() / res.scale / YEARS
                for res in (runs.results["baseline"][0], runs.results["detention_100k"][0])]
    price = load_scenario("baseline").detention.bed_day_cost.number()
    assert d.loc["cost_loaded_per_year", "diff"] == pytest.approx((bed_days[1] - bed_days[0]) * price)
    assert d.loc["cost_loaded_per_year", "diff"] > 1e9  # every funded bed-day is paid for
    a = runs.results["baseline"][0].flows["value"].to_numpy()
    b = runs.results["detention_100k"][0].flows["value"].to_numpy()
    assert np.array_equal(a, b)
    # and the two replicates differ from each other (they are not the same seed)
    assert not runs.results["baseline"][0].flows["value"].equals(runs.results["baseline"][1].flows["value"])


def test_differences_are_per_replicate_percentiles(runs):
    d = differences(runs, "baseline", "judges_plus_700").set_index("measure")
    w = runs.wide()
    per_rep = w.loc["judges_plus_700"]["court_backlog_end"] - w.loc["baseline"]["court_backlog_end"]
    assert (per_rep < 0).all()  # 700 more judges shrink the backlog in every replicate
    assert d.loc["court_backlog_end", "diff"] == pytest.approx(per_rep.median())
    # below 10 replicates the interval shown is the range of the paired differences, and says so
    assert set(d["interval"]) == {"range"} and (d["replicates"] == 2).all()
    x = (w.loc["judges_plus_700"]["court_backlog_end"] - w.loc["baseline"]["court_backlog_end"]).to_numpy()
    assert (d.loc["court_backlog_end", "diff_low"], d.loc["court_backlog_end", "diff_high"]) == (x.min(), x.max())
    # the 90% interval is the 5th-95th percentile of the per-replicate differences (not of the medians,
    # not the replicates' extremes); with 2 replicates that is min + 0.05 (max - min) and min + 0.95 (max - min)
    distinct = 0
    for m in ("court_backlog_end", "relief_per_year", "cost_total_per_year"):  # each moves with the judges
        x = (w.loc["judges_plus_700"][m] - w.loc["baseline"][m]).to_numpy()
        distinct += x.max() > x.min()  # (a measure rounded to the sample's unit may tie across replicates)
        assert d.loc[m, "diff_p05"] == pytest.approx(np.percentile(x, 5)), m
        assert d.loc[m, "diff_p95"] == pytest.approx(np.percentile(x, 95)), m
    assert distinct >= 2  # replicates differ, so the percentiles are distinct numbers


def test_measures_are_whole_country_and_consistent(runs):
    w = runs.wide()
    for (_, _), row in w.iterrows():
        assert row["removals_per_year"] > 0
        assert row["cost_total_per_year"] == pytest.approx(
            sum(row[c] for c in w.columns if c.startswith("cost_") and c.endswith("_per_year")
                and c not in ("cost_total_per_year", "cost_loaded_per_year")))
        # the fully loaded basis counts funded capacity too, so it is never below what is used
        assert row["cost_loaded_per_year"] >= row["cost_total_per_year"]
        # every removal after an order without counsel followed an order without counsel given in the run
        assert row["orders_without_counsel_per_year"] >= row["removed_unrepresented_per_year"]
        assert row["usc_relatives_of_removed_per_year"] > row["removed_with_usc_family_per_year"]
        assert 0 <= row["pending_relief_removed_via_er_per_year"] <= row["removed_via_er_per_year"]
    assert w.loc["mass_removal_650k"]["removals_per_year"].min() > w.loc["baseline"]["removals_per_year"].max()


def test_bottleneck_utilisation_and_rule(runs):
    # Utilisation is clipped at 1 in compare.bottleneck, so a bound 0 <= u <= 1 on it would hold for any run.
    # Instead recompute the three plain ratios from the run and its inputs, unclipped: they must equal the
    # reported ones, and no stage may serve more than its capacity (the clip must change nothing).
    for name in runs.names:
        for sc, res, u in zip(runs.drawn[name], runs.results[name], runs.util[name]):
            days = int(res.meta["days"])
            inp = Inputs.compile(sc, days, res.scale)
            months = pd.date_range(pd.Timestamp(sc.start_date), periods=days, freq="D").to_period("M").start_time
            per_month = lambda daily, months=months: pd.Series(daily, index=months).groupby(level=0).sum()  # noqa: E731
            last_day = pd.Series(np.arange(days), index=months).groupby(level=0).max()
            custody = sum(res.total("stocks", m) for m in CUSTODY)
            raw = {"officers": res.total("flows", "arrest") / per_month(inp.arrest_capacity),
                   "court": res.total("flows", "court_completion") / per_month(inp.court_capacity),
                   "beds": custody / pd.Series(inp.beds[last_day.to_numpy()], index=last_day.index)}
            for stage, r in raw.items():
                r = r.reindex(u.index)
                assert r.notna().all() and (r <= 1).all(), (name, stage, r.max())
                assert u[stage].to_numpy() == pytest.approx(r.to_numpy()), (name, stage)
            assert set(u["binding"]) <= {"none", "officers", "beds", "documents", "transport"}
    # the baseline never fills its beds: officers bind (documents in some months); mass removal fills its beds
    bound = set(runs.util["baseline"][0]["binding"])
    assert "officers" in bound and "beds" not in bound
    assert "beds" in set(runs.util["mass_removal_650k"][0]["binding"])
    assert binding_stage({"officers": 1, "beds": 1, "documents": 0.2, "transport": 0.96}) == "transport"


def test_er_claim_share_matches_its_formula():
    sc = load_scenario("baseline")
    c, p = sc.expedited_removal.fear_claim_share.number(), sc.expedited_removal.fear_pass_share.number()
    # of people put in ER, c(1-p) claim and fail; 1-c never claim; their share among those ordered:
    assert er_claim_share(sc) == pytest.approx(c * (1 - p) / (c * (1 - p) + (1 - c)))


def test_compare_cli_prints_differences_and_rejects_bad_input(tmp_path):
    from removalsim.cli import app

    cli = CliRunner()
    csv = tmp_path / "m.csv"
    res = cli.invoke(app, ["compare", "baseline", "judges_plus_700", "-r", "2", "--years", "1", "--scale", "0.001",
                           "-q", "--csv", str(csv)], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    for text in ("judges_plus_700 minus baseline", "removals per year", "court backlog at the end",
                 "U.S.-citizen spouses and children", "China", "paired difference", "median of the 2 paired",
                 "need not equal the difference of the two medians", "alternatives to detention (ATD)"):
        assert text in " ".join(res.output.split()), text
    assert csv.read_text().startswith("scenario,replicate,measure,value")
    bad = cli.invoke(app, ["compare", "baseline", "nosuchpolicy", "-q"])
    assert bad.exit_code == 2 and "nosuchpolicy" in bad.output and "Traceback" not in bad.output
    bad = cli.invoke(app, ["compare", "baseline", "china", "-r", "0", "-q"])
    assert bad.exit_code == 2 and "--replicates" in bad.output


def test_difference_table_fits_80_columns_and_names_its_interval(runs):
    import io

    from rich.console import Console

    from removalsim.cli.compare import difference_table

    c = Console(width=80, file=io.StringIO())
    c.print(difference_table(runs, "baseline", "judges_plus_700"))
    text = c.file.getvalue()
    # readable at 80 columns: nothing cut off; two replicates make a range, and it is called one
    assert max(len(line) for line in text.splitlines()) <= 80 and "…" not in text
    assert "90% band" not in text and "range" in text and "median" in text
    assert "$" in text and not re.search(r"\d[M]\b", text)  # money in one format ($3.83 bn, $247 m), never 1,230M


def test_compare_runs_on_the_experiments_stack_and_resumes(tmp_path):
    from removalsim.cli import app

    cli = CliRunner()
    args = ["compare", "baseline", "judges_plus_700", "-r", "2", "--years", "0.5", "--scale", "0.0005",
            "--workers", "1", "--runs", str(tmp_path), "-q"]
    first = cli.invoke(app, args, env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    markers = sorted(tmp_path.glob("*/replicate-*/_DONE.json"))
    assert len(markers) == 4 and (tmp_path / "catalogue.duckdb").exists()
    stamps = [m.stat().st_mtime_ns for m in markers]
    again = cli.invoke(app, args, env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    assert [m.stat().st_mtime_ns for m in sorted(tmp_path.glob("*/replicate-*/_DONE.json"))] == stamps  # reused
    assert again.output == first.output
    bad = cli.invoke(app, args[:-3] + ["--runs", str(markers[0]), "-q"])
    assert bad.exit_code == 2 and "--runs" in bad.output and "not a folder" in bad.output
