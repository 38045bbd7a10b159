"""Figures: fan charts of replicate bands over time, a Sankey of where the population went, sensitivity bars.

PNG (matplotlib, Agg backend) by default; a path ending in .html gives an
interactive plotly figure instead.
"""

from .fan import FAN_MEASURES, fan_chart
from .sankey import sankey, sankey_links
from .sensitivity import sensitivity_bars

__all__ = ["FAN_MEASURES", "fan_chart", "sankey", "sankey_links", "sensitivity_bars"]
