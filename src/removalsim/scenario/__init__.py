"""Scenarios as data: sourced, dated parameters in TOML, validated before anything runs."""

from .loader import ScenarioError, load_scenario, shipped_names
from .params import Param, ParamSpec
from .schema import Scenario

__all__ = ["Param", "ParamSpec", "Scenario", "ScenarioError", "load_scenario", "shipped_names"]
