"""Read scenario TOML files: resolve `extends`, apply group defaults and overrides, validate.

Merging happens on the raw tables before validation, so a scenario that extends
another is validated whole. A parameter table (one with `value`, `steps`,
`unit` or `source`) is replaced whole, never merged key by key: a new value
must come with its own source.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from ..errors import RemovalsimInputError
from .params import OVERRIDE, outside_own_range
from .schema import Scenario, name_from_stem

PARAM_KEYS = {"value", "steps", "unit", "source"}
CHAIN = "\x00chain"  # key in the origins map: the files merged, base first
_MAX_EXTENDS = 16


class ScenarioError(RemovalsimInputError):
    """A scenario that cannot be used; the message names the file, the parameter path and the fix."""


class NoSuchParameter(ScenarioError, KeyError):
    """`Scenario.param` of a path the scenario does not have (also a KeyError, as a look-up that misses)."""

    __str__ = BaseException.__str__  # the message as written, not KeyError's quoted repr


def shipped_names() -> list[str]:
    """Names of the scenarios that ship with the package."""
    folder = resources.files("removalsim.scenario") / "data"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def _locate(name_or_path: str | Path, relative_to: Path | None = None) -> tuple[str, str]:
    """Return (label, text) for a scenario name or path."""
    p = Path(name_or_path)
    candidates = []
    if relative_to is not None and not p.is_absolute():
        candidates.append(relative_to / p)
        candidates.append(relative_to / f"{p}.toml")
    candidates += [p] if p.suffix == ".toml" else []
    for c in candidates:
        if c.is_file():
            return str(c), read_text(c, str(c), ScenarioError)
    name = str(name_or_path)
    shown = name if len(name) <= 80 else name[:77] + "..."
    if name in shipped_names():
        res = resources.files("removalsim.scenario") / "data" / f"{name}.toml"
        return f"{name}.toml (shipped)", res.read_text(encoding="utf-8")
    if p.suffix == ".toml" or "/" in name:
        raise ScenarioError(f"{shown}: no such scenario file")
    near = difflib.get_close_matches(name, shipped_names(), n=3)
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    raise ScenarioError(f"{shown}: unknown scenario; shipped scenarios are {', '.join(shipped_names())}, "
                        f"or give a path to a .toml file.{hint}")


MAX_BYTES = 1 << 20  # a scenario or sweep file; the largest shipped one is under 50 kB
MAX_DEPTH = 16  # tables and arrays within each other; a scenario needs 5


def read_text(path: Path, label: str, error: type[ValueError]) -> str:
    """A scenario or sweep file's text: at most MAX_BYTES of UTF-8 (else one line naming the file)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(f"{label}: the file is {size:,} bytes; a scenario or sweep file is at most "
                        f"{MAX_BYTES:,} bytes of TOML")
        data = path.read_bytes()
    except OSError as e:
        raise error(f"{label}: cannot read ({e.strerror or e})") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data:
        kind = ("UTF-16 text" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else
                "binary data or UTF-16 (it holds NUL bytes)")
        raise error(f"{label}: the file is {kind}; a scenario or sweep file is TOML saved as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{label}: the file is not UTF-8 (byte 0x{data[e.start]:02x} at {e.start}); a scenario or sweep "
                    "file is TOML saved as UTF-8") from None


def parse_toml(label: str, text: str, error: type[ValueError]) -> dict[str, Any]:
    """TOML text as tables, or one line naming the file: bad syntax, huge integers, nesting too deep."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise error(f"{label}: not valid TOML: {e}") from None
    except RecursionError:
        raise error(f"{label}: tables or arrays nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as e:  # an integer of more than 4,300 digits
        raise error(f"{label}: not usable TOML: {' '.join(str(e).split(';')[0].split())}") from None
    if _depth(raw) > MAX_DEPTH:
        raise error(f"{label}: tables or arrays nested too deeply (at most {MAX_DEPTH} levels)")
    return raw


def _depth(node: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply tables and arrays nest in `node`, counted up to `limit`."""
    if limit <= 0 or not isinstance(node, (dict, list)):
        return 0
    children = node.values() if isinstance(node, dict) else node
    return 1 + max((_depth(c, limit - 1) for c in children), default=0)


