"""Keep Numba's on-disk cache of the engine's kernels in step with the engine's source.

Numba checks a cached function against its own source file only, not the files
of the functions it calls: after an edit to `transitions.py` alone, the cached
day loop (`loop.py`) would still run the old rules. So the engine stamps its
`__pycache__` with a hash of all its source files and drops every cached kernel
when the hash changes; the next run compiles afresh. (A cache moved elsewhere
with NUMBA_CACHE_DIR is not looked after: clear it by hand after an edit.)

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "rules.py").write_text("x = 1")
>>> (root / "__pycache__").mkdir()
>>> _ = (root / "__pycache__" / "rules.f-1.py311.nbi").write_bytes(b"")
>>> drop_stale(root), drop_stale(root)  # no stamp yet: dropped; then in step
(1, 0)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

STAMP = "kernels.sha256"
CACHED = ("*.nbi", "*.nbc")


def source_digest(root: Path) -> str:
    """A hash of every Python source file under `root` (names and contents)."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def drop_stale(root: Path) -> int:
    """Delete the cached kernels under `root` unless its stamp matches the source; returns how many were deleted."""
    digest = source_digest(root)
    stamp = root / "__pycache__" / STAMP
    try:
        if stamp.read_text() == digest:
            return 0
    except OSError:
        pass
    dropped = 0
    for pattern in CACHED:
        for path in root.rglob(f"__pycache__/{pattern}"):
            try:
                path.unlink()
                dropped += 1
            except OSError:
                pass
    try:
        stamp.parent.mkdir(exist_ok=True)
        part = stamp.with_name(f"{STAMP}.{os.getpid()}")
        part.write_text(digest)
        part.replace(stamp)  # atomic: processes importing the engine at once see one stamp or the other
    except OSError:
        pass  # a read-only install: Numba cannot write its cache here either
    return dropped
