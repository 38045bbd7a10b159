"""The person-level engine: struct-of-arrays people, admission lines, event calendars and the day loop."""

from pathlib import Path

from .kernel_cache import drop_stale

drop_stale(Path(__file__).parent)  # before any kernel is loaded from Numba's cache
