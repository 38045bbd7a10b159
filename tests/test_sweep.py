"""Sweeps: grid and points, common random numbers, and an interrupted sweep that finishes exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from removalsim.cli import app
from removalsim.results import Result
from removalsim.uncertainty.catalogue import Catalogue
from removalsim.uncertainty.jobs import MARKER
from removalsim.uncertainty.runner import run_specs
from removalsim.uncertainty.sweep import SweepError, load_sweep

SWEEP = """
name = "t"
scenario = "baseline"
years = {years}
scale = 0.001
seed = 2
replicates = {reps}

[grid]
"court.judges" = [734, 1000]
"""


def _write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_grid_points_and_errors(tmp_path):
    p = _write(tmp_path, SWEEP.format(years=0.25, reps=2) + """
[[points]]
name = "officers"
overrides = { "arrests.officers" = 9000 }
""")
    sw = load_sweep(p)
    assert [s.point for s in sw.specs] == ["court.judges=734", "court.judges=1000", "officers"]
    assert len({s.run_id for s in sw.specs}) == 3 and all(s.replicates == 2 for s in sw.specs)
    with pytest.raises(SweepError, match="unknown key 'replicate'"):
        load_sweep(_write(tmp_path, 'replicate = 3\n[grid]\n"court.judges" = [1]', "b.toml"))
    with pytest.raises(SweepError, match="court.jugdes"):
        load_sweep(_write(tmp_path, '[grid]\n"court.jugdes" = [1]', "c.toml"))
    r = CliRunner().invoke(app, ["sweep", str(tmp_path / "missing.toml")])
    assert r.exit_code == 2 and "no such sweep file" in r.output


def test_points_share_random_numbers(tmp_path):
    # a capacity that never binds changes nothing: with common random numbers the runs are identical
    p = _write(tmp_path, SWEEP.format(years=0.25, reps=2).replace(
        '"court.judges" = [734, 1000]', '"transport.land.mexico.capacity_per_day" = [2000, 4000]'))
    oc = run_specs(load_sweep(p).specs, workers=1)
    a, b = oc.results.values()
    assert all(x.flows.equals(y.flows) and x.meta["params"] == y.meta["params"] for x, y in zip(a, b))


def _cli(*args):
    return [sys.executable, "-c", "from removalsim.cli import main; main()", *args]


def test_killed_sweep_resumes_and_matches_an_uninterrupted_run(tmp_path):
    sweep = _write(tmp_path, SWEEP.format(years=1, reps=3))
    env = dict(os.environ, COLUMNS="200")
    full = subprocess.run(_cli("sweep", str(sweep), "--out", str(tmp_path / "full"), "--workers", "1", "-q"),
                          capture_output=True, text=True, env=env, timeout=300)
    assert full.returncode == 0, full.stderr
    out = tmp_path / "killed"
    proc = subprocess.Popen(_cli("sweep", str(sweep), "--out", str(out), "--workers", "1", "-q"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.rglob(MARKER))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(out.rglob(MARKER)))
    assert 2 <= done < 6, f"kill landed at {done} of 6 replicates"
    again = subprocess.run(_cli("sweep", str(sweep), "--out", str(out), "--workers", "1", "-q"),
                           capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    text = " ".join(again.stdout.split())
    assert f"{6 - done} replicates computed, {done} already done" in text
    # the same files with the same contents, and the same catalogue measures
    folders = sorted(p.parent.relative_to(tmp_path / "full") for p in (tmp_path / "full").rglob(MARKER))
    assert folders == sorted(p.parent.relative_to(out) for p in out.rglob(MARKER)) and len(folders) == 6
    for f in folders:
        assert Result.read_parquet(tmp_path / "full" / f).equals(Result.read_parquet(out / f))
    q = "SELECT run_id, replicate, year, measure, value FROM measures ORDER BY ALL"
    full = Catalogue(tmp_path / "full" / "catalogue.duckdb").query(q)
    assert full.equals(Catalogue(out / "catalogue.duckdb").query(q))
    runs = Catalogue(out / "catalogue.duckdb").runs()
    assert set(runs["status"]) == {"done"} and list(runs["done"]) == [3, 3]
    assert not list(Path(out).rglob("*.tmp"))


def test_a_sweep_of_few_replicates_shows_their_range_and_names_it(tmp_path):
    import pandas as pd

    p = _write(tmp_path, SWEEP.format(years=0.25, reps=2))
    r = CliRunner().invoke(app, ["sweep", str(p), "--out", str(tmp_path / "o"), "--workers", "1", "-q"],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "range of 2" in r.output and "90% band" not in r.output
    bands = pd.read_csv(tmp_path / "o" / "sweep-t.csv")
    detained = bands[(bands.measure == "detained") & (bands.point == "court.judges=734")].iloc[0]
    assert detained["min"] < detained["p05"] <= detained["p95"] < detained["max"]
    assert f"{detained['min'] / 1000:.0f}k to {detained['max'] / 1000:.0f}k" in r.output  # the range, not p05-p95
