"""What every process declares at the top: the states it reads and writes, its parameters, its results."""

from __future__ import annotations

from typing import ClassVar

from ..states import Cost, Flow, State
from ..world import World


class Process:
    """One stage of the model, run once a day in the order given by `removalsim.engine.loop.ORDER`."""

    reads: ClassVar[tuple[State, ...]] = ()
    writes: ClassVar[tuple[State, ...]] = ()
    params: ClassVar[tuple[str, ...]] = ()
    flows: ClassVar[tuple[Flow, ...]] = ()
    costs: ClassVar[tuple[Cost, ...]] = ()

    def step(self, w: World) -> None:  # pragma: no cover - interface
        raise NotImplementedError
