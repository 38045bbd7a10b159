"""The day loop. Every simulated day runs the processes in this fixed order:

1. Inflows          new arrivals; border arrivals to expedited removal or release
2. Mortality        deaths due today
3. SelfDeparture    self-departures due today (stipends paid)
4. Legalization     adjustments due today; protection that ends today
5. Arrests          the day's arrest capacity spent across the priority pools
6. Custody          today's arrests detained while beds last, else released (ATD)
6b. Referrals       cases filed without an arrest (asylum referrals, other agencies)
7. Court            completions: detained docket first, then filing order
8. Appeals          BIA completions: detained first
9. TravelDocuments  countries' answers, issuance within capacity, custody-limit releases
10. Transport       land removals and charter flights
11. Accounting      bed-day and ATD costs; stocks recorded

The order is part of the model: it decides, for example, that a bed freed by a
removal today is only offered to tomorrow's arrests.
"""

from __future__ import annotations

from typing import Callable

from ..scenario.schema import Scenario
from .inputs import Inputs
from .population import build, initial_counts
from .processes.accounting import Accounting
from .processes.appeals import Appeals
from .processes.arrests import Arrests
from .processes.court import Court
from .processes.custody import Custody
from .processes.documents import TravelDocuments
from .processes.hazards import Legalization, Mortality, SelfDeparture
from .processes.inflows import Inflows
from .processes.referrals import Referrals
from .processes.transport import Transport
from .world import World

ORDER = (Inflows, Mortality, SelfDeparture, Legalization, Arrests, Custody, Referrals, Court, Appeals, TravelDocuments,
         Transport, Accounting)


def horizon_days(years: float) -> int:
    return max(1, int(round(years * 365.25)))


def run(sc: Scenario, years: float, seed: int, scale: float,
        progress: Callable[[int, int], None] | None = None) -> World:
    """Simulate `years` from the scenario's start date; returns the final World."""
    days = horizon_days(years)
    inp = Inputs.compile(sc, days, scale)
    n0 = int(sum(v.sum() for v in initial_counts(sc, inp).values()))
    w = World(inp, seed, capacity=n0 + inp.total_arrivals)
    build(w)
    steps = [P() for P in ORDER]
    for d in range(days):
        w.day = d
        for proc in steps:
            proc.step(w)
        if progress is not None:
            progress(d + 1, days)
    return w
