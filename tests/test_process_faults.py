"""A sweep killed with SIGKILL leaves no worker behind, is marked interrupted, and resumes to the same numbers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
from typer.testing import CliRunner

from removalsim.cli import app
from removalsim.uncertainty.catalogue import Catalogue
from removalsim.uncertainty.jobs import MARKER
from removalsim.uncertainty.runner import run_specs
from removalsim.uncertainty.storage import check
from removalsim.uncertainty.sweep import load_sweep

SWEEP = """
name = "k"
scenario = "baseline"
years = 3
scale = 0.001
seed = 5
replicates = 2

[grid]
"court.judges" = [734, 1000]
"""


def _cli(*args):
    return [sys.executable, "-c", "from removalsim.cli import main; main()", *args]


def _running(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_killing_a_sweep_ends_its_workers_and_marks_it_interrupted(tmp_path):
    sweep = tmp_path / "s.toml"
    sweep.write_text(SWEEP)
    out = tmp_path / "out"
    env = dict(os.environ, COLUMNS="200")
    proc = subprocess.Popen(_cli("sweep", str(sweep), "--out", str(out), "--workers", "2", "-q"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    parent = psutil.Process(proc.pid)
    deadline = time.time() + 120
    workers: list[psutil.Process] = []
    while time.time() < deadline and proc.poll() is None:
        workers = parent.children(recursive=True)
        # the forkserver, its two workers (and the resource tracker), with a replicate under way
        if len(workers) >= 3 and any(out.glob("*/replicate-*")):
            break
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 3, "the sweep never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    t0 = time.time()
    while time.time() - t0 < 5 and any(_running(w) for w in workers):
        time.sleep(0.1)
    left = [w.pid for w in workers if _running(w)]
    assert not left, f"workers {left} outlived their killed parent"

    # the next command sees the run as interrupted, not running
    r = CliRunner().invoke(app, ["runs", "list", "--catalogue", str(out / "catalogue.duckdb")])
    assert r.exit_code == 0 and "interrupted" in r.output and "running" not in r.output, r.output

    # resuming finishes it; the catalogue's rows are the intact replicate folders
    oc = run_specs(load_sweep(sweep).specs, out=out, workers=1, keep_results=False)
    assert oc.computed + oc.reused == 4  # how many the kill left undone depends on timing (usually some)
    cat = Catalogue(out / "catalogue.duckdb")
    runs = cat.runs()
    assert set(runs["status"]) == {"done"} and list(runs["done"]) == [2, 2]
    intact = sorted(str(m.parent.relative_to(out)) for m in out.rglob(MARKER) if check(m.parent)[1] is None)
    assert sorted(cat.query("SELECT path FROM replicates")["path"]) == intact and len(intact) == 4


@pytest.mark.slow
def test_kill_and_resume_benchmark_at_three_kill_points():
    """The kill-and-resume benchmark at its smallest: three random kills, then equal to an uninterrupted run."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = subprocess.run([sys.executable, "benchmarks/bench_kill_resume.py", "--kills", "3", "--replicates", "3"],
                       cwd=root, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0 and "PASS" in p.stdout, p.stdout + p.stderr
    assert "orphan processes after kills: 0" in p.stdout and "byte for byte: True" in p.stdout
