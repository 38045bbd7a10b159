"""Several runs of one scenario: replicates with their own seeds, and the bands across them."""

from .bands import stack_summaries, summarize
from .replicates import replicate_seed, run_replicates

__all__ = ["replicate_seed", "run_replicates", "stack_summaries", "summarize"]
