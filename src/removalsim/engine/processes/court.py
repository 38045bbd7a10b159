"""Immigration court: judges x completions per judge-day, detained docket first, then filing order.

A detained case has a first hearing `court.detained_first_hearing_days` after book-in. A respondent who does
not contest removal is decided there (voluntary departure or a removal order, without appeal); one who
contests is set for a merits hearing `court.detained_min_days` after book-in, and only then can win relief,
see the case closed or appeal. The outcome is drawn at completion from the group's grant rates and the
respondent's representation: in absentia order (non-detained only), relief, voluntary departure, closure, or
a removal order (which may be appealed).
"""

from __future__ import annotations

from numba import njit

from ...vocabulary import Cost, Flow, State, Wait
from ..transitions import (APPEAL_AT_LARGE, APPEAL_DETAINED, DETAINED_FINAL, FINAL_ORDER, NO_CASE, NO_FLOW, count,
                           cursor, fetch_next, join_line, move, record_wait, serve, set_unrep_order, spend,
                           uniform)
from ..world import LINE_COURT_AT_LARGE, LINE_COURT_DETAINED, LINE_COURT_MERITS, stream_indices
from .base import Param, Stage, scalar

COURT = int(Cost.COURT)
LEGALIZED, DEPARTED = int(State.LEGALIZED), int(State.DEPARTED)
(COMPLETION, IN_ABSENTIA, RELIEF, VD, CLOSED, ORDER, APPEAL_FILED, VD_DEPARTED) = (
    int(Flow.COURT_COMPLETION), int(Flow.IN_ABSENTIA_ORDER), int(Flow.RELIEF_GRANTED),
    int(Flow.VOLUNTARY_DEPARTURE), int(Flow.CASE_CLOSED), int(Flow.REMOVAL_ORDER), int(Flow.APPEAL_FILED),
    int(Flow.VD_DEPARTED))
FILING_TO_DECISION = int(Wait.FILING_TO_DECISION)


STAGE = Stage(
    "court", "completions: detained docket first, then filing order",
    params=(Param("court_capacity", "daily", "int", ("court.judges", "court.completions_per_judge_day"),
                  lambda inp: inp.court_capacity),
            Param("absent_share", "daily", "float", ("court.in_absentia_share",), lambda inp: inp.in_absentia),
            Param("closure", "daily", "float", ("court.closure_share",), lambda inp: inp.closure),
            Param("closure_detained", "daily", "float", ("court.closure_share_detained",),
                  lambda inp: inp.closure_detained),
            Param("grant_rate_unrepresented", "per group", "float", ("groups.*.grant_rate_unrepresented",),
                  lambda inp: inp.gp["grant_rate_unrepresented"]),
            Param("grant_rate_represented", "per group", "float", ("groups.*.grant_rate_represented",),
                  lambda inp: inp.gp["grant_rate_represented"]),
            scalar("grant_factor_detained", "court.grant_factor_detained"),
            Param("contested_share", "daily", "float", ("court.detained_contested_share",),
                  lambda inp: inp.contested),
            Param("merits_days", "daily", "int", ("court.detained_min_days",), lambda inp: inp.merits_days),
            scalar("absent_factor_represented", "court.in_absentia_factor_represented"),
            scalar("absent_factor_atd", "atd.in_absentia_factor"),
            scalar("vd_share", "court.voluntary_departure_share"),
            scalar("vd_compliance", "court.voluntary_departure_compliance"),
            scalar("appeal_share_represented", "appeals.appeal_share_represented"),
            scalar("appeal_share_unrepresented", "appeals.appeal_share_unrepresented"),
            scalar("cost_completion", "court.cost_per_completion")),
    uses=("court_first_hearing",),
    fields=("atd", "filed_day", "group", "in_absentia", "line", "reopenable", "represented"),
    reads=(State.DETAINED_PENDING, State.CASE_PENDING),
    writes=(State.FINAL_ORDER, State.DETAINED_FINAL, State.LEGALIZED, State.NO_CASE, State.DEPARTED,
            State.APPEAL_AT_LARGE, State.APPEAL_DETAINED),
    flows=(Flow.COURT_COMPLETION, Flow.IN_ABSENTIA_ORDER, Flow.RELIEF_GRANTED, Flow.VOLUNTARY_DEPARTURE,
           Flow.CASE_CLOSED, Flow.REMOVAL_ORDER, Flow.APPEAL_FILED, Flow.VD_DEPARTED),
    costs=(Cost.COURT,),
    streams=("court.absent", "court.outcome", "court.vd_comply", "court.appeal", "court.contest"),
    lines=("LINE_COURT_MERITS", "LINE_COURT_DETAINED", "LINE_COURT_AT_LARGE"))
