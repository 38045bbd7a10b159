"""New arrivals by group and channel; border arrivals may go straight to expedited removal."""

from __future__ import annotations

import numpy as np

from ..states import Flow, State
from ..world import World
from .base import Process


def expedited_removal(w: World, pids: np.ndarray, new: bool) -> np.ndarray:
    """Put people into expedited removal while beds last; returns those who got no bed.

    Those who claim fear and pass screening go to the detained docket with a case;
    the rest get a removal order without a hearing and wait for a travel document.
    `new` says whether the people arrived today (and have no state yet).
    """
    free = w.free_beds()
    held, unheld = pids[:free], pids[free:]
    if len(held) == 0:
        return unheld
    p, er = w.people, w.sc.expedited_removal
    ep = p.epoch[held]
    fear = (w.rng.uniform("er.fear_claim", held, ep) < er.fear_claim_share.number()) & (
        w.rng.uniform("er.fear_pass", held, ep) < er.fear_pass_share.number())
    passed, ordered = held[fear], held[~fear]
    p.via_er[ordered] = True
    p.unrep_order[ordered] = True
    w.count(Flow.EXPEDITED_REMOVAL_ORDER, ordered)
    w.count(Flow.CREDIBLE_FEAR_PASSED, passed)
    w.count(Flow.DETAINED, held)
    w.file_case(passed, detained=True)
    enter = w.place if new else w.move
    enter(passed, State.DETAINED_PENDING)
    enter(ordered, State.DETAINED_FINAL)
    return unheld


class Inflows(Process):
    writes = (State.NO_CASE, State.CASE_PENDING, State.PROTECTED, State.DETAINED_PENDING, State.DETAINED_FINAL)
    params = ("groups.*.arrivals_per_day", "groups.*.share_border", "groups.*.share_evaded",
              "groups.*.share_overstay", "groups.*.arrivals_protected_share", "expedited_removal.arrival_share",
              "groups.*.criminal_record_share", "groups.*.usc_family_share", "groups.*.noncooperating_share")
    flows = (Flow.BORDER_APPREHENSION, Flow.ARRIVAL_BORDER_RELEASE, Flow.ARRIVAL_EVADED, Flow.ARRIVAL_OVERSTAY,
             Flow.ARRIVAL_PAROLED, Flow.EXPEDITED_REMOVAL_ORDER, Flow.CREDIBLE_FEAR_PASSED)

    def step(self, w: World) -> None:
        counts = w.inp.arrivals[:, :, w.day]  # [group, channel]
        total = int(counts.sum())
        if total == 0:
            return
        p, d = w.people, w.day
        pids = p.add(total)
        G, C = counts.shape
        flat = counts.ravel()
        p.group[pids] = np.repeat(np.repeat(np.arange(G), C), flat)
        channel = np.repeat(np.tile(np.arange(C), G), flat)
        p.channel[pids] = channel + 1
        p.entry_day[pids] = d
        draw_attributes(w, pids)
        border = pids[channel == 0]
        w.count(Flow.BORDER_APPREHENSION, border)
        p.arrest_day[border] = d
        er = border[w.rng.uniform("er.arrival", border, 0) < w.inp.er_arrival_share[d]]
        unheld = expedited_removal(w, er, new=True)
        released = np.sort(np.concatenate([border[~np.isin(border, er)], unheld]))
        paroled = w.rng.uniform("arrival.parole", released, 0) < w.inp.arrivals_protected[p.group[released], d]
        w.place(released[paroled], State.PROTECTED, Flow.ARRIVAL_PAROLED)
        nta = released[~paroled]
        w.file_case(nta, detained=False)
        w.place(nta, State.CASE_PENDING, Flow.ARRIVAL_BORDER_RELEASE)
        w.enroll_atd(nta)
        w.place(pids[channel == 1], State.NO_CASE, Flow.ARRIVAL_EVADED)
        w.place(pids[channel == 2], State.NO_CASE, Flow.ARRIVAL_OVERSTAY)


def draw_attributes(w: World, pids: np.ndarray) -> None:
    """Person attributes drawn once, at entry, from the group's shares."""
    p, gp = w.people, w.inp.gp
    g = p.group[pids]
    p.criminal[pids] = w.rng.uniform("attr.criminal", pids, 0) < gp["criminal_record_share"][g]
    p.usc_family[pids] = w.rng.uniform("attr.usc_family", pids, 0) < gp["usc_family_share"][g]
    p.noncoop[pids] = w.rng.uniform("attr.noncoop", pids, 0) < gp["noncooperating_share"][g]
