"""One sourced parameter: its value (or dated steps), unit and where the number comes from.

Every number in a scenario is a :class:`Param`. Which unit, range and shape a
parameter may take is declared once, next to the field that holds it, with
:func:`spec`; :class:`Section` checks each field against its declaration so a
scenario file is rejected with the parameter's path, the bad value and what is
allowed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

ASSUMPTION = "assumption"
OVERRIDE = "override"
_SOURCE_TOKEN = re.compile(r"^(stats:[a-z0-9][a-z0-9.\-]*|calibration:[\w.\-/]+)$")


# No count, rate, cost or number of days in this model comes near this; larger values (and infinities) would
# overflow the engine's integer arrays.
LARGEST = 1e12
# Tighter limits by unit where the engine needs them: a number of days becomes a delay in the compiled kernels.
UNIT_LARGEST = {"days": 1e6}  # 2,700 years: "never" fits, and day + delay stays far from int64 limits

# The dates a scenario may use: pandas' timestamps end in 2262, and a run reaches 50 years past its start.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)


def date_input(v: Any, example: str) -> Any:
    """A date as TOML or the API gives it (a date or a string pydantic parses), never a number or a date-time."""
    if not isinstance(v, (dt.date, str)) or isinstance(v, dt.datetime):
        raise ValueError(f"{v!r} is not a date; expected {example}")
    return v


def check_date(d: dt.date, what: str) -> dt.date:
    """`d` itself, or ValueError if it lies outside FIRST_DATE..LAST_DATE."""
    if not FIRST_DATE <= d <= LAST_DATE:
        shown = f"{what} {d}" if what else str(d)
        raise ValueError(f"{shown} is outside the supported dates; expected {FIRST_DATE} to {LAST_DATE}")
    return d


def _plain_number(v: Any) -> Any:
    """Refuse true/false where a number is meant (pydantic would read them as 1 and 0), and integers too large
    for a float (a 5,000-digit integer)."""
    if isinstance(v, bool):
        raise ValueError(f"{str(v).lower()} is a boolean; expected a number")
    if isinstance(v, int) and abs(v) > LARGEST:
        shown = f"{v:.3e}" if abs(v) < 10 ** 300 else f"an integer of {len(str(abs(v)))} digits"
        raise ValueError(f"{shown} is too large; expected a number of at most {LARGEST:g}")
    return v


@dataclass(frozen=True)
class ParamSpec:
    """What a parameter may hold: unit, bounds, whether it may be dated, whether it scales."""

    unit: str
    low: float | None = 0.0
    high: float | None = None
    dated: bool = False
    scales: bool = False
    kind: str = "number"  # number | date | choice | name
    choices: tuple[str, ...] = ()
    description: str = ""

    def allowed(self) -> str:
        if self.kind == "date":
            return "a date (YYYY-MM-DD) or \"none\""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        lo = f"{-LARGEST:g}" if self.low is None else f"{self.low:g}"
        hi = f"{LARGEST:g}" if self.high is None else f"{self.high:g}"
        return f"a number in [{lo}, {hi}] ({self.unit})"


def spec(unit: str, low: float | None = 0.0, high: float | None = None, *, dated: bool = False,
         scales: bool = False, kind: str = "number", choices: tuple[str, ...] = (),
         description: str = "", optional: bool = False) -> Any:
    """Declare a parameter field: a pydantic Field carrying its :class:`ParamSpec`."""
    if high is None and kind == "number":
        high = UNIT_LARGEST.get(unit)
    ps = ParamSpec(unit, low, high, dated, scales, kind, choices, description)
    if optional:
        return Field(default=None, description=description, json_schema_extra={"param_spec": ps})  # type: ignore[dict-item]
    return Field(description=description, json_schema_extra={"param_spec": ps})  # type: ignore[dict-item]


def share(description: str = "", *, dated: bool = False, optional: bool = False) -> Any:
    """A fraction between 0 and 1."""
    return spec("share", 0.0, 1.0, dated=dated, description=description, optional=optional)


class Step(BaseModel):
    """A dated value: holds from `from` (inclusive) until the next step."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: dt.date = Field(alias="from")
    value: float

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        return _plain_number(v)

    @field_validator("from_", mode="before")
    @classmethod
    def _a_date(cls, v: Any) -> Any:
        return date_input(v, "YYYY-MM-DD")

    @field_validator("from_", mode="after")
    @classmethod
    def _supported(cls, v: dt.date) -> dt.date:
        return check_date(v, "step date")


