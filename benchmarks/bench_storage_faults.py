"""Stored-result faults through the command line: damaged replicates and catalogues, copies, a second writer.

    python benchmarks/bench_storage_faults.py                       # this version
    python benchmarks/bench_storage_faults.py --src /other/src      # another version, for a before/after

Each case damages a copy of a finished sweep's output folder (or copies it, or
starts a second sweep in it) and runs what a user would run next: the sweep again
and `runs figures` (replicate damage), `runs list` (catalogue damage). Verdicts:
detected (exit status 2, one line, and a rerun computes the damaged replicate
again), silently accepted (a damaged file reused or read with exit status 0),
misreported (a wrong reason), traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SWEEP = 'name = "sf"\nscenario = "baseline"\nyears = 0.25\nscale = 0.001\nseed = 4\nreplicates = 2\n' \
        '[grid]\n"court.judges" = [734]\n'


def cli(env, *args, cwd=None):
    return subprocess.run([sys.executable, "-c", "from removalsim.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=600)


def _flip(p: Path) -> None:
    b = bytearray(p.read_bytes())
    b[len(b) // 2] ^= 1
    p.write_bytes(bytes(b))


def _swap(a: Path, b: Path) -> None:
    t = a.with_name("swap.tmp")
    a.rename(t)
    b.rename(a)
    t.rename(b)


REPLICATE = {
    "truncated parquet": lambda r0, r1: (r0 / "flows.parquet").write_bytes((r0 / "flows.parquet").read_bytes()[:500]),
    "bit flip in parquet": lambda r0, r1: _flip(r0 / "stocks.parquet"),
    "parquet swapped between replicates": lambda r0, r1: _swap(r0 / "flows.parquet", r1 / "flows.parquet"),
    "tables swapped within a replicate": lambda r0, r1: _swap(r0 / "flows.parquet", r0 / "stocks.parquet"),
    "missing parquet": lambda r0, r1: (r0 / "costs.parquet").unlink(),
    "missing _DONE.json": lambda r0, r1: (r0 / "_DONE.json").unlink(),
    "garbage _DONE.json": lambda r0, r1: (r0 / "_DONE.json").write_text("{garbage"),
    "meta.json emptied": lambda r0, r1: (r0 / "meta.json").write_text("{}"),
}


def _other_db(p: Path) -> None:
    import duckdb

    p.unlink()
    duckdb.connect(str(p)).close()


CATALOGUE = {
    "catalogue truncated to half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "catalogue truncated by a quarter": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size * 3 // 4]),
    "catalogue is garbage": lambda p: p.write_bytes(b"not a database\n" * 50),
    "catalogue is empty": lambda p: p.write_bytes(b""),
    "catalogue is another DuckDB file": _other_db,
}


def verdict(p, words: str) -> str:
    text = p.stdout + p.stderr
    if "Traceback" in text:
        return "traceback"
    if p.returncode == 0:
        return "silently accepted"
    lines = [x for x in p.stderr.strip().splitlines() if x.strip()]
    if p.returncode == 2 and words in " ".join(text.split()):
        return "detected" if len(lines) <= 4 else "detected (long message)"
    return f"misreported (exit {p.returncode}: {' '.join(text.split())[:90]})"


def main() -> int:  # pragma: no cover (run by hand)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", help="removalsim source folder to test (first on PYTHONPATH)")
    a = ap.parse_args()
    env = dict(os.environ, COLUMNS="100")
    if a.src:
        env["PYTHONPATH"] = a.src
    tmp = Path(tempfile.mkdtemp(prefix="storage-faults-"))
    sweep = tmp / "s.toml"
    sweep.write_text(SWEEP)

    def finished(out: Path) -> str:
        """A freshly finished sweep in `out` (not a copy: a version that stores absolute paths would read the
        original's files from a copy); returns its run id."""
        p = cli(env, "sweep", str(sweep), "--out", str(out), "--workers", "1", "-q")
        assert p.returncode == 0, p.stderr
        return next(d.name for d in out.iterdir() if d.is_dir())

    rows = []
    for i, (name, damage) in enumerate(REPLICATE.items()):
        out = tmp / f"r{i}"
        run = finished(out)
        damage(out / run / "replicate-0", out / run / "replicate-1")
        fig = cli(env, "runs", "figures", run, "--catalogue", str(out / "catalogue.duckdb"))
        read = verdict(fig, "replicate-0")
        again = cli(env, "sweep", str(sweep), "--out", str(out), "--workers", "1", "-q")
        text = " ".join(again.stdout.split())
        redone = "0 replicates computed" not in text and again.returncode == 0
        rows.append((name, read, "recomputed" if redone else f"reused as done (exit {again.returncode})"))
    for i, (name, damage) in enumerate(CATALOGUE.items()):
        out = tmp / f"c{i}"
        finished(out)
        damage(out / "catalogue.duckdb")
        lst = cli(env, "runs", "list", "--catalogue", str(out / "catalogue.duckdb"))
        v = verdict(lst, "not a run catalogue")
        if "busy" in lst.stderr:
            v = "misreported as busy"
        rows.append((name, v, "-"))
    # a copied output folder, read from another working directory after the original is gone
    base = tmp / "base"
    run = finished(base)
    shutil.copytree(base, tmp / "elsewhere" / "copy")
    shutil.rmtree(base)
    fig = cli(env, "runs", "figures", run, "--catalogue", "copy/catalogue.duckdb", cwd=tmp / "elsewhere")
    rows.append(("copied folder read elsewhere (original gone)", "works" if fig.returncode == 0 else
                 f"fails (exit {fig.returncode}: {' '.join((fig.stdout + fig.stderr).split())[-80:]})", "-"))
    # two identical sweeps started together in one folder
    both = [subprocess.Popen([sys.executable, "-c", "from removalsim.cli import main; main()", "sweep", str(sweep),
                              "--out", str(tmp / "two"), "--workers", "1", "-q"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = [(p.wait(), *p.communicate()) for p in both]
    computed = sum(int(o[1].split(" replicates computed")[0].split()[-1]) for o in outs
                   if " replicates computed" in o[1])
    errs = [" ".join(o[2].split())[:100] for o in outs if o[0]]
    rows.append(("two identical sweeps in one folder", f"{computed} replicates computed for 2 needed; "
                 f"exit {[o[0] for o in outs]}", "; ".join(errs) or "-"))
    w = max(len(r[0]) for r in rows)
    print(f"{'case':{w}}  {'next read (runs figures / runs list)':40}  rerun")
    for r in rows:
        print(f"{r[0]:{w}}  {r[1]:40}  {r[2]}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
