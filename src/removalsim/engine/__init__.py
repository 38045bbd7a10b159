"""The person-level engine: people as records (one array per attribute), admission lines, event calendars, day loop.

Every compiled kernel is decorated here, inside `numba_cache_in`, so Numba
keeps their cache in a folder keyed by the hash of the engine's sources and the
vocabulary (see `kernel_cache`): an edit anywhere never runs stale kernels.
"""

from pathlib import Path

from .kernel_cache import kernel_dir, numba_cache_in

ENGINE = Path(__file__).parent
KERNELS = kernel_dir([ENGINE, ENGINE.parent / "vocabulary.py"], ENGINE)

with numba_cache_in(KERNELS):
    from . import loop  # noqa: E402,F401  (imports every module that defines a kernel)


def kernels_ready() -> bool:
    """Whether the day loop is already compiled for the engine's sources as they are (else the next run compiles
    it first, which takes a minute or more)."""
    return any(KERNELS.glob("*/generated.run_days-*.nbi"))
