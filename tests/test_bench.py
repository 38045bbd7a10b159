"""The side-by-side benchmark runs both implementations on the same work and reports a ratio of medians."""

from __future__ import annotations

import re

import pytest

from removalsim import bench_compare


def test_speed_ratio_pairs_medians_and_extremes():
    eng = {"events": 1000, "wall_s": 0.01, "wall_min_s": 0.008, "wall_max_s": 0.02}
    ref = {"events": 1000, "wall_s": 1.0, "wall_min_s": 0.9, "wall_max_s": 1.2}
    ratio, low, high = bench_compare.speed_ratio(eng, ref)
    assert ratio == pytest.approx(100.0)
    assert low == pytest.approx(0.9 / 0.02) and high == pytest.approx(1.2 / 0.008)


def test_side_by_side_runs_both_on_equal_work(capsys):
    pytest.importorskip("simpy")
    bench_compare.main(["--people", "2000", "--years", "0.3", "--no-scaling", "--no-memory", "--repeats", "2"])
    out = capsys.readouterr().out
    rows = {m.group(1): m for m in re.finditer(r"^\s*(engine|simpy)\s+\S+\s+([\d,]+)\s+([\d,]+)\s", out, re.M)}
    assert set(rows) == {"engine", "simpy"}
    assert rows["engine"].group(2) == rows["simpy"].group(2)  # the same synthetic population
    work = float(re.search(r"differ by ([\d.]+)%", out).group(1))
    assert work < 5.0
    ratio, low, high = map(float, re.search(r"([\d.,]+)x \(runs paired worst to best: ([\d.,]+)x-([\d.,]+)x\)",
                                            out).groups())
    assert low <= ratio <= high


def test_repeats_must_be_positive():
    with pytest.raises(SystemExit):
        bench_compare.main(["--repeats", "0"])
