"""Policy comparison: scenarios run replicate by replicate with common random numbers, their
differences with 90% intervals, the binding bottleneck over time, and the China questions."""

from .bottleneck import binding_stage, utilisation
from .china import china_answers
from .runner import Runs, differences, run_scenarios

__all__ = ["Runs", "binding_stage", "china_answers", "differences", "run_scenarios", "utilisation"]