def _parse(label: str, text: str) -> dict[str, Any]:
    return parse_toml(label, text, ScenarioError)


def _is_param(d: Any) -> bool:
    return isinstance(d, dict) and bool(PARAM_KEYS & d.keys())


def _refuse_api_sources(label: str, node: Any, prefix: str = "") -> None:
    """A file may not claim the source 'override': it is what `Scenario.with_overrides` writes, and it skips the
    sourcing rules (a statistics id, a calibration, or an assumption with a note and a range)."""
    lines = [f"{label}: {path}: source {source!r} is not allowed in a file ('override' is reserved for "
             "Scenario.with_overrides); give stats:<id>, calibration:<file>, or 'assumption' with a note and low/high"
             for path, source in _override_sources(node, prefix)]
    if lines:
        raise ScenarioError("\n".join(lines))


def _override_sources(node: Any, prefix: str) -> list[tuple[str, str]]:
    if not isinstance(node, dict):
        return []
    if _is_param(node):
        source = node.get("source")
        if isinstance(source, str) and OVERRIDE in (s.strip() for s in source.split(";")):
            return [(prefix.rstrip("."), source)]
        return []
    return [hit for k, v in node.items() for hit in _override_sources(v, f"{prefix}{k}.")]


def merge(base: dict[str, Any], over: Mapping[str, Any], origins: dict[str, str], label: str,
          prefix: str = "") -> dict[str, Any]:
    """Deep-merge `over` into a copy of `base`; parameter tables replace whole. Records origins."""
    out = dict(base)
    for k, v in over.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict) and not _is_param(v) and isinstance(out.get(k), dict) and not _is_param(out[k]):
            out[k] = merge(out[k], v, origins, label, path + ".")
        else:
            out[k] = copy.deepcopy(v)
            origins[path] = label
            _mark(v, origins, label, path + ".")
    return out


def _mark(v: Any, origins: dict[str, str], label: str, prefix: str) -> None:
    if isinstance(v, dict) and not _is_param(v):
        for k, sub in v.items():
            origins[f"{prefix}{k}"] = label
            _mark(sub, origins, label, f"{prefix}{k}.")


def _resolve(name_or_path: str | Path, origins: dict[str, str], chain: list[str],
             relative_to: Path | None = None) -> dict[str, Any]:
    label, text = _locate(name_or_path, relative_to)
    if label in chain or len(chain) > _MAX_EXTENDS:
        raise ScenarioError(f"{label}: extends forms a cycle: {' -> '.join(chain + [label])}")
    raw = _parse(label, text)
    _refuse_api_sources(label, raw)
    parent = raw.get("extends")
    if parent is None:
        origins[CHAIN] = label
        return merge({}, raw, origins, label)
    if not isinstance(parent, str):
        raise ScenarioError(f"{label}: extends: {parent!r} must be a scenario name or path")
    here = Path(label).parent if Path(label).is_file() else None
    try:
        base = _resolve(parent, origins, chain + [label], here)
    except ScenarioError as e:
        if str(e).startswith(f"{label}:") or " -> " in str(e):
            raise
        raise ScenarioError(f"{label}: extends: {e}") from None
    base.pop("name", None)
    base.pop("description", None)
    origins[CHAIN] += "\n" + label
    return merge(base, raw, origins, label)


def _expand_groups(raw: dict[str, Any], origins: dict[str, str]) -> dict[str, Any]:
    """Give each group every parameter of `group_defaults` it does not set itself."""
    raw = dict(raw)
    defaults = raw.pop("group_defaults", {})
    groups = raw.get("groups", {})
    if not isinstance(groups, dict) or not isinstance(defaults, dict):
        return raw
    expanded = {}
    for gname, g in groups.items():
        if not isinstance(g, dict):
            expanded[gname] = g
            continue
        merged = dict(defaults)
        for k in defaults:
            origins.setdefault(f"groups.{gname}.{k}", origins.get(f"group_defaults.{k}", "?"))
            if k not in g:
                origins[f"groups.{gname}.{k}"] = origins.get(f"group_defaults.{k}", "?")
        merged.update(g)
        expanded[gname] = merged
    raw["groups"] = expanded
    return raw


