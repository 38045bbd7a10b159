"""The options that several commands share, each defined once: name, allowed values, help text.

A command declares e.g. ``years: Years = 5.0`` (the default is the command's own) and gets the same
flag, range check, error message and help line as every other command. Ranges are `Bound`s: the
same object checks a value given on the command line (as the option's callback, before the command
runs) and in `RunSettings`, and writes the "(0 < scale <= 1)" of the help and the
"--scale 2 is out of range; expected 0 < scale <= 1" of the error.

Lists of allowed words are `Choices`, which work the same way ("--output 'x' is not a measure;
expected one of ...") and show themselves as the option's metavar ([MS|D]).

Typer's own ``min=``/``max=`` and Enum choices are not used: since Typer 0.2x the first cannot
express an open bound (0 < scale), and neither's error names the option with the rejected value
in one short line.
"""

import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import RemovalsimInputError


class OutOfRange(RemovalsimInputError):
    """A number outside its `Bound`."""


@dataclass(frozen=True)
class Bound:
    """An allowed interval for a number; `low_open`/`high_open` make that end exclusive.

    >>> SCALE.describe(), REPLICATES.describe(), Bound("replicates", 1, 5000).describe()
    ('0 < scale <= 1', 'at least 1', '1 to 5000')
    >>> SCALE.check(2.0, "--scale")
    Traceback (most recent call last):
    ...
    removalsim.cli.options.OutOfRange: --scale 2 is out of range; expected 0 < scale <= 1
    """

    name: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, x: float) -> bool:
        above_low = self.low is None or (x > self.low if self.low_open else x >= self.low)
        below_high = self.high is None or (x < self.high if self.high_open else x <= self.high)
        return above_low and below_high

    def describe(self) -> str:
        lo, hi = self.low, self.high
        if lo is not None and hi is not None:
            if not (self.low_open or self.high_open):
                return f"{lo:g} to {hi:g}"
            return f"{lo:g} {'<' if self.low_open else '<='} {self.name} {'<' if self.high_open else '<='} {hi:g}"
        if lo is not None:
            return f"{'more than' if self.low_open else 'at least'} {lo:g}"
        if hi is not None:
            return f"{'less than' if self.high_open else 'at most'} {hi:g}"
        return "any number"

    def check(self, value: Any, flag: str | None = None) -> Any:
        """The value itself, or OutOfRange naming the flag, the value and what is allowed (also for a value
        that is not a number: the Python API's RunSettings("x"))."""
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise OutOfRange(f"{flag or self.name} {value!r} is not a number; expected {self.describe()}")
        if value not in self:
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            raise OutOfRange(f"{flag or self.name} {shown} is out of range; expected {self.describe()}")
        return value

    def callback(self) -> Callable[..., Any]:
        """A Typer option callback: the check, reported as Typer's own usage error (exit status 2)."""

        def check(param: typer.CallbackParam, value: Any) -> Any:
            if value is None:  # an optional option left out
                return value
            flags = [o for o in param.opts if o.startswith("--")]
            try:
                return self.check(value, max(flags, key=len) if flags else None)
            except OutOfRange as e:
                raise typer.BadParameter(str(e)) from None

        return check


YEARS = Bound("years", 0, 50, low_open=True)
SCALE = Bound("scale", 0, 1, low_open=True)
REPLICATES = Bound("replicates", 1)
WORKERS = Bound("workers", 1)
SEED = Bound("seed", 0, 2**63 - 1)  # numpy's seeds are non-negative; replicate seeds are derived within 64 bits


class NotAllowed(RemovalsimInputError):
    """A word outside its `Choices`."""


@dataclass(frozen=True)
class Choices:
    """The allowed words of an option; `noun` completes "--output 'x' is not ...".

    >>> FREQ.check("W", "--freq")
    Traceback (most recent call last):
    ...
    removalsim.cli.options.NotAllowed: --freq 'W' is not allowed; expected one of MS, D
    """

    values: tuple[str, ...]
    noun: str = "allowed"

    @property
    def metavar(self) -> str:
        return "[" + "|".join(self.values) + "]"

    def check(self, value: str, flag: str) -> str:
        if value not in self.values:
            raise NotAllowed(f"{flag} {value!r} is not {self.noun}; expected one of {', '.join(self.values)}")
        return value

    def callback(self) -> Callable[..., Any]:
        """A Typer option callback: the check, reported as Typer's own usage error (exit status 2)."""

        def check(param: typer.CallbackParam, value: Any) -> Any:
            if value is None:
                return value
            flags = [o for o in param.opts if o.startswith("--")]
            try:
                return self.check(value, max(flags, key=len) if flags else param.name or "")
            except NotAllowed as e:
                raise typer.BadParameter(str(e)) from None

        return check

    def option(self, *decls: str, help: str, metavar: str | None = None) -> Any:
        """The option; a long list goes in the help text under a short `metavar` instead of in [a|b|c]."""
        if metavar:
            help = f"{help.rstrip('.')}: {', '.join(self.values)}."
        return typer.Option(*decls, help=help, metavar=metavar or self.metavar, callback=self.callback())


FREQ = Choices(("MS", "D"))  # table frequency: monthly or daily


def _ranged(help: str, bound: Bound) -> str:
    return f"{help} ({bound.describe()})."


