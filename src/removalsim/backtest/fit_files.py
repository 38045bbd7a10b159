"""Where the values fitted to the record live (`calibration:<file>` sources) and how the fitting scripts in
`scripts/` take their options and write them."""

from __future__ import annotations

import argparse
import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Callable


def calibration_folder() -> Path:
    """The calibration files the shipped scenarios cite: where the loader reads them and a fit writes them."""
    return Path(str(resources.files("removalsim.scenario") / "data" / "calibration"))


def fit_arguments(doc: str | None, file_name: str, seeds: int) -> argparse.ArgumentParser:
    """A fitting script's options: --scale, --seeds and --write (the calibration file `file_name`)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    ap.add_argument("--scale", type=float, default=0.01)
    ap.add_argument("--seeds", type=int, default=seeds)
    ap.add_argument("--write", action="store_true", help=f"write {file_name}")
    return ap


def write_calibration(path: Path, text: str) -> None:
    """Write a fit's calibration file and say where."""
    path.write_text(text)
    print(f"wrote {path}")


def header(script: str, scale: float, seeds: int) -> list[str]:
    """A calibration file's first lines: which script wrote it, when, and the command that reproduces it."""
    return [f"# Calibration written by scripts/{script} on {dt.date.today().isoformat()}.",
            f"# Command: python scripts/{script} --scale {scale:g} --seeds {seeds} --write"]


def parameters_file(script: str, scale: float, seeds: int, fit: list[str], targets: str, extends: str, name: str,
                    description: str, values: list[tuple[str, str, str, str]]) -> str:
    """A calibration file: the header, the `fit` comment lines, the statistics it was fitted to (`targets`,
    comma-separated ids), then the scenario extending `extends` with each (path, value, unit, note) of `values`
    set, citing this file; parameters of one section (path = section.key) are written together, in order."""
    sections: dict[str, list[str]] = {}
    for path, value, unit, note in values:
        section, key = path.rsplit(".", 1)
        source = f"calibration:{name}.toml"
        sections.setdefault(section, []).append(
            f'{key} = {{ value = {value}, unit = "{unit}", source = "{source}", note = {_quoted(note)} }}')
    lines = [*header(script, scale, seeds), *(f"# {line}" for line in fit), f"# Data (statistics ids): {targets}",
             f'extends = "{extends}"', f'name = "{name}"', f"description = {_quoted(description)}", ""]
    for section, keys in sections.items():
        lines += [f"[{section}]", *keys, ""]
    return "\n".join(lines)


def one_parameter_file(script: str, scale: float, seeds: int, fit: list[str], target: str, extends: str,
                       name: str, description: str, path: str, value: str, unit: str, note: str) -> str:
    """A calibration file that sets one parameter (`parameters_file` with one value)."""
    return parameters_file(script, scale, seeds, fit, target, extends, name, description, [(path, value, unit, note)])


def _quoted(text: str) -> str:
    """A TOML basic string (the fit scripts' texts hold no backslash; a double quote is escaped)."""
    return '"' + text.replace('"', '\\"') + '"'


def fit_main(doc: str | None, calibration: Path, seeds: int, fit: Callable[[float, int], tuple],
             report: Callable[..., str], toml: Callable[..., str]) -> None:
    """A one-parameter fitting script's command line: fit, print `report(value, want, got)`, and with --write
    write `toml(value, want, got, scale, seeds)` to the calibration file."""
    args = fit_arguments(doc, calibration.name, seeds).parse_args()
    value, want, got = fit(args.scale, args.seeds)
    print(report(value, want, got))
    if args.write:
        write_calibration(calibration, toml(value, want, got, args.scale, args.seeds))
