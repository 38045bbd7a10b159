"""Several runs of one scenario: replicates with their own seeds, and the bands across them."""

from .replicates import replicate_seed, run_replicates

__all__ = ["replicate_seed", "run_replicates"]
