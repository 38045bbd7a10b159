"""The engine drops Numba's cached kernels when any engine source file changes, and only then."""

from __future__ import annotations

from removalsim.engine.kernel_cache import STAMP, drop_stale


def _tree(tmp_path):
    (tmp_path / "processes").mkdir()
    (tmp_path / "loop.py").write_text("def run(): pass\n")
    (tmp_path / "processes" / "court.py").write_text("RULE = 1\n")
    for d in (tmp_path / "__pycache__", tmp_path / "processes" / "__pycache__"):
        d.mkdir(exist_ok=True)
    return tmp_path


def _cache(root):
    (root / "__pycache__" / "loop.run-1.py311.nbi").write_bytes(b"index")
    (root / "__pycache__" / "loop.run-1.py311.1.nbc").write_bytes(b"code")
    (root / "processes" / "__pycache__" / "court.step-9.py311.nbi").write_bytes(b"index")
    (root / "__pycache__" / "loop.cpython-311.pyc").write_bytes(b"bytecode")


def test_unchanged_source_keeps_the_cache(tmp_path):
    root = _tree(tmp_path)
    drop_stale(root)
    _cache(root)
    assert drop_stale(root) == 0
    assert (root / "__pycache__" / "loop.run-1.py311.nbi").exists()


def test_an_edit_in_a_callee_drops_every_cached_kernel(tmp_path):
    root = _tree(tmp_path)
    drop_stale(root)
    _cache(root)
    (root / "processes" / "court.py").write_text("RULE = 2\n")  # loop.py itself is untouched
    assert drop_stale(root) == 3
    assert not list(root.rglob("*.nb[ic]"))
    assert (root / "__pycache__" / "loop.cpython-311.pyc").exists()  # Python's own bytecode is left alone
    assert (root / "__pycache__" / STAMP).exists()
    assert drop_stale(root) == 0
