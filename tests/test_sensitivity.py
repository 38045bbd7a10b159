"""Sensitivity: SALib designs over the declared distributions; indices rank what matters."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from removalsim import load_scenario
from removalsim.cli import app
from removalsim.uncertainty.sensitivity import sample, sensitivity


def test_designs_cover_the_uncertain_parameters():
    sc = load_scenario("baseline")
    problem, params, u = sample(sc, "sobol", 8)
    assert problem["names"] == [p.path for p in params] and u.shape == (8 * (len(params) + 2), len(params))
    assert ((u >= 0) & (u <= 1)).all()
    _, _, m = sample(sc, "morris", 2)
    assert m.shape == (2 * (len(params) + 1), len(params))
    with pytest.raises(ValueError, match="power of two"):
        sample(sc, "sobol", 6)


def test_morris_finds_that_bed_cost_drives_detention_cost_not_removals(tmp_path):
    sc = load_scenario("baseline")
    rem = sensitivity(sc, "morris", "removals", n=2, years=0.25, scale=0.001, workers=1, out=tmp_path)
    mu = rem.table.set_index("parameter")["mu_star"]
    assert mu["detention.bed_day_cost"] == 0 and mu.max() > 0          # a price cannot move removals
    cost = sensitivity(sc, "morris", "cost_detention_usd", n=2, years=0.25, scale=0.001, workers=1, out=tmp_path)
    # the bed-day price ranks first for detention cost (mu* about twice the next, arrests per officer-day)
    assert cost.table["parameter"].iloc[0] == "detention.bed_day_cost", cost.table.head(3)
    assert cost.samples == rem.samples  # the second analysis reused the catalogued samples
    assert np.isfinite(cost.y).all()


def test_sobol_cli_prints_indices_and_writes_a_figure(tmp_path):
    r = CliRunner().invoke(app, ["sensitivity", "baseline", "--method", "sobol", "--output", "cost_detention_usd",
                                 "--n", "2", "--years", "0.25", "--workers", "1", "--out", str(tmp_path), "-q"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "first order S1" in text and "total order ST" in text and "±" in text
    assert (tmp_path / "sensitivity-sobol-cost_detention_usd.png").stat().st_size > 10_000
    bad = CliRunner().invoke(app, ["sensitivity", "--output", "happiness"])
    assert bad.exit_code == 2 and "--output 'happiness' is not a measure" in " ".join(bad.output.split())
