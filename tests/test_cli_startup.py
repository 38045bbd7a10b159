"""Start-up: `removalsim --help`, `version`, `<command> --help` and usage errors load neither the engine nor
the heavy libraries, and a usage error is one line with exit status 2.

Each check runs in a fresh interpreter, since this test session has long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("removalsim.engine", "removalsim.api", "numba", "scipy", "dask", "distributed", "SALib", "duckdb",
         "matplotlib", "plotly", "pandas")

COMMANDS = ["run", "compare", "china", "report", "sweep", "sensitivity", "backtest", "calibrate",
            "scenarios list", "scenarios show", "data list", "data show", "runs list", "runs show", "runs compare",
            "runs sql", "runs figures"]

# Import the command line, invoke argv (if any), print {"exit": status, "output": text, "heavy": [modules]}.
PROBE = """
import json, sys
argv, heavy = json.loads(sys.argv[1]), tuple(json.loads(sys.argv[2]))
import removalsim.cli
res = None
if argv is not None:
    from typer.testing import CliRunner
    res = CliRunner().invoke(removalsim.cli.app, argv, env={"COLUMNS": "200"})
print(json.dumps({"exit": None if res is None else res.exit_code, "output": "" if res is None else res.output,
                  "heavy": sorted(m for m in sys.modules
                                  if m in heavy or m.startswith(tuple(h + "." for h in heavy)))}))
"""


def probe(argv: list[str] | None) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_importing_the_command_line_loads_nothing_heavy():
    assert probe(None)["heavy"] == []


def test_import_removalsim_is_lazy():
    code = ("import removalsim, sys; "
            "print(removalsim.__version__, 'removalsim.engine' in sys.modules, 'numba' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.split()[1:] == ["False", "False"], proc.stderr


@pytest.mark.parametrize("argv", [["--help"], ["version"]] + [c.split() + ["--help"] for c in COMMANDS],
                         ids=lambda a: " ".join(a))
def test_help_and_version_load_nothing_heavy(argv):
    r = probe(argv)
    assert r["exit"] == 0, r["output"]
    assert r["heavy"] == []


@pytest.mark.parametrize("argv, expected", [
    (["run", "--scale", "0"], "--scale 0 is out of range; expected 0 < scale <= 1"),
    (["run", "--years", "51"], "--years 51 is out of range; expected 0 < years <= 50"),
    (["run", "--years", "ten"], "--years:"),
    (["run", "--freq", "W"], "--freq 'W' is not allowed; expected one of MS, D"),
    (["compare", "baseline", "china", "-r", "0"], "--replicates 0 is out of range; expected at least 1"),
    (["sweep", "x.toml", "--workers", "0"], "--workers 0 is out of range; expected at least 1"),
    (["sweep", "x.toml", "--batch", "0"], "--batch 0 is out of range; expected at least 1"),
    (["backtest", "--replicates", "5001"], "--replicates 5001 is out of range; expected 1 to 5000"),
    (["sensitivity", "--method", "fast"], "--method 'fast' is not allowed; expected one of sobol, morris"),
    (["run", "--bogus"], "No such option: --bogus"),
    (["runz"], "No such command 'runz'"),
    (["runs", "shwo"], "No such command 'shwo'"),
    (["compare", "baseline"], "Missing argument"),
    (["calibrate", "--target", "court-pending"], "Missing option '--params'"),
], ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_usage_errors_are_one_line_with_status_2_and_load_nothing_heavy(argv, expected):
    r = probe(argv)
    text = r["output"].strip()
    assert r["exit"] == 2, text
    assert text.startswith("error: ") and len(text.splitlines()) == 1 and expected in text, text
    assert r["heavy"] == []


@pytest.mark.parametrize("module", ["removalsim", "removalsim.cli"])
def test_python_dash_m_prints_help_without_the_engine(module):
    # `python -m removalsim` and `python -m removalsim.cli` go through the same main() as the console script
    code = ("import runpy, sys; sys.argv = ['removalsim', '--help']\n"
            f"try:\n    runpy.run_module({module!r}, run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            f"print([m for m in {list(HEAVY)!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout and proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout
