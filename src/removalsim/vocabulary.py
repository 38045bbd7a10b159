"""The model's vocabulary: states, flows, costs and waits, their labels and units, and the named groups of states.

Everything that gives a state, flow or cost a meaning lives here, so the
engine, the results, the analysis, the report, the SimPy reference and the
tests all read the same definitions. No meaning rests on the numeric order of
an enum: a group of states is a named tuple of states, and compiled code reads
it as a boolean mask indexed by state (`mask`).

>>> [s.name for s in CUSTODY]
['DETAINED_PENDING', 'DETAINED_FINAL', 'AWAITING_TRANSPORT', 'APPEAL_DETAINED']
>>> bool(mask(TERMINAL)[State.REMOVED]), bool(mask(TERMINAL)[State.FINAL_ORDER])
(True, False)
>>> label(Flow.REMOVED_VIA_ER)
'removals by expedited removal'
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
    """Every person is in exactly one state on every day."""

    NO_CASE = 0             # at large, no case
    CASE_PENDING = 1        # at large, non-detained docket (optionally on ATD)
    FINAL_ORDER = 2         # at large, final order of removal
    PROTECTED = 3           # at large, TPS / parole / DACA-like protection
    APPEAL_AT_LARGE = 4     # appeal pending at the BIA, not detained
    DETAINED_PENDING = 5    # in custody, case pending (detained docket)
    DETAINED_FINAL = 6      # in custody, final order, awaiting a travel document
    AWAITING_TRANSPORT = 7  # in custody, document issued, awaiting a seat
    APPEAL_DETAINED = 8     # appeal pending at the BIA, detained
    REMOVED = 9
    DEPARTED = 10           # left on one's own (self-deportation, voluntary departure)
    LEGALIZED = 11          # relief granted, adjustment of status
    DIED = 12


class Flow(IntEnum):
    """Named flows, counted per day and group; one person can take part in several on one day."""

    ARRIVAL_BORDER_RELEASE = 0
    ARRIVAL_EVADED = 1
    ARRIVAL_OVERSTAY = 2
    ARRIVAL_PAROLED = 3
    BORDER_APPREHENSION = 4
    EXPEDITED_REMOVAL_ORDER = 5
    CREDIBLE_FEAR_PASSED = 6
    ARREST = 7
    DETAINED = 8
    RELEASED_NO_BED = 9
    ATD_ENROLLED = 10
    CASE_FILED = 11
    COURT_COMPLETION = 12
    IN_ABSENTIA_ORDER = 13
    RELIEF_GRANTED = 14
    REMOVAL_ORDER = 15
    VOLUNTARY_DEPARTURE = 16
    CASE_CLOSED = 17
    APPEAL_FILED = 18
    APPEAL_REVERSED = 19
    APPEAL_DISMISSED = 20
    DOC_REQUESTED = 21
    DOC_REFUSED = 22
    DOC_ISSUED = 23
    CUSTODY_LIMIT_RELEASE = 24
    REMOVED_LAND = 25
    REMOVED_AIR = 26
    SELF_DEPARTURE = 27
    VD_DEPARTED = 28
    ADJUSTMENT = 29
    PROTECTION_ENDED = 30
    DEATH = 31
    REMOVED_IN_ABSENTIA = 32       # removals of people ordered removed in absentia
    REMOVED_UNREPRESENTED = 33     # removals after an order given without counsel
    REMOVED_VIA_ER = 34            # removals by expedited removal, without a hearing
    REMOVED_WITH_USC_FAMILY = 35   # removals of people with a U.S.-citizen spouse or child
    REMOVED = 36                   # all removals
    VOLUNTARY_RETURN = 37          # border arrivals returned at once (DHS "returns"; not ICE removals)
    REMOVED_BORDER = 38            # removals of people apprehended at the border by CBP, never arrested by ICE
    CASE_REOPENED = 39             # closed cases recalendared and in-absentia orders reopened (not new receipts)
    RELEASED_DISCRETION = 40       # released at booking by ICE's choice (bond, recognizance, parole), beds or not


class Cost(IntEnum):
    """Cost components, in U.S. dollars."""

    ARREST = 0
    DETENTION = 1
    ATD = 2
    COURT = 3
    APPEALS = 4
    TRAVEL_DOCUMENTS = 5
    TRANSPORT = 6
    STIPENDS = 7


class Wait(IntEnum):
    """Waiting times the engine logs, in days."""

    ARREST_TO_REMOVAL = 0
    FILING_TO_DECISION = 1


N_STATES, N_FLOWS, N_COSTS, N_WAITS = len(State), len(Flow), len(Cost), len(Wait)

# -- named groups of states ---------------------------------------------------------------------
CUSTODY = (State.DETAINED_PENDING, State.DETAINED_FINAL, State.AWAITING_TRANSPORT, State.APPEAL_DETAINED)
AT_LARGE = (State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER, State.PROTECTED, State.APPEAL_AT_LARGE)
ARRESTABLE = (State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER)  # the states with an arrest pool
TERMINAL = (State.REMOVED, State.DEPARTED, State.LEGALIZED, State.DIED)
BACKLOG = (State.CASE_PENDING, State.DETAINED_PENDING)  # cases pending before an immigration judge
PENDING = (State.CASE_PENDING, State.DETAINED_PENDING, State.APPEAL_AT_LARGE, State.APPEAL_DETAINED)  # + the BIA
FINAL = (State.FINAL_ORDER, State.DETAINED_FINAL, State.AWAITING_TRANSPORT, State.REMOVED)  # ordered removed

# Stocks the engine records besides the states (people in a state with a given attribute).
EXTRA_STOCKS = ("final_order_unexecutable", "on_atd")
# What the engine counts at each yearly checkpoint (engine/checkpoints.py): the recent-arrival cohort by status,
# and the people ever ordered removed without counsel.
CHECKPOINT_MEASURES = ("cohort_size", "cohort_final_order", "cohort_removed", "cohort_pending", "cohort_legalized",
                       "ordered_without_counsel")


def mask(states: tuple[State, ...]) -> np.ndarray:
    """A boolean array over all states, True for those in `states` (what compiled code indexes)."""
    out = np.zeros(N_STATES, dtype=np.bool_)
    out[list(states)] = True
    return out


def names(enum: type[IntEnum]) -> list[str]:
    """The members' names as the result tables spell them (lower case)."""
    return [m.name.lower() for m in enum]


def measure_names(states: tuple[State, ...]) -> tuple[str, ...]:
    """The stock-table names of a group of states."""
    return tuple(s.name.lower() for s in states)


# -- labels and units ---------------------------------------------------------------------------
_STATE_LABELS = {
    State.NO_CASE: "at large, no case", State.CASE_PENDING: "at large, case pending",
    State.FINAL_ORDER: "at large, final order", State.PROTECTED: "protected (TPS, parole, DACA)",
    State.APPEAL_AT_LARGE: "at large, appeal pending", State.DETAINED_PENDING: "detained, case pending",
    State.DETAINED_FINAL: "detained, final order (awaiting a travel document)",
    State.AWAITING_TRANSPORT: "detained, awaiting transport", State.APPEAL_DETAINED: "detained, appeal pending",
    State.REMOVED: "removed", State.DEPARTED: "departed on their own", State.LEGALIZED: "legal status",
    State.DIED: "died",
}
_FLOW_LABELS = {
    Flow.ARRIVAL_BORDER_RELEASE: "border arrivals released with a notice to appear",
    Flow.ARRIVAL_EVADED: "arrivals who evaded apprehension", Flow.ARRIVAL_OVERSTAY: "visa overstays",
    Flow.ARRIVAL_PAROLED: "arrivals paroled in", Flow.BORDER_APPREHENSION: "border apprehensions",
    Flow.EXPEDITED_REMOVAL_ORDER: "expedited removal orders", Flow.CREDIBLE_FEAR_PASSED: "credible fear found",
    Flow.ARREST: "ICE arrests", Flow.DETAINED: "book-ins to detention",
    Flow.RELEASED_NO_BED: "released for want of a bed", Flow.ATD_ENROLLED: "enrolments in ATD",
    Flow.CASE_FILED: "cases filed (notices to appear)", Flow.COURT_COMPLETION: "court completions",
    Flow.IN_ABSENTIA_ORDER: "in-absentia removal orders", Flow.RELIEF_GRANTED: "relief granted",
    Flow.REMOVAL_ORDER: "removal orders after a hearing", Flow.VOLUNTARY_DEPARTURE: "voluntary departure granted",
    Flow.CASE_CLOSED: "cases closed or dismissed", Flow.APPEAL_FILED: "appeals filed",
    Flow.APPEAL_REVERSED: "appeals sustained", Flow.APPEAL_DISMISSED: "appeals dismissed",
    Flow.DOC_REQUESTED: "travel documents requested", Flow.DOC_REFUSED: "travel documents refused",
    Flow.DOC_ISSUED: "travel documents issued", Flow.CUSTODY_LIMIT_RELEASE: "released at the custody limit",
    Flow.REMOVED_LAND: "removals by land", Flow.REMOVED_AIR: "removals by air",
    Flow.SELF_DEPARTURE: "self-departures", Flow.VD_DEPARTED: "departures under voluntary departure",
    Flow.ADJUSTMENT: "adjustments of status", Flow.PROTECTION_ENDED: "protections ended", Flow.DEATH: "deaths",
    Flow.REMOVED_IN_ABSENTIA: "removals after an in-absentia order",
    Flow.REMOVED_UNREPRESENTED: "removals after an order without counsel",
    Flow.REMOVED_VIA_ER: "removals by expedited removal",
    Flow.REMOVED_WITH_USC_FAMILY: "removals of people with U.S.-citizen family", Flow.REMOVED: "removals",
    Flow.VOLUNTARY_RETURN: "voluntary returns at the border", Flow.REMOVED_BORDER: "border-origin removals",
    Flow.CASE_REOPENED: "cases reopened or recalendared",
    Flow.RELEASED_DISCRETION: "released at booking by ICE (bond, recognizance, parole)",
}
_COST_LABELS = {
    Cost.ARREST: "arrests", Cost.DETENTION: "detention", Cost.ATD: "alternatives to detention",
    Cost.COURT: "immigration court", Cost.APPEALS: "appeals (BIA)", Cost.TRAVEL_DOCUMENTS: "travel documents",
    Cost.TRANSPORT: "transport", Cost.STIPENDS: "self-departure stipends",
}
_WAIT_LABELS = {Wait.ARREST_TO_REMOVAL: "arrest to removal", Wait.FILING_TO_DECISION: "case filing to decision"}
_LABELS: dict[type, dict] = {State: _STATE_LABELS, Flow: _FLOW_LABELS, Cost: _COST_LABELS, Wait: _WAIT_LABELS}
_UNITS = {State: "people", Flow: "people", Cost: "USD", Wait: "days"}


def label(member: IntEnum) -> str:
    """A reader's name for a state, flow, cost or wait (keyed by type: members of two enums can be equal ints)."""
    return _LABELS[type(member)][member]


def unit(member: IntEnum) -> str:
    """The unit of a state's stock or a flow (people), a cost (USD) or a wait (days)."""
    return _UNITS[type(member)]
