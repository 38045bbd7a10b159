"""The explorer's web app: the page, its static files and the JSON API (FastAPI; OpenAPI at /openapi.json).

Safe by default: request bodies are size-limited, scenarios are named (never a file
path), static files come from a fixed list inside the installed package, every
error is JSON without a traceback, and the run queue is bounded (see `Limits`).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from . import catalog, levers
from .safety import BodyLimit, SECURITY_HEADERS, one_line
from .service import Limits, RequestError, Service, _jsonable, scenario
from .service import plan as check_plan

DESCRIPTION = ("Simulate the U.S. removal system with changed levers and compare with a base scenario "
               "(common random numbers). Errors are JSON: error (one line), parameter, value, allowed.")


class RunRequest(BaseModel):
    """A run: a scenario with changes, compared with a base, at a seed, sample scale, horizon and replicates."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"scenario": "baseline", "changes": {"detention.beds": 60000,
                                             "court.judges": {"value": 1434, "from": "2026-01-01"}},
         "seed": 0, "scale": 0.01, "years": 5, "replicates": 3}]})
    scenario: str = Field("baseline", description="a shipped scenario name (GET /api/scenarios)")
    base: str | None = Field(None, description="the scenario to compare with (default: the scenario unchanged)")
    changes: dict[str, Any] = Field(default_factory=dict, description=(
        "parameter path -> number, or {value, from: YYYY-MM-DD}; groups.*.<field> sets every group"))
    seed: Any = Field(0, description="random seed (an integer >= 0)")
    scale: Any = Field(0.01, description="the sample of the country simulated (0 < scale <= the server's limit)")
    years: Any = Field(5, description="years simulated from the scenario's start date")
    replicates: Any = Field(3, description="replicates of each side (bands are their 5th-95th percentiles)")


class ValidateRequest(BaseModel):
    """A shipped scenario with changes, or a scenario as TOML text (extending a shipped one), to check
    without running anything."""

    model_config = ConfigDict(extra="forbid")
    scenario: str = "baseline"
    changes: dict[str, Any] = Field(default_factory=dict)
    toml: str | None = Field(None, description="a whole scenario file's text; `extends` may name a shipped "
                             "scenario only")


