"""The command line: runs, prints a summary, writes tables; bad input is one line and exit status 2."""

from __future__ import annotations

from typer.testing import CliRunner

from removalsim import Result
from removalsim.cli import app

runner = CliRunner()


def test_run_prints_summary_and_writes_tables(tmp_path):
    res = runner.invoke(app, ["run", "--years", "1", "--scale", "0.0005", "--out", str(tmp_path / "o"), "-q"])
    assert res.exit_code == 0, res.output
    assert "removals" in res.output and "cost: detention" in res.output and "FY2025" in res.output
    r = Result.read_parquet(tmp_path / "o")
    assert r.meta["scenario"] == "baseline" and r.meta["scale"] == 0.0005


def test_errors_are_one_line_with_status_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline"\n[court]\n'
                   'judges = { value = "many", unit = "judges", source = "assumption", note = "x" }\n')
    for args, expected in ((["run", "nosuch"], "unknown scenario"),
                           (["run", "--scale", "2"], "--scale 2 is out of range"),
                           (["run", "--years", "0"], "--years 0 is out of range"),
                           (["run", str(bad)], "court.judges"),
                           (["data", "show", "nope"], "nope")):
        res = runner.invoke(app, args)
        assert res.exit_code == 2, (args, res.output)
        assert expected in res.output and "Traceback" not in res.output


def test_scenarios_and_data_commands():
    res = runner.invoke(app, ["scenarios", "list"])
    assert res.exit_code == 0 and "baseline" in res.output and "china" in res.output
    res = runner.invoke(app, ["scenarios", "show", "baseline"], env={"COLUMNS": "120"})
    assert "14,000,000" in res.output and "1,445,549" in res.output and "e+0" not in res.output  # as typed
    res = runner.invoke(app, ["scenarios", "show", "china", "--sources"], env={"COLUMNS": "250"})
    assert res.exit_code == 0 and "groups.China.doc_lag_median_days" in res.output and "stats:" in res.output
    res = runner.invoke(app, ["scenarios", "show", "china", "--sources"], env={"COLUMNS": "80"})
    lines = res.output.splitlines()
    assert res.exit_code == 0 and max(len(x) for x in lines) <= 80
    at = next(i for i, x in enumerate(lines) if x.startswith("population.total = 14,000,000 people"))
    assert lines[at + 1].strip() == "source: stats:pop-unauthorized-pew-2023"  # a block per parameter, not slivers
    res = runner.invoke(app, ["data", "show", "final-orders-nondetained-china-2024-11"])
    assert res.exit_code == 0 and "value: 37,908\n" in res.output
    assert "primary source: none (not-published" in res.output and "read through (intermediary): scribd" in res.output
    res = runner.invoke(app, ["data", "list", "ice-removals-fy20"], env={"COLUMNS": "80"})
    lines = res.output.splitlines()
    assert res.exit_code == 0 and max(len(x) for x in lines) <= 80
    assert sum("ice-removals-fy2024" in x and "271,484" in x for x in lines) == 1  # id and value on one line
    res = runner.invoke(app, ["data", "show", "eoir-pending-fy2008"])
    assert res.exit_code == 0
    assert "primary source: https://www.justice.gov/eoir/workload-and-adjudication-statistics" in res.output
    assert "read through (intermediary): docslib.org" in res.output and "https://docslib.org/" in res.output


def test_replicate_options_without_replicates_are_rejected():
    res = runner.invoke(app, ["run", "baseline", "--workers", "2", "--years", "0.1", "--scale", "0.001", "-q"])
    assert res.exit_code == 2 and "--replicates" in res.output
