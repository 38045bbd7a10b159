"""Benchmark of the explorer: time from a lever change to the first numbers on screen.

    python benchmarks/bench_web.py                 # 50 changes at the default explorer size, in Chromium
    python benchmarks/bench_web.py --http          # the same through the HTTP API only (no browser)
    python benchmarks/bench_web.py --changes 10    # a quicker look

Default explorer size: baseline, scale 0.01, 5 years, 3 replicates, seed 0. The server runs
in this process on 127.0.0.1; the base is computed once before timing (as it is for a user
after the page's first load). Each change moves `arrests.officers` to a new value, so each
is a new run. Browser timing: from the input's change event to the page showing the new
run's first numbers (replicate 0 of each side; the other replicates follow). HTTP timing:
from POST /api/runs to the first answer of GET /api/runs/{id}?wait= (which waits for news)
that carries tables. Target: median
under 1 s, 95th percentile under 2 s, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from web_helpers import running  # noqa: E402

from removalsim.web.app import create_app  # noqa: E402
from removalsim.web.service import Limits  # noqa: E402

SIZE = {"scenario": "baseline", "scale": 0.01, "years": 5, "replicates": 3, "seed": 0}


def officers(i: int) -> int:
    return 6100 + 37 * i  # a new value each time: never a cached run


def http(url: str, n: int) -> tuple[list[float], list[float]]:
    import httpx

    first, full = [], []
    with httpx.Client(base_url=url, timeout=120) as c:
        for i in range(-1, n):  # -1: the base and a warm-up, not timed
            t0 = time.perf_counter()
            rid = c.post("/api/runs", json={**SIZE, "changes": {"arrests.officers": officers(i)}}).json()["id"]
            seen, after = None, 0
            while True:
                body = c.get(f"/api/runs/{rid}", params={"after": after, "wait": 5}).json()
                after = body["replicates_done"]
                if seen is None and body.get("tables"):
                    seen = time.perf_counter() - t0
                if body["status"] in ("done", "failed"):
                    break
            if i >= 0:
                first.append(seen)
                full.append(time.perf_counter() - t0)
    return first, full


def browser(url: str, n: int, chromium: str) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    q = "&".join(f"{k}={v}" for k, v in SIZE.items())
    first, full = [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        pg = b.new_page(viewport={"width": 1280, "height": 900})
        pg.goto(f"{url}/?{q}")
        pg.wait_for_function("() => document.querySelector('#status').dataset.run", timeout=300_000)
        box = pg.locator(".lever[data-path='arrests.officers'] input[type=number]")
        for i in range(-1, n):
            before = pg.get_attribute("#headline", "data-run")
            box.fill(str(officers(i)))
            t = pg.evaluate("""(before) => new Promise((resolve) => {
                const t0 = performance.now();
                document.querySelector(".lever[data-path='arrests.officers'] input[type=number]")
                    .dispatchEvent(new Event("change"));
                const shown = () => document.querySelector("#headline").dataset.run !== before;
                const done = () => shown() && !document.body.classList.contains("busy");
                let first = null;
                const tick = () => {
                    if (first === null && shown()) first = performance.now() - t0;
                    if (done()) resolve([first, performance.now() - t0]); else requestAnimationFrame(tick);
                };
                tick();
            })""", before)
            if i >= 0:
                first.append(t[0] / 1000)
                full.append(t[1] / 1000)
        b.close()
    return first, full


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--http", action="store_true", help="time the HTTP API only (no browser)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    with running(create_app(Limits())) as url:
        how = "HTTP API" if args.http else "Chromium"
        first, full = (http if args.http else lambda u, n: browser(u, n, args.chromium))(url, args.changes)
    print(f"explorer, {how}: {args.changes} lever changes at scale {SIZE['scale']}, {SIZE['years']} years, "
          f"{SIZE['replicates']} replicates")
    for name, xs in (("first numbers on screen", first), ("all replicates", full)):
        print(f"  {name:24s} median {statistics.median(xs):.2f} s, 95th percentile "
              f"{float(np.percentile(xs, 95)):.2f} s, max {max(xs):.2f} s")


if __name__ == "__main__":
    main()
