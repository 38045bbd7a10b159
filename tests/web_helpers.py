"""Helpers for the explorer's tests: a real server (uvicorn) in a thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

SMALL = {"scale": 0.001, "years": 1, "replicates": 1, "seed": 3}  # fast runs: about 0.1 s a replicate


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app):
    """Serve `app` on 127.0.0.1 in a thread; yield its base URL; stop it afterwards."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start in 20 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def wait(get, run_id: str, timeout: float = 300.0) -> dict:
    """Poll GET /api/runs/{id} (with `get`, a client's get) until the run is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        r = get(f"/api/runs/{run_id}")
        assert r.status_code == 200, r.text
        body = r.json()
        if body["status"] in ("done", "failed"):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"run {run_id} not done in {timeout} s: {body['status']}")
        time.sleep(0.03)
