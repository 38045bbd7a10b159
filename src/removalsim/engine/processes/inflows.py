"""New arrivals by group and channel; border arrivals may go straight to expedited removal.

Border arrivals removed by ICE straight from CBP custody (a share of those ordered removed at the border)
take no ICE book-in and no travel-document request; only nationals removed by land can be removed within
CBP's hours-to-days custody, so the others drawn for it are booked into ICE detention for expedited removal.

Every arrival's group, channel and attributes are drawn when the population is
built (`population.build`), because person ids are handed out in arrival order;
on their day they get their first state here.
"""

from __future__ import annotations

from numba import njit

from ...vocabulary import Flow, State
from ..transitions import (AWAITING_TRANSPORT, CASE_PENDING, DETAINED_FINAL, DETAINED_PENDING, NO_CASE, NO_FLOW,
                           PROTECTED, count, enroll_atd, file_case, free_beds, move, place, set_unrep_order,
                           start_custody_limit, uniform)
from ..world import N_PEOPLE, stream_indices
from .base import Param, Stage, scalar

(BORDER, RELEASE, EVADED, OVERSTAY, PAROLED, ER_ORDER, FEAR_PASSED, DETAINED) = (
    int(Flow.BORDER_APPREHENSION), int(Flow.ARRIVAL_BORDER_RELEASE), int(Flow.ARRIVAL_EVADED),
    int(Flow.ARRIVAL_OVERSTAY), int(Flow.ARRIVAL_PAROLED), int(Flow.EXPEDITED_REMOVAL_ORDER),
    int(Flow.CREDIBLE_FEAR_PASSED), int(Flow.DETAINED))
RETURNED = int(Flow.VOLUNTARY_RETURN)
DEPARTED = int(State.DEPARTED)
CHANNEL_BORDER, CHANNEL_EVADED = 1, 2  # people.channel: 0 stock, 1 border, 2 evaded, 3 overstay


STAGE = Stage(
    "inflows", "new arrivals; border arrivals to expedited removal, return, the detained docket or release",
    params=(Param("arrivals", "per group channel daily", "int",
                  ("groups.*.arrivals_per_day", "groups.*.share_border", "groups.*.share_evaded",
                   "groups.*.share_overstay"), lambda inp: inp.arrivals),
            Param("arrivals_protected", "per group daily", "float", ("groups.*.arrivals_protected_share",),
                  lambda inp: inp.arrivals_protected),
            Param("er_arrival_share", "daily", "float", ("expedited_removal.arrival_share",),
                  lambda inp: inp.er_arrival_share),
            Param("voluntary_return_share", "daily", "float", ("border.voluntary_return_share",),
                  lambda inp: inp.voluntary_return_share),
            Param("cbp_custody_removal_share", "daily", "float", ("border.cbp_custody_removal_share",),
                  lambda inp: inp.cbp_custody_removal_share),
            Param("detained_nta_share", "daily", "float", ("border.detained_nta_share",),
                  lambda inp: inp.detained_nta_share),
            scalar("fear_claim_share", "expedited_removal.fear_claim_share"),
            scalar("fear_pass_share", "expedited_removal.fear_pass_share")),
    uses=("group_region", "region_is_air"),
    fields=("arrest_day", "border_custody", "channel", "group", "tally", "via_er"),
    writes=(State.NO_CASE, State.CASE_PENDING, State.PROTECTED, State.DETAINED_PENDING, State.DETAINED_FINAL,
            State.AWAITING_TRANSPORT, State.DEPARTED),
    flows=(Flow.BORDER_APPREHENSION, Flow.ARRIVAL_BORDER_RELEASE, Flow.ARRIVAL_EVADED, Flow.ARRIVAL_OVERSTAY,
           Flow.ARRIVAL_PAROLED, Flow.EXPEDITED_REMOVAL_ORDER, Flow.CREDIBLE_FEAR_PASSED, Flow.DETAINED,
           Flow.VOLUNTARY_RETURN),
    streams=("er.arrival", "er.fear_claim", "er.fear_pass", "arrival.parole"))
