"""The coordinator: turn runs into replicate jobs, skip the finished ones, execute, record in the catalogue.

Used by `run --replicates`, `sweep` and `sensitivity`. Only this process writes
the catalogue; workers write their own Parquet folders and markers. With an output
folder, this process holds the folder's lock (`folder_lock`) for the whole call,
trusts a finished replicate only after checking its files against the checksums
in its marker (`storage`), computes one that fails the check again, and brings the
catalogue's rows in line with the intact replicate folders before computing.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..scenario.schema import name_problem
from . import storage
from .catalogue import Catalogue
from .executors import run_jobs
from .folder_lock import hold
from .jobs import Job, RunSpec, jobs_for


@dataclass
class Outcome:
    """What a batch of runs produced: records and (optionally) Results per run id, and timings."""

    records: dict[str, list[dict]] = field(default_factory=dict)
    results: dict[str, list] = field(default_factory=dict)
    computed: int = 0
    reused: int = 0
    redone: list[str] = field(default_factory=list)   # replicate folders that failed their check: computed again
    wall_seconds: float = 0.0
    executor: str = ""

    def sim_seconds(self) -> float:
        """Seconds spent inside `simulate` by the replicates computed in this call."""
        return sum(r["sim_seconds"] for recs in self.records.values() for r in recs if not r.get("reused"))


def run_specs(specs: list[RunSpec], *, workers: int | None = None, scheduler: str | None = None,
              out: str | Path | None = None, catalogue: str | Path | bool | None = None, batch_size: int = 1,
              keep_results: bool = True, progress: Callable[[int, int], None] | None = None,
              describe: Callable[[str], None] | None = None, notice: Callable[[str], None] | None = None,
              wait: float = 0) -> Outcome:
    """Compute every replicate of `specs` that is not already finished under `out`.

    With `out`, replicates go to `<out>/<run-id>/replicate-<r>/` and are recorded in
    the catalogue (`<out>/catalogue.duckdb` unless `catalogue` names another file, or
    is False); finished replicates found there are not computed again, unless their
    files fail their checksums (then `notice` hears about it and they are computed
    again). Another process working in `out` raises FolderBusy (after waiting up to
    `wait` seconds for it). Without `out`, Results come back from the workers in
    memory and nothing is written.
    """
    for i, spec in enumerate(specs):
        if any(s.run_id == spec.run_id for s in specs[:i]):
            raise ValueError(f"two runs have the same id {spec.run_id} (identical scenario, overrides and seed)")
        if name_problem(spec.run_id):  # a scenario validated at load cannot get here; a hand-built RunSpec can
            raise ValueError(f"run id {spec.run_id!r}: the scenario name must be a name, not a path "
                             f"({name_problem(spec.scenario_name)})")
    outdir = Path(out) if out is not None else None
    with hold(outdir, wait) if outdir is not None else nullcontext():
        return _run(specs, outdir, catalogue, workers=workers, scheduler=scheduler, batch_size=batch_size,
                    keep_results=keep_results, progress=progress, describe=describe, notice=notice)


def _run(specs: list[RunSpec], outdir: Path | None, catalogue: str | Path | bool | None, *, workers, scheduler,
         batch_size, keep_results, progress, describe, notice) -> Outcome:
    t0 = time.perf_counter()
    cat = None
    if catalogue is not False and (outdir is not None or catalogue):
        cat = Catalogue(catalogue if isinstance(catalogue, (str, Path)) else outdir / "catalogue.duckdb")  # type: ignore[operator]
        if cat.path.exists():
            cat.reconcile_status()  # runs left `running` by a killed process become `interrupted`
    oc = Outcome()
    pending: list[Job] = []
    total = sum(s.replicates for s in specs)
    folders = {(j.run_id, j.replicate): j.folder for s in specs for j in jobs_for(s, outdir)}

    def stored(folder: str | None) -> str | None:
        return cat.relative(folder) if cat is not None and folder else folder

    for spec in specs:
        oc.records[spec.run_id] = [None] * spec.replicates  # type: ignore[list-item]
        if cat is not None:
            cat.start_run(spec, outdir / spec.run_id if outdir else None)
        reused, missing = [], []
        recorded = cat.recorded(spec.run_id) if cat is not None else set()
        for job in jobs_for(spec, outdir):
            rec, problem = storage.check(job.folder, spec.run_id) if job.folder else (None, None)
            if rec is not None:
                rec.update(reused=True, path=stored(job.folder))
                oc.records[spec.run_id][job.replicate] = rec
                reused.append(rec)
            else:
                pending.append(job)
                missing.append(job.replicate)
                # an unfinished replicate (killed before its marker) is simply computed; one that was
                # finished (a marker, or a catalogue row) and fails its check is damage, and said
                if problem and (storage.has_marker(job.folder) or job.replicate in recorded):
                    oc.redone.append(f"{job.folder}: {problem}; computing it again")
                    if notice:
                        notice(oc.redone[-1])
        oc.reused += len(reused)
        if cat is not None:  # the catalogue follows the folders: intact ones in, the rest out until recomputed
            cat.forget_replicates(spec.run_id, missing)
            cat.add_replicates(reused)
    done = oc.reused
    if progress:
        progress(done, total)
    try:
        for rec in run_jobs(pending, workers=workers, scheduler=scheduler, batch_size=batch_size,
                            describe=lambda s: setattr(oc, "executor", s) or (describe and describe(s))):
            oc.records[rec["run_id"]][rec["replicate"]] = rec
            if cat is not None:
                cat.add_replicates([dict(rec, path=stored(folders[rec["run_id"], rec["replicate"]]))])
            oc.computed += 1
            done += 1
            if progress:
                progress(done, total)
    except BaseException as e:
        if cat is not None:
            status = "interrupted" if isinstance(e, KeyboardInterrupt) else "failed"
            for s in specs:
                try:
                    cat.finish_run(s.run_id, status)
                except Exception:  # noqa: BLE001 (keep the original error)
                    pass
        raise
    if cat is not None:
        for s in specs:
            cat.finish_run(s.run_id, "done")
    if keep_results:
        for rid, recs in oc.records.items():
            oc.results[rid] = [rec.pop("result") if "result" in rec
                               else storage.load(folders[rid, rec["replicate"]], rid) for rec in recs]
    else:
        for recs in oc.records.values():
            for rec in recs:
                rec.pop("result", None)
    oc.wall_seconds = time.perf_counter() - t0
    return oc