class Param(BaseModel):
    """A value with its unit and its source (a statistics id, a calibration, or an assumption)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | str | dt.date | None = None
    steps: tuple[Step, ...] | None = None
    unit: str
    source: str
    note: str | None = None
    low: float | None = None
    high: float | None = None
    dist: str | None = None  # uncertainty: triangular | uniform | lognormal over low/value/high

    @field_validator("value", "low", "high", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        return _plain_number(v)

    @property
    def sources(self) -> list[str]:
        return [s.strip() for s in self.source.split(";") if s.strip()]

    def number(self) -> float:
        """The single (undated) numeric value."""
        if self.steps is not None:
            return self.steps[0].value
        return float(self.value)  # type: ignore[arg-type]

    def schedule(self) -> list[tuple[dt.date, float]]:
        """Steps as (from-date, value) pairs; an undated value is one step from the dawn of time."""
        if self.steps is not None:
            return [(s.from_, s.value) for s in self.steps]
        return [(dt.date.min, float(self.value))]  # type: ignore[arg-type]


def check_param(p: Param, ps: ParamSpec) -> Param:
    """Raise ValueError (one sentence: bad value, what is allowed) if `p` breaks its spec."""
    if p.unit != ps.unit:
        raise ValueError(f"unit {p.unit!r} is wrong; this parameter is in {ps.unit!r}")
    srcs = p.sources
    if not srcs:
        raise ValueError("source is empty; give stats:<id>, calibration:<file> or 'assumption'")
    if srcs[0] == ASSUMPTION:
        if len(srcs) > 1:
            raise ValueError("source 'assumption' cannot be combined with citations")
        if not p.note:
            raise ValueError("source is 'assumption' but no note gives the rationale")
        if ps.kind == "number" and (p.low is None or p.high is None):
            raise ValueError("an assumed number needs a plausible range: set low and high")
    elif srcs[0] == OVERRIDE:
        pass
    else:
        for s in srcs:
            if not _SOURCE_TOKEN.match(s):
                raise ValueError(
                    f"source {s!r} is not allowed; use stats:<id> (see `removalsim data list`), "
                    "calibration:<file>, or 'assumption' with a note")
            if s.startswith("stats:"):
                _check_stat_id(s[6:])
    if (p.value is None) == (p.steps is None):
        raise ValueError("give exactly one of value or steps")
    if p.dist is not None and ps.kind != "number":
        raise ValueError(f"dist {p.dist!r}: only numeric parameters can be uncertain")
    if p.steps is not None:
        if not ps.dated:
            raise ValueError("this parameter cannot be dated; give a single value")
        if not p.steps:
            raise ValueError("steps is empty; give at least one {from = date, value = number}")
        dates = [s.from_ for s in p.steps]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError(f"step dates must be strictly increasing, got {[str(d) for d in dates]}")
        for step in p.steps:
            _check_number(step.value, ps, f"step from {step.from_}")
        _check_range(p, ps)  # a dated value's range describes its policy, not each step
        check_dist(p, ps)
        return p
    if ps.kind == "date":
        if not (isinstance(p.value, dt.date) or p.value == "none"):
            raise ValueError(f"value {p.value!r} is not allowed; expected {ps.allowed()}")
        return p
    if ps.kind == "name":
        if not isinstance(p.value, str) or not p.value:
            raise ValueError(f"value {p.value!r} is not allowed; expected a name")
        return p
    if ps.kind == "choice":
        if p.value not in ps.choices:
            raise ValueError(f"value {p.value!r} is not allowed; expected {ps.allowed()}")
        return p
    if isinstance(p.value, (str, dt.date)) or isinstance(p.value, bool):
        raise ValueError(f"value {p.value!r} is not a number; expected {ps.allowed()}")
    assert p.value is not None  # exactly one of value and steps, and steps is None here
    _check_number(float(p.value), ps, "value")
    _check_range(p, ps)
    check_dist(p, ps)
    return p


def outside_own_range(p: Param) -> str | None:
    """Why an undated number lies outside its own plausible range (None if it does not, or has none).

    Checked on what files say (a drawn or overridden value may leave the range: a lognormal's low and high are
    its 5th and 95th percentiles); a dated value's range describes its policy, not each step.
    """
    if p.steps is not None or p.low is None or p.high is None or not isinstance(p.value, (int, float)):
        return None
    if not p.low <= float(p.value) <= p.high:
        return (f"value {float(p.value):g} lies outside its own plausible range [{p.low:g}, {p.high:g}]; "
                "expected low <= value <= high")
    return None


def _check_range(p: Param, ps: ParamSpec) -> None:
    """The plausible range: finite bounds within the parameter's limits, low <= high."""
    for what, bound in (("low", p.low), ("high", p.high)):
        if bound is not None:
            _check_number(bound, ps, f"plausible-range {what}")
    if p.low is not None and p.high is not None and p.low > p.high:
        raise ValueError(f"plausible range low {p.low:g} > high {p.high:g}; expected low <= high")


