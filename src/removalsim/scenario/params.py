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


# Every number is at most this (an integer of more digits is refused before it becomes a float); the
# physical maximum of each field, by its unit, is far below it (UNIT_MAX).
LARGEST = 1e12

# The physical maximum of a number, by unit: what no scenario of the U.S. removal system could need (the
# largest shipped value is shown for scale). A field may declare a tighter `high` of its own (shares,
# hazards); every number is finite and at least its `low` (0 unless declared).
UNIT_MAX: dict[str, float] = {
    "people": 1e9,  # a stock of people (the U.S. population is 3.4e8; baseline's total 1.4e7)
    "people/day": 1e6,  # arrivals or a removal capacity (baseline: 3,297 arrivals, 4,000 removals to Mexico)
    "judges": 1e4,  # immigration judges (1,434 in judges_plus_700)
    "officers": 1e5,  # ERO officers making arrests (15,000 in mass_removal_650k)
    "beds": 1e6,  # detention beds (125,000 in mass_removal_650k)
    "seats": 1e3,  # seats on one charter (the largest airliners seat under 900)
    "flights/week": 1e4,  # charters per week to one region (100 in mass_removal_650k)
    "hours": 100,  # billed hours of one charter, round trip (32 to Asia)
    "days": 36525,  # a delay or window: 100 years, longer than any run (50 years), so it can mean "never"
    "cases/day": 1e5,  # court or Board decisions, referrals, reopenings (2,173 referrals in history)
    "cases/judge/day": 100,  # decisions per judge-day (3.7)
    "arrests/officer/day": 100,  # arrests per officer-day (0.2)
    "documents/month": 1e7,  # travel documents a country issues (120,000 to Mexico in mass_removal_650k)
    "relative": 1e4,  # a weight or multiplier (100 for criminal records in targeted_enforcement)
    "USD": 1e7,  # a cost per arrest, completion, appeal, document or stipend ($6,200 per completion)
    "USD/day": 1e5,  # a bed-day or ATD-day ($165)
    "USD/hour": 1e6,  # a charter flight hour ($17,000)
    "USD/person": 1e6,  # transport by land ($150)
    "USD/year": 1e8,  # an officer or a judge, fully loaded, for a year ($1,000,000)
}
# Units that count whole things: a value must be a whole number (700.5 judges is refused). Flights per week
# are a rate (0.5 is one charter every two weeks), and so are people/day and documents/month.
COUNT_UNITS = frozenset({"people", "judges", "officers", "beds", "seats"})

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
    if isinstance(v, int) and abs(v) >= 10 ** 300:  # a float could not hold it; smaller ones meet the field's limit
        raise ValueError(f"an integer of {len(str(abs(v)))} digits is too large; expected a number")
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
    count: bool = False  # whole numbers only (COUNT_UNITS)

    def allowed(self) -> str:
        if self.kind == "date":
            return "a date (YYYY-MM-DD) or \"none\""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        lo = f"{-LARGEST:g}" if self.low is None else f"{self.low:g}"
        hi = f"{LARGEST:g}" if self.high is None else f"{self.high:g}"
        return f"a {'whole number' if self.count else 'number'} in [{lo}, {hi}] ({self.unit})"


def spec(unit: str, low: float | None = 0.0, high: float | None = None, *, dated: bool = False,
         scales: bool = False, kind: str = "number", choices: tuple[str, ...] = (),
         description: str = "", optional: bool = False) -> Any:
    """Declare a parameter field: a pydantic Field carrying its :class:`ParamSpec`; a number's maximum is
    `high`, else its unit's physical maximum (UNIT_MAX), and a count unit (COUNT_UNITS) takes whole numbers."""
    if high is None and kind == "number":
        if unit not in UNIT_MAX:
            raise KeyError(f"unit {unit!r} has no physical maximum in UNIT_MAX; declare one or give high=")
        high = UNIT_MAX[unit]
    ps = ParamSpec(unit, low, high, dated, scales, kind, choices, description, count=unit in COUNT_UNITS)
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
    low: float | None = None  # the step's own plausible range (see RANGE_RULE)
    high: float | None = None

    @field_validator("value", "low", "high", mode="before")
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
    """Raise ValueError (one line per problem: bad value, what is allowed) if `p` breaks its spec."""
    problems = param_problems(p, ps)
    if problems:
        raise ValueError("\n".join(problems))
    return p


