"""Transport: land removal within a daily capacity; charter flights of fixed seats on a weekly schedule.

A removal happens when a seat is assigned. A flight goes only if at least its
minimum load is waiting; its cost (hours x cost per hour) is shared among the
groups on board. At scale < 1 the flight schedule is unchanged and each flight
carries (and costs) that share of a full flight.
"""

from __future__ import annotations

import numpy as np

from ..states import Cost, Flow, State, Wait
from ..world import World
from .base import Process


def flights_flown(scheduled: int, waiting: int, seats: float, min_load: float) -> int:
    """Flights that go today: filled in turn, each needs at least `min_load` people on board."""
    if scheduled == 0 or waiting < min_load:
        return 0
    return int(min(scheduled, (waiting - min_load) // seats + 1))


class Transport(Process):
    reads = (State.AWAITING_TRANSPORT,)
    writes = (State.REMOVED,)
    params = ("transport.*",)
    flows = (Flow.REMOVED_LAND, Flow.REMOVED_AIR, Flow.REMOVED, Flow.REMOVED_IN_ABSENTIA,
             Flow.REMOVED_UNREPRESENTED, Flow.REMOVED_VIA_ER, Flow.REMOVED_WITH_USC_FAMILY)
    costs = (Cost.TRANSPORT,)

    def step(self, w: World) -> None:
        inp, d, p = w.inp, w.day, w.people
        waiting_by_group = w.counts[State.AWAITING_TRANSPORT]
        for r, queue in enumerate(w.transport_queues):
            waiting = int(waiting_by_group[inp.group_region == r].sum())
            if waiting == 0:
                continue
            if not inp.region_is_air[r]:
                pids = queue.serve(int(inp.land_capacity[r, d]), d, p.epoch)
                w.spend(Cost.TRANSPORT, pids, float(inp.land_cost[r]))
                self.remove(w, pids, Flow.REMOVED_LAND)
                continue
            flown = flights_flown(int(inp.flights[r, d]), waiting, inp.seats[r], inp.min_load[r])
            if flown == 0:
                continue
            seats = w.seat_fraction[r] + flown * inp.seats[r]
            pids = queue.serve(min(waiting, int(seats + 1e-9)), d, p.epoch)
            w.seat_fraction[r] = seats - int(seats + 1e-9)
            share = np.bincount(p.group[pids], minlength=w.G) / max(len(pids), 1)
            w.costs[d, Cost.TRANSPORT] += flown * inp.flight_cost[r] * share
            self.remove(w, pids, Flow.REMOVED_AIR)

    @staticmethod
    def remove(w: World, pids: np.ndarray, flow: Flow) -> None:
        p = w.people
        w.record_wait(Wait.ARREST_TO_REMOVAL, pids, p.arrest_day[pids])
        for flag, f in ((p.in_absentia, Flow.REMOVED_IN_ABSENTIA), (p.unrep_order, Flow.REMOVED_UNREPRESENTED),
                        (p.via_er, Flow.REMOVED_VIA_ER), (p.usc_family, Flow.REMOVED_WITH_USC_FAMILY)):
            w.count(f, pids[flag[pids]])
        w.count(flow, pids)
        w.move(pids, State.REMOVED, Flow.REMOVED)

