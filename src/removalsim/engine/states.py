"""The states a person can be in, the named flows between them, and the cost components.

Every person is in exactly one state on every day. Flows are counted per day and
group; a person can take part in several flows on one day (arrest, then detain).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
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


N_STATES = len(State)
CUSTODY = np.array([State.DETAINED_PENDING, State.DETAINED_FINAL, State.AWAITING_TRANSPORT,
                    State.APPEAL_DETAINED])
TERMINAL = np.array([State.REMOVED, State.DEPARTED, State.LEGALIZED, State.DIED])
ARRESTABLE = np.array([State.NO_CASE, State.CASE_PENDING, State.FINAL_ORDER])
IS_ARRESTABLE = np.isin(np.arange(N_STATES), ARRESTABLE)
IS_CUSTODY = np.isin(np.arange(N_STATES), CUSTODY)
IS_TERMINAL = np.isin(np.arange(N_STATES), TERMINAL)


class Flow(IntEnum):
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


N_FLOWS = len(Flow)


class Cost(IntEnum):
    ARREST = 0
    DETENTION = 1
    ATD = 2
    COURT = 3
    APPEALS = 4
    TRAVEL_DOCUMENTS = 5
    TRANSPORT = 6
    STIPENDS = 7


N_COSTS = len(Cost)


class Wait(IntEnum):
    ARREST_TO_REMOVAL = 0
    FILING_TO_DECISION = 1


def names(enum: type[IntEnum]) -> list[str]:
    return [m.name.lower() for m in enum]