def _origin(origins: dict[str, str], path: str) -> str:
    """The file to blame for `path`: the latest-merged file that set it or anything under it."""
    chain = origins.get(CHAIN, "").split("\n")
    rank = lambda label: chain.index(label) if label in chain else len(chain)  # noqa: E731 (overrides last)
    if path == "(top level)":
        return max(chain, key=rank) if chain != [""] else "scenario"
    under = {v for k, v in origins.items() if k.startswith(path + ".") and k != CHAIN}
    if under:
        return max(under | ({origins[path]} if path in origins else set()), key=rank)
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        hit = origins.get(".".join(parts[:n]))
        if hit:
            return hit
    return chain[-1] or "scenario"


_PARAM_FIELDS = {"value", "steps", "low", "high"}  # a Param's own fields, named after its path in messages
_UNION_TAGS = {"float", "int", "str", "date", "bool", "none"}  # pydantic's names for the members of a union


MAX_LINES = 30  # problems listed at once; more are counted on the last line


def validate(raw: dict[str, Any], origins: dict[str, str]) -> Scenario:
    """Validate merged raw tables; every problem becomes one line of one ScenarioError (file: path: problem)."""
    expanded = _expand_groups(raw, origins)
    try:
        sc = Scenario.model_validate(expanded)
    except ValidationError as e:
        raise scenario_error(_problems(e, expanded), origins) from None
    problems = []
    for path, p in sc.params_by_path():
        if origins.get(path) != "override":  # a drawn or overridden value may leave the file's range
            problems += [(path, line) for line in outside_own_range(p)]
    if problems:
        raise scenario_error(problems, origins)
    sc._raw = raw
    sc._origins = dict(origins)
    return sc


def scenario_error(problems: list[tuple[str, str]], origins: dict[str, str]) -> ScenarioError:
    """One line per problem, each naming the file that set the parameter, its path and what is wrong."""
    lines = list(dict.fromkeys(f"{_origin(origins, path)}: {path}: {msg}" for path, msg in problems))
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES - 1] + [f"{_origin(origins, '(top level)')}: and {len(lines) - MAX_LINES + 1} "
                                         "more problems"]
    return ScenarioError("\n".join(lines))


def _problems(e: ValidationError, expanded: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, problem) for every error pydantic found, a union's alternatives counted once."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for err in e.errors():
        loc = tuple(str(x) for x in err["loc"] if not str(x).startswith("function-after")
                    and str(x) not in _UNION_TAGS and "[" not in str(x))
        path = ".".join(loc) or "(top level)"
        if path in seen:  # the other members of a union (float | str | date) refusing the same value
            continue
        seen.add(path)
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            known = _known_keys(loc[:-1])
            near = difflib.get_close_matches(loc[-1], known, n=1)
            msg = (f"unknown key; allowed here: {', '.join(known)}" if known else "unknown key")
            if near:
                msg += f" (did you mean {near[0]!r}?)"
        elif err["type"] == "missing":
            msg = "required but missing"
        elif "input" in err and err["type"] not in ("value_error",):
            shown = repr(err["input"])
            msg = f"{shown if len(shown) <= 60 else shown[:57] + '...'}: {msg}"
        inner = next((i for i, x in enumerate(loc) if x in _PARAM_FIELDS and i > 0), None)
        if inner is not None and err["type"] not in ("extra_forbidden", "missing"):  # "court.judges: value true ..."
            path, msg = ".".join(loc[:inner]), f"{' '.join(loc[inner:])} {msg}"
        if msg.endswith("is a boolean; expected a number"):  # say which numbers: the field's own limits
            from .schema import spec_at

            ps = spec_at(path)
            msg = msg.removesuffix("a number") + (ps.allowed() if ps is not None else "a number")
        for line in msg.splitlines() or [msg]:
            named = re.match(r"^([A-Za-z_]\w*(?:\.[^:\n]+?)*): (.*)$", line, re.S) if not loc else None
            if named:  # a whole-scenario check that names the parameter: blame the file that set it
                out.append((named.group(1), named.group(2)))
            else:
                out.append((path, line))
    return out


