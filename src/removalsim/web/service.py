"""The explorer's run service: requests become runs on the experiments stack, in a bounded queue, cached by
content hash.

A request names a scenario and changes, the base to compare with, and seed, scale,
years and replicates. Its id is a hash of the two runs' ids (which hash each
scenario's content, the overrides, seed, horizon, scale and package version) and
the replicate count, so the same request gets the same id, the same cached
answer, and on another server of the same version the same numbers.

Runs go through `uncertainty.runner.run_specs` (in this process, or on a Dask
cluster with `scheduler`; Results come back in memory). Each replicate's measures
are kept by run id and replicate (`payload.Digest`), so a base shared by many
requests runs once. A run first computes replicate 0 of both sides and publishes
those numbers, then all replicates.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..cli.options import Bound
from ..scenario import Scenario, ScenarioError, load_scenario, shipped_names
from ..uncertainty.jobs import RunSpec, canonical, content_hash, make_run
from .levers import ChangeError, apply


@dataclass(frozen=True)
class Limits:
    """What one request may ask for, and how much the server takes on at once (all configurable)."""

    max_scale: float = 0.05
    max_years: float = 10.0
    max_replicates: int = 10
    max_queue: int = 32        # runs queued or running, all clients together
    max_per_client: int = 4    # runs queued or running for one client address
    max_body_bytes: int = 64 * 1024
    max_changes: int = 64
    keep_runs: int = 256       # finished runs kept in memory (oldest forgotten first)

    def bounds(self) -> dict[str, Bound]:
        return {"scale": Bound("scale", 0, self.max_scale, low_open=True),
                "years": Bound("years", 0, self.max_years, low_open=True),
                "replicates": Bound("replicates", 1, self.max_replicates),
                "seed": Bound("seed", 0)}


class RequestError(ValueError):
    """A request that cannot run; `status` is the HTTP status, `detail` the JSON body."""

    def __init__(self, status: int, message: str, parameter: str = "", value: Any = None, allowed: str = ""):
        super().__init__(message)
        self.status = status
        self.detail = {"error": message, "parameter": parameter, "value": value, "allowed": allowed}


def scenario(name: Any) -> Scenario:
    """A shipped scenario by name; anything else (a path, an unknown name) is a RequestError."""
    allowed = shipped_names()
    if not isinstance(name, str) or name not in allowed:
        shown = repr(name)[:80]
        raise RequestError(422, f"scenario {shown} is not a shipped scenario; "
                           f"expected one of {', '.join(allowed)}", "scenario", name if isinstance(name, str)
                           else None, ", ".join(allowed))
    try:
        return _shipped(name)
    except ScenarioError as e:  # a shipped scenario this version cannot load: say so, in one line
        raise RequestError(422, str(e), "scenario", name, ", ".join(allowed)) from None


@functools.lru_cache(maxsize=64)
def _shipped(name: str) -> Scenario:
    """A shipped scenario, loaded once (a Scenario is immutable; changes make a new one)."""
    return load_scenario(name)


@dataclass(frozen=True)
class Plan:
    """A checked request: both runs' specs and what identifies them."""

    id: str
    request: dict
    base: RunSpec
    variant: RunSpec

    def specs(self, replicates: int) -> list[RunSpec]:
        """The runs to compute at `replicates` (one when base and variant are the same run)."""
        import dataclasses

        out = [dataclasses.replace(self.base, replicates=replicates)]
        if self.variant.run_id != self.base.run_id:
            out.append(dataclasses.replace(self.variant, replicates=replicates))
        return out