def years(help: str = "Years to simulate from the scenario's start date") -> Any:
    return typer.Option("--years", help=_ranged(help, YEARS), callback=YEARS.callback())


def scale(help: str = "Proportional sample of the country") -> Any:
    return typer.Option("--scale", help=_ranged(help, SCALE), callback=SCALE.callback())


def seed(help: str = "Random seed; the same scenario, settings and seed give the same numbers.") -> Any:
    return typer.Option("--seed", help=help, callback=SEED.callback())


def replicates(help: str = "Replicates per scenario (common random numbers across scenarios)",
               bound: Bound = REPLICATES, short: bool = True) -> Any:
    return typer.Option("--replicates", *(("-r",) if short else ()), help=_ranged(help, bound),
                        callback=bound.callback())


def workers(help: str = "Local worker processes") -> Any:
    return typer.Option("--workers", "-w", help=f"{help} ({WORKERS.describe()}; default: all cores).",
                        callback=WORKERS.callback())


def scheduler(help: str = "Dask scheduler address (default $REMOVALSIM_SCHEDULER; none: local processes).") -> Any:
    return typer.Option("--scheduler", envvar="REMOVALSIM_SCHEDULER", help=help)


def freq(help: str = "Table frequency: MS (monthly) or D (daily).") -> Any:
    return FREQ.option("--freq", help=help)


def quiet(help: str = "No progress bar.") -> Any:
    return typer.Option("--quiet", "-q", help=help)


def fixed_params(help: str = "Keep uncertain parameters at their values instead of drawing them.") -> Any:
    return typer.Option("--fixed-params", help=help)


def _nearest_existing(full: Path) -> Path:
    """`full` itself if it exists, else its nearest existing ancestor (the folder a mkdir would start in)."""
    p = full
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def folder_problem(path: Path, flag: str = "--out") -> str | None:
    """Why results cannot be written to the folder `path` (None if they can), found before anything runs:
    a file where a folder is expected (the path or a part of it), or a location this user cannot write."""
    try:
        full = path if path.is_absolute() else Path.cwd() / path
        base = _nearest_existing(full)
        if base == full:
            if not base.is_dir():
                return f"{flag} {path}: exists and is not a folder"
        elif not base.is_dir():
            return f"{flag} {path}: {base} is a file, so no folder can be made under it"
        if not os.access(base, os.W_OK | os.X_OK):
            return f"{flag} {path}: {base} is not writable (permission denied or a read-only file system)"
    except OSError as e:  # a name too long, a path the system refuses
        return f"{flag} {path}: not usable as a folder ({e.strerror or e})"
    return None


def file_problem(path: Path, flag: str) -> str | None:
    """Why the file `path` cannot be written (None if it can), found before anything runs."""
    try:
        if path.is_dir():
            return f"{flag} {path}: is a folder; give a file name"
        if path.exists():
            if not os.access(path, os.W_OK):
                return f"{flag} {path}: the file is not writable (permission denied or a read-only file system)"
            return None
        parent = path.parent if path.is_absolute() else Path.cwd() / path.parent
        base = _nearest_existing(parent)
        if not base.is_dir():
            return f"{flag} {path}: {base} is a file, so no file can be made under it"
        if not os.access(base, os.W_OK | os.X_OK):
            return f"{flag} {path}: {base} is not writable (permission denied or a read-only file system)"
    except OSError as e:
        return f"{flag} {path}: not usable as a file name ({e.strerror or e})"
    return None


def check_folder(path: Path, flag: str = "--out") -> Path:
    """The path, unless results cannot be written there (then one line and exit status 2); call it before
    computing anything."""
    problem = folder_problem(path, flag)
    if problem:
        from .errors import fail

        fail(problem)
    return path


def check_file(path: Path, flag: str) -> Path:
    """The path, unless a file cannot be written there (then one line and exit status 2)."""
    problem = file_problem(path, flag)
    if problem:
        from .errors import fail

        fail(problem)
    return path


def _folder_callback(param: typer.CallbackParam, value: Path | None) -> Path | None:
    if value is not None:
        flag = next((o for o in param.opts if o.startswith("--")), "--out")
        problem = folder_problem(value, flag)
        if problem:
            raise typer.BadParameter(problem)
    return value


def runs_folder(help: str = "Folder for every replicate's tables and the run catalogue (catalogue.duckdb); "
                            "a rerun of the same command reuses the replicates already finished there "
                            "(default: none, runs are kept in memory).") -> Any:
    """--runs for multi-run commands whose --out names something else (a report, a CSV)."""
    return typer.Option("--runs", help=help, callback=_folder_callback)


def out_folder(help: str) -> Any:
    """--out for a results folder (the default differs by command, so each says it in `help`)."""
    return typer.Option("--out", help=help, callback=_folder_callback)


# The shared options with their standard help; a command adds its own default: ``years: Years = 5.0``.
Years = Annotated[float, years()]
Scale = Annotated[float, scale()]
Seed = Annotated[int, seed()]
Replicates = Annotated[int, replicates()]
Workers = Annotated[int | None, workers()]
Scheduler = Annotated[str | None, scheduler()]
Freq = Annotated[str, freq()]
Quiet = Annotated[bool, quiet()]
FixedParams = Annotated[bool, fixed_params()]
RunsFolder = Annotated[Path | None, runs_folder()]
