"""The coordinator: turn runs into replicate jobs, skip the finished ones, execute, record in the catalogue.

Used by `run --replicates`, `sweep` and `sensitivity`. Only this process writes
the catalogue; workers write their own Parquet folders and markers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..results import Result
from ..scenario.schema import name_problem
from .catalogue import Catalogue
from .executors import run_jobs
from .jobs import Job, RunSpec, jobs_for, read_marker


@dataclass
class Outcome:
    """What a batch of runs produced: records and (optionally) Results per run id, and timings."""

    records: dict[str, list[dict]] = field(default_factory=dict)
    results: dict[str, list[Result]] = field(default_factory=dict)
    computed: int = 0
    reused: int = 0
    wall_seconds: float = 0.0
    executor: str = ""

    def sim_seconds(self) -> float:
        """Seconds spent inside `simulate` by the replicates computed in this call."""
        return sum(r["sim_seconds"] for recs in self.records.values() for r in recs if not r.get("reused"))


def run_specs(specs: list[RunSpec], *, workers: int | None = None, scheduler: str | None = None,
              out: str | Path | None = None, catalogue: str | Path | bool | None = None, batch_size: int = 1,
              keep_results: bool = True, progress: Callable[[int, int], None] | None = None,
              describe: Callable[[str], None] | None = None) -> Outcome:
    """Compute every replicate of `specs` that is not already finished under `out`.

    With `out`, replicates go to `<out>/<run-id>/replicate-<r>/` and are recorded in
    the catalogue (`<out>/catalogue.duckdb` unless `catalogue` names another file, or
    is False); finished replicates found there are not computed again. Without
    `out`, Results come back from the workers in memory and nothing is written.
    """
    t0 = time.perf_counter()
    outdir = Path(out) if out is not None else None
    cat = None
    if catalogue is not False and (outdir is not None or catalogue):
        cat = Catalogue(catalogue if isinstance(catalogue, (str, Path)) else outdir / "catalogue.duckdb")  # type: ignore[operator]
    oc = Outcome()
    pending: list[Job] = []
    total = sum(s.replicates for s in specs)
    seen: set[str] = set()
    for spec in specs:
        if spec.run_id in seen:
            raise ValueError(f"two runs have the same id {spec.run_id} (identical scenario, overrides and seed)")
        seen.add(spec.run_id)
        if name_problem(spec.run_id):  # a scenario validated at load cannot get here; a hand-built RunSpec can
            raise ValueError(f"run id {spec.run_id!r}: the scenario name must be a name, not a path "
                             f"({name_problem(spec.scenario_name)})")
        oc.records[spec.run_id] = [None] * spec.replicates  # type: ignore[list-item]
        if cat is not None:
            cat.start_run(spec, outdir / spec.run_id if outdir else None)
        reused = []
        for job in jobs_for(spec, outdir):
            rec = read_marker(Path(job.folder)) if job.folder else None
            if rec is not None and rec.get("run_id") == spec.run_id:
                rec["reused"] = True
                oc.records[spec.run_id][job.replicate] = rec
                reused.append(rec)
            else:
                pending.append(job)
        oc.reused += len(reused)
        if cat is not None:
            cat.add_replicates(reused)
    done = oc.reused
    if progress:
        progress(done, total)
    try:
        for rec in run_jobs(pending, workers=workers, scheduler=scheduler, batch_size=batch_size,
                            describe=lambda s: setattr(oc, "executor", s) or (describe and describe(s))):
            oc.records[rec["run_id"]][rec["replicate"]] = rec
            if cat is not None:
                cat.add_replicates([rec])
            oc.computed += 1
            done += 1
            if progress:
                progress(done, total)
    except BaseException:
        if cat is not None:
            for s in specs:
                try:
                    cat.finish_run(s.run_id, "failed")
                except Exception:  # noqa: BLE001 (keep the original error)
                    pass
        raise
    if cat is not None:
        for s in specs:
            cat.finish_run(s.run_id, "done")
    if keep_results:
        for rid, recs in oc.records.items():
            oc.results[rid] = [rec.pop("result") if "result" in rec else Result.read_parquet(rec["path"])
                               for rec in recs]
    else:
        for recs in oc.records.values():
            for rec in recs:
                rec.pop("result", None)
    oc.wall_seconds = time.perf_counter() - t0
    return oc
