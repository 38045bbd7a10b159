"""The README's examples work: its TOML loads as a scenario, its Python runs, the scripts it names exist.

* Every ```toml block is written to a file and loaded with `removalsim.load_scenario`: it must
  parse, validate, hold every parameter as written, differ from the scenario it extends only
  where it says so, and run for a few days.
* Every ```python block is run as written, at the sizes given (the API example takes a few
  seconds), in a temporary folder, except blocks that need a cluster (they import one of
  `NEEDS_CLUSTER`): those are compiled only, as they cannot run on one machine.
* Every `python -m MODULE` names an importable module and every `python PATH.py` an existing file.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

import removalsim
from removalsim import load_scenario

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
NEEDS_CLUSTER = ("dask_jobqueue",)  # SLURMCluster submits batch jobs: there is no SLURM here
PARAM_KEYS = {"value", "steps", "unit", "source"}


def fenced(lang: str) -> list[str]:
    """The contents of the README's ```lang blocks, in order."""
    return re.findall(rf"^```{lang}[ \t]*\n(.*?)^```[ \t]*$", README, re.S | re.M)


TOML, PYTHON = fenced("toml"), fenced("python")


def needs_cluster(code: str) -> bool:
    return any(re.search(rf"^\s*(from|import)\s+{m}\b", code, re.M) for m in NEEDS_CLUSTER)


def test_readme_has_its_examples():
    assert len(TOML) >= 1
    runnable = [c for c in PYTHON if not needs_cluster(c)]
    assert len(runnable) >= 1 and "removalsim.simulate" in runnable[0]


def _params(raw: dict, prefix: str = ""):
    """(dotted path, table) of every parameter table in a raw scenario."""
    for k, v in raw.items():
        if isinstance(v, dict):
            if PARAM_KEYS & v.keys():
                yield prefix + k, v
            else:
                yield from _params(v, f"{prefix}{k}.")


def _dump_at(dump: dict, dotted: str):
    for part in dotted.split("."):
        dump = dump[part]
    return dump


def _differences(a, b, path: str = ""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a.keys() | b.keys():
            yield from _differences(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
    elif a != b:
        yield path


@pytest.mark.parametrize("i", range(len(TOML)))
def test_readme_toml_loads_as_the_scenario_it_describes(i, tmp_path):
    block = TOML[i]
    raw = tomllib.loads(block)  # a TOML syntax error fails here, with the line and column
    path = tmp_path / f"{raw.get('name', 'example')}.toml"
    path.write_text(block, encoding="utf-8")
    sc = load_scenario(path)
    assert sc.name == raw.get("name", path.stem)
    dump = sc.model_dump()
    params = dict(_params(raw))
    assert params, "the example sets no parameter"
    for dotted, table in params.items():
        got = _dump_at(dump, dotted)
        for key, want in table.items():
            if key == "steps":
                assert [(s["from_"], s["value"]) for s in got["steps"]] == [
                    (s["from"] if isinstance(s["from"], dt.date) else dt.date.fromisoformat(s["from"]), s["value"])
                    for s in want], dotted
            else:
                assert got[key] == want, (dotted, key)
    if "extends" in raw:
        assert sc.extends == raw["extends"]
        parent = load_scenario(raw["extends"]).model_dump()
        changed = set(_differences(dump, parent)) - {"name", "description", "extends"}
        assert changed and all(any(c == p or c.startswith(p + ".") for p in params) for c in changed), changed
    r = removalsim.simulate(sc, years=0.05, seed=0, scale=0.0005)  # and it runs
    assert r.meta["scenario"] == sc.name


@pytest.mark.parametrize("i", range(len(PYTHON)))
def test_readme_python_runs(i, tmp_path, monkeypatch):
    code = PYTHON[i]
    compiled = compile(code, f"README.md python block {i + 1}", "exec")  # a syntax error fails every block
    if needs_cluster(code):
        return  # compiled, not run: see NEEDS_CLUSTER
    monkeypatch.chdir(tmp_path)  # the example writes out/run1
    ns: dict = {"__name__": "__readme__"}
    exec(compiled, ns)
    if "to_parquet(\"out/run1\")" in code:  # the comment's claim: read_parquet reads it back exactly
        assert removalsim.Result.read_parquet("out/run1").equals(ns["r"])


def test_readme_commands_name_existing_scripts_and_modules():
    modules = re.findall(r"python -m ([\w.]+)", README)
    scripts = re.findall(r"python ([\w./-]+\.py)\b", README)
    assert scripts, "the README names no benchmark script"
    for m in modules:
        assert importlib.util.find_spec(m) is not None, f"README: python -m {m}: no such module"
    for s in scripts:
        assert (ROOT / s).is_file(), f"README: python {s}: no such file"