STATIC = {"app.js": "application/javascript", "app.css": "text/css"}


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def create_app(limits: Limits | None = None, *, scheduler: str | None = None, service: Service | None = None
               ) -> FastAPI:
    """The app; `limits` bound what a request may ask, `scheduler` sends runs to a Dask cluster."""
    svc = service or Service(limits, scheduler=scheduler)
    app = FastAPI(title="removalsim explorer", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)  # the interactive docs load scripts from a CDN: left out
    app.state.service = svc
    app.add_middleware(BodyLimit, max_bytes=svc.limits.max_body_bytes)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.exception_handler(RequestError)
    async def request_error(request: Request, e: RequestError):
        return JSONResponse(e.detail, status_code=e.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        return JSONResponse(one_line(list(e.errors())), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        return JSONResponse({"error": str(e.detail), "parameter": "", "value": None, "allowed": ""},
                            status_code=e.status_code)

    @app.exception_handler(Exception)
    async def internal(request: Request, e: Exception):  # never a traceback in a response
        return JSONResponse({"error": "internal error", "parameter": "", "value": None, "allowed": ""},
                            status_code=500)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(_read("index.html"))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name == "plotly.min.js":
            return Response(_plotly_js().read_bytes(), media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})
        if name not in STATIC:  # a fixed list: no path from the request reaches the file system
            raise RequestError(404, f"no static file {name[:80]!r}", "name", name[:80], ", ".join(STATIC))
        return Response(_read(name), media_type=STATIC[name])

    @app.get("/api/version", tags=["about"])
    def version() -> dict[str, Any]:
        """The package version and the server's limits per request."""
        lim = svc.limits
        return {"version": __version__, "limits": {k: b.describe() for k, b in lim.bounds().items()},
                "max_queue": lim.max_queue, "max_per_client": lim.max_per_client,
                "max_body_bytes": lim.max_body_bytes, "scheduler": bool(svc.scheduler)}

    @app.get("/api/scenarios", tags=["scenarios"])
    def scenarios() -> list[dict[str, Any]]:
        """The shipped scenarios: name, description, parent and content hash (or the one-line error of a
        scenario that does not load)."""
        from ..scenario import shipped_names

        out = []
        for n in shipped_names():
            try:
                out.append(catalog.summary(scenario(n)))
            except RequestError as e:
                out.append({"name": n, "error": e.detail["error"]})
        return out

    @app.get("/api/scenarios/{name}", tags=["scenarios"])
    def scenario_detail(name: str) -> dict[str, Any]:
        """Every parameter of a scenario with value, unit, source, note and range, and the statistics cited."""
        return catalog.detail(_named(name))

    @app.get("/api/scenarios/{name}/levers", tags=["scenarios"])
    def scenario_levers(name: str) -> list[dict[str, Any]]:
        """The page's levers for a scenario: value at the start, unit, source, plausible range, input bounds."""
        return levers.levers(_named(name))

    @app.get("/api/assumptions", tags=["scenarios"])
    def assumptions(a: str, b: str) -> dict[str, Any]:
        """Every parameter that differs between scenarios a and b, with both values and sources."""
        sa, sb = _named(a, "a"), _named(b, "b")
        rows = catalog.differences(sa, sb)
        return {"a": catalog.summary(sa), "b": catalog.summary(sb), "differences": rows,
                "statistics": catalog.statistics([side for r in rows for side in (r["a"], r["b"]) if side])}

    @app.post("/api/validate", tags=["runs"])
    def validate(body: ValidateRequest) -> dict[str, Any]:
        """Check a scenario and changes as a run would (422 naming the parameter, value and what is allowed)."""
        if body.toml is not None:
            from ..scenario import ScenarioError
            from .upload import load_text

            try:
                sc = load_text(body.toml)
            except ScenarioError as e:
                path = str(e).split(": ")[1] if str(e).count(": ") >= 2 else ""
                raise RequestError(422, str(e), path, None, "") from None
            return {"valid": True, "scenario": sc.name, "overrides": {},
                    "content_hash": catalog.summary(sc)["content_hash"]}
        sc = _named(body.scenario)
        variant, overrides = _apply(sc, body.changes)
        return {"valid": True, "scenario": sc.name, "overrides": overrides,
                "content_hash": catalog.summary(variant)["content_hash"]}

    @app.post("/api/runs", status_code=202, tags=["runs"])
    def start(body: RunRequest, request: Request) -> dict[str, Any]:
        """Start a run (or find the same one, cached by content hash); poll GET /api/runs/{id}."""
        client = request.client.host if request.client else ""
        return svc.submit(body.model_dump(), client).public()

    @app.post("/api/marginal", status_code=202, tags=["runs"])
    def marginal(body: RunRequest, request: Request) -> dict[str, Any]:
        """What more money buys: the changed scenario with each lever raised by 10% (`removalsim.levers`),
        per +10% and per $1 billion a year (fully loaded); many runs, so it is asked for separately. Poll
        GET /api/runs/{id}; the table is "marginal"."""
        client = request.client.host if request.client else ""
        return svc.submit(body.model_dump(), client, kind="marginal").public()

    @app.get("/api/runs/{run_id}", tags=["runs"])
    def poll(run_id: str, after: int = -1, wait: float = 0.0) -> dict[str, Any]:
        """A run's status and, once replicates are done, its tables (all figures for the whole country).

        With `wait` (seconds, at most 10) the answer waits until more than `after` replicates are done or
        the run ends, so a client sees new numbers as soon as they exist without polling often."""
        from . import payload

        run = _run(run_id)
        if wait > 0:
            run.wait(after, min(float(wait), 10.0))
        done, tables = run.snapshot
        out = run.public()
        out["replicates_done"] = done
        out["tables"] = {k: payload.records(v) for k, v in tables.items()} if tables else None
        if tables:
            run.fetched.set()
        return out

    @app.get("/api/runs/{run_id}/tables/{table}.{fmt}", tags=["runs"])
    def download(run_id: str, table: str, fmt: str) -> Response:
        """One table of a finished run as CSV or Parquet."""
        run = _run(run_id)
        if fmt not in ("csv", "parquet"):
            raise RequestError(404, f"format {fmt[:20]!r} is not offered; expected csv or parquet", "format",
                               fmt[:20], "csv, parquet")
        if table not in run.tables:
            raise RequestError(404, f"no table {table[:40]!r} in this run", "table", table[:40],
                               ", ".join(run.tables))
        df = run.tables[table]
        name = f"removalsim-{run.plan.request['scenario']}-{run.id}-{table}.{fmt}"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "csv":
            return Response(df.to_csv(index=False), media_type="text/csv", headers=disposition)
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return Response(buf.getvalue(), media_type="application/vnd.apache.parquet", headers=disposition)

    def _run(run_id: str):
        run = svc.get(run_id)
        if run is None:
            raise RequestError(404, f"no run {run_id[:40]!r} (unknown, or forgotten: start it again)", "id",
                               run_id[:40], "an id from POST /api/runs")
        return run

    return app


def _named(name: str, parameter: str = "scenario"):
    try:
        return scenario(name)
    except RequestError as e:
        e.detail["parameter"] = parameter
        raise


def _apply(sc, changes):
    try:
        return levers.apply(sc, changes)
    except levers.ChangeError as e:
        raise RequestError(422, str(e), e.parameter, _jsonable(e.value), e.allowed) from None


def _read(name: str) -> str:
    return (resources.files("removalsim.web") / "static" / name).read_text(encoding="utf-8")


__all__ = ["RunRequest", "ValidateRequest", "create_app", "check_plan"]
