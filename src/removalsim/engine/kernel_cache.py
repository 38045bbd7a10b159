"""Keep Numba's on-disk cache of the engine's kernels in step with the source the kernels are compiled from.

Numba checks a cached function against its own source file only, not the files
of the functions it calls or the constants it reads: after an edit to
`transitions.py` or `vocabulary.py` alone, a cached day loop (`loop.py`) would
still run the old rules. So the engine keeps its kernels in a folder named after
a hash of every source they depend on (`kernel_dir`): an edit gives a new, empty
folder and the next run compiles afresh. Importing the engine deletes nothing;
folders left by older sources are removed by `prune`, which the engine calls
before its first run. With NUMBA_CACHE_DIR set, the folders go there.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "rules.py").write_text("x = 1")
>>> first = kernel_dir([root], root)
>>> _ = (root / "rules.py").write_text("x = 2")
>>> kernel_dir([root], root) != first and kernel_dir([root], root).parent == first.parent
True
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

PREFIX = "kernels-"


def source_digest(sources: Iterable[Path]) -> str:
    """A hash of the Python sources (files, or every .py file under folders), names and contents."""
    h = hashlib.sha256()
    for top in sources:
        files = sorted(top.rglob("*.py")) if top.is_dir() else [top]
        for path in files:
            h.update(path.name.encode() if top == path else str(path.relative_to(top)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def cache_root(engine: Path) -> Path:
    """Where the kernel folders live: under NUMBA_CACHE_DIR if set, else the engine's __pycache__."""
    user = os.environ.get("NUMBA_CACHE_DIR")
    return Path(user) / "removalsim" if user else engine / "__pycache__"


def kernel_dir(sources: Iterable[Path], engine: Path) -> Path:
    """The folder for kernels compiled from `sources` as they are now."""
    return cache_root(engine) / f"{PREFIX}{source_digest(sources)[:16]}"


@contextlib.contextmanager
def numba_cache_in(folder: Path) -> Iterator[None]:
    """Kernels decorated inside this block (`@njit(cache=True)`) keep their cache in `folder`."""
    from numba.core import config

    before = getattr(config, "CACHE_DIR")  # noqa: B009  (set by numba at run time; not in its stubs)
    setattr(config, "CACHE_DIR", str(folder))  # noqa: B010
    try:
        yield
    finally:
        setattr(config, "CACHE_DIR", before)  # noqa: B010


def prune(current: Path) -> int:
    """Delete the kernel folders of older sources beside `current`; returns how many were deleted."""
    dropped = 0
    for old in current.parent.glob(f"{PREFIX}*"):
        if old != current and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
            dropped += 1
    return dropped
