"""Results of a run as tidy tables, with Parquet storage."""

from .result import Result

__all__ = ["Result"]
