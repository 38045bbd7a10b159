"""What a newcomer waits for: `python benchmarks/bench_first_run.py` times the first commands after install.

It builds a fresh virtual environment and installs the repository into it (`--venv-from-here` skips that and
uses this interpreter's environment), then, with an empty kernel cache (a fresh NUMBA_CACHE_DIR):
`removalsim --help` and `removalsim version` (median of --repeats runs), the first `removalsim run` (which
compiles the kernels) and the same run again (kernels cached). The run is short (--years, --scale) so that
the compile, not the simulation, is what the first figure measures. Prints each figure in seconds and
whether the first run said it was compiling.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds of one command, and its completed process (fails loudly on a non-zero exit)."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, done


def fresh_environment(where: Path) -> Path:
    """A new virtual environment under `where` with the repository installed; returns its bin folder."""
    venv.create(where, with_pip=True)
    bin_dir = where / "bin"
    t0 = time.perf_counter()
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(ROOT)], check=True)
    print(f"{'pip install (fresh environment)':<44} {time.perf_counter() - t0:>8.1f} s")
    return bin_dir


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv-from-here", action="store_true", help="use this environment instead of a fresh one")
    ap.add_argument("--repeats", type=int, default=5, help="runs of --help and version (median)")
    ap.add_argument("--years", type=float, default=1)
    ap.add_argument("--scale", type=float, default=0.01)
    a = ap.parse_args(argv)
    if a.repeats < 1:
        ap.error(f"--repeats {a.repeats}: expected at least 1")
    with tempfile.TemporaryDirectory(prefix="removalsim-first-run-") as tmp:
        tmp_path = Path(tmp)
        bin_dir = Path(sys.executable).parent if a.venv_from_here else fresh_environment(tmp_path / "venv")
        cli = str(bin_dir / "removalsim")
        env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "kernels"), COLUMNS="80")
        for args in (["--help"], ["version"]):
            walls = [timed([cli, *args], env, tmp_path)[0] for _ in range(a.repeats)]
            label = f"removalsim {' '.join(args)} (median of {a.repeats})"
            print(f"{label:<44} {statistics.median(walls):>8.2f} s")
        run = [cli, "run", "baseline", "--years", f"{a.years:g}", "--scale", f"{a.scale:g}", "--out",
               str(tmp_path / "out")]
        cold, done = timed(run, env, tmp_path)
        said = "compiling" in done.stderr
        print(f"{'first run (kernels compiled)':<44} {cold:>8.1f} s   notice shown: {'yes' if said else 'no'}")
        warm, _ = timed(run, env, tmp_path)
        print(f"{'same run again (kernels cached)':<44} {warm:>8.1f} s")


if __name__ == "__main__":
    main()
