"""Scenarios as the explorer's API shows them: every parameter with its value, unit, source and range, the
statistics each source cites, and the parameters in which two scenarios differ."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..scenario import Scenario
from ..uncertainty.jobs import content_hash


def _value(p: Any) -> Any:
    v = p.value
    return v.isoformat() if isinstance(v, dt.date) else v


def param_row(sc: Scenario, path: str, p: Any) -> dict[str, Any]:
    """One parameter: value or dated steps, unit, source, note, plausible range and the file that set it."""
    return {"path": path, "value": _value(p),
            "steps": [[s.from_.isoformat(), s.value] for s in p.steps] if p.steps else None,
            "unit": p.unit, "source": p.source, "note": p.note or "", "low": p.low, "high": p.high,
            "dist": p.dist, "origin": sc.origin(path)}


def summary(sc: Scenario) -> dict[str, Any]:
    return {"name": sc.name, "description": sc.description, "extends": sc.extends,
            "start_date": sc.start_date.isoformat(), "content_hash": content_hash(sc)}


def detail(sc: Scenario) -> dict[str, Any]:
    """A scenario with every parameter and the statistics its sources cite."""
    rows = [param_row(sc, path, p) for path, p in sc.params_by_path()]
    return {**summary(sc), "parameters": rows, "statistics": statistics(rows)}


def statistics(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The statistics table's row for every stats:<id> cited: figure, organisation, document, primary address,
    the intermediary it was read through and why there is no primary address, if so."""
    from ..data import statistics as table

    ids = {s.strip()[6:] for r in rows for s in str(r["source"]).split(";") if s.strip().startswith("stats:")}
    df = table()
    df = df[df["id"].isin(ids)]
    cols = ["quantity", "group", "period", "value", "unit", "source_org", "document", "url", "via", "via_url", "no_url",
            "reliability"]
    out = {}
    for rec in df[["id", *cols]].to_dict(orient="records"):
        out[rec.pop("id")] = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}
    return out


def differences(a: Scenario, b: Scenario) -> list[dict[str, Any]]:
    """Every parameter whose value, steps or source differs between two scenarios, with both sides."""
    pa, pb = dict(a.params_by_path()), dict(b.params_by_path())
    rows = []
    for path in list(pa) + [p for p in pb if p not in pa]:
        x = param_row(a, path, pa[path]) if path in pa else None
        y = param_row(b, path, pb[path]) if path in pb else None
        keys = ("value", "steps", "unit", "source", "note", "low", "high")
        if x is None or y is None or any(x[k] != y[k] for k in keys):
            rows.append({"path": path, "a": x, "b": y})
    return rows
