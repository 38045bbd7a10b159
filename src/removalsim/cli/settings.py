"""`RunSettings`: what a simulation request is (horizon, sample, seed, replicates, ...), validated once.

Commands build one from their options and pass it on, instead of passing six loose values (and
checking them again) down every call.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from ..errors import RemovalsimInputError
from .options import FREQ, REPLICATES, SCALE, SEED, YEARS


class SettingsError(RemovalsimInputError):
    """Settings that cannot go together or are out of range; the message is one line naming the option."""


@dataclass(frozen=True)
class RunSettings:
    """A validated simulation request.

    >>> s = RunSettings(years=5, scale=0.01, replicates=3)
    >>> s.years, s.freq, s.draws
    (5.0, 'MS', True)
    >>> RunSettings(scale=0)
    Traceback (most recent call last):
    ...
    removalsim.cli.options.OutOfRange: --scale 0 is out of range; expected 0 < scale <= 1
    """

    years: float = 10.0
    scale: float = 1.0
    seed: int = 0
    replicates: int | None = None  # None: one run with the scenario's own values
    freq: str = "MS"  # table frequency: "MS" (monthly) or "D" (daily)
    fixed_params: bool = False  # with replicates: keep uncertain parameters at their values

    def __post_init__(self) -> None:
        put = object.__setattr__  # frozen: normalise the types once, here
        put(self, "years", float(YEARS.check(self.years, "--years")))
        put(self, "scale", float(SCALE.check(self.scale, "--scale")))
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
            raise SettingsError(f"--seed {self.seed!r} is not a whole number; expected {SEED.describe()}")
        put(self, "seed", int(SEED.check(int(self.seed), "--seed")))
        if self.replicates is not None:
            if isinstance(self.replicates, bool) or not isinstance(self.replicates, numbers.Integral):
                raise SettingsError(f"--replicates {self.replicates!r} is not a whole number; expected "
                                    f"{REPLICATES.describe()}")
            put(self, "replicates", int(REPLICATES.check(self.replicates, "--replicates")))
        FREQ.check(self.freq, "--freq")
        if self.fixed_params and self.replicates is None:
            raise SettingsError("--fixed-params only applies to replicated runs; add --replicates R")

    @property
    def draws(self) -> bool:
        """Whether each replicate draws its uncertain parameters (replicated and not --fixed-params)."""
        return self.replicates is not None and not self.fixed_params

    @property
    def sample(self) -> str:
        """"seed 0, scale 0.01" for titles."""
        return f"seed {self.seed}, scale {self.scale:g}"
