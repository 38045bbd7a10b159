"""Transport: land removal within a daily capacity; charter flights of fixed seats on a weekly schedule.

A removal happens when a seat is assigned. Besides the scheduled flights, a region
flies extra charters, up to its ceiling, for the people who were waiting
`response_days` ago (the time to contract and schedule them). A flight goes only if
at least its minimum load is waiting; its cost (hours x cost per hour) is shared among the
people on board. At scale < 1 the flight schedule is unchanged and each flight
carries (and costs) that share of a full flight.
"""

from __future__ import annotations

from numba import njit

from ...vocabulary import Cost, Flow, State, Wait
from ..transitions import (AWAITING_TRANSPORT, REMOVED, count, cursor, fetch_next, move, record_wait, serve, spend,
                           transport_line)
from .base import Param, Stage

TRANSPORT = int(Cost.TRANSPORT)
LAND, AIR, ALL = int(Flow.REMOVED_LAND), int(Flow.REMOVED_AIR), int(Flow.REMOVED)
IN_ABSENTIA, UNREPRESENTED, VIA_ER, USC_FAMILY = (int(Flow.REMOVED_IN_ABSENTIA), int(Flow.REMOVED_UNREPRESENTED),
                                                  int(Flow.REMOVED_VIA_ER), int(Flow.REMOVED_WITH_USC_FAMILY))
BORDER_ORIGIN = int(Flow.REMOVED_BORDER)
ARREST_TO_REMOVAL = int(Wait.ARREST_TO_REMOVAL)


STAGE = Stage(
    "transport", "land removals and charter flights",
    params=(Param("land_capacity", "per region daily", "int", ("transport.land.*.capacity_per_day",),
                  lambda inp: inp.land_capacity),
            Param("flights", "per region daily", "int", ("transport.air.*.flights_per_week",), lambda inp: inp.flights),
            Param("extra_flights", "per region daily", "int",
                  ("transport.air.*.max_flights_per_week", "transport.air.*.flights_per_week"),
                  lambda inp: inp.extra_flights),
            Param("response_days", "per region", "int", ("transport.air.*.response_days",),
                  lambda inp: inp.response_days),
            Param("seats", "per region", "float", ("transport.air.*.seats_per_flight",), lambda inp: inp.seats),
            Param("min_load", "per region", "float", ("transport.air.*.min_load_share",), lambda inp: inp.min_load),
            Param("flight_cost", "per region", "float",
                  ("transport.air.*.flight_hours", "transport.air.*.cost_per_flight_hour"),
                  lambda inp: inp.flight_cost),
            Param("land_cost", "per region", "float", ("transport.land.*.cost_per_person",),
                  lambda inp: inp.land_cost),
            Param("region_is_air", "per region", "bool", ("transport.air",), lambda inp: inp.region_is_air)),
    uses=("group_region",),
    fields=("arrest_day", "border_custody", "counts", "flown", "in_absentia", "line", "seat_fraction", "stocks",
            "unrep_order", "usc_family", "via_er"),
    reads=(State.AWAITING_TRANSPORT,),
    writes=(State.REMOVED,),
    flows=(Flow.REMOVED_LAND, Flow.REMOVED_AIR, Flow.REMOVED, Flow.REMOVED_IN_ABSENTIA,
           Flow.REMOVED_UNREPRESENTED, Flow.REMOVED_VIA_ER, Flow.REMOVED_WITH_USC_FAMILY, Flow.REMOVED_BORDER),
    costs=(Cost.TRANSPORT,),
    lines=("transport_line",))

@njit(cache=True)
def flights_flown(scheduled, waiting, seats, min_load):
    """Flights that go today: filled in turn, each needs at least `min_load` people on board."""
    if scheduled == 0 or waiting < min_load:
        return 0
    return min(scheduled, int((waiting - min_load) // seats) + 1)


@njit(cache=True)
def step(S, day):
    for r in range(len(S.seats)):
        waiting = 0
        for g in range(len(S.group_region)):
            if S.group_region[g] == r:
                waiting += S.counts[AWAITING_TRANSPORT, g]
        if waiting == 0:
            continue
        line = transport_line(S, r)
        if not S.region_is_air[r]:
            ahead = cursor(S, S.line, line, S.land_capacity[r, day])  # the people served next, fetched ahead
            for _ in range(S.land_capacity[r, day]):
                p = serve(S, line, day)
                if p < 0:
                    break
                ahead = fetch_next(S, S.line, ahead)
                spend(S, TRANSPORT, p, day, S.land_cost[r])
                remove(S, p, day, LAND)
            continue
        flown = flights_flown(S.flights[r, day] + extra_flights(S, r, day), waiting, S.seats[r], S.min_load[r])
        if flown == 0:
            continue
        S.flown[day, r] += flown
        seats = S.seat_fraction[r] + flown * S.seats[r]
        board = min(waiting, int(seats + 1e-9))
        S.seat_fraction[r] = seats - int(seats + 1e-9)
        each = flown * S.flight_cost[r] / max(board, 1)
        ahead = cursor(S, S.line, line, board)
        for _ in range(board):
            p = serve(S, line, day)
            if p < 0:
                break
            ahead = fetch_next(S, S.line, ahead)
            spend(S, TRANSPORT, p, day, each)
            remove(S, p, day, AIR)


@njit(cache=True)
def extra_flights(S, r, day):
    """Charters added today: full loads of the people the region had waiting `response_days` ago, up to the
    day's room under the ceiling."""
    room = S.extra_flights[r, day]
    then = day - S.response_days[r]
    if room == 0 or then < 0:
        return 0
    waited = 0
    for g in range(len(S.group_region)):
        if S.group_region[g] == r:
            waited += S.stocks[then, AWAITING_TRANSPORT, g]
    return min(room, int(waited // S.seats[r]))


@njit(cache=True)
def remove(S, p, day, flow):
    record_wait(S, ARREST_TO_REMOVAL, p, day, S.arrest_day[p])
    if S.in_absentia[p]:
        count(S, IN_ABSENTIA, p, day)
    if S.unrep_order[p]:
        count(S, UNREPRESENTED, p, day)
    if S.via_er[p]:
        count(S, VIA_ER, p, day)
    if S.usc_family[p]:
        count(S, USC_FAMILY, p, day)
    if S.border_custody[p]:
        count(S, BORDER_ORIGIN, p, day)
    count(S, flow, p, day)
    move(S, p, REMOVED, day, ALL)
