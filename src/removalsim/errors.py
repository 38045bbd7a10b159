"""The one exception type bad input raises through the Python API, and the checks of plain arguments.

Every refusal of a user's input (a scenario or sweep file, an override, a run setting, a calibration
target) is a :class:`RemovalsimInputError`, a ``ValueError`` whose message is the line the command line
prints after ``error:`` (one line per problem). Catch it to handle any bad input::

    try:
        removalsim.simulate("my-policy.toml", years=5)
    except removalsim.RemovalsimInputError as e:
        print(e)
"""

from __future__ import annotations

import math
import numbers
from typing import Any


class RemovalsimInputError(ValueError):
    """Input removalsim cannot use: the message names what is wrong and what is allowed, one line each."""


def real(value: Any, name: str, low: float | None = None, high: float | None = None, *,
         low_open: bool = False) -> float:
    """`value` as a float, or RemovalsimInputError naming `name`, the value and the allowed range.

    >>> real(2, "years", 0, 50, low_open=True)
    2.0
    >>> real("x", "years", 0, 50, low_open=True)
    Traceback (most recent call last):
    ...
    removalsim.errors.RemovalsimInputError: years 'x' is not a number; expected 0 < years <= 50
    """
    allowed = _describe(name, low, high, low_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise RemovalsimInputError(f"{name} {_shown(value)} is not a number; expected {allowed}")
    v = float(value)
    too_low = low is not None and (v <= low if low_open else v < low)
    if not math.isfinite(v) or too_low or (high is not None and v > high):
        raise RemovalsimInputError(f"{name} {v:g} is out of range; expected {allowed}")
    return v


def whole(value: Any, name: str, low: int | None = None, high: int | None = None) -> int:
    """`value` as an int (a whole number, not a boolean), or RemovalsimInputError.

    >>> whole(-1, "seed", 0, 2**63 - 1)
    Traceback (most recent call last):
    ...
    removalsim.errors.RemovalsimInputError: seed -1 is out of range; expected 0 to 9223372036854775807
    """
    allowed = _describe(name, low, high, False)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise RemovalsimInputError(f"{name} {_shown(value)} is not a whole number; expected {allowed}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        raise RemovalsimInputError(f"{name} {v} is out of range; expected {allowed}")
    return v


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(name: str, low: float | None, high: float | None, low_open: bool) -> str:
    def g(x: float) -> str:
        return str(x) if isinstance(x, int) else f"{x:g}"

    if low is not None and high is not None:
        return f"{g(low)} < {name} <= {g(high)}" if low_open else f"{g(low)} to {g(high)}"
    if low is not None:
        return f"more than {g(low)}" if low_open else f"at least {g(low)}"
    if high is not None:
        return f"at most {g(high)}"
    return "a number"
