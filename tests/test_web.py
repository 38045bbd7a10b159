"""The explorer's HTTP API (removalsim serve): scenarios and sources, validation as one-line 4xx JSON, runs on
the experiments stack with common random numbers, caching, downloads, limits, and 20 concurrent clients."""

from __future__ import annotations

import io
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from removalsim import __version__  # noqa: E402
from removalsim.web.app import create_app  # noqa: E402
from removalsim.web.service import Limits, Service  # noqa: E402
from web_helpers import SMALL, running, wait  # noqa: E402


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(Limits(max_per_client=32)))


def run(client, **req) -> dict:
    r = client.post("/api/runs", json={**SMALL, **req})
    assert r.status_code == 202, r.text
    return wait(client.get, r.json()["id"])


def measure(body: dict, name: str) -> dict:
    return next(m for m in body["tables"]["measures"] if m["measure"] == name)


def test_scenarios_are_listed_and_shown_with_sources(client):
    names = [s["name"] for s in client.get("/api/scenarios").json()]
    assert "baseline" in names and "china" in names
    sc = client.get("/api/scenarios/baseline").json()
    beds = next(p for p in sc["parameters"] if p["path"] == "detention.beds")
    assert beds["unit"] == "beds" and beds["source"].startswith("stats:")
    assert beds["source"][6:] in sc["statistics"]  # the cited figure comes with it
    cited = sc["statistics"][beds["source"][6:]]  # with its primary address, or the intermediary and why not
    assert {"url", "via", "via_url", "no_url"} <= cited.keys() and (cited["url"] or cited["no_url"])
    assert client.get("/api/scenarios/no-such").status_code == 422


def test_levers_carry_unit_sourced_value_and_range(client):
    levers = {lv["path"]: lv for lv in client.get("/api/scenarios/china/levers").json()}
    assert {"arrests.officers", "detention.beds", "court.judges", "appeals.completions_per_day",
            "groups.China.doc_refusal_share", "transport.air.asia.flights_per_week",
            "self_departure.stipend_usd", "expedited_removal.recent_arrival_share",
            "groups.*.noncooperating_share"} <= set(levers)
    refusal = levers["groups.China.doc_refusal_share"]
    assert refusal["unit"] == "share" and refusal["low"] < refusal["value"] < refusal["high"]
    assert refusal["min"] == 0 and refusal["max"] == 1 and refusal["dated"]
    assert levers["groups.ElSalvador.doc_refusal_share"]["label"] == "travel documents refused (El Salvador)"


def test_assumptions_side_by_side_name_every_difference_with_both_sources(client):
    body = client.get("/api/assumptions", params={"a": "china", "b": "china_paused"}).json()
    rows = {r["path"]: r for r in body["differences"]}
    assert "groups.China.doc_refusal_share" in rows
    a, b = rows["groups.China.doc_refusal_share"]["a"], rows["groups.China.doc_refusal_share"]["b"]
    assert a["source"] and b["source"] and (a["value"], a["steps"]) != (b["value"], b["steps"])
    assert "detention.beds" not in rows  # the same in both


@pytest.mark.parametrize("changes, parameter, allowed", [
    ({"detention.beds": -5}, "detention.beds", "in [0, "),
    ({"groups.China.doc_refusal_share": 1.5}, "groups.China.doc_refusal_share", "[0, 1]"),
    ({"court.judges": "many"}, "court.judges", "a number"),
    ({"court.judges": {"value": 900, "from": "next year"}}, "court.judges", "YYYY-MM-DD"),
    ({"no.such.parameter": 1}, "no.such.parameter", "parameter"),
    ({"../../etc/passwd": 1}, "../../etc/passwd", "parameter path"),
])
def test_bad_changes_are_one_line_4xx_naming_parameter_value_and_allowed(client, changes, parameter, allowed):
    for path in ("/api/validate", "/api/runs"):
        r = client.post(path, json={"scenario": "baseline", "changes": changes, **({} if "validate" in path
                                                                                   else SMALL)})
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["parameter"] == parameter and allowed in body["allowed"] + body["error"]
        assert "\n" not in body["error"] and "Traceback" not in r.text


def test_same_message_as_the_command_line(client):
    from removalsim import ScenarioError, load_scenario

    with pytest.raises(ScenarioError) as e:
        load_scenario("baseline").with_overrides({"detention.beds": -5})
    assert client.post("/api/validate", json={"changes": {"detention.beds": -5}}).json()["error"] == str(e.value)
    ok = client.post("/api/validate", json={"scenario": "china", "changes": {"detention.beds": 60000}})
    assert ok.status_code == 200 and ok.json()["valid"]


@pytest.mark.parametrize("req, parameter", [
    ({"scale": 0.5}, "scale"), ({"years": 60}, "years"), ({"replicates": 1000}, "replicates"),
    ({"seed": -1}, "seed"), ({"seed": "x"}, "seed"), ({"scenario": "/etc/passwd"}, "scenario"),
    ({"scenario": "../baseline.toml"}, "scenario"), ({"unknown": 1}, "unknown"), ({"seed": 1.5}, "seed"),
])
def test_requests_outside_the_limits_are_refused(client, req, parameter):
    r = client.post("/api/runs", json={**SMALL, **req})
    assert r.status_code == 422, r.text
    assert r.json()["parameter"] == parameter and r.json()["allowed"]


