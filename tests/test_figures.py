"""Figures: fan charts from replicates or band tables, the Sankey's bookkeeping, PNG and HTML output."""

from __future__ import annotations

import numpy as np
import pytest

from removalsim.figures import FAN_MEASURES, fan_chart, sankey, sankey_links
from removalsim.uncertainty import run_replicates, summarize
from removalsim.uncertainty.bands import time_bands


@pytest.fixture(scope="module")
def results():
    return run_replicates("baseline", 3, years=1, scale=0.001, seed=4)


def test_fan_charts_png_and_html(results, tmp_path):
    for m in FAN_MEASURES:
        p = fan_chart(results, m, tmp_path / f"{m}.png")
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000
    assert fan_chart(summarize(results), "removals", tmp_path / "yearly.png").stat().st_size > 10_000
    html = fan_chart(results, "detained", tmp_path / "d.html").read_text()
    assert "plotly" in html.lower() and "90% band" in html
    tb = time_bands(results, "court_backlog")  # 2025-01-20 + 1 year touches 13 calendar months
    assert len(tb) == 13 and len(time_bands(results, "removals")) == 11
    # the band is the replicates' own spread: its median is the median of each month's backlogs, computed here apart
    backlogs = np.array([[float(r.stocks[(r.stocks["date"] == d) & r.stocks["measure"].isin(
        ["case_pending", "detained_pending"])]["value"].sum()) / r.scale for r in results] for d in tb["date"]])
    assert tb["median"].to_numpy() == pytest.approx(np.median(backlogs, axis=1))
    with pytest.raises(KeyError):
        fan_chart(summarize(results), "happiness", tmp_path / "x.png")


def test_sankey_conserves_people(results, tmp_path):
    nodes, links = sankey_links(results[0])
    into = lambda n: sum(v for _, t, v in links if t == n)  # noqa: E731
    out_of = lambda n: sum(v for s, _, v in links if s == n)  # noqa: E731
    for n in ("Everyone", "Removed", "Still here"):
        assert into(n) == pytest.approx(out_of(n), rel=1e-9)
    r = results[0]
    removed = r.total("flows", "removed").sum() / r.scale
    assert into("Removed") == pytest.approx(removed)
    assert sankey(r, tmp_path / "s.png").stat().st_size > 10_000
    assert "Sankey" in sankey(r, tmp_path / "s.html").read_text()