ST_ABSENT, ST_OUTCOME, ST_VD_COMPLY, ST_APPEAL, ST_CONTEST = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    """Merits hearings of contested detained cases first, then detained first hearings (an uncontested case is
    decided there; a contested one is set for a merits hearing and takes no judge time today), then at large."""
    cap = S.court_capacity[day]
    merits_delay = max(S.merits_days[day] - S.court_first_hearing, 1)
    ahead_merits = cursor(S, S.line, LINE_COURT_MERITS, cap)  # the people served next, fetched ahead
    ahead_detained = cursor(S, S.line, LINE_COURT_DETAINED, cap)
    ahead_at_large = cursor(S, S.line, LINE_COURT_AT_LARGE, cap)
    done = 0
    while done < cap:
        p = serve(S, LINE_COURT_MERITS, day)
        if p >= 0:
            ahead_merits = fetch_next(S, S.line, ahead_merits)
            decide(S, p, day, True, True)
            done += 1
            continue
        p = serve(S, LINE_COURT_DETAINED, day)
        if p >= 0:
            ahead_detained = fetch_next(S, S.line, ahead_detained)
            if uniform(S, ST_CONTEST, p) < S.contested_share[day]:
                join_line(S, p, LINE_COURT_MERITS, day + merits_delay)
            else:
                decide(S, p, day, True, False)
                done += 1
            continue
        p = serve(S, LINE_COURT_AT_LARGE, day)
        if p < 0:
            break
        ahead_at_large = fetch_next(S, S.line, ahead_at_large)
        decide(S, p, day, False, True)
        done += 1


@njit(cache=True)
def decide(S, p, day, detained, contested):
    """A completion: `contested` is False only for a detained case decided at its first hearing."""
    g = S.group[p]
    rep = S.represented[p]
    count(S, COMPLETION, p, day)
    spend(S, COURT, p, day, S.cost_completion)
    record_wait(S, FILING_TO_DECISION, p, day, S.filed_day[p])
    if not detained:
        chance = S.absent_share[day]
        if rep:
            chance *= S.absent_factor_represented
        if S.atd[p]:
            chance *= S.absent_factor_atd
        if uniform(S, ST_ABSENT, p) < chance:
            S.in_absentia[p] = True
            S.reopenable[p] = True  # an in-absentia order may be reopened
            set_unrep_order(S, p, not rep)
            move(S, p, FINAL_ORDER, day, IN_ABSENTIA)
            return
    grant = S.grant_rate_represented[g] if rep else S.grant_rate_unrepresented[g]
    if not contested:  # a detained respondent who does not contest asks for no relief
        grant = 0.0
    elif detained:
        grant *= S.grant_factor_detained
    u = uniform(S, ST_OUTCOME, p)
    if u < grant:
        move(S, p, LEGALIZED, day, RELIEF)
        return
    rest = min(max((u - grant) / max(1.0 - grant, 1e-12), 0.0), 1.0)
    if rest < S.vd_share:
        count(S, VD, p, day)
        if detained:
            move(S, p, DETAINED_FINAL, day, NO_FLOW)  # departure under safeguards: ICE carries it out
        elif uniform(S, ST_VD_COMPLY, p) < S.vd_compliance:
            move(S, p, DEPARTED, day, VD_DEPARTED)
        else:
            move(S, p, FINAL_ORDER, day, NO_FLOW)
    elif contested and rest < S.vd_share + (S.closure_detained[day] if detained else S.closure[day]):
        S.reopenable[p] = True  # a closed case may be recalendared
        move(S, p, NO_CASE, day, CLOSED)
    else:
        count(S, ORDER, p, day)
        set_unrep_order(S, p, not rep)
        share = S.appeal_share_represented if rep else S.appeal_share_unrepresented
        if contested and uniform(S, ST_APPEAL, p) < share:
            move(S, p, APPEAL_DETAINED if detained else APPEAL_AT_LARGE, day, APPEAL_FILED)
        else:
            move(S, p, DETAINED_FINAL if detained else FINAL_ORDER, day, NO_FLOW)
