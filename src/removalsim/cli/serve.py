"""`removalsim serve`: the live explorer (a web page and a JSON API) on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from . import options as opt
from .console import out
from .errors import command, fail

PORT = opt.Bound("port", 1, 65535)
POSITIVE = opt.Bound("limit", 1)


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this machine only).")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help=f"Port ({PORT.describe()}).",
                                      callback=PORT.callback())] = 8000,
    scheduler: Annotated[str | None, opt.scheduler(
        "Dask scheduler address for the runs (default $REMOVALSIM_SCHEDULER; none: this process).")] = None,
    max_scale: Annotated[float, typer.Option("--max-scale", help="Largest sample scale a request may ask "
                                             "(0 < scale <= 1).", callback=opt.SCALE.callback())] = 0.05,
    max_years: Annotated[float, typer.Option("--max-years", help="Longest horizon a request may ask "
                                             f"({opt.YEARS.describe()}).", callback=opt.YEARS.callback())] = 10.0,
    max_replicates: Annotated[int, typer.Option("--max-replicates", help="Most replicates a request may ask "
                                                "(at least 1).", callback=POSITIVE.callback())] = 10,
    max_queue: Annotated[int, typer.Option("--max-queue", help="Most runs queued or running at once "
                                           "(at least 1).", callback=POSITIVE.callback())] = 32,
    max_per_client: Annotated[int, typer.Option("--max-per-client", help="Most runs queued or running for one "
                                                "client address (at least 1).", callback=POSITIVE.callback())] = 4,
) -> None:
    """Serve the explorer: pick a scenario, move levers, compare with a base; JSON API under /api."""
    try:
        import uvicorn

        from ..web.app import create_app
        from ..web.service import Limits
    except ImportError as e:  # pragma: no cover (fastapi and uvicorn are dependencies)
        fail(f"serve needs fastapi and uvicorn ({e.name} is missing): pip install 'fastapi' 'uvicorn'")
    if max_per_client > max_queue:
        fail(f"--max-per-client {max_per_client} is larger than --max-queue {max_queue}; expected at most "
             f"{max_queue}")
    limits = Limits(max_scale=max_scale, max_years=max_years, max_replicates=max_replicates, max_queue=max_queue,
                    max_per_client=max_per_client)
    problem = _port_problem(host, port)
    if problem:
        fail(problem)
    app = create_app(limits, scheduler=scheduler)
    out.print(f"removalsim explorer on http://{host}:{port}/ (API: /api, OpenAPI: /openapi.json); "
              "Ctrl-C stops it", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (taken, not an address of this machine), or None."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        return f"--host {host}: not an address ({e.strerror or e})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            return f"--port {port}: cannot listen on {host}:{port} ({e.strerror or e})"
    return None


def register(app: typer.Typer) -> None:
    command(app, "serve")(serve)