@pytest.mark.parametrize("text, parameter", [('"seed": Infinity', "seed"), ('"scale": NaN', "scale"),
                                             ('"changes": {"detention.beds": NaN}', "detention.beds")])
def test_non_finite_numbers_are_refused_not_crashed_on(client, text, parameter):
    for path in ("/api/runs", "/api/validate"):
        if path.endswith("validate") and "changes" not in text:
            continue
        r = client.post(path, content="{" + text + "}", headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["parameter"] == parameter, r.text


def test_a_run_shows_the_changes_against_the_base_with_common_random_numbers(client):
    same = run(client, scenario="baseline", replicates=2)
    assert same["status"] == "done" and same["replicates_done"] == 2
    assert all(m["diff"] in (0, None) for m in same["tables"]["measures"])  # same run, same numbers
    more = run(client, scenario="baseline", changes={"arrests.officers": 12000}, replicates=2)
    removals = measure(more, "removals_per_year")
    assert removals["variant"] > removals["base"] and removals["diff_p05"] > 0
    assert measure(more, "removals_per_year")["base"] == measure(same, "removals_per_year")["base"]
    fy = pd.DataFrame(more["tables"]["fiscal_years"])
    assert {"FY2025", "FY2026"} <= set(fy["fiscal_year"]) and set(fy["side"]) == {"base", "variant"}
    costs = pd.DataFrame(more["tables"]["costs"])
    assert set(costs["basis"]) == {"marginal", "loaded"}
    assert more["tables"]["china"]  # baseline holds the China group
    assert more["request"]["version"] == __version__ and len(more["request"]["scenario_hash"]) == 64


def test_dated_change_and_every_group(client):
    body = run(client, scenario="baseline", changes={"groups.*.noncooperating_share": 0.9,
                                                      "court.judges": {"value": 1434, "from": "2025-07-01"}})
    assert body["status"] == "done"
    assert measure(body, "court_backlog_end")["diff"] < 0  # more judges from July decide more cases


def test_results_are_cached_by_content_hash_and_reproduced_by_a_fresh_server(client):
    req = {**SMALL, "scenario": "baseline", "changes": {"detention.beds": 45000}}
    first = client.post("/api/runs", json=req).json()
    done = wait(client.get, first["id"])
    again = client.post("/api/runs", json=req).json()
    assert again["id"] == first["id"] and again["status"] == "done"  # found, not run again
    fresh = TestClient(create_app())  # another server: same id, same numbers
    other = fresh.post("/api/runs", json=req).json()
    assert other["id"] == first["id"]
    assert wait(fresh.get, other["id"])["tables"] == done["tables"]


def test_downloads_csv_and_parquet(client):
    body = run(client, scenario="baseline", changes={"detention.beds": 50000})
    csv = client.get(f"/api/runs/{body['id']}/tables/measures.csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    pq = client.get(f"/api/runs/{body['id']}/tables/measures.parquet")
    a, b = pd.read_csv(io.StringIO(csv.text)), pd.read_parquet(io.BytesIO(pq.content))
    assert list(a["measure"]) == list(b["measure"]) == [m["measure"] for m in body["tables"]["measures"]]
    assert client.get(f"/api/runs/{body['id']}/tables/measures.exe").status_code == 404
    assert client.get(f"/api/runs/{body['id']}/tables/secret.csv").status_code == 404
    assert client.get("/api/runs/nope").status_code == 404


def test_page_and_scripts_come_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "app.css", "plotly.min.js"):
        assert client.get(f"/static/{name}").status_code == 200
    own = page.text + client.get("/static/app.js").text + client.get("/static/app.css").text
    assert not re.search(r"(src|href)=\"(https?:)?//", own) and "cdn" not in own.lower()
    assert client.get("/static/..%2F..%2Fapp.py").status_code == 404
    assert client.get("/openapi.json").json()["paths"]["/api/runs"]["post"]


def test_body_size_limit_and_no_traceback():
    svc = Service(Limits(max_body_bytes=2000))
    c = TestClient(create_app(service=svc), raise_server_exceptions=False)
    big = {"changes": {f"x{i}": 1 for i in range(500)}}
    r = c.post("/api/runs", json=big)
    assert r.status_code == 413 and r.json()["parameter"] == "body"

    def boom(run_id):
        raise RuntimeError("/secret/path/engine.py line 12")

    svc.get = boom  # type: ignore[method-assign]
    r = c.get("/api/runs/abc")
    assert r.status_code == 500 and r.json()["error"] == "internal error" and "secret" not in r.text


def test_bounded_queue_refuses_when_full():
    gate = threading.Event()
    svc = Service(Limits(max_queue=2, max_per_client=1))
    real = svc._compute
    svc._compute = lambda run: (gate.wait(30), real(run))  # type: ignore[method-assign]
    c = TestClient(create_app(service=svc))
    try:
        assert c.post("/api/runs", json={**SMALL, "changes": {"arrests.officers": 1000}}).status_code == 202
        r = c.post("/api/runs", json={**SMALL, "changes": {"arrests.officers": 2000}})
        assert r.status_code == 429 and "at most 1" in r.json()["error"]  # one client cannot take the queue
    finally:
        gate.set()


@pytest.mark.slow  # 20 runs (about 15 s on two idle cores); .ci/run runs it
def test_twenty_concurrent_clients_get_their_own_answers():
    import httpx

    officers = [3000 + 300 * i for i in range(20)]
    svc = Service(Limits(max_queue=40, max_per_client=40))
    req = {**SMALL, "years": 0.5}

    def client_run(url: str, n: int) -> tuple[int, dict]:
        with httpx.Client(base_url=url, timeout=60) as c:
            r = c.post("/api/runs", json={**req, "changes": {"arrests.officers": n}})
            assert r.status_code == 202, r.text
            return n, wait(c.get, r.json()["id"], timeout=300)

    with running(create_app(service=svc)) as url, ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda n: client_run(url, n), officers))
    alone = TestClient(create_app())  # some of the requests again, one at a time, on a fresh server
    for i, (n, body) in enumerate(answers):
        assert body["status"] == "done" and body["request"]["changes"] == {"arrests.officers": n}
        if i % 7 == 3:
            ref = alone.post("/api/runs", json={**req, "changes": {"arrests.officers": n}}).json()
            assert wait(alone.get, ref["id"])["tables"] == body["tables"]
    # twenty different answers: every officer count changes the draws, so no two runs' tables agree (a headline
    # such as removals a year, rounded to the sample's unit, can tie between neighbouring counts)
    assert len({json.dumps(body["tables"], sort_keys=True) for _, body in answers}) == len(officers)