ST_ER_ARRIVAL, ST_ER_FEAR_CLAIM, ST_ER_FEAR_PASS, ST_PAROLE = stream_indices(STAGE.streams)

@njit(cache=True)
def expedited_removal(S, p, day, new):
    """Put one person into expedited removal (the caller has found them a bed).

    Those who claim fear and pass screening go to the detained docket with a case;
    the rest get a removal order without a hearing and wait for a travel document.
    `new` says whether the person arrived today (and has no state yet).
    """
    count(S, DETAINED, p, day)
    passed = (uniform(S, ST_ER_FEAR_CLAIM, p) < S.fear_claim_share
              and uniform(S, ST_ER_FEAR_PASS, p) < S.fear_pass_share)
    if passed:
        count(S, FEAR_PASSED, p, day)
        file_case(S, p, day, True)
        to = DETAINED_PENDING
    else:
        S.via_er[p] = True
        set_unrep_order(S, p, True)
        count(S, ER_ORDER, p, day)
        to = DETAINED_FINAL
    if new:
        place(S, p, to, day, day, NO_FLOW)
    else:
        move(S, p, to, day, NO_FLOW)


@njit(cache=True)
def removal_from_cbp_custody(S, p, day):
    """An order at the border (expedited removal or reinstatement) and removal by land from CBP custody: no ICE
    book-in, no travel-document request; the wait for transport is bounded by the custody limit like anyone's."""
    S.border_custody[p] = True
    S.via_er[p] = True
    set_unrep_order(S, p, True)
    count(S, ER_ORDER, p, day)
    place(S, p, AWAITING_TRANSPORT, day, day, NO_FLOW)
    start_custody_limit(S, p, day, day)


@njit(cache=True)
def step(S, day):
    first = S.tally[N_PEOPLE]
    last = first + S.arrivals[:, :, day].sum()
    S.tally[N_PEOPLE] = last
    beds = free_beds(S, day)  # border arrivals picked for expedited removal take them in id order
    for p in range(first, last):
        ch = S.channel[p]
        if ch != CHANNEL_BORDER:
            place(S, p, NO_CASE, day, day, EVADED if ch == CHANNEL_EVADED else OVERSTAY)
            continue
        count(S, BORDER, p, day)
        S.arrest_day[p] = day
        u = uniform(S, ST_ER_ARRIVAL, p)  # one draw picks: ER, return, removal from CBP custody, detained docket
        er = S.er_arrival_share[day]
        returned = er + S.voluntary_return_share[day]
        from_cbp = returned + S.cbp_custody_removal_share[day]
        if u < er and beds > 0:
            beds -= 1
            S.border_custody[p] = True
            expedited_removal(S, p, day, True)
        elif er <= u < returned:
            place(S, p, DEPARTED, day, day, RETURNED)
        elif returned <= u < from_cbp and beds > 0:  # held until transport, like everyone in custody: a bed
            beds -= 1
            if S.region_is_air[S.group_region[S.group[p]]]:  # flown home: ICE custody for the document and seat
                S.border_custody[p] = True
                expedited_removal(S, p, day, True)
            else:
                removal_from_cbp_custody(S, p, day)
        elif from_cbp <= u < from_cbp + S.detained_nta_share[day] and beds > 0:
            beds -= 1
            S.border_custody[p] = True
            count(S, DETAINED, p, day)
            file_case(S, p, day, True)
            place(S, p, DETAINED_PENDING, day, day, NO_FLOW)
        elif uniform(S, ST_PAROLE, p) < S.arrivals_protected[S.group[p], day]:
            place(S, p, PROTECTED, day, day, PAROLED)
        else:
            file_case(S, p, day, False)
            place(S, p, CASE_PENDING, day, day, RELEASE)
            enroll_atd(S, p, day)
