"""The pinned numbers: fixed-seed runs of three scenarios must reproduce tests/regression/pinned.json exactly.

A deliberate change regenerates the file (`python scripts/pin_numbers.py`) and
records why in CHANGELOG.md.
"""

from __future__ import annotations

import json

import pytest

from removalsim.results import pinned

EXPECTED = json.loads(pinned.PINNED_FILE.read_text())


@pytest.mark.parametrize("scenario", pinned.PINNED_SCENARIOS)
def test_pinned_numbers_unchanged(scenario):
    moved = pinned.differences(EXPECTED[scenario], pinned.pinned_numbers(scenario))
    assert not moved, (f"{len(moved)} pinned numbers of {scenario!r} moved; if deliberate, run "
                       "`python scripts/pin_numbers.py` and say why in CHANGELOG.md:\n" + "\n".join(moved[:30]))


def test_differences_names_each_moved_number():
    a = {"s": {"flows": {"removed": 10, "arrest": 3}, "summary": {"removals": [1.0, 2.0]}}}
    b = {"s": {"flows": {"removed": 11, "arrest": 3}, "summary": {"removals": [1.0, 2.5]}}}
    assert pinned.differences(a, b) == ["s.flows.removed: 10 -> 11", "s.summary.removals[1]: 2.0 -> 2.5"]
    assert pinned.differences(a, a) == []


def test_the_file_pins_every_scenario_with_its_run():
    assert sorted(EXPECTED) == sorted(pinned.PINNED_SCENARIOS)
    for numbers in EXPECTED.values():
        assert numbers["run"] == pinned.PINNED_RUN
        assert numbers["flows"]["removed"] > 0
