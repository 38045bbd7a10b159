"""The engine keeps its compiled kernels in a folder keyed by its sources: any edit gets fresh kernels."""

from __future__ import annotations

import subprocess
import sys

from removalsim.engine import ENGINE, KERNELS
from removalsim.engine.kernel_cache import PREFIX, kernel_dir, prune


def _tree(tmp_path):
    (tmp_path / "processes").mkdir()
    (tmp_path / "loop.py").write_text("def run(): pass\n")
    (tmp_path / "processes" / "court.py").write_text("RULE = 1\n")
    (tmp_path / "vocabulary.py").write_text("CUSTODY = (5, 6)\n")
    return tmp_path


def test_the_folder_follows_every_source_and_only_the_sources(tmp_path):
    root = _tree(tmp_path)
    sources = [root / "processes", root / "vocabulary.py"]
    first = kernel_dir(sources, root)
    assert kernel_dir(sources, root) == first  # unchanged sources: same kernels
    (root / "processes" / "court.py").write_text("RULE = 2\n")  # a callee, not the loop
    second = kernel_dir(sources, root)
    assert second != first
    (root / "vocabulary.py").write_text("CUSTODY = (5, 6, 7)\n")  # a constant the kernels read
    assert kernel_dir(sources, root) not in (first, second)
    (root / "loop.py").write_text("def run(): return 1\n")  # not among the sources
    assert kernel_dir(sources, root) == kernel_dir([root / "processes", root / "vocabulary.py"], root)


def test_prune_deletes_older_folders_and_nothing_else(tmp_path):
    cache = tmp_path / "__pycache__"
    for name in (f"{PREFIX}old1", f"{PREFIX}old2", f"{PREFIX}now", "loop.cpython-311.pyc"):
        (cache / name).mkdir(parents=True)
    assert prune(cache / f"{PREFIX}now") == 2
    assert sorted(p.name for p in cache.iterdir()) == [f"{PREFIX}now", "loop.cpython-311.pyc"]


def test_the_engine_keeps_its_kernels_in_the_folder_of_its_sources():
    assert KERNELS == kernel_dir([ENGINE, ENGINE.parent / "vocabulary.py"], ENGINE)
    from removalsim.engine.loop import run_days

    assert run_days._cache._cache_path.startswith(str(KERNELS))


def test_importing_the_engine_deletes_no_file(tmp_path):
    old = KERNELS.parent / f"{PREFIX}from-older-sources"
    old.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c", "import removalsim.engine.loop"], check=True)
    assert old.exists()
    old.rmdir()


def test_kernels_ready_looks_for_the_compiled_day_loop(tmp_path, monkeypatch):
    import removalsim.engine as engine

    monkeypatch.setattr(engine, "KERNELS", tmp_path)
    assert not engine.kernels_ready()  # an empty folder: the first run compiles
    (tmp_path / "engine_0").mkdir()
    (tmp_path / "engine_0" / "loop.advance-1.py311.nbi").write_text("")
    assert not engine.kernels_ready()  # another kernel is not the day loop
    (tmp_path / "engine_0" / "generated.run_days-141.py311.nbi").write_text("")
    assert engine.kernels_ready()


def test_a_first_run_says_it_compiles_and_later_runs_do_not(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    import removalsim.engine as engine
    from removalsim.cli import app

    args = ["run", "baseline", "--years", "0.05", "--scale", "0.001", "--out", str(tmp_path / "r")]
    monkeypatch.setattr(engine, "kernels_ready", lambda: False)
    cold = CliRunner().invoke(app, args)
    assert cold.exit_code == 0 and "compiling the simulation kernels" in " ".join(cold.stderr.split())
    monkeypatch.setattr(engine, "kernels_ready", lambda: True)
    warm = CliRunner().invoke(app, args)
    assert warm.exit_code == 0 and "compiling" not in warm.stderr
