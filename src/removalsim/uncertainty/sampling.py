"""Parameter uncertainty: find the parameters that declare `dist`, and draw them per replicate.

Draws for replicate r come from a seed derived from (seed, r, parameter path)
only, never from the scenario, so two scenarios (or sweep points) share their
parameter draws replicate by replicate, as they share the engine's random
numbers. Distributions, over a parameter's low / value / high:

- triangular: minimum low, mode value, maximum high;
- uniform: low to high;
- lognormal: median value, spread sigma = ln(high/low) / 3.29, so that its
  5th-95th percentile range spans the same ratio as high/low.

Draws are clipped to the parameter's allowed range (a share stays in [0, 1]).
A dated parameter (`steps`) uses its first step as the value, and the whole
path is multiplied by draw / first-step value, so its shape over time is kept.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Iterator, Mapping

import numpy as np

from ..scenario import Scenario
from ..scenario.params import Param, ParamSpec

_PARAM_STREAM = 0x5041524D  # "PARM": keeps parameter draws apart from engine seeds
_Z95 = NormalDist().inv_cdf(0.95)
_U_EPS = 1e-6


@dataclass(frozen=True)
class Uncertain:
    """One uncertain parameter: where it is in the scenario file and its distribution."""

    path: str          # dotted path in the scenario's tables, e.g. "court.completions_per_judge_day"
    dist: str
    low: float
    mode: float
    high: float
    bound_low: float | None
    bound_high: float | None
    dated: bool

    def quantile(self, u: float) -> float:
        """The value at cumulative probability u (0 < u < 1), clipped to the allowed range."""
        u = min(max(float(u), _U_EPS), 1 - _U_EPS)
        a, c, b = self.low, self.mode, self.high
        if self.dist == "uniform":
            x = a + u * (b - a)
        elif self.dist == "triangular":
            fc = (c - a) / (b - a)
            x = a + math.sqrt(u * (b - a) * (c - a)) if u < fc else b - math.sqrt((1 - u) * (b - a) * (b - c))
        else:  # lognormal
            sigma = math.log(b / a) / (2 * _Z95)
            x = c * math.exp(sigma * NormalDist().inv_cdf(u)) if c > 0 else 0.0
        if self.bound_low is not None:
            x = max(x, self.bound_low)
        if self.bound_high is not None:
            x = min(x, self.bound_high)
        return x


def _spec_for(path: str) -> ParamSpec | None:
    from ..scenario import schema

    parts = path.split(".")
    if parts[0] in ("groups", "group_defaults"):
        cls, key = schema.Group, parts[-1]
    elif parts[0] == "transport" and len(parts) == 4:
        cls, key = (schema.LandRegion if parts[1] == "land" else schema.AirRegion), parts[3]
    else:
        field = schema.Scenario.model_fields.get(parts[0])
        cls, key = (field.annotation if field else None), parts[-1]
    specs = cls.param_specs() if isinstance(cls, type) and hasattr(cls, "param_specs") else {}
    return specs.get(key)


def _walk(raw: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, dict]]:
    from ..scenario.loader import _is_param

    for k, v in raw.items():
        if _is_param(v):
            yield prefix + k, v
        elif isinstance(v, Mapping):
            yield from _walk(v, f"{prefix}{k}.")


def uncertain_params(sc: Scenario) -> list[Uncertain]:
    """The parameters of `sc` that declare a distribution, in file order.

    A parameter under `group_defaults` is one parameter (one draw shared by the
    groups that inherit it), not one per group.
    """
    out = []
    raw = sc._raw  # type: ignore[attr-defined]
    for path, table in _walk(raw):
        if table.get("dist") is None:
            continue
        if path.startswith("group_defaults.") and all(path.split(".")[1] in g for g in raw.get("groups", {}).values()):
            continue  # every group sets its own value: the default is not used
        p = Param.model_validate(table)
        ps = _spec_for(path)
        out.append(Uncertain(path, str(p.dist), float(p.low), p.number(), float(p.high),  # type: ignore[arg-type]
                             ps.low if ps else None, ps.high if ps else None, p.steps is not None))
    return out


def _uniform(seed: int, replicate: int, path: str) -> float:
    ss = np.random.SeedSequence([int(seed), int(replicate), _PARAM_STREAM, zlib.crc32(path.encode())])
    return (int(ss.generate_state(1, dtype=np.uint64)[0]) + 0.5) / 2.0**64


def draw(sc: Scenario, seed: int, replicate: int) -> dict[str, float]:
    """Replicate `replicate`'s value of every uncertain parameter (path -> value).

    >>> from removalsim import load_scenario
    >>> a, c = draw(load_scenario("baseline"), 0, 1), draw(load_scenario("china"), 0, 1)
    >>> k = "court.completions_per_judge_day"
    >>> a[k] == c[k], a[k] == draw(load_scenario("baseline"), 0, 2)[k]
    (True, False)
    """
    return {u.path: u.quantile(_uniform(seed, replicate, u.path)) for u in uncertain_params(sc)}


def apply(sc: Scenario, values: Mapping[str, float]) -> Scenario:
    """A copy of `sc` with uncertain parameters set to `values` (dated ones scaled as a whole)."""
    if not values:
        return sc
    raw = sc._raw  # type: ignore[attr-defined]
    found = {u.path: u for u in uncertain_params(sc)}
    overrides: dict[str, Any] = {}
    for path, x in values.items():
        node: Any = raw
        for part in path.split("."):
            node = node[part]
        table = dict(node)
        table.pop("dist", None)  # drawn: this replicate's scenario holds a fixed value
        ps = _spec_for(path)
        whole = round if ps is not None and ps.count else float  # a drawn count of judges or beds is whole
        if "steps" in table:
            u = found.get(path)
            mode = u.mode if u else float(table["steps"][0]["value"])
            ratio = x / mode if mode else 0.0
            lo, hi = (u.bound_low, u.bound_high) if u else (None, None)
            table["steps"] = [dict(s, value=whole(_clip(float(s["value"]) * ratio, lo, hi))) for s in table["steps"]]
        else:
            table["value"] = whole(float(x))
        overrides[path] = table
    return sc.with_overrides(overrides)


def _clip(x: float, lo: float | None, hi: float | None) -> float:
    return min(max(x, lo if lo is not None else x), hi if hi is not None else x)
