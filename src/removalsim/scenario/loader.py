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

from .params import OVERRIDE
from .schema import Scenario

PARAM_KEYS = {"value", "steps", "unit", "source"}
CHAIN = "\x00chain"  # key in the origins map: the files merged, base first
_MAX_EXTENDS = 16


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names the file, the parameter path and the fix."""


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
            return str(c), c.read_text(encoding="utf-8")
    name = str(name_or_path)
    if name in shipped_names():
        res = resources.files("removalsim.scenario") / "data" / f"{name}.toml"
        return f"{name}.toml (shipped)", res.read_text(encoding="utf-8")
    if p.suffix == ".toml" or "/" in name:
        raise ScenarioError(f"{name}: no such scenario file")
    near = difflib.get_close_matches(name, shipped_names(), n=3)
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    raise ScenarioError(f"{name}: unknown scenario; shipped scenarios are {', '.join(shipped_names())}, "
                        f"or give a path to a .toml file.{hint}")


def _parse(label: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{label}: not valid TOML: {e}") from None


def _is_param(d: Any) -> bool:
    return isinstance(d, dict) and bool(PARAM_KEYS & d.keys())


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
    parent = raw.get("extends")
    if parent is None:
        origins[CHAIN] = label
        return merge({}, raw, origins, label)
    if not isinstance(parent, str):
        raise ScenarioError(f"{label}: extends: {parent!r} must be a scenario name or path")
    here = Path(label).parent if Path(label).is_file() else None
    base = _resolve(parent, origins, chain + [label], here)
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


def _bad_value(raw: dict[str, Any], loc: tuple) -> Any:
    node: Any = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def validate(raw: dict[str, Any], origins: dict[str, str]) -> Scenario:
    """Validate merged raw tables; the first problem becomes one ScenarioError line."""
    expanded = _expand_groups(raw, origins)
    try:
        sc = Scenario.model_validate(expanded)
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(str(x) for x in err["loc"] if not str(x).startswith("function-after"))
        path = ".".join(loc) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            parent = _bad_value(expanded, loc[:-1])
            known = _known_keys(loc[:-1])
            near = difflib.get_close_matches(loc[-1], known, n=1)
            msg = (f"unknown key; allowed here: {', '.join(known)}" if known else "unknown key")
            if near:
                msg += f" (did you mean {near[0]!r}?)"
            del parent
        elif err["type"] == "missing":
            msg = "required but missing"
        elif "input" in err and err["type"] not in ("value_error",):
            msg = f"{err['input']!r}: {msg}"
        named = re.match(r"^([A-Za-z_][\w]*(?:\.[\w]+)+): (.*)$", msg, re.S) if not loc else None
        if named:  # a whole-scenario check that names the parameter: blame the file that set it
            path, msg = named.group(1), named.group(2)
        extra = f" ({len(e.errors()) - 1} more problem(s) after this one)" if len(e.errors()) > 1 else ""
        raise ScenarioError(f"{_origin(origins, path)}: {path}: {msg}{extra}") from None
    sc._raw = raw
    sc._origins = dict(origins)
    return sc


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
    origins: dict[str, str] = {}
    raw = _resolve(name_or_path, origins, [])
    if "name" not in raw:
        raw["name"] = Path(str(name_or_path)).stem
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
    raw = copy.deepcopy(sc._raw)  # type: ignore[attr-defined]
    origins = dict(sc._origins)  # type: ignore[attr-defined]
    for path, value in overrides.items():
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
