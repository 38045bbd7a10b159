"""Where the values fitted to the record live (`calibration:<file>` sources) and how the fitting scripts in
`scripts/` take their options and write them."""

from __future__ import annotations

import argparse
from importlib import resources
from pathlib import Path


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
