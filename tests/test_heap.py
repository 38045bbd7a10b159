"""The engine keeps freed memory for the next run (engine/heap.py): a second array of the same size takes no
new pages from Linux."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from removalsim.engine import heap

# Allocate, free, and allocate again an array of 3 MiB (below NumPy's 4 MiB huge-page advice), printing the
# minor page faults of the second allocation.
PROBE = """
import resource, sys
import numpy as np
from removalsim.engine.heap import keep_freed_memory
print(keep_freed_memory() if sys.argv[1] == "keep" else None)
faults = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(3 << 20, np.uint8); del a
before = faults(); a = np.ones(3 << 20, np.uint8)
print(faults() - before)
"""
PAGES = (3 << 20) // 4096


def _probe(mode: str, **env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if k not in heap.USER_SETTINGS}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], env={**clean, **env}, capture_output=True, text=True,
                         check=True).stdout.split()
    return out[0], int(out[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc is Linux-only")
def test_second_run_reuses_the_pages_of_the_first():
    kept, faults_kept = _probe("keep")
    assert kept == "True"
    assert faults_kept < PAGES // 4
    _, faults_default = _probe("default")  # glibc's own thresholds: the pages go back and are taken again
    assert faults_default > PAGES // 2


def test_a_users_own_malloc_setting_is_left_alone():
    kept, _ = _probe("keep", MALLOC_TRIM_THRESHOLD_="131072")
    assert kept == "False"
