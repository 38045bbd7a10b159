"""Kill-and-resume: a sweep SIGKILLed at random moments, resumed each time, ends equal to an uninterrupted run.

    python benchmarks/bench_kill_resume.py                 # 20 kills, 2 points x 20 replicates, 2 workers
    python benchmarks/bench_kill_resume.py --kills 3 --replicates 4   # a quick look
    python benchmarks/bench_kill_resume.py --src /path/to/other/src   # the same test of another version

Runs the sweep once without interruption (the reference), then again in another
folder: started, killed with SIGKILL after a random delay, started again, ... until
`--kills` kills have landed, then resumed to the end. After each kill it counts the
worker processes still alive a few seconds later (then kills them) and what the
catalogue says about the killed run. At the end every Parquet table and meta.json
must be byte for byte the reference's, and so must the catalogue's measures.
Exit status 1 if anything differs or any process was orphaned.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

SWEEP = """name = "kr"
scenario = "baseline"
years = {years}
scale = {scale}
seed = 7
replicates = {replicates}

[grid]
"court.judges" = {judges}
"""
MARKER = "_DONE.json"
ORPHAN_WAIT = 5.0


def sweep_command(sweep: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-c", "from removalsim.cli import main; main()", "sweep", str(sweep), "--out", str(out),
            "--workers", str(workers), "-q"]


def digests(out: Path) -> dict[str, str]:
    """SHA-256 of every result file (tables and meta.json; not the markers, which hold times)."""
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.glob("*/replicate-*/*")) if p.name != MARKER and not p.name.startswith(".")}


def measures(out: Path):
    import duckdb

    con = duckdb.connect(str(out / "catalogue.duckdb"), read_only=True)
    try:
        return con.execute("SELECT run_id, replicate, year, measure, value FROM measures ORDER BY ALL").fetchall()
    finally:
        con.close()


def catalogue_state(out: Path) -> tuple[str, int]:
    """(statuses of the runs as the next command sees them, replicate rows) of a killed run's catalogue."""
    from removalsim.uncertainty.catalogue import Catalogue, CatalogueError

    if not (out / "catalogue.duckdb").exists():
        return "no catalogue yet", 0
    try:
        runs = Catalogue(out / "catalogue.duckdb").runs()
    except CatalogueError as e:
        return f"error: {e}", 0
    return ",".join(sorted(set(runs["status"]))), int(runs["done"].sum())


