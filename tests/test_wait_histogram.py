"""The waiting-time table is counted by a compiled histogram: it must equal a plain pandas group-by of the log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from removalsim import load_scenario
from removalsim.engine import world as world_module
from removalsim.engine.loop import run
from removalsim.results import histogram
from removalsim.results.result import WAIT_BIN_DAYS, _waits
from removalsim.vocabulary import Wait


def _grouped(w, period) -> pd.DataFrame:
    """The table as a pandas group-by on (date, group name, bin) makes it, one kind after the other."""
    kind, day, group, wait = w.wait_log()
    groups = w.inp.groups
    df = pd.DataFrame({"kind": kind, "date": np.asarray(period, dtype="datetime64[ns]")[day],
                       "group": np.asarray(groups)[group], "bin_days": (wait // WAIT_BIN_DAYS) * WAIT_BIN_DAYS})
    out = df.groupby(["kind", "date", "group", "bin_days"]).size().rename("count").reset_index()
    out["measure"] = pd.Categorical.from_codes(out.pop("kind"), [x.name.lower() + "_days" for x in Wait])
    out["group"] = pd.Categorical(out["group"], categories=groups)
    out["bin_days"] = out["bin_days"].astype(np.int64)
    return out[["date", "group", "measure", "bin_days", "count"]]


@pytest.fixture(scope="module")
def world():
    return run(load_scenario("baseline"), 2, 3, 0.002)


@pytest.mark.parametrize("daily", [False, True])
@pytest.mark.parametrize("dense_cells", [histogram.DENSE_CELLS, 10])  # 10: the sparse path
def test_histogram_equals_a_group_by(world, daily, dense_cells, monkeypatch):
    monkeypatch.setattr(histogram, "DENSE_CELLS", dense_cells)
    dates = pd.date_range(pd.Timestamp(world.sc.start_date), periods=world.days, freq="D")
    period = dates if daily else dates.to_period("M").start_time
    got = _waits(world, dates, period, world.inp.groups)
    assert got["count"].sum() == len(world.wait_log()[0]) > 1000
    pd.testing.assert_frame_equal(got, _grouped(world, period))


def test_a_log_in_many_blocks_gives_the_same_run_and_table(world, monkeypatch):
    """The log grows a block at a time; with tiny blocks the run and its table are unchanged."""
    monkeypatch.setattr(world_module, "WAIT_BLOCK_ROWS", 1)
    blocky = run(load_scenario("baseline"), 2, 3, 0.002)
    assert len(blocky.wait_blocks()) > 5 and len(world.wait_blocks()) == 1
    for a, b in zip(blocky.wait_log(), world.wait_log()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(blocky.flows, world.flows)
    dates = pd.date_range(pd.Timestamp(world.sc.start_date), periods=world.days, freq="D")
    period = dates.to_period("M").start_time
    pd.testing.assert_frame_equal(_waits(blocky, dates, period, world.inp.groups),
                                  _waits(world, dates, period, world.inp.groups))


def test_an_index_outside_the_run_is_refused_before_the_kernel():
    one = np.zeros(1, np.int64)
    with pytest.raises(ValueError, match="outside the run"):  # a day past the run
        histogram.wait_histogram([(one, np.array([5]), one, one)], np.zeros(3, np.int64), np.arange(2), 2, 1, 7)
    with pytest.raises(ValueError, match="outside the run"):  # an unknown kind
        histogram.wait_histogram([(np.array([2]), one, one, one)], np.zeros(3, np.int64), np.arange(2), 2, 1, 7)
    with pytest.raises(ValueError, match="outside the run"):  # a day mapped to a period past the table
        histogram.wait_histogram([(one, one, one, one)], np.full(3, 4), np.arange(2), 2, 1, 7)
