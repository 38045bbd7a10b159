"""Runs and the replicate jobs they split into, with deterministic ids and completion markers.

A *run* is one scenario (with its overrides) at one seed, horizon, scale and
frequency; its replicates are the jobs. The run id is a hash of all of that
(plus the package version and whether parameters are drawn), never of the
replicate count, so a rerun with the same command - or with more replicates -
finds the replicates already done in `<out>/<run-id>/replicate-<r>/`.

A replicate counts as done only when its marker `_DONE.json` exists and every
file matches the checksums it records (`storage`). The marker is written last,
through a temporary file and an atomic rename, after the Parquet tables (also
written through renames), so a job killed at any moment leaves either a complete
replicate or one that will be computed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .. import __version__
from ..scenario import Scenario
from .replicates import replicate_seed
from .storage import MARKER, seal

__all__ = ["MARKER", "Job", "RunSpec", "execute", "execute_batch", "jobs_for", "make_run"]


def canonical(obj: Any) -> str:
    """Stable JSON text for hashing (sorted keys, dates as ISO strings)."""
    return json.dumps(obj, sort_keys=True, default=str, separators=(",", ":"))


def content_hash(sc: Scenario) -> str:
    """Hash of a scenario's resolved content (its merged tables), whatever file it came from."""
    return hashlib.sha256(canonical(sc._raw).encode()).hexdigest()  # type: ignore[attr-defined]


def jsonable(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Overrides as plain JSON values (dated values become [[date, value], ...])."""
    return json.loads(canonical(dict(overrides or {})))


@dataclass(frozen=True)
class RunSpec:
    """One scenario configuration to replicate; `scenario` already has `overrides` applied."""

    scenario: Scenario
    scenario_name: str
    scenario_hash: str
    overrides: dict
    seed: int
    years: float
    scale: float
    freq: str = "MS"
    fixed_params: bool = False
    replicates: int = 1
    sweep: str | None = None
    point: str | None = None
    version: str = __version__

    @property
    def run_id(self) -> str:
        key = canonical({"scenario": self.scenario_hash, "overrides": self.overrides, "seed": int(self.seed),
                         "years": float(self.years), "scale": float(self.scale), "freq": self.freq,
                         "fixed_params": bool(self.fixed_params), "version": self.version})
        return f"{self.scenario_name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def make_run(scenario: Scenario, overrides: Mapping[str, Any] | None = None, *, seed: int = 0,
             years: float = 10, scale: float = 0.01, freq: str = "MS", fixed_params: bool = False,
             replicates: int = 1, sweep: str | None = None, point: str | None = None) -> RunSpec:
    """A RunSpec for `scenario` with `overrides` applied (raises ScenarioError on a bad override, and
    RemovalsimInputError on a sample that holds nobody)."""
    from ..errors import RemovalsimInputError
    from ..scenario.schema import sample_problem

    sc = scenario.with_overrides(overrides) if overrides else scenario
    problem = sample_problem(sc, scale)
    if problem:
        raise RemovalsimInputError(problem)
    return RunSpec(sc, scenario.name, content_hash(scenario), jsonable(overrides), int(seed), float(years),
                   float(scale), freq, bool(fixed_params), int(replicates), sweep, point)


@dataclass(frozen=True)
class Job:
    """One replicate of one run: everything a worker needs, picklable."""

    run_id: str
    replicate: int
    scenario: Scenario
    seed: int
    years: float
    scale: float
    freq: str
    fixed_params: bool
    folder: str | None = None          # write Parquet + marker here (None: return the Result instead)
    extra_meta: dict = field(default_factory=dict)


def jobs_for(spec: RunSpec, out: Path | None) -> list[Job]:
    base = (out / spec.run_id) if out is not None else None
    return [Job(spec.run_id, r, spec.scenario, spec.seed, spec.years, spec.scale, spec.freq, spec.fixed_params,
                str(base / f"replicate-{r}") if base is not None else None)
            for r in range(spec.replicates)]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="milliseconds")


def execute(job: Job) -> dict:
    """Run one replicate: draw its parameters, simulate, write its files; return its record.

    The record holds the run id, replicate, engine seed, drawn parameters, start/end
    times, seconds inside `simulate`, the yearly summary (long form) and the folder
    (as `<run-id>/replicate-<r>`, relative to the output folder, so a copied folder
    stays whole); with no folder it also carries the Result under "result".
    """
    from ..api import simulate
    from .sampling import apply, draw

    if job.folder is not None:  # a marker left by an earlier, damaged attempt must not outlive it
        (Path(job.folder) / MARKER).unlink(missing_ok=True)
    started = _now()
    t_all = time.perf_counter()
    params = {} if job.fixed_params else draw(job.scenario, job.seed, job.replicate)
    sc = apply(job.scenario, params)
    engine_seed = replicate_seed(job.seed, job.replicate)
    t0 = time.perf_counter()
    res = simulate(sc, years=job.years, seed=engine_seed, scale=job.scale, freq=job.freq)
    sim_seconds = time.perf_counter() - t0
    res.meta.update(job.extra_meta, replicate=job.replicate, run_id=job.run_id, base_seed=job.seed, params=params)
    summary = res.summary().reset_index().melt(id_vars="year", var_name="measure", value_name="value")
    record = {"run_id": job.run_id, "replicate": job.replicate, "engine_seed": engine_seed, "params": params,
              "started": started, "sim_seconds": sim_seconds,
              "path": f"{job.run_id}/replicate-{job.replicate}" if job.folder is not None else None,
              "summary": {"year": summary["year"].astype(int).tolist(), "measure": summary["measure"].tolist(),
                          "value": summary["value"].astype(float).tolist()}}
    if job.folder is not None:
        res.to_parquet(job.folder)
        record["ended"] = _now()
        record["task_seconds"] = time.perf_counter() - t_all
        record = seal(job.folder, record)
    else:
        record["ended"] = _now()
        record["task_seconds"] = time.perf_counter() - t_all
        record["result"] = res
    return record


def execute_batch(jobs: list[Job]) -> list[dict]:
    """Run a batch of replicates one after another (one scheduler task)."""
    return [execute(j) for j in jobs]
