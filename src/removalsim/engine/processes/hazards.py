"""Exits that happen at a rate rather than through a capacity: death, self-departure, adjustment, end of protection.

Their times are drawn when a person enters a state (by inverting the running
total of the hazard), so a day's work is only the people whose time has come.
"""

from __future__ import annotations

from ..people import NEVER
from ..states import Cost, Flow, State
from ..world import World
from .base import Process


class Mortality(Process):
    reads = tuple(s for s in State if s not in (State.REMOVED, State.DEPARTED, State.LEGALIZED, State.DIED))
    writes = (State.DIED,)
    params = ("mortality.death_rate",)
    flows = (Flow.DEATH,)

    def step(self, w: World) -> None:
        w.move(w.calendars["death"].pop(w.day, w.people.epoch), State.DIED, Flow.DEATH)


class SelfDeparture(Process):
    reads = (State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER, State.PROTECTED, State.APPEAL_AT_LARGE)
    writes = (State.DEPARTED,)
    params = ("self_departure.*",)
    flows = (Flow.SELF_DEPARTURE,)
    costs = (Cost.STIPENDS,)

    def step(self, w: World) -> None:
        leaving = w.calendars["self_departure"].pop(w.day, w.people.epoch)
        w.spend(Cost.STIPENDS, leaving, float(w.inp.stipend_cost[w.day]))
        w.move(leaving, State.DEPARTED, Flow.SELF_DEPARTURE)


class Legalization(Process):
    """Adjustment via a U.S.-citizen spouse or child; protection that ends on its policy date."""

    reads = (State.NO_CASE, State.CASE_PENDING, State.PROTECTED)
    writes = (State.LEGALIZED, State.NO_CASE, State.CASE_PENDING)
    params = ("legalization.usc_adjustment_rate", "groups.*.protection_end_date")
    flows = (Flow.ADJUSTMENT, Flow.PROTECTION_ENDED)

    def step(self, w: World) -> None:
        p = w.people
        w.move(w.calendars["adjustment"].pop(w.day, p.epoch), State.LEGALIZED, Flow.ADJUSTMENT)
        ended = w.calendars["protection_end"].pop(w.day, p.epoch)
        w.count(Flow.PROTECTION_ENDED, ended)
        has_case = p.filed_day[ended] != NEVER
        w.move(ended[has_case], State.CASE_PENDING)
        w.move(ended[~has_case], State.NO_CASE)
