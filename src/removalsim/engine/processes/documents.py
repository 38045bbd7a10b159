"""Travel documents: the receiving country answers after a verification lag, then issues within a monthly capacity.

A refusal, or reaching the post-order custody limit before a document is issued,
means release with a final order that cannot be executed (the person is
"stranded") until they are arrested again and a new request succeeds.
"""

from __future__ import annotations

import numpy as np

from ..states import Cost, Flow, State
from ..world import World
from .base import Process


class TravelDocuments(Process):
    reads = (State.DETAINED_FINAL,)
    writes = (State.AWAITING_TRANSPORT, State.FINAL_ORDER)
    params = ("groups.*.doc_monthly_capacity", "groups.*.doc_lag_median_days", "groups.*.doc_lag_sigma",
              "groups.*.doc_refusal_share", "detention.custody_limit_days", "travel_documents.cost_per_document")
    flows = (Flow.DOC_REQUESTED, Flow.DOC_REFUSED, Flow.DOC_ISSUED, Flow.CUSTODY_LIMIT_RELEASE)
    costs = (Cost.TRAVEL_DOCUMENTS,)

    def step(self, w: World) -> None:
        p, d = w.people, w.day
        answered = w.calendars["doc_answer"].pop(d, p.epoch)
        g = p.group[answered]
        refused = w.rng.uniform("doc.refusal", answered, p.epoch[answered]) < w.inp.doc_refusal[g, d]
        self.release(w, answered[refused], Flow.DOC_REFUSED)
        ok, gok = answered[~refused], g[~refused]
        for grp in np.unique(gok):
            sel = ok[gok == grp]
            w.doc_queues[grp].push(sel, p.epoch[sel], np.full(len(sel), d, np.int32))
        cost = w.sc.travel_documents.cost_per_document.number()
        for grp in range(w.G):
            cap = int(w.inp.doc_capacity[grp, d])
            if cap and len(w.doc_queues[grp]):
                issued = w.doc_queues[grp].serve(cap, d, p.epoch)
                w.spend(Cost.TRAVEL_DOCUMENTS, issued, cost)
                w.move(issued, State.AWAITING_TRANSPORT, Flow.DOC_ISSUED)
        self.release(w, w.calendars["custody_limit"].pop(d, p.epoch), Flow.CUSTODY_LIMIT_RELEASE)

    @staticmethod
    def release(w: World, pids: np.ndarray, flow: Flow) -> None:
        w.people.stranded[pids] = True
        w.move(pids, State.FINAL_ORDER, flow)