def alive(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def main() -> int:  # pragma: no cover (run by hand and by a slow test)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--replicates", type=int, default=20, help="per point (2 points)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--years", type=float, default=1)
    ap.add_argument("--scale", type=float, default=0.001)
    ap.add_argument("--max-delay", type=float, default=0.0,
                    help="longest delay before a kill, seconds (default: start-up plus two replicates' time)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random kill delays")
    ap.add_argument("--src", help="run the sweeps with this removalsim source folder first on PYTHONPATH")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    env = dict(os.environ, COLUMNS="200")
    if a.src:
        env["PYTHONPATH"] = a.src
    tmp = Path(tempfile.mkdtemp(prefix="kill-resume-"))
    sweep = tmp / "s.toml"
    sweep.write_text(SWEEP.format(years=a.years, scale=a.scale, replicates=a.replicates, judges="[734, 1000]"))
    total = 2 * a.replicates

    t0 = time.perf_counter()
    ref = subprocess.Popen(sweep_command(sweep, tmp / "ref", a.workers), stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=env)
    t_first = None
    while ref.poll() is None:
        if t_first is None and any((tmp / "ref").glob("*/replicate-*/" + MARKER)):
            t_first = time.perf_counter() - t0
        time.sleep(0.02)
    t_ref = time.perf_counter() - t0
    if ref.returncode:
        print(ref.stderr.read() if ref.stderr else "")
        return 1
    t_first = t_first or t_ref
    # kill delays uniform in [0.2, t_first + d]: d is chosen so that the kills are expected to cover about
    # 60% of the work (each kill after the first replicate's time saves part of it), so every kill lands on
    # an unfinished sweep: before start-up ends, while replicates are written or while the catalogue is
    c = 0.6 * max(t_ref - t_first, 0.1) / a.kills
    max_delay = a.max_delay or t_first + c + (c * c + 2 * c * t_first) ** 0.5
    print(f"reference: {total} replicates, {a.workers} workers, {t_ref:.1f} s (first replicate after "
          f"{t_first:.1f} s); kill delays uniform in [0.2, {max_delay:.1f}] s (seed {a.seed})", flush=True)

    out = tmp / "killed"
    kills, orphans, orphan_mib, attempts, redone_notes = [], 0, 0.0, 0, 0
    stale_running = 0
    while len(kills) < a.kills:
        attempts += 1
        # stderr to a file, not a pipe: an orphaned worker would hold a pipe open and block its reading
        errfile = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen(sweep_command(sweep, out, a.workers), stdout=subprocess.DEVNULL,
                                stderr=errfile, text=True, env=env)
        parent = psutil.Process(proc.pid)
        delay = rng.uniform(0.2, max_delay)
        end = time.perf_counter() + delay
        family: dict[int, psutil.Process] = {}
        while time.perf_counter() < end and proc.poll() is None:
            try:
                family.update({c.pid: c for c in parent.children(recursive=True)})
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.02)
        if proc.poll() is not None:  # it finished before the kill: the sweep is complete, start it over
            errfile.seek(0)
            err = errfile.read()
            redone_notes += err.count("computing it again")
            if proc.returncode:
                print(f"attempt {attempts}: exit {proc.returncode}: {err.strip()[-300:]}")
                return 1
            print(f"attempt {attempts}: finished before its kill ({delay:.1f} s); starting the sweep over")
            shutil.rmtree(out)  # from scratch, keeping the count of kills so far
            continue
        before = len(list(out.glob("*/replicate-*/" + MARKER)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.perf_counter() + ORPHAN_WAIT
        while time.perf_counter() < deadline and any(alive(p) for p in family.values()):
            time.sleep(0.1)
        left = [p for p in family.values() if alive(p)]
        for p in left:
            try:
                orphan_mib += p.memory_info().rss / 2**20
                p.kill()
            except psutil.NoSuchProcess:
                pass
        orphans += len(left)
        errfile.seek(0)
        redone_notes += errfile.read().count("computing it again")
        errfile.close()
        status, rows = catalogue_state(out)
        stale_running += "running" in status
        kills.append((delay, before, len(family), len(left), status, rows))
        print(f"kill {len(kills):2d} after {delay:4.1f} s: {before:2d}/{total} replicates finished, "
              f"{rows:2d} catalogued, {len(family)} child processes, {len(left)} alive {ORPHAN_WAIT:g} s later; "
              f"catalogue says {status}", flush=True)

    final = subprocess.run(sweep_command(sweep, out, a.workers), capture_output=True, text=True, env=env)
    redone_notes += final.stderr.count("computing it again")
    ok_exit = final.returncode == 0
    ref_files, got_files = digests(tmp / "ref"), digests(out)
    same_files = ref_files == got_files
    same_measures = measures(tmp / "ref") == measures(out)
    status, rows = catalogue_state(out)
    leftovers = [p.name for p in out.rglob("*.tmp")]
    delays = [k[0] for k in kills]
    print()
    print(f"kills: {len(kills)} ({attempts} attempts); delays {min(delays):.1f}-{max(delays):.1f} s, "
          f"median {statistics.median(delays):.1f} s")
    print(f"kill points (replicates finished when killed): {sorted(k[1] for k in kills)}")
    print(f"orphan processes after kills: {orphans} ({orphan_mib:.0f} MiB)")
    print(f"killed runs still shown as 'running' by the next command: {stale_running} of {len(kills)}")
    print(f"replicates reported damaged and computed again: {redone_notes}")
    print(f"final resume exit status: {final.returncode}; catalogue: {status}, {rows}/{total} replicates")
    print(f"result files equal to the uninterrupted run, byte for byte: {same_files} "
          f"({len(got_files)} files vs {len(ref_files)})")
    print(f"catalogue measures equal: {same_measures}; temporary files left: {len(leftovers)}")
    good = ok_exit and same_files and same_measures and orphans == 0 and rows == total and status == "done"
    print("PASS" if good else "FAIL")
    return 0 if good else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
