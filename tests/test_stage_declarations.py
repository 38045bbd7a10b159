"""Each stage's declaration matches its code: a stage touches only what it declares and declares only what it uses.

The check reads each stage module's source: `S.<name>` (a parameter or a state
field), `Flow.X`, `Cost.X`, the random streams (`ST_*`), the lines it serves or
joins, and the states it moves people to. The plumbing (bundle, parameter
compilation, day loop) is derived from the same declarations, so they must be
exact.
"""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest

from removalsim.engine import registry, transitions, world
from removalsim.engine.processes.base import Param, Stage
from removalsim.engine.world import SIM_FIELDS, STREAMS
from removalsim.vocabulary import State

LINE_NAMES = {name for name in dir(world) if name.startswith("LINE_")} | {"doc_line", "transport_line",
                                                                           "answer_list"}
MODULES = ((transitions.RULES, transitions),) + tuple((m.STAGE, m) for m in registry.STAGE_MODULES)


def used(source: str, stream_of: dict[str, str] | None = None) -> dict[str, set]:
    """What a stage module's code touches, by kind (`stream_of`: the module's ST_* names -> stream names)."""
    stream_of = stream_of or {}
    tree = ast.parse(source)
    out: dict[str, set] = {k: set() for k in ("S", "flows", "costs", "streams", "lines", "writes")}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            kind = {"S": "S", "Flow": "flows", "Cost": "costs"}.get(node.value.id)
            if kind:
                out[kind].add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in stream_of:
                out["streams"].add(stream_of[node.id])
            elif node.id in LINE_NAMES:
                out["lines"].add(node.id)
    out["writes"] = moved_to(tree)
    return out


def _states_in(expr: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name) and n.id in State.__members__}


def moved_to(tree: ast.Module) -> set[str]:
    """The states named as the destination of move/place, following a variable to its assignments or, for a
    function parameter, to the arguments the module's own calls pass for it."""
    functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)]
    out: set[str] = set()
    for fn in functions.values():
        for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)):
            if call.func.id not in ("move", "place") or len(call.args) < 3:
                continue
            out |= _states_in(call.args[2])
            for var in (n.id for n in ast.walk(call.args[2]) if isinstance(n, ast.Name)):
                for a in ast.walk(fn):
                    if isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id == var for t in a.targets):
                        out |= _states_in(a.value)
                params = [a.arg for a in fn.args.args]
                if var in params:
                    i = params.index(var)
                    out |= {s for c in calls if c.func.id == fn.name and len(c.args) > i for s in _states_in(c.args[i])}
    return out


def mismatches(face: Stage, source: str, stream_of: dict[str, str] | None = None) -> list[str]:
    """Every difference between a stage's declaration and its code, as readable lines."""
    u = used(source, stream_of)
    params = {a for a in u["S"] if a in registry.PARAMS}
    fields = {a for a in u["S"] if a in SIM_FIELDS}
    unknown = u["S"] - params - fields - {"keys"}
    out = [f"{face.name}: S.{a} is neither a declared parameter nor a state field" for a in sorted(unknown)]
    pairs = (("parameters", params, face.reads_params()), ("state fields", fields, set(face.fields)),
             ("flows", u["flows"], {f.name for f in face.flows}), ("costs", u["costs"], {c.name for c in face.costs}),
             ("streams", u["streams"], set(face.streams)), ("lines", u["lines"], set(face.lines)))
    for what, touched, declared in pairs:
        if touched - declared:
            out.append(f"{face.name}: uses {what} it does not declare: {sorted(touched - declared)}")
        if declared - touched:
            out.append(f"{face.name}: declares {what} it does not use: {sorted(declared - touched)}")
    if "keys" in u["S"] and not face.streams:
        out.append(f"{face.name}: reads random-stream keys but declares no stream")
    writes = {s.name for s in face.writes}
    if u["writes"] != writes:
        out.append(f"{face.name}: moves people to {sorted(u['writes'])} but declares writes {sorted(writes)}")
    return out


@pytest.mark.parametrize("face,module", MODULES, ids=[f.name for f, _ in MODULES])
def test_each_stage_declares_exactly_what_its_code_touches(face, module):
    stream_of = {name: STREAMS[getattr(module, name)] for name in dir(module) if name.startswith("ST_")}
    assert mismatches(face, inspect.getsource(module), stream_of) == []


def test_every_stream_is_declared_by_one_stage_and_keyed_by_its_name():
    declared = [s for face in registry.FACES for s in face.streams]
    assert sorted(declared) == sorted(STREAMS) and len(set(declared)) == len(declared)
    from removalsim import load_scenario
    from removalsim.engine.loop import new_world

    w = new_world(load_scenario("baseline"), 0.01, 5, 0.0002)
    assert [int(k) for k in w.keys] == [int(w.rng.key(name)) for name in STREAMS]


def test_the_check_catches_an_undeclared_parameter_flow_and_state():
    face = Stage("planted", "a stage with a stale declaration", params=(Param("beds", "daily", "int", (), None),),
                 flows=(), writes=())
    source = "def step(S, day):\n    x = S.court_capacity[day] + S.beds[day] + S.nonsense\n" \
             "    count(S, Flow.ARREST, p, day)\n    move(S, p, REMOVED, day, ALL)\n"
    found = "\n".join(mismatches(face, source))
    for expected in ("S.nonsense", "['court_capacity']", "flows it does not declare: ['ARREST']",
                     "moves people to ['REMOVED']"):
        assert expected in found


def test_every_parameter_field_is_declared_once_and_compiles_to_its_kind():
    from removalsim import load_scenario
    from removalsim.engine.inputs import Inputs

    inp = Inputs.compile(load_scenario("baseline"), 30, 0.001)
    q = registry.compile_params(inp)
    assert q._fields == registry.PARAM_FIELDS and len(set(q._fields)) == len(q._fields)
    for name, p in registry.PARAMS.items():
        v = getattr(q, name)
        if p.kind == "scalar":
            assert isinstance(v, (int, float, bool)), name
        else:
            assert isinstance(v, np.ndarray) and v.flags.c_contiguous, name


def test_the_generated_engine_code_is_up_to_date():
    assert registry.GENERATED.read_text() == registry.generated_source(), \
        "run `python scripts/generate_engine.py` after changing a stage's declaration or the stage order"
