"""Ordinary memory pages for a run's arrays: NumPy's transparent-huge-page advice turned off while the engine
allocates and fills them.

NumPy asks Linux for 2 MiB pages for every array of 4 MiB or more. On the 2-core virtual machines this project
is measured and tested on, a fresh huge page costs about 6 ms (the host backs it on first touch), against
about 3 microseconds for a small page the guest has already used. At full scale the build took 3.9-7.4 s with
the advice and 2.2-3.2 s without; the day loop, whose random reads of person records gain from fewer TLB
misses, lost 1-2 s of it (whole build and loop, five alternations: 13.4 s against 15.2 s, medians). A user who
sets NUMPY_MADVISE_HUGEPAGE keeps NumPy's own setting.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

try:  # NumPy 2
    from numpy._core import multiarray as _multiarray
except ImportError:  # NumPy 1.26
    from numpy.core import multiarray as _multiarray  # type: ignore[no-redef]

_set_advice: Callable[[bool], bool] | None = getattr(_multiarray, "_set_madvise_hugepage", None)

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_active = 0  # runs inside small_pages() now (threads of one process share NumPy's setting)
_saved = True  # NumPy's setting before the first of them


@contextmanager
def small_pages() -> Iterator[None]:
    """NumPy's huge-page advice off inside the block, restored when the last concurrent block ends; untouched
    if the user chose it."""
    global _active, _saved
    if _set_advice is None or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        yield
        return
    with _lock:
        if _active == 0:
            _saved = _set_advice(False)
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _set_advice(_saved)


def on_small_pages(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` run inside `small_pages()`."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with small_pages():
            return fn(*args, **kwargs)
    return wrapper