def param_problems(p: Param, ps: ParamSpec) -> list[str]:
    """Every way `p` breaks its spec, one sentence each (empty if none)."""
    problems: list[str] = []
    if p.unit != ps.unit:
        problems.append(f"unit {p.unit!r} is wrong; this parameter is in {ps.unit!r}")
    problems += _source_problems(p, ps)
    if (p.value is None) == (p.steps is None):
        return problems + ["give exactly one of value or steps"]
    if p.dist is not None and ps.kind != "number":
        return problems + [f"dist {p.dist!r}: only numeric parameters can be uncertain"]
    if p.steps is not None:
        return problems + _steps_problems(p, ps)
    if ps.kind == "date":
        if not (isinstance(p.value, dt.date) or p.value == "none"):
            problems.append(f"value {p.value!r} is not allowed; expected {ps.allowed()}")
        return problems
    if ps.kind == "name":
        if not isinstance(p.value, str) or not p.value:
            problems.append(f"value {p.value!r} is not allowed; expected a name")
        return problems
    if ps.kind == "choice":
        if p.value not in ps.choices:
            problems.append(f"value {p.value!r} is not allowed; expected {ps.allowed()}")
        return problems
    if isinstance(p.value, (str, dt.date)) or isinstance(p.value, bool):
        return problems + [f"value {p.value!r} is not a number; expected {ps.allowed()}"]
    assert p.value is not None  # exactly one of value and steps, and steps is None here
    value_problem = _number_problem(float(p.value), ps, "value")
    range_problems = _range_problems(p.low, p.high, ps, "")
    problems += [value_problem] if value_problem else []
    problems += range_problems
    if not value_problem and not range_problems:
        problems += _dist_problems(p, ps)
    return problems


def _source_problems(p: Param, ps: ParamSpec) -> list[str]:
    srcs = p.sources
    if not srcs:
        return ["source is empty; give stats:<id>, calibration:<file> or 'assumption'"]
    if srcs[0] == ASSUMPTION:
        if len(srcs) > 1:
            return ["source 'assumption' cannot be combined with citations"]
        if not p.note:
            return ["source is 'assumption' but no note gives the rationale"]
        ranged = p.low is not None and p.high is not None
        if p.steps is not None:  # a dated value: the range of the first step or of the step assumed
            ranged = ranged or any(s.low is not None and s.high is not None for s in p.steps)
        if ps.kind == "number" and not ranged:
            return ["an assumed number needs a plausible range: set low and high (on a dated value: on the "
                    "parameter for the first step, or on the steps assumed)"]
        return []
    if srcs[0] == OVERRIDE:
        return []
    for s in srcs:
        if not _SOURCE_TOKEN.match(s):
            return [f"source {s!r} is not allowed; use stats:<id> (see `removalsim data list`), "
                    "calibration:<file>, or 'assumption' with a note"]
        if s.startswith("stats:"):
            try:
                _check_stat_id(s[6:])
            except ValueError as e:
                return [str(e)]
    return []


def _steps_problems(p: Param, ps: ParamSpec) -> list[str]:
    """A dated value: dates strictly increasing, each step a valid number within its plausible range (the
    step's own low/high, else the parameter's), and `dist` on the parameter's range (see RANGE_RULE)."""
    assert p.steps is not None
    if not ps.dated:
        return ["this parameter cannot be dated; give a single value"]
    if not p.steps:
        return ["steps is empty; give at least one {from = date, value = number}"]
    problems = []
    dates = [s.from_ for s in p.steps]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        problems.append(f"step dates must be strictly increasing, got {[str(d) for d in dates]}")
    problems += _range_problems(p.low, p.high, ps, "")
    for step in p.steps:
        what = f"step from {step.from_}"
        bad = _number_problem(step.value, ps, f"{what}: value")
        problems += ([bad] if bad else []) + _range_problems(step.low, step.high, ps, f"{what}: ")
        if (step.low is None) != (step.high is None):
            problems.append(f"{what}: give both low and high, or neither")
    if not problems:
        problems += _dist_problems(p, ps)
    return problems


