"""Errors on the command line: one clear line on stderr and exit status 2, never a traceback.

Two sources, one look:

* `fail(message)` for what a command finds wrong (an unknown scenario, a file that cannot be written);
* Typer's own usage errors (an option out of range, an unknown option or command, a missing argument),
  which Typer would print as a boxed panel with the usage; the command classes here print them as
  the same single line instead (exit status 2 as before). `--help` and a bare group still print help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from .console import err

T = TypeVar("T")

# click's UsageError (Typer >= 0.2x carries its own copy of click)
_UsageError: type[Exception] = typer.BadParameter.__mro__[1]


def say_error(message: str) -> None:
    """Print "error: <line>" on stderr for each line of the message (one per problem); the message is printed
    literally, never as markup (it often quotes what a user wrote: a scenario name or value with `[` and `]`)."""
    from rich.markup import escape

    for line in message.splitlines() or [""]:
        err.print(f"[bold red]error:[/] {escape(line)}", highlight=False, soft_wrap=True, markup=True)


def fail(message: str) -> NoReturn:
    """One clear line on stderr and exit status 2."""
    say_error(message)
    raise typer.Exit(2)


def guard(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call fn; turn the errors a user can cause (bad scenario, sweep or catalogue input, files) into `fail`.

    ScenarioError, SweepError and CalibrationError are ValueErrors; CatalogueError is a RuntimeError.
    """
    try:
        return fn(*args, **kwargs)
    except KeyError as e:
        fail(str(e.args[0]) if e.args else str(e))
    except (ValueError, RuntimeError) as e:
        fail(str(e))
    except OSError as e:
        fail(f"{getattr(e, 'filename', '') or ''}: {e.strerror or e}")


def load(name: str):
    """A scenario by shipped name or .toml path; a bad one is one line and exit status 2."""
    from ..scenario import ScenarioError, load_scenario

    try:
        return load_scenario(name)
    except ScenarioError as e:
        fail(str(e))


def usage_line(e: Any) -> str:
    """A usage error as one line: the option first, then what is wrong ("--scale: 'x' is not a valid float")."""
    param: Any = getattr(e, "param", None)
    bad_value = param is not None and type(e).__name__ == "BadParameter"  # not its subclass MissingParameter
    text = getattr(e, "message", str(e)) if bad_value else e.format_message()
    msg = " ".join(str(text).split()).removeprefix("Value error, ")
    if bad_value:
        opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
        hint = max(opts, key=len) if opts else (param.human_readable_name or param.name or "")
        if hint and not msg.startswith(hint):
            msg = f"{hint}: {msg}"
    ctx = getattr(e, "ctx", None)
    if ctx is not None and not (param is not None and msg.startswith("--")):
        msg = f"{msg.rstrip('.')} (see '{ctx.command_path} --help')"
    return msg


def _one_line(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except _UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # a bare group: Typer prints its help (exit status 2)
            raise
        say_error(usage_line(e))
        raise typer.Exit(2) from None


class OneLineCommand(TyperCommand):
    """A Typer command whose usage errors are one line (see the module docstring)."""

    def parse_args(self, ctx, args):
        return _one_line(lambda: super(OneLineCommand, self).parse_args(ctx, args))


class OneLineGroup(TyperGroup):
    """A Typer group whose usage errors (and those of unknown sub-commands) are one line."""

    def parse_args(self, ctx, args):
        return _one_line(lambda: super(OneLineGroup, self).parse_args(ctx, args))

    def resolve_command(self, ctx, args):
        return _one_line(lambda: super(OneLineGroup, self).resolve_command(ctx, args))


def command(app: typer.Typer, name: str | None = None, **kwargs: Any):
    """`app.command(name)` with one-line usage errors, also when `app` is someone else's Typer."""
    return app.command(name, cls=OneLineCommand, **kwargs)


def group(**kwargs: Any) -> typer.Typer:
    """A sub-command group (`removalsim runs ...`) with one-line usage errors."""
    return typer.Typer(cls=OneLineGroup, no_args_is_help=True, **kwargs)