def _known_keys(loc: tuple) -> list[str]:
    """Keys allowed at `loc` in the schema, for 'did you mean' hints."""
    from pydantic import BaseModel

    model: Any = Scenario
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(part)
            if field is None:
                return []
            ann = field.annotation
            args: tuple[Any, ...] = getattr(ann, "__args__", ())
            if getattr(ann, "__origin__", None) is dict:
                model = ("dict", args[1])
            elif args:
                model = next((a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), ann)
            else:
                model = ann
        elif isinstance(model, tuple):
            model = model[1]
        else:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        if model.__name__ == "Param":
            return sorted(model.model_fields)
        return list(model.model_fields)
    return []


def load_scenario(name_or_path: str | Path = "baseline") -> Scenario:
    """Load a shipped scenario by name, or a scenario file by path.

    >>> sc = load_scenario("baseline")
    >>> sc.name, sc.start_date.isoformat()
    ('baseline', '2025-01-20')
    >>> load_scenario("china").extends
    'baseline'
    """
    if not isinstance(name_or_path, (str, Path)):
        raise ScenarioError(f"{str(name_or_path)[:40]!r} ({type(name_or_path).__name__}) is not a scenario; expected "
                            "a shipped scenario name or a path to a .toml file")
    origins: dict[str, str] = {}
    raw = _resolve(name_or_path, origins, [])
    if "name" not in raw:
        raw["name"] = name_from_stem(Path(str(name_or_path)).stem)
    return validate(raw, origins)


def _set_path(raw: dict[str, Any], path: str, value: Any, origins: dict[str, str]) -> None:
    parts = path.split(".")
    node = raw
    for i, part in enumerate(parts[:-1]):
        if part not in node or not isinstance(node[part], dict):
            raise ScenarioError(f"override {path!r}: {'.'.join(parts[:i + 1])} does not exist")
        node = node[part]
    key = parts[-1]
    old = node.get(key)
    if key not in node and not (parts[0] == "groups"):
        raise ScenarioError(f"override {path!r}: no such parameter")
    if isinstance(value, Mapping):
        new = dict(value)
        if isinstance(old, dict) and "unit" not in new and "unit" in old:
            new["unit"] = old["unit"]
        new.setdefault("source", OVERRIDE)
    else:
        unit = old.get("unit") if isinstance(old, dict) else None
        if unit is None:
            raise ScenarioError(f"override {path!r}: give a table with value, unit and source")
        if isinstance(value, (list, tuple)):
            if not value or not all(isinstance(s, (list, tuple)) and len(s) == 2 for s in value):
                raise ScenarioError(f"override {path!r}: {str(value)[:60]} is not a dated path; expected "
                                    "[(date, number), ...]")
            steps = [{"from": _as_date(d, path), "value": v} for d, v in value]
            new = {"steps": steps, "unit": unit, "source": OVERRIDE}
        else:
            new = {"value": value, "unit": unit, "source": OVERRIDE}
    node[key] = new
    origins[path] = "override"


def _as_date(d: Any, path: str) -> dt.date:
    if isinstance(d, dt.date):
        return d
    try:
        return dt.date.fromisoformat(str(d))
    except ValueError:
        raise ScenarioError(f"override {path!r}: {d!r} is not a date (YYYY-MM-DD)") from None


def with_overrides(sc: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A new scenario with values replaced; keys are dotted paths such as "court.judges"."""
    if not isinstance(overrides, Mapping):
        raise ScenarioError(f"overrides {str(overrides)[:40]!r} ({type(overrides).__name__}) is not allowed; expected "
                            "a mapping of dotted paths to values, such as {\"court.judges\": 1434}")
    raw = copy.deepcopy(sc._raw)  # type: ignore[attr-defined]
    origins = dict(sc._origins)  # type: ignore[attr-defined]
    for path, value in overrides.items():
        if not isinstance(path, str):
            raise ScenarioError(f"override {path!r}: a parameter path is text, such as \"court.judges\"")
        if path.startswith("groups.") and path.count(".") == 2:
            gname = path.split(".")[1]
            if gname not in raw.get("groups", {}):
                raise ScenarioError(f"override {path!r}: no group {gname!r}; groups are "
                                    f"{', '.join(raw.get('groups', {}))}")
            group = raw["groups"][gname]
            key = path.split(".")[2]
            if key not in group:
                group[key] = copy.deepcopy(raw.get("group_defaults", {}).get(key, {}))
                if not group[key]:
                    raise ScenarioError(f"override {path!r}: no such group parameter")
        _set_path(raw, path, value, origins)
    return validate(raw, origins)
