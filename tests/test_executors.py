"""The same replicates give bit-identical results in this process, a local pool and a real Dask cluster."""

from __future__ import annotations

from removalsim import load_scenario
from removalsim.results import Result
from removalsim.uncertainty import run_replicates
from removalsim.uncertainty.executors import SCHEDULER_ENV, batches, scheduler_address
from removalsim.uncertainty.jobs import make_run
from removalsim.uncertainty.runner import run_specs

TINY = dict(years=0.25, scale=0.001, seed=7)


def _tables(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*.parquet"))


def test_serial_pool_and_dask_cluster_give_identical_results(tmp_path):
    from distributed import LocalCluster

    serial = run_replicates("baseline", 3, **TINY)
    pool = run_replicates("baseline", 3, workers=2, out=tmp_path / "pool", **TINY)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        spec = make_run(load_scenario("baseline"), replicates=3, **TINY)
        oc = run_specs([spec], scheduler=cluster.scheduler_address, out=tmp_path / "dask", batch_size=2)
    assert "Dask" in oc.executor and oc.computed == 3
    dask = oc.results[spec.run_id]
    assert len(serial) == len(pool) == len(dask) == 3
    for a, b, c in zip(serial, pool, dask):
        assert a.equals(b) and a.equals(c)
    assert serial[0].meta["params"] != serial[1].meta["params"]
    # the files on disk are the same too, whoever wrote them
    assert _tables(tmp_path / "pool") == _tables(tmp_path / "dask")
    for rel in _tables(tmp_path / "pool"):
        folder = rel.parent
        assert Result.read_parquet(tmp_path / "pool" / folder).equals(Result.read_parquet(tmp_path / "dask" / folder))


def test_scheduler_from_environment_and_batching(monkeypatch):
    monkeypatch.delenv(SCHEDULER_ENV, raising=False)
    assert scheduler_address(None) is None
    monkeypatch.setenv(SCHEDULER_ENV, "tcp://10.0.0.1:8786")
    assert scheduler_address(None) == "tcp://10.0.0.1:8786"
    assert scheduler_address("tcp://x:1") == "tcp://x:1"
    assert [len(b) for b in batches(list(range(7)), 3)] == [3, 3, 1]
