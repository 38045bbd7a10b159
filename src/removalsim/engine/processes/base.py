"""What every stage declares at the top of its module: its parameters, the fields it touches, its flows and costs.

A stage module holds one `Stage` (named `STAGE`) and the compiled function
`step(S, day)` that does a day's work (S the run's bundle: state, parameters
and random-stream keys, see `removalsim.engine.bundles`). The plumbing is
derived from the declarations (`removalsim.engine.registry`): each `Param`
says how its value is computed from the compiled scenario, and becomes a field
of the bundle by that name; the day loop calls the steps in registry order.
`tests/test_stage_declarations.py` reads each stage's code and fails when it
touches a parameter, field, flow, cost, stream or line it does not declare,
or declares one it does not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ...vocabulary import Cost, Flow, State

# kind -> number of dimensions of the compiled value
KINDS = {"scalar": 0, "daily": 1, "cumulative daily": 1, "per group": 1, "per region": 1, "per group daily": 2,
         "per region daily": 2, "per class daily": 2, "per hazard daily": 2, "per group channel daily": 3}
DTYPES = ("int", "float", "bool")


@dataclass(frozen=True)
class Param:
    """One value a stage reads: its bundle field, its shape (kind), type, scenario paths and how it is computed.

    `value` takes the run's `Inputs` (the scenario compiled to daily arrays) and
    returns the number or array; the registry fixes its dtype so the kernels
    compile once.
    """

    field: str
    kind: str
    dtype: str
    paths: tuple[str, ...]
    value: Callable[[Any], Any]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"param {self.field}: kind {self.kind!r} is not one of {sorted(KINDS)}")
        if self.dtype not in DTYPES:
            raise ValueError(f"param {self.field}: dtype {self.dtype!r} is not one of {DTYPES}")


@dataclass(frozen=True)
class Stage:
    """A stage's face. `uses` names parameters declared by another stage (or by the shared rules) that it reads;
    `fields` the run-state fields it reads or writes (person attributes, tallies, lines, pools)."""

    name: str
    doc: str
    params: tuple[Param, ...] = ()
    uses: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    reads: tuple[State, ...] = ()
    writes: tuple[State, ...] = ()
    flows: tuple[Flow, ...] = ()
    costs: tuple[Cost, ...] = ()
    streams: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()

    def reads_params(self) -> set[str]:
        """Every parameter field this stage may read: its own and the ones it uses."""
        return {p.field for p in self.params} | set(self.uses)


def scalar(field: str, path: str, dtype: str = "float") -> Param:
    """A scenario scalar read as it is (a number, not dated)."""
    return Param(field, "scalar", dtype, (path,), lambda inp: inp.scenario.param(path).number())