def plan(req: dict, limits: Limits) -> Plan:
    """Check a request (scenario, base, changes, seed, scale, years, replicates) against the limits and the
    scenario loader; raise RequestError naming the parameter, the value and what is allowed."""
    b = limits.bounds()
    settings: dict[str, Any] = {}
    for key, default in (("seed", 0), ("scale", 0.01), ("years", 5.0), ("replicates", 3)):
        v = req.get(key, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or (
                key in ("seed", "replicates") and float(v) != int(v)):
            kind = "an integer" if key in ("seed", "replicates") else "a number"
            raise RequestError(422, f"{key} {v!r} is not {kind}; expected {b[key].describe()}", key,
                               _jsonable(v), b[key].describe())
        try:
            b[key].check(v, key)
            if key == "seed" and v >= 2**63:
                raise ValueError(f"seed {v} is too large; expected less than 2**63")
        except ValueError as e:
            raise RequestError(422, str(e), key, v, b[key].describe()) from None
        settings[key] = int(v) if key in ("seed", "replicates") else float(v)
    sc = scenario(req.get("scenario", "baseline"))
    base_sc = scenario(req.get("base") or sc.name)
    changes = req.get("changes") or {}
    if not isinstance(changes, dict):
        raise RequestError(422, "changes must be an object of parameter path: value", "changes", None,
                           "an object such as {\"court.judges\": 1434}")
    if len(changes) > limits.max_changes:
        raise RequestError(422, f"{len(changes)} changes; at most {limits.max_changes} in one request",
                           "changes", len(changes), f"at most {limits.max_changes}")
    try:
        variant_sc, overrides = apply(sc, changes)
    except ChangeError as e:
        raise RequestError(422, str(e), e.parameter, _jsonable(e.value), e.allowed) from None
    common = dict(seed=settings["seed"], years=settings["years"], scale=settings["scale"],
                  replicates=settings["replicates"])
    base = make_run(base_sc, **common)
    variant = make_run(sc, overrides, **common)
    request = {"scenario": sc.name, "base": base_sc.name, "changes": changes, **settings, "version": __version__}
    key = canonical({"base": base.run_id, "variant": variant.run_id, "replicates": settings["replicates"]})
    run_id = hashlib.sha256(key.encode()).hexdigest()[:16]
    request["scenario_hash"] = content_hash(variant_sc)
    request["base_hash"] = content_hash(base_sc)
    return Plan(run_id, request, base, variant)


def _jsonable(v: Any) -> Any:
    """A value to echo in an error: plain and finite as it came, else its text (JSON has no NaN)."""
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return v if isinstance(v, (int, float, str, bool)) or v is None else str(v)[:200]


@dataclass
class Run:
    """One request's run: its status, what is done, and its tables (once some replicates are done)."""

    plan: Plan
    client: str
    kind: str = "compare"           # compare (base and variant) | marginal (what more money buys per lever)
    status: str = "queued"          # queued | running | done | failed
    created: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    seconds: float = 0.0
    snapshot: tuple[int, dict] = (0, {})  # replicates done and their tables, replaced together
    fetched: threading.Event = field(default_factory=threading.Event)  # a client has read the first numbers
    changed: threading.Condition = field(default_factory=threading.Condition)  # notified on every update

    def update(self, **values: Any) -> None:
        """Set fields (snapshot, status, ...) together and wake the clients waiting for news."""
        with self.changed:
            for k, v in values.items():
                setattr(self, k, v)
            self.changed.notify_all()

    def wait(self, after: int, timeout: float) -> None:
        """Block until more than `after` replicates are done, the run has ended, or `timeout` seconds pass."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot[0] > after or self.status in ("done", "failed"), timeout)
    error: str = ""

    @property
    def id(self) -> str:
        return self.plan.id if self.kind == "compare" else f"{self.kind}-{self.plan.id}"

    @property
    def tables(self) -> dict:
        return self.snapshot[1]

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "status": self.status, "replicates_done": self.snapshot[0],
                "replicates": self.plan.request["replicates"], "request": self.plan.request,
                "created": self.created, "seconds": round(self.seconds, 3), "error": self.error or None}


class Service:
    """Runs requests in a bounded queue on `workers` threads; finished runs are kept by id (LRU)."""

    def __init__(self, limits: Limits | None = None, *, scheduler: str | None = None, workers: int | None = None):
        self.limits = limits or Limits()
        self.scheduler = scheduler
        # The engine holds the GIL, so locally one thread computes; a cluster computes elsewhere.
        self.pool = ThreadPoolExecutor(max_workers=workers or (4 if scheduler else 1),
                                       thread_name_prefix="removalsim-web")
        self.runs: OrderedDict[str, Run] = OrderedDict()
        # Each replicate's measures, read once: (run id, replicate) -> Digest; (run id, n) -> China table.
        self.digests: OrderedDict[tuple[str, int], Any] = OrderedDict()
        self.china: OrderedDict[tuple[str, int], Any] = OrderedDict()
        self.lock = threading.Lock()

    def submit(self, req: dict, client: str = "", kind: str = "compare") -> Run:
        """Start (or find) the run of a request; RequestError if it is bad or the queue is full.

        `kind` "marginal" runs, instead of the comparison, the changed scenario with each lever of
        `removalsim.levers` raised by 10% (what more money buys, per lever)."""
        p = plan(req, self.limits)
        run = Run(p, client, kind)
        with self.lock:
            known = self.runs.get(run.id)
            if known is not None and known.status != "failed":
                self.runs.move_to_end(run.id)
                return known
            active = [r for r in self.runs.values() if r.status in ("queued", "running")]
            if len(active) >= self.limits.max_queue:
                raise RequestError(503, f"the run queue is full ({self.limits.max_queue} runs); try again shortly",
                                   "queue", len(active), f"at most {self.limits.max_queue} runs at once")
            mine = sum(1 for r in active if r.client == client)
            if mine >= self.limits.max_per_client:
                raise RequestError(429, f"this client already has {mine} runs waiting; at most "
                                   f"{self.limits.max_per_client} at once", "queue", mine,
                                   f"at most {self.limits.max_per_client} runs per client")
            self.runs[run.id] = run
            self._forget_old()
        self.pool.submit(self._compute, run)
        return run

    def get(self, run_id: str) -> Run | None:
        with self.lock:
            return self.runs.get(run_id)

    def _forget_old(self) -> None:
        finished = [k for k, r in self.runs.items() if r.status in ("done", "failed")]
        for k in finished[:max(0, len(self.runs) - self.limits.keep_runs)]:
            del self.runs[k]

    def _compute(self, run: Run) -> None:
        from . import payload

        t0 = time.perf_counter()
        run.update(status="running")
        p = run.plan
        try:
            if run.kind == "marginal":
                table = self._marginal(p)
                run.update(snapshot=(p.request["replicates"], {"marginal": table}), status="done",
                           seconds=time.perf_counter() - t0)
                return
            want = p.request["replicates"]
            for n in sorted({1, want}):  # replicate 0 first: the first numbers come sooner
                specs = p.specs(n)
                results = self._run([s for s in specs if not self._known(s.run_id, n)])
                (bd, bc), (vd, vc) = (self._side(side, spec, n, results)
                                      for side, spec in (("base", p.base), ("variant", p.variant)))
                tables = payload.tables(bd, vd, [bc, vc])
                if n < want:
                    run.update(snapshot=(n, tables), seconds=time.perf_counter() - t0)
                    run.fetched.wait(0.5)  # the engine holds the GIL while it runs: let the client read these first
                else:
                    run.update(snapshot=(n, tables), status="done", seconds=time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001 (a failed run is reported by status, never by a traceback)
            run.update(error=f"the run failed ({type(e).__name__})", status="failed",
                       seconds=time.perf_counter() - t0)

    def _marginal(self, p: Plan) -> Any:
        """`removalsim.levers.marginal_returns` of the changed scenario, for the report's levers."""
        from .. import levers

        sc = p.variant.scenario
        keys = {lv.key for lv in levers.levers_of(sc)}
        return levers.marginal_returns(sc, scale=p.request["scale"], replicates=p.request["replicates"],
                                       seed=p.request["seed"], years=p.request["years"], workers=1,
                                       scheduler=self.scheduler,
                                       levers=[k for k in levers.REPORT_LEVERS if k in keys])

    def _run(self, specs: list[RunSpec]) -> dict[str, list]:
        """Results of `specs` from the experiments stack (this thread, or the Dask cluster)."""
        from ..uncertainty.runner import run_specs

        if not specs:
            return {}
        return run_specs(specs, workers=1, scheduler=self.scheduler, catalogue=False).results

    def _known(self, run_id: str, n: int) -> bool:
        """Whether replicates 0..n-1 of a run are digested (then it need not run again)."""
        with self.lock:
            return all((run_id, r) in self.digests for r in range(n)) and any(
                k[0] == run_id and k[1] == n for k in self.china)

    def _side(self, side: str, spec: RunSpec, n: int, results: dict[str, list]) -> tuple[list, Any]:
        """The digests of one side's first n replicates and its China table, each computed once."""
        import dataclasses

        from . import payload

        with self.lock:
            digests = [self.digests.get((spec.run_id, r)) for r in range(n)]
            china = self.china.get((spec.run_id, n), False)
        mine = results.get(spec.run_id)
        if mine is None and (None in digests or china is False):  # forgotten meanwhile: run it again
            mine = self._run([dataclasses.replace(spec, replicates=n)])[spec.run_id]
        for r, d in enumerate(digests):
            if d is None:
                digests[r] = payload.digest(mine[r], spec.scenario)  # type: ignore[index]
        if china is False:
            china = payload.china(side, mine[:n], digests)  # type: ignore[index, arg-type]
        with self.lock:
            for r, d in enumerate(digests):
                self.digests[(spec.run_id, r)] = d
                self.digests.move_to_end((spec.run_id, r))
            self.china[(spec.run_id, n)] = china
            while len(self.digests) > 4096:
                self.digests.popitem(last=False)
            while len(self.china) > 1024:
                self.china.popitem(last=False)
        if china is not None:
            china = china.assign(side=side)
        return digests, china
