"""Freed memory kept in the process for the next run: glibc's malloc told to keep up to 128 MiB it would give
back to Linux.

A run of 100,000 people allocates about 35 MiB of arrays (person records, lines, the daily tables) and frees
them at the end. By default glibc returns most of that to Linux (arrays from 128 KiB up get their own
mapping, and the heap is trimmed once 2x the largest freed mapping is free at its top), so the next run in
the same process takes every page again: about 6,000 page faults a run, a sixth of its time on the 2-core
virtual machines this project is measured on. Uncertainty draws, sweeps, comparisons, the explorer and the
tests all run many such runs in one process. Arrays up to 32 MiB now come from the heap, and up to 128 MiB
of freed heap stays with the process; larger arrays (a whole-country run's person records) still get their
own mapping and go back to Linux when freed. A user who sets glibc's own MALLOC_TRIM_THRESHOLD_ or
MALLOC_MMAP_THRESHOLD_ keeps their setting, and other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
MMAP_THRESHOLD = 32 << 20  # the largest block glibc's own adaptive threshold would keep on the heap
TRIM_THRESHOLD = 128 << 20  # freed memory at the heap's top kept for the next run
USER_SETTINGS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")


@functools.cache
def keep_freed_memory() -> bool:
    """Once per process: glibc's thresholds set as above; True if set (False on another C library, or when
    the user set them)."""
    if not sys.platform.startswith("linux") or any(name in os.environ for name in USER_SETTINGS):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    if not hasattr(libc, "gnu_get_libc_version"):  # glibc only: musl's mallopt does nothing
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
