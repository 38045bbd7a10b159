"""Backtest and calibration: the court stage and ICE interior removals against the public record.

``run_backtest()`` fits on stated fiscal years and compares every year the record
can drive; ``fit()`` calibrates free parameters and ``override_toml()`` writes them
as a scenario override that cites the calibration. Commands: ``removalsim backtest``
and ``removalsim calibrate``.
"""

from .calibrate import TARGETS, CalibrationError, Fit, fit, free_params, mape, override_toml, parse_years
from .run import Backtest, plot, run_backtest

__all__ = ["TARGETS", "Backtest", "CalibrationError", "Fit", "fit", "free_params", "mape", "override_toml",
           "parse_years", "plot", "run_backtest"]
