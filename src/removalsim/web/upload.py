"""A scenario sent as TOML text, checked by the scenario loader without touching any path the request names.

The text may extend a shipped scenario only (`extends = "baseline"`), never a file; it is written to a
fresh temporary folder, loaded there, and the folder is removed. Messages name it "scenario.toml".
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..scenario import Scenario, ScenarioError, load_scenario, shipped_names
from ..scenario.loader import parse_toml

LABEL = "scenario.toml"


def load_text(text: str) -> Scenario:
    """The scenario in `text`, validated; ScenarioError (one line, naming scenario.toml) if it is not one."""
    raw = parse_toml(LABEL, text, ScenarioError)
    parent = raw.get("extends")
    if parent is not None and parent not in shipped_names():
        raise ScenarioError(f"{LABEL}: extends: {str(parent)[:80]!r} is not allowed here; a scenario sent to the "
                            f"server extends a shipped scenario: {', '.join(shipped_names())}")
    with tempfile.TemporaryDirectory(prefix="removalsim-upload-") as folder:
        path = Path(folder) / LABEL
        path.write_text(text, encoding="utf-8")
        try:
            return load_scenario(path)
        except ScenarioError as e:
            raise ScenarioError(str(e).replace(str(path), LABEL)) from None
