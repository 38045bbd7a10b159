"""One writer per output folder: a lock held while a run, sweep or sensitivity study works there.

Two processes pointed at the same `--out` would otherwise compute the same
replicates twice and race on their temporary files. The second is refused at
once with one line naming the holder (`wait` seconds lets an API caller queue
instead). The lock is an OS file lock (`filelock`), released by the kernel when
its holder dies, so a killed run never leaves the folder locked. Reading the
catalogue (`removalsim runs ...`) takes no lock.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import RemovalsimInputError

LOCK = ".removalsim.lock"
HOLDER = ".removalsim.lock.json"   # who holds the lock (the lock file itself is truncated by each contender)


class FolderBusy(RemovalsimInputError, RuntimeError):
    """Another process is working in this output folder (a RemovalsimInputError, and a RuntimeError)."""


def holder(folder: Path) -> str:
    """Who holds the lock of `folder`, in words (best effort)."""
    from .lifeline import alive

    try:
        h = json.loads((folder / HOLDER).read_text())
        if h["host"] == socket.gethostname() and not alive(int(h["pid"])):  # a former holder's note
            raise ValueError
        return f"pid {h['pid']} on {h['host']}, since {h['since']}: {h['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "it has only just started"


@contextmanager
def hold(folder: str | Path, wait: float = 0) -> Iterator[None]:
    """Hold `folder`'s lock for the duration of the block; FolderBusy if another process holds it."""
    from filelock import FileLock, Timeout

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK), timeout=max(0.0, float(wait)))
    try:
        lock.acquire()
    except Timeout:
        raise FolderBusy(f"{folder}: another removalsim process is working in this folder ({holder(folder)}); "
                         "wait for it to finish and rerun (its finished replicates are reused), "
                         "or choose another --out") from None
    try:
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S"),
                "command": " ".join([os.path.basename(sys.argv[0])] + sys.argv[1:])[:200]}
        (folder / HOLDER).write_text(json.dumps(info))
        yield
    finally:
        lock.release()
