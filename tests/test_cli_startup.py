"""Start-up: `removalsim --help`, `version` and `<command> --help` load neither the engine nor the heavy libraries.

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

PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
import removalsim.cli
if argv is not None:
    from typer.testing import CliRunner
    res = CliRunner().invoke(removalsim.cli.app, argv)
    assert res.exit_code == 0, (argv, res.output)
heavy = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(tuple(h + "." for h in heavy))
                        or m in heavy)))
"""


def loaded(argv: list[str] | None) -> list[str]:
    """The heavy modules in sys.modules after importing removalsim.cli and invoking argv (None: only import)."""
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_importing_the_command_line_loads_nothing_heavy():
    assert loaded(None) == []


def test_import_removalsim_is_lazy():
    proc = subprocess.run([sys.executable, "-c", "import removalsim, sys; print(removalsim.__version__, "
                           "'removalsim.engine' in sys.modules, 'numba' in sys.modules)"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.split()[1:] == ["False", "False"], proc.stderr


@pytest.mark.parametrize("argv", [["--help"], ["version"]] + [c.split() + ["--help"] for c in COMMANDS],
                         ids=lambda a: " ".join(a))
def test_help_and_version_load_nothing_heavy(argv):
    assert loaded(argv) == []


def test_the_installed_entry_point_prints_help_without_the_engine():
    # `python -m removalsim.cli` goes through the same main() as the console script
    code = ("import runpy, sys; sys.argv = ['removalsim', '--help']\n"
            "try:\n    runpy.run_module('removalsim.cli', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
            f"print([m for m in {list(HEAVY)!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout and proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout
