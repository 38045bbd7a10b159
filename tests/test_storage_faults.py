"""Stored results are checked before they are trusted, and faults (damage, copies, a second writer) are clear.

Each case damages a finished replicate or the catalogue the way a disk, a copy or a
person can, and asserts that it is detected and reported in one line with what to do,
that a rerun computes exactly the damaged replicate again, and that nothing damaged is
ever read as a result.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import duckdb
import pytest
from typer.testing import CliRunner

from removalsim import RemovalsimInputError, load_scenario
from removalsim.cli import app
from removalsim.results import Result
from removalsim.uncertainty import storage
from removalsim.uncertainty.catalogue import Catalogue, CatalogueError
from removalsim.uncertainty.folder_lock import FolderBusy
from removalsim.uncertainty.jobs import make_run
from removalsim.uncertainty.runner import run_specs


def _flat(text: str) -> str:
    return " ".join(text.split())


def _spec():
    return make_run(load_scenario("baseline"), seed=3, years=0.25, scale=0.001, replicates=2)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One run of two finished replicates; each test works on its own copy."""
    out = tmp_path_factory.mktemp("finished") / "out"
    spec = _spec()
    run_specs([spec], out=out, workers=1)
    return out, spec


@pytest.fixture
def copy(finished, tmp_path):
    out, spec = finished
    dest = tmp_path / "out"
    shutil.copytree(out, dest)
    return dest, spec


def _flip_bit(p):
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))


def _truncate(p):
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _swap(a, b):
    tmp = a.with_suffix(".swap")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


DAMAGE = {
    "truncated parquet": (lambda r0, r1: _truncate(r0 / "flows.parquet"), "flows.parquet has"),
    "bit-flipped parquet": (lambda r0, r1: _flip_bit(r0 / "stocks.parquet"), "stocks.parquet does not match"),
    "parquet swapped with another replicate's": (
        lambda r0, r1: _swap(r0 / "flows.parquet", r1 / "flows.parquet"), "flows.parquet"),
    "two tables swapped within a replicate": (
        lambda r0, r1: _swap(r0 / "flows.parquet", r0 / "stocks.parquet"), ".parquet"),
    "missing parquet": (lambda r0, r1: (r0 / "costs.parquet").unlink(), "costs.parquet is missing"),
    "missing _DONE.json": (lambda r0, r1: (r0 / storage.MARKER).unlink(), "no _DONE.json"),
    "garbage _DONE.json": (lambda r0, r1: (r0 / storage.MARKER).write_text("{not json"), "unreadable"),
    "edited _DONE.json": (lambda r0, r1: (r0 / storage.MARKER).write_text(
        (r0 / storage.MARKER).read_text().replace('"replicate": 0', '"replicate": 7')), "damaged"),
    "meta.json changed": (lambda r0, r1: (r0 / "meta.json").write_text("{}"), "meta.json"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_damage_is_detected_and_never_read(copy, case):
    out, spec = copy
    r0, r1 = out / spec.run_id / "replicate-0", out / spec.run_id / "replicate-1"
    assert storage.check(r0, spec.run_id)[1] is None  # intact before
    damage, words = DAMAGE[case]
    damage(r0, r1)
    rec, problem = storage.check(r0, spec.run_id)
    assert rec is None and words in problem, problem
    with pytest.raises(RemovalsimInputError, match="rerun the command"):  # the API's one error type
        storage.load(r0, spec.run_id)
    r = CliRunner().invoke(app, ["runs", "figures", spec.run_id, "--catalogue", str(out / "catalogue.duckdb")])
    assert r.exit_code == 2 and "replicate-0" in _flat(r.output) and "rerun" in r.output, r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) <= 3  # one line, wrapped at most


@pytest.mark.parametrize("case", ["bit-flipped parquet", "missing _DONE.json"])
def test_rerun_recomputes_exactly_the_damaged_replicates(copy, finished, case):
    out, spec = copy
    r0, r1 = out / spec.run_id / "replicate-0", out / spec.run_id / "replicate-1"
    DAMAGE[case][0](r0, r1)
    said: list[str] = []
    oc = run_specs([spec], out=out, workers=1, notice=said.append)
    damaged = 1
    assert oc.computed == damaged and oc.reused == 2 - damaged
    assert len(said) == damaged and all("computing it again" in s for s in said), said
    for r in (0, 1):  # bit for bit what the first run wrote
        folder = spec.run_id + f"/replicate-{r}"
        for t in ("flows", "stocks", "costs"):
            got, want = (storage.digest(o / folder / f"{t}.parquet") for o in (out, finished[0]))
            assert got == want
        assert Result.read_parquet(out / folder).equals(oc.results[spec.run_id][r])
    cat = Catalogue(out / "catalogue.duckdb")
    assert list(cat.replicates(spec.run_id)["replicate"]) == [0, 1]


def test_paths_are_relative_so_a_copy_reads_its_own_files(copy, tmp_path, monkeypatch):
    out, spec = copy
    cat = Catalogue(out / "catalogue.duckdb")
    stored = list(cat.replicates(spec.run_id)["path"]) + [cat.run(spec.run_id)["path"]]
    assert stored == [f"{spec.run_id}/replicate-0", f"{spec.run_id}/replicate-1", spec.run_id]
    # a copy of the folder, read from another working directory, after the original is gone
    moved = tmp_path / "elsewhere" / "copied"
    shutil.copytree(out, moved)
    shutil.rmtree(out)
    monkeypatch.chdir(tmp_path / "elsewhere")
    r = CliRunner().invoke(app, ["runs", "figures", spec.run_id, "--catalogue", "copied/catalogue.duckdb"])
    assert r.exit_code == 0, r.output
    assert (moved / spec.run_id / "figures" / "sankey.png").is_file()
    # and a rerun in the copy finds everything done there
    oc = run_specs([spec], out="copied", workers=1)
    assert oc.reused == 2 and oc.computed == 0


def _truncate_last_quarter(p):
    p.write_bytes(p.read_bytes()[: p.stat().st_size * 3 // 4])


def _garbage(p):
    p.write_bytes(b"this is not a database\n" * 100)


def _empty(p):
    p.write_bytes(b"")


def _other_db(p):
    p.unlink()
    con = duckdb.connect(str(p))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()


@pytest.mark.parametrize("damage", [_truncate, _truncate_last_quarter, _garbage, _empty, _other_db],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_catalogue_that_is_not_one_is_reported_as_such(copy, damage):
    out, spec = copy
    p = out / "catalogue.duckdb"
    damage(p)
    for args in (["runs", "list"], ["runs", "show", spec.run_id], ["runs", "sql", "SELECT * FROM runs"],
                 ["runs", "figures", spec.run_id]):
        r = CliRunner().invoke(app, [*args, "--catalogue", str(p)])
        text = _flat(r.output)
        assert r.exit_code == 2 and "not a run catalogue" in text and "busy" not in text, (args, r.output)
        assert "move it aside" in text and "Traceback" not in r.output
    # a rerun is refused before it computes anything, and the finished replicates stay as they were
    before = {f: f.stat().st_mtime_ns for f in out.rglob("*.parquet")}
    with pytest.raises(CatalogueError, match="not a run catalogue"):
        run_specs([spec], out=out, workers=1)
    assert before == {f: f.stat().st_mtime_ns for f in out.rglob("*.parquet")}
    if damage is not _truncate:
        return
    # following the advice rebuilds the catalogue from the finished replicates
    p.rename(out / "catalogue.bad")
    oc = run_specs([spec], out=out, workers=1)
    assert oc.reused == 2 and oc.computed == 0
    assert list(Catalogue(p).replicates(spec.run_id)["replicate"]) == [0, 1]


def test_the_catalogue_follows_the_intact_folders_on_resume(copy):
    out, spec = copy
    cat = Catalogue(out / "catalogue.duckdb")
    cat._write([("DELETE FROM replicates WHERE replicate = 1", [])])  # lagging: killed before it was recorded
    _flip_bit(out / spec.run_id / "replicate-0" / "flows.parquet")  # and one recorded replicate is now damaged
    assert list(cat.runs()["done"]) == [1]
    oc = run_specs([spec], out=out, workers=1, keep_results=False)
    assert oc.computed == 1 and oc.reused == 1
    assert list(cat.runs()["done"]) == [2]
    n = cat.query("SELECT replicate, count(*) AS n FROM measures GROUP BY replicate ORDER BY replicate")
    assert list(n["replicate"]) == [0, 1] and n["n"].nunique() == 1


def test_a_run_whose_process_died_is_marked_interrupted(copy):
    out, spec = copy
    cat = Catalogue(out / "catalogue.duckdb")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    cat._write([("UPDATE runs SET status = 'running', pid = ?", [int(dead.stdout)])])
    r = CliRunner().invoke(app, ["runs", "list", "--catalogue", str(out / "catalogue.duckdb")])
    assert r.exit_code == 0 and "interrupted" in r.output, r.output
    assert list(cat.query("SELECT status FROM runs")["status"]) == ["interrupted"]  # written, not only shown
    # a run whose process is alive stays running
    cat._write([("UPDATE runs SET status = 'running', pid = ?, pid_started = ?",
                 [os.getpid(), __import__("psutil").Process().create_time()])])
    assert list(cat.runs()["status"]) == ["running"]


_HOLD = """
import sys, time
from removalsim.uncertainty.folder_lock import hold
with hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_process_in_the_same_folder_is_refused(copy):
    out, spec = copy
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(FolderBusy, match=f"pid {holder.pid}"):
            run_specs([spec], out=out, workers=1)
        t0 = time.perf_counter()
        with pytest.raises(RemovalsimInputError):
            run_specs([spec], out=out, workers=1, wait=1.0)
        assert time.perf_counter() - t0 >= 0.9
        sweep = out.parent / "s.toml"
        sweep.write_text('scenario = "baseline"\nyears = 0.25\nscale = 0.001\n[grid]\n"court.judges" = [734]\n')
        r = CliRunner().invoke(app, ["sweep", str(sweep), "--out", str(out), "-q"])
        text = _flat(r.output)
        assert r.exit_code == 2 and "another removalsim process is working in this folder" in text, r.output
        assert "choose another --out" in text and "Traceback" not in r.output
    finally:
        holder.kill()
        holder.wait()
    oc = run_specs([spec], out=out, workers=1)  # the kernel freed the lock of the killed holder
    assert oc.reused == 2
