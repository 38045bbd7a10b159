"""Travel documents: the receiving country answers after a verification lag, then issues within a monthly capacity.

A refusal, or reaching the post-order custody limit before a document is issued,
means release with a final order that cannot be executed (the person is
"stranded") until they are arrested again and a new request succeeds. A person
holding a document is held for a seat for at most the same number of days, counted
from the document; then they are released with an order that can be executed.
"""

from __future__ import annotations

from numba import njit

from .. import links
from ...vocabulary import Cost, Flow, State
from ..transitions import (AHEAD, AWAITING_TRANSPORT, FINAL_ORDER, answer_list, cursor, doc_line, fetch_next,
                           join_line, move, serve, spend, start_custody_limit, uniform)
from ..world import stream_indices
from .base import Param, Stage, scalar

DOCUMENTS = int(Cost.TRAVEL_DOCUMENTS)
REFUSED, ISSUED, LIMIT = int(Flow.DOC_REFUSED), int(Flow.DOC_ISSUED), int(Flow.CUSTODY_LIMIT_RELEASE)


STAGE = Stage(
    "travel_documents", "countries' answers, issuance within capacity, custody-limit releases",
    params=(Param("doc_capacity", "per group daily", "int", ("groups.*.doc_monthly_capacity",),
                  lambda inp: inp.doc_capacity),
            Param("doc_refusal", "per group daily", "float", ("groups.*.doc_refusal_share",),
                  lambda inp: inp.doc_refusal),
            scalar("cost_document", "travel_documents.cost_per_document")),
    uses=("protection_end",),
    fields=("custody", "group", "line", "state", "stranded"),
    reads=(State.DETAINED_FINAL,),
    writes=(State.AWAITING_TRANSPORT, State.FINAL_ORDER),
    flows=(Flow.DOC_REFUSED, Flow.DOC_ISSUED, Flow.CUSTODY_LIMIT_RELEASE),
    costs=(Cost.TRAVEL_DOCUMENTS,),
    streams=("doc.refusal",),
    lines=("doc_line", "answer_list"))
(ST_DOC_REFUSAL,) = stream_indices(STAGE.streams)

@njit(cache=True)
def step(S, day):
    answers = answer_list(S, day)
    ahead = cursor(S, S.line, answers, AHEAD)  # the people due next, fetched ahead
    while True:  # today's answers: refusal, or a place in the group's line for a document
        p = links.pop_head(S.line, answers)
        if p < 0:
            break
        ahead = fetch_next(S, S.line, ahead)
        g = S.group[p]
        if uniform(S, ST_DOC_REFUSAL, p) < S.doc_refusal[g, day]:
            release(S, p, day, REFUSED)
        else:
            join_line(S, p, doc_line(g), day)
    for g in range(len(S.protection_end)):
        cap = S.doc_capacity[g, day]
        ahead = cursor(S, S.line, doc_line(g), cap)
        while cap > 0:
            p = serve(S, doc_line(g), day)
            if p < 0:
                break
            ahead = fetch_next(S, S.line, ahead)
            spend(S, DOCUMENTS, p, day, S.cost_document)
            move(S, p, AWAITING_TRANSPORT, day, ISSUED)
            start_custody_limit(S, p, day, day)  # a seat must be found within the custody limit of the document
            cap -= 1
    ahead = cursor(S, S.custody, day, AHEAD)
    while True:
        p = links.pop_head(S.custody, day)
        if p < 0:
            break
        ahead = fetch_next(S, S.custody, ahead)
        if S.state[p] == AWAITING_TRANSPORT:  # a document but no seat: released on an order that can be executed
            move(S, p, FINAL_ORDER, day, LIMIT)
        else:
            release(S, p, day, LIMIT)


@njit(cache=True)
def release(S, p, day, flow):
    S.stranded[p] = True
    move(S, p, FINAL_ORDER, day, flow)