RANGE_RULE = """\
A plausible range (low, high) belongs to one value: low <= value <= high. On a dated value each step
is a policy of its own: the parameter's low and high bound the first step (the value in force at the
start, which `dist` draws around, scaling the whole path by the draw), and any step may carry its own
low and high, which bound that step instead."""


def outside_own_range(p: Param) -> list[str]:
    """Every value of `p` that lies outside its plausible range (see RANGE_RULE), one sentence each.

    Checked on what files say: a drawn or overridden value may leave the range (a lognormal's low and high
    are its 5th and 95th percentiles).
    """
    if p.steps is None:
        if p.low is None or p.high is None or not isinstance(p.value, (int, float)):
            return []
        if not p.low <= float(p.value) <= p.high:
            return [f"value {float(p.value):g} lies outside its own plausible range [{p.low:g}, {p.high:g}]; "
                    "expected low <= value <= high"]
        return []
    problems = []
    for i, step in enumerate(p.steps):
        own = step.low is not None and step.high is not None
        low, high = (step.low, step.high) if own else (p.low, p.high) if i == 0 else (None, None)
        if low is not None and high is not None and not low <= step.value <= high:
            whose = "its own plausible range" if own else "the parameter's plausible range (of the first step)"
            problems.append(f"step from {step.from_}: value {step.value:g} lies outside {whose} [{low:g}, {high:g}]; "
                            "expected low <= value <= high")
    return problems


def _range_problems(low: float | None, high: float | None, ps: ParamSpec, what: str) -> list[str]:
    """A plausible range: finite bounds within the parameter's limits, low <= high."""
    problems = []
    for name, bound in (("low", low), ("high", high)):
        if bound is not None:
            bad = _number_problem(bound, ps, f"{what}plausible-range {name}", count=False)
            problems += [bad] if bad else []
    if not problems and low is not None and high is not None and low > high:
        problems.append(f"{what}plausible range low {low:g} > high {high:g}; expected low <= high")
    return problems


DISTS = ("triangular", "uniform", "lognormal")


def _dist_problems(p: Param, ps: ParamSpec) -> list[str]:
    """Why `p` cannot have the uncertainty distribution it declares (empty if it can).

    `dist` is sampled once per replicate: triangular (low, value, high), uniform
    (low, high) or lognormal (median value, low/high its 5th/95th percentiles).
    A dated parameter uses its first step as the value; the whole path is scaled.
    """
    if p.dist is None:
        return []
    if p.dist not in DISTS:
        return [f"dist {p.dist!r} is not allowed; expected one of {', '.join(map(repr, DISTS))}"]
    if ps.kind != "number":
        return [f"dist {p.dist!r}: only numeric parameters can be uncertain"]
    if p.low is None or p.high is None:
        return [f"dist {p.dist!r} needs low and high on the parameter"]
    mode = p.number()
    if not p.low <= mode <= p.high or p.low >= p.high:
        return [f"dist {p.dist!r} needs low < high and low <= value <= high, "
                f"got low={p.low:g}, value={mode:g}, high={p.high:g}"]
    if p.dist == "lognormal" and p.low <= 0:
        return [f"dist 'lognormal' needs low > 0, got low={p.low:g}"]
    return []


def _check_stat_id(stat_id: str) -> None:
    from ..data import get

    try:
        get(stat_id)
    except KeyError as e:
        raise ValueError(str(e.args[0]) if e.args else f"unknown statistics id {stat_id!r}") from None




def _number_problem(v: float, ps: ParamSpec, what: str, count: bool = True) -> str | None:
    """Why `v` cannot be this parameter's number (None if it can): not finite, beyond the field's physical
    limits, or a fraction of a count."""
    if not math.isfinite(v):
        return f"{what} {v:g} is not a finite number; expected {ps.allowed()}"
    if (ps.low is not None and v < ps.low) or (ps.high is not None and v > ps.high) or abs(v) > LARGEST:
        return f"{what} {v:g} is out of range; expected {ps.allowed()}"
    if count and ps.count and v != int(v):
        return f"{what} {v:g} is not a whole number; {ps.unit} are counted, expected {ps.allowed()}"
    return None


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