def test_what_more_money_buys_per_lever(client, monkeypatch):
    import removalsim.levers

    monkeypatch.setattr(removalsim.levers, "REPORT_LEVERS", ("officers",))  # one lever: a quick test
    r = client.post("/api/marginal", json={**SMALL, "scenario": "baseline", "changes": {"detention.beds": 45000}})
    assert r.status_code == 202 and r.json()["kind"] == "marginal"
    body = wait(client.get, r.json()["id"])
    rows = [m for m in body["tables"]["marginal"] if m["measure"] == "removals_per_year"]
    assert [m["lever"] for m in rows] == ["officers"] and rows[0]["level_changed"] == pytest.approx(6600)
    assert rows[0]["cost"] > 0 and rows[0]["priced"]
    assert client.get(f"/api/runs/{body['id']}/tables/marginal.csv").status_code == 200


def test_a_scenario_file_is_validated_without_reading_any_path(client):
    ok = client.post("/api/validate", json={"toml": 'extends = "baseline"\nname = "mine"\n'
                                                    '[detention.beds]\nvalue = 50000\nunit = "beds"\n'
                                                    'source = "assumption"\nnote = "more"\nlow = 41500\n'
                                                    'high = 60000\n'})
    assert ok.status_code == 200 and ok.json()["scenario"] == "mine"
    bad = client.post("/api/validate", json={"toml": 'extends = "baseline"\n[detention.beds]\nvalue = -1\n'
                                                     'unit = "beds"\nsource = "assumption"\n'})
    assert bad.status_code == 422 and bad.json()["error"].startswith("scenario.toml: detention.beds")
    assert "/tmp" not in bad.text and "removalsim-upload" not in bad.text
    path = client.post("/api/validate", json={"toml": 'extends = "/etc/passwd"\n'})
    assert path.status_code == 422 and "shipped scenario" in path.json()["error"]
    assert client.post("/api/validate", json={"toml": "[[["}).status_code == 422


def test_serve_refuses_a_taken_port_and_bad_limits_in_one_line():
    import socket

    from typer.testing import CliRunner

    from removalsim.cli import app

    runner = CliRunner()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        r = runner.invoke(app, ["serve", "--port", str(taken)])
    assert r.exit_code == 2 and f"--port {taken}: cannot listen" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["serve", "--max-scale", "2"])
    assert r.exit_code == 2 and "--max-scale 2 is out of range" in r.output
    r = runner.invoke(app, ["serve", "--max-queue", "2", "--max-per-client", "5"])
    assert r.exit_code == 2 and "--max-per-client 5" in r.output


@pytest.mark.slow  # a Dask cluster takes seconds to start; .ci/run runs it
def test_runs_on_a_dask_cluster_give_the_same_numbers(client):
    from distributed import LocalCluster

    req = {**SMALL, "years": 0.5, "changes": {"arrests.officers": 7777}}
    local = wait(client.get, client.post("/api/runs", json=req).json()["id"])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        dask = TestClient(create_app(scheduler=cluster.scheduler_address))
        assert dask.get("/api/version").json()["scheduler"]
        body = wait(dask.get, dask.post("/api/runs", json=req).json()["id"])
    assert body["status"] == "done" and body["tables"] == local["tables"]
