"""The DuckDB run catalogue: what it records, and `runs list|show|compare|sql`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from removalsim import __version__, load_scenario
from removalsim.cli import app
from removalsim.uncertainty.catalogue import Catalogue, CatalogueError
from removalsim.uncertainty.jobs import content_hash, make_run
from removalsim.uncertainty.runner import run_specs


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cat(tmp_path_factory):
    out = tmp_path_factory.mktemp("cat")
    base = load_scenario("baseline")
    specs = [make_run(base, seed=1, years=0.25, scale=0.001, replicates=2),
             make_run(base, {"arrests.officers": 9000}, seed=1, years=0.25, scale=0.001, replicates=2)]
    run_specs(specs, out=out, workers=1)
    return out, specs


def test_records_every_run_with_its_provenance(cat):
    out, specs = cat
    c = Catalogue(out / "catalogue.duckdb")
    runs = c.runs().set_index("run_id")
    assert list(runs.index) == [s.run_id for s in specs]
    r = runs.loc[specs[1].run_id]
    assert r.scenario == "baseline" and r.scenario_hash == content_hash(load_scenario("baseline"))
    assert json.loads(r.overrides) == {"arrests.officers": 9000} and r.seed == 1 and r.version == __version__
    assert r.status == "done" and r.done == 2 and r.ended >= r.started
    reps = c.replicates(specs[0].run_id)
    assert list(reps["replicate"]) == [0, 1]
    assert all((out / specs[0].run_id / f"replicate-{i}").is_dir() for i in (0, 1))
    assert json.loads(reps["params"][0]) != json.loads(reps["params"][1])
    # the yearly measures are there, and SQL users get the bands view
    b = c.query("SELECT * FROM bands WHERE measure = 'removals' ORDER BY run_id")
    assert len(b) == 2 and (b["p05"] <= b["median"]).all() and (b["replicates"] == 2).all()
    assert c.resolve(specs[0].run_id[:-3]) == specs[0].run_id
    with pytest.raises(CatalogueError, match="no run 'nope'"):
        c.resolve("nope")


def test_runs_commands(cat):
    out, specs = cat
    opt = ["--catalogue", str(out / "catalogue.duckdb")]
    r = CliRunner().invoke(app, ["runs", "list", *opt], env={"COLUMNS": "80"})
    assert r.exit_code == 0 and all(s.run_id in r.output for s in specs)
    # compact: one line per run (plus the title, header and rule), nothing cut at 80 columns
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert [sum(s.run_id in x for x in lines) for s in specs] == [1] * len(specs)
    assert len(lines) <= len(specs) + 4 and max(len(x) for x in lines) <= 80 and "…" not in r.output
    r = CliRunner().invoke(app, ["runs", "show", specs[0].run_id, *opt])
    assert r.exit_code == 0 and "removals" in r.output and "scenario_hash" in r.output
    assert "range of 2 replicates" in _flat(r.output) and "90%" not in r.output  # two replicates make no band
    r = CliRunner().invoke(app, ["runs", "compare", specs[0].run_id, specs[1].run_id, *opt])
    assert r.exit_code == 0 and "minus first" in _flat(r.output) and "removals" in r.output
    assert "the range of 2 replicates" in _flat(r.output)
    r = CliRunner().invoke(app, ["runs", "sql", "SELECT count(*) AS n FROM measures WHERE measure = 'removals'", *opt])
    assert r.exit_code == 0 and "4" in r.output
    for bad, msg in ((["runs", "show", "zzz", *opt], "no run 'zzz'"),
                     (["runs", "sql", "SELEC 1", *opt], "SQL error"),
                     (["runs", "list", "--catalogue", str(out / "none.duckdb")], "no run catalogue here")):
        r = CliRunner().invoke(app, bad)
        assert r.exit_code == 2 and msg in _flat(r.output), r.output
