"""Worker processes that end when their coordinator dies, so a killed sweep leaves no orphans.

A pool worker busy with a replicate, or idle on its task queue, does not notice
that the process that started it was killed (SIGKILL runs no clean-up). Each
local worker therefore runs `tie_to(coordinator pid)` when it starts: on Linux
the kernel sends it SIGKILL when its parent (the forkserver, which itself exits
when the coordinator does) dies (PR_SET_PDEATHSIG), and everywhere a watchdog
thread exits it within a second of the coordinator's death.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def alive(pid: int, started: float | None = None) -> bool:
    """Whether process `pid` runs on this machine (a zombie does not; with `started`, its start time
    must match too, so a recycled process id does not count)."""
    import psutil

    try:
        p = psutil.Process(int(pid))
        if p.status() == psutil.STATUS_ZOMBIE:
            return False
        return started is None or abs(p.create_time() - float(started)) < 1.0
    except (psutil.NoSuchProcess, ValueError, OverflowError):
        return False
    except psutil.AccessDenied:  # exists, owned by someone else
        return True


def start_time(pid: int | None = None) -> float:
    """When process `pid` (default: this one) started, as the OS records it (seconds since the epoch)."""
    import psutil

    return psutil.Process(pid or os.getpid()).create_time()


def _parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover (no prctl: the watchdog remains)
        pass


def _watch(pid: int) -> None:
    while alive(pid):
        time.sleep(POLL_SECONDS)
    os._exit(1)


def tie_to(pid: int) -> None:
    """Pool initializer: end this worker when process `pid` (the coordinator) is gone."""
    _parent_death_signal()
    if not alive(pid):  # it died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch, args=(pid,), name="removalsim-lifeline", daemon=True).start()
