"""The explorer's levers and how a set of changes becomes scenario overrides.

A *change* names a parameter path and a new value, optionally from a date
("from": the value holds from then on; before it the scenario's own schedule
runs). The levers are the parameters the page offers as inputs; the API takes
any numeric parameter of the scenario. ``groups.*.<field>`` changes a field of
every group at once (sanctuary non-cooperation applies to the whole country).
Bad changes raise `ChangeError`, which names the parameter, the value and what
is allowed, in the command line's one-line style.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..formatting import place
from ..scenario import Scenario, ScenarioError


class ChangeError(ValueError):
    """A change that cannot be applied: one line, plus the parameter, the value and what is allowed."""

    def __init__(self, message: str, parameter: str = "", value: Any = None, allowed: str = ""):
        super().__init__(message)
        self.parameter, self.value, self.allowed = parameter, value, allowed


@dataclass(frozen=True)
class Lever:
    """A parameter the page offers as an input; `path` may hold one `*` (every region or group)."""

    path: str
    label: str
    section: str
    expand: bool = False  # one input per region or group instead of one for all
    top: float | None = None  # the input's upper end where the parameter declares no useful range


LEVERS = (
    Lever("arrests.officers", "ICE officers making arrests", "Arrests"),
    Lever("arrests.arrests_per_officer_day", "arrests per officer a day", "Arrests"),
    Lever("detention.beds", "detention beds", "Detention"),
    Lever("court.judges", "immigration judges", "Court"),
    Lever("court.completions_per_judge_day", "completions per judge a day", "Court"),
    Lever("appeals.completions_per_day", "Board of Immigration Appeals completions a day", "Appeals"),
    Lever("expedited_removal.recent_arrival_share", "expedited removal: share of arrested recent entrants",
          "Expedited removal"),
    Lever("arrests.noncooperating_factor", "sanctuary: arrest propensity where jails do not cooperate",
          "Sanctuary non-cooperation"),
    Lever("groups.*.noncooperating_share", "sanctuary: share of people in non-cooperating places",
          "Sanctuary non-cooperation"),
    Lever("self_departure.stipend_usd", "self-departure stipend", "Self-departure stipend", top=5000),
    Lever("self_departure.stipend_takeup_share", "share of departures claiming the stipend",
          "Self-departure stipend"),
    Lever("self_departure.stipend_multiplier", "self-departures, relative to no stipend", "Self-departure stipend",
          top=3),
    Lever("groups.*.doc_refusal_share", "travel documents refused", "Travel documents by country", expand=True),
    Lever("transport.air.*.flights_per_week", "charter flights a week", "Flights by region", expand=True),
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _members(sc: Scenario, path: str) -> list[str]:
    """The concrete paths of a path with `*`: every group or every air region."""
    head, _, tail = path.partition("*")
    if head == "groups.":
        names = sc.group_names()
    elif head == "transport.air.":
        names = list(sc.transport.air)
    else:
        return []
    return [f"{head}{n}{tail}" for n in names]


def lever_paths(sc: Scenario) -> list[tuple[Lever, str]]:
    """(lever, path) for every input the page shows for `sc`, in display order."""
    out = []
    for lv in LEVERS:
        if "*" in lv.path and lv.expand:
            out += [(lv, p) for p in _members(sc, lv.path)]
        else:
            out.append((lv, lv.path))
    return out


def param_spec(sc: Scenario, path: str) -> Any:
    """The `ParamSpec` declared for a concrete parameter path, or None if the path is no parameter."""
    parent_path, _, key = path.rpartition(".")
    try:
        parent = sc.param(parent_path) if parent_path else sc
    except (AttributeError, KeyError, TypeError):
        return None
    field = type(parent).model_fields.get(key) if hasattr(type(parent), "model_fields") else None
    extra = field.json_schema_extra if field is not None else None
    return extra.get("param_spec") if isinstance(extra, dict) else None


def _param(sc: Scenario, path: str) -> Any:
    try:
        return sc.param(path)
    except (AttributeError, KeyError, TypeError):
        return None


def describe(sc: Scenario, path: str, label: str = "", section: str = "", top: float | None = None
             ) -> dict[str, Any]:
    """A parameter as the page shows it: value at the start, schedule, unit, source, range, input bounds."""
    concrete = _members(sc, path)[0] if "*" in path else path
    p, ps = _param(sc, concrete), param_spec(sc, concrete)
    sched = [(str(d) if d != dt.date.min else str(sc.start_date), v) for d, v in p.schedule()]
    value = _value_at(p, sc.start_date)
    low, high = p.low, p.high
    top = top or max(x for x in (high, value * 2, 1.0 if ps.unit == "share" else value * 2 or 1.0) if x is not None)
    return {
        "path": path, "label": label or path, "section": section, "unit": p.unit, "value": value,
        "schedule": [[d, v] for d, v in sched], "source": p.source, "note": p.note or "",
        "low": low, "high": high, "dated": bool(ps.dated),
        "min": ps.low if ps.low is not None else 0.0,
        "max": min(ps.high, top) if ps.high is not None else top,
        "description": ps.description, "every_group": "*" in path,
    }


def _value_at(p: Any, day: dt.date) -> float:
    value = p.schedule()[0][1]
    for d, v in p.schedule():
        if d <= day:
            value = v
    return float(value)


def levers(sc: Scenario) -> list[dict[str, Any]]:
    """Every lever input for `sc`, described."""
    out = []
    for lv, path in lever_paths(sc):
        suffix = f" ({place(path.split('.')[-2])})" if lv.expand else ""
        out.append(describe(sc, path, lv.label + suffix, lv.section, lv.top))
    return out


def _number(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ChangeError(f"{path}: value {value!r} is not a number", path, value, "a number")
    if not math.isfinite(float(value)):
        raise ChangeError(f"{path}: value {value!r} is not a finite number", path, value, "a finite number")
    return float(value)


def _override(sc: Scenario, path: str, change: Any) -> Any:
    """One change as a `with_overrides` value: a number, or dated steps when it starts after the start date."""
    p, ps = _param(sc, path), param_spec(sc, path)
    if p is None or ps is None or ps.kind != "number" or p.value is None and p.steps is None:
        raise ChangeError(f"{path}: not a numeric parameter of scenario {sc.name}", path, change,
                          "a numeric parameter path of the scenario (see GET /api/scenarios/{name})")
    start = None
    if isinstance(change, Mapping):
        unknown = set(change) - {"value", "from"}
        if unknown:
            raise ChangeError(f"{path}: unknown key {sorted(unknown)[0]!r}; a change has value and from", path,
                              change, "value and from")
        value, start = _number(path, change.get("value")), change.get("from")
    else:
        value = _number(path, change)
    if start in (None, ""):
        return value
    if not isinstance(start, str) or not _DATE.match(start):
        raise ChangeError(f"{path}: from {start!r} is not a date", path, start, "a date YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(start)
    except ValueError:
        raise ChangeError(f"{path}: from {start!r} is not a date", path, start, "a date YYYY-MM-DD") from None
    if day <= sc.start_date:
        return value
    if not ps.dated:
        raise ChangeError(f"{path}: this parameter cannot change on a date", path, start,
                          "no from date (the value holds for the whole run)")
    before = [(d if d != dt.date.min else sc.start_date, v) for d, v in p.schedule() if d < day]
    return [(d.isoformat(), v) for d, v in before] + [(day.isoformat(), value)]


_SCENARIO_LINE = re.compile(r"^override:? '?(?P<path>[\w.]+)'?: (?:value (?P<value>.+?) is .*?; )?"
                            r"(?:expected (?P<allowed>.*))?")


def overrides(sc: Scenario, changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` as `with_overrides` values, one per concrete path (a `*` path expands to every group)."""
    out: dict[str, Any] = {}
    for path, change in changes.items():
        if not isinstance(path, str) or not re.fullmatch(r"[A-Za-z_][\w]*(\.(\*|[\w]+))+", path):
            raise ChangeError(f"{str(path)[:80]!r} is not a parameter path", str(path)[:80], change,
                              "a dotted parameter path such as court.judges")
        targets = _members(sc, path) if "*" in path else [path]
        if not targets:
            raise ChangeError(f"{path}: * stands only for a group (groups.*.x) or an air region "
                              "(transport.air.*.x)", path, change, "groups.*.<field> or transport.air.*.<field>")
        for t in targets:
            out[t] = _override(sc, t, change)
    return out


def apply(sc: Scenario, changes: Mapping[str, Any]) -> tuple[Scenario, dict[str, Any]]:
    """The scenario with `changes` applied, validated by the scenario loader, and the overrides used.

    >>> from removalsim import load_scenario
    >>> sc, ov = apply(load_scenario("baseline"), {"court.judges": {"value": 1434, "from": "2026-01-01"}})
    >>> ov["court.judges"], sc.court.judges.source
    ([('2025-01-20', 734.0), ('2026-01-01', 1434.0)], 'override')
    """
    ov = overrides(sc, changes)
    try:
        return sc.with_overrides(ov), ov
    except ScenarioError as e:
        line = str(e)
        m = _SCENARIO_LINE.match(line)
        path = m.group("path") if m else next(iter(ov), "")
        value = ov.get(path, m.group("value") if m else None)
        raise ChangeError(line, path, value, (m.group("allowed") or "") if m else "") from None
