"""What every process declares at the top: the states it reads and writes, its parameters, its results.

The day's work of a process is a compiled function `step(S, day)` in the
same module (S the run's bundle: state, parameters and random-stream keys; see
`removalsim.engine.bundles`), which `removalsim.engine.loop` calls in its order.
"""

from __future__ import annotations

from typing import ClassVar

from ...vocabulary import Cost, Flow, State


class Process:
    """One stage of the model, run once a day in the order given by `removalsim.engine.loop.ORDER`."""

    reads: ClassVar[tuple[State, ...]] = ()
    writes: ClassVar[tuple[State, ...]] = ()
    params: ClassVar[tuple[str, ...]] = ()
    flows: ClassVar[tuple[Flow, ...]] = ()
    costs: ClassVar[tuple[Cost, ...]] = ()