DISTS = ("triangular", "uniform", "lognormal")


def check_dist(p: Param, ps: ParamSpec) -> None:
    """Raise ValueError if `p` declares an uncertainty distribution it cannot have.

    `dist` is sampled once per replicate: triangular (low, value, high), uniform
    (low, high) or lognormal (median value, low/high its 5th/95th percentiles).
    A dated parameter uses its first step as the value; the whole path is scaled.
    """
    if p.dist is None:
        return
    if p.dist not in DISTS:
        raise ValueError(f"dist {p.dist!r} is not allowed; expected one of {', '.join(map(repr, DISTS))}")
    if ps.kind != "number":
        raise ValueError(f"dist {p.dist!r}: only numeric parameters can be uncertain")
    if p.low is None or p.high is None:
        raise ValueError(f"dist {p.dist!r} needs low and high")
    mode = p.number()
    if not p.low <= mode <= p.high or p.low >= p.high:
        raise ValueError(f"dist {p.dist!r} needs low < high and low <= value <= high, "
                         f"got low={p.low:g}, value={mode:g}, high={p.high:g}")
    if p.dist == "lognormal" and p.low <= 0:
        raise ValueError(f"dist 'lognormal' needs low > 0, got low={p.low:g}")


def _check_stat_id(stat_id: str) -> None:
    from ..data import get

    try:
        get(stat_id)
    except KeyError as e:
        raise ValueError(str(e.args[0]) if e.args else f"unknown statistics id {stat_id!r}") from None




def _check_number(v: float, ps: ParamSpec, what: str) -> None:
    if not math.isfinite(v):
        raise ValueError(f"{what} {v:g} is not a finite number; expected {ps.allowed()}")
    if abs(v) > LARGEST:
        raise ValueError(f"{what} {v:g} is too large; expected {ps.allowed()}")
    if (ps.low is not None and v < ps.low) or (ps.high is not None and v > ps.high):
        raise ValueError(f"{what} {v:g} is out of range; expected {ps.allowed()}")


class Section(BaseModel):
    """A table of parameters; unknown keys are errors and every field is checked against its spec."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _param_fields: ClassVar[tuple[str, ...]] = ()

    @field_validator("*", mode="after")
    @classmethod
    def _check_spec(cls, v: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[str(info.field_name)]
        extra = field.json_schema_extra or {}
        ps: Any = extra.get("param_spec") if isinstance(extra, dict) else None
        if ps is not None and v is not None:
            check_param(v, ps)
        return v

    @classmethod
    def param_specs(cls) -> dict[str, ParamSpec]:
        out: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            extra = field.json_schema_extra
            if isinstance(extra, dict) and "param_spec" in extra:
                out[name] = extra["param_spec"]
        return out

    def params(self) -> dict[str, Param]:
        """The parameters set in this section, by field name."""
        return {k: getattr(self, k) for k in self.param_specs() if getattr(self, k) is not None}
