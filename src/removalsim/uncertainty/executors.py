"""Where replicate jobs run: in this process, a local process pool, or a Dask distributed cluster.

All three run the same function on the same jobs, so results are identical
whatever the executor; only the order in which jobs finish differs. One task is
a batch of `batch_size` replicates: Dask's overhead (about a millisecond a task)
is nothing next to a replicate's seconds, so the default is one replicate a task.
Local workers end when this process dies, even by SIGKILL (`lifeline`); the
workers of a Dask cluster belong to the cluster and outlive a client.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable, Iterable, Iterator

from .jobs import Job, execute_batch
from .lifeline import tie_to

SCHEDULER_ENV = "REMOVALSIM_SCHEDULER"


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def scheduler_address(scheduler: str | None) -> str | None:
    """The Dask scheduler to use: the argument, else $REMOVALSIM_SCHEDULER, else none (local)."""
    return scheduler or os.environ.get(SCHEDULER_ENV) or None


def batches(jobs: list[Job], batch_size: int) -> list[list[Job]]:
    size = max(1, int(batch_size))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def run_jobs(jobs: list[Job], *, workers: int | None = None, scheduler: str | None = None,
             batch_size: int = 1, describe: Callable[[str], None] | None = None) -> Iterator[dict]:
    """Run `jobs` and yield each replicate's record as its task finishes.

    `scheduler` (or $REMOVALSIM_SCHEDULER) sends tasks to that Dask scheduler;
    otherwise `workers` processes (default: all cores) run them, or this
    process when there is one worker or one task.
    """
    if not jobs:
        return
    tasks = batches(jobs, batch_size)
    address = scheduler_address(scheduler)
    if address:
        if describe:
            describe(f"Dask cluster at {address}")
        yield from _dask(tasks, address)
        return
    n = min(workers or default_workers(), len(tasks))
    if n <= 1:
        if describe:
            describe("this process")
        for t in tasks:
            yield from execute_batch(t)
        return
    if describe:
        describe(f"{n} local worker processes")
    yield from _pool(tasks, n)


def _pool(tasks: Iterable[list[Job]], n: int) -> Iterator[dict]:
    # forkserver: children fork from a clean server that has imported the model once,
    # so they start fast and never inherit this process's threads (progress bar, Dask).
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["removalsim.uncertainty.jobs", "removalsim.api"])
    with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=tie_to, initargs=(os.getpid(),)) as pool:
        pending = {pool.submit(execute_batch, t) for t in tasks}
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield from f.result()
        finally:
            for f in pending:
                f.cancel()


def _dask(tasks: list[list[Job]], address: str) -> Iterator[dict]:
    try:
        from distributed import Client, as_completed
    except ImportError as e:  # pragma: no cover
        raise RuntimeError("--scheduler needs dask distributed: pip install 'dask[distributed]'") from e
    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address} ({e})") from None
    try:
        futures = client.map(execute_batch, tasks, pure=False)
        try:
            for f in as_completed(futures, loop=client.loop):
                yield from f.result()
        finally:
            client.cancel([f for f in futures if not f.done()])
    finally:
        client.close()
