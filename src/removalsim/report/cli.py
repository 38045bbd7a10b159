"""`removalsim report`: run scenarios with common random numbers and write the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import List

import typer


def register(app: typer.Typer) -> None:
    """Add `report` to the command line."""

    @app.command()
    def report(
        scenarios: List[str] = typer.Argument(..., help="Scenarios; the first is the reference for differences."),
        out_file: Path = typer.Option(Path("report.html"), "--out", help="HTML file to write."),
        replicates: int = typer.Option(3, "--replicates", "-r", help="Replicates per scenario."),
        years: float = typer.Option(5.0, help="Years to simulate (0 < years <= 50)."),
        scale: float = typer.Option(0.01, help="Proportional sample of the country (0 < scale <= 1)."),
        seed: int = typer.Option(0, help="Base seed."),
        fixed_params: bool = typer.Option(False, "--fixed-params", help="Keep uncertain parameters at their values."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Write one self-contained HTML report (figures embedded) answering the six questions."""
        from ..cli import fail, out
        from ..compare.cli import _check, execute
        from .build import build_report

        _check(replicates, years, scale)
        if out_file.exists() and out_file.is_dir():
            fail(f"--out {out_file}: is a folder; give a file name such as report.html")
        runs = execute(list(scenarios), replicates, years, seed, scale, quiet, fixed_params,
                       checkpoints=(1, 2, 5))
        try:
            path = build_report(runs, out_file)
        except OSError as e:
            fail(f"--out {out_file}: cannot write ({e.strerror or e})")
        out.print(f"Report written to {path} ({path.stat().st_size / 1e6:.1f} MB)")
