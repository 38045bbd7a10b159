"""The simulation's state, laid out for compiled code, and the Python face the rest of the package reads.

`World` owns every array of a run: the people (a record each, read as one array per attribute), the tallies
(stocks, flows, costs by day and group), the lines and calendars (linked lists over person ids, `links`; the
timed exits in day buckets of tokens, `agenda`), the arrest pools (`pools`) and the log of waiting times. The
compiled stages see them through `Sim` (the state they change), `Params` (the scenario compiled to daily
arrays, `Inputs`) and the random-stream keys, passed by reference as `bundles`. Nothing in them is ever
replaced during a run, only written into.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from . import links
from .agenda import new_agenda
from .inputs import Inputs
from .people import ATTRIBUTES, People
from .pools import POOLS_PER_GROUP, new_pools, room_needed
from .checkpoints import snapshot
from .rng import Streams
from ..vocabulary import EXTRA_STOCKS, N_COSTS, N_FLOWS, N_STATES, State, Wait

# The self-departure hazard (a parameter of `self_departure`) of each at-large state; an appeal counts as pending.
SELF_DEPARTURE_HAZARD = {State.NO_CASE: "hazard_no_case", State.CASE_PENDING: "hazard_case_pending",
                         State.APPEAL_AT_LARGE: "hazard_case_pending", State.FINAL_ORDER: "hazard_final_order",
                         State.PROTECTED: "hazard_protected"}
AT_LARGE_HAZARDS = tuple(dict.fromkeys(SELF_DEPARTURE_HAZARD.values()))  # the rows of sd_cum

# Lines (one line node per person): the four court and appeal dockets, then one travel-document line per
# group, one transport line per region, and one list per day for the countries' answers (a calendar).
LINE_COURT_AT_LARGE, LINE_COURT_DETAINED, LINE_APPEAL_DETAINED, LINE_APPEAL_AT_LARGE = 0, 1, 2, 3
LINE_REOPENABLE = 4  # closed cases and in-absentia orders at large, oldest first
LINE_COURT_MERITS = 5  # contested detained cases, after their first hearing
FIRST_DOC_LINE = 6

# Tally slots (one int64 array): people arrived so far, state changes, wait records, stays logged,
# whether stays are logged, people served from each docket, people drawn for today's arrests, whether the
# starting stock is being placed.
N_PEOPLE, EVENTS, N_WAITS, N_STAYS, LOG_STAYS, STAYS_FULL, N_ARRESTED, PLACING_STOCK = 0, 1, 2, 3, 4, 5, 6, 7
SERVED = 8  # + docket number (LINE_*)
N_TALLY = SERVED + FIRST_DOC_LINE

# Named random streams, in the order the stages declare them (`Stage.streams`); compiled code indexes the run's
# key array with these positions. A key depends on the stream's name only, so the order changes no draw.
STREAMS: list[str] = []


def stream_indices(names: tuple[str, ...]) -> tuple[int, ...]:
    """The positions of a stage's declared streams in the run's key array, registering any new name."""
    for name in names:
        if name not in STREAMS:
            STREAMS.append(name)
    return tuple(STREAMS.index(name) for name in names)



WAIT_FIELDS = ("wait_kind", "wait_day", "wait_group", "wait_len")  # the log of waiting times
STAY_FIELDS = ("stay_state", "stay_from", "stay_to")  # the log of stays (tests only)
SIM_FIELDS = tuple(list(ATTRIBUTES) + [
    "counts", "stocks", "flows", "costs", "extra_stocks", "atd_counts", "stranded_counts", "unrep_counts",
    "cohort_counts", "line", "exits", "custody", "pools", "scratch", "order", "flag", "seat_fraction", "flown", "tally"]
) + WAIT_FIELDS + STAY_FIELDS

Sim = namedtuple("Sim", SIM_FIELDS)  # type: ignore[misc]  # fields from ATTRIBUTES


class WaitRecords:
    """The waiting times of one kind: columns day (recorded), group and wait (days)."""

    def __init__(self, day: np.ndarray, group: np.ndarray, wait: np.ndarray):
        self._cols = {"day": day, "group": group, "wait": wait}
        self.n = len(day)

    def col(self, name: str) -> np.ndarray:
        return self._cols[name]


WAIT_BLOCK_ROWS = 1 << 20  # the least rows of a new block of the waiting-time log


def _wait_arrays(rows: int) -> tuple[np.ndarray, ...]:
    """Columns for `rows` waiting times: kind, day recorded, group, wait (days). Left unset: only the rows below
    the tally N_WAITS are ever read, and clearing a block of a million rows cost a millisecond a run."""
    return np.empty(rows, np.int8), np.empty(rows, np.int32), np.empty(rows, np.int16), np.empty(rows, np.int32)


class World:
    """All the arrays of one run, and the Python view of them that results and tests read."""

    def __init__(self, inputs: Inputs, seed: int, capacity: int, params: tuple):
        self.inp = inputs
        self.sc = inputs.scenario
        self.G = len(inputs.groups)
        self.days = inputs.days
        self.day = 0
        self.people = People(capacity)
        self.rng = Streams(seed)
        self.keys = np.array([self.rng.key(name) for name in STREAMS], dtype=np.uint64)
        self.params = params  # registry.compile_params(inputs): the scenario as the kernels read it
        G, D, R = self.G, self.days, len(inputs.regions)
        self.counts = np.zeros((N_STATES, G), dtype=np.int64)
        self.stocks = np.zeros((D, N_STATES, G), dtype=np.int64)
        self.flows = np.zeros((D, N_FLOWS, G), dtype=np.int64)
        self.costs = np.zeros((D, N_COSTS, G), dtype=np.float64)
        self.extra_stocks = np.zeros((D, len(EXTRA_STOCKS), G), dtype=np.int64)
        self.atd_counts = np.zeros(G, dtype=np.int64)
        self.stranded_counts = np.zeros(G, dtype=np.int64)
        self.unrep_counts = np.zeros(G, dtype=np.int64)  # people with unrep_order set, by group (checkpoints)
        self.cohort_counts = np.zeros((N_STATES, G), dtype=np.int64)  # the recent-arrival cohort by state, group
        self.line = links.new_dlist(capacity, FIRST_DOC_LINE + G + R + D, extra=1)  # + the day one is ready
        self.exits = new_agenda(capacity, D)  # the calendar of timed exits
        self.custody = links.new_dlist(capacity, D)
        busiest = int(max(inputs.arrest_capacity.max(initial=0), inputs.referrals.max(initial=0),
                          inputs.atd_capacity.max(initial=0)))  # the most people a stage draws in a day
        self.scratch = np.zeros(busiest + 1, dtype=np.int64)
        self.order = np.zeros(busiest + 1, dtype=np.int64)
        self.flag = np.zeros(busiest + 1, dtype=np.bool_)
        self.seat_fraction = np.zeros(R)
        self.flown = np.zeros((D, R), dtype=np.int64)  # flights flown per day and air region
        self.tally = np.zeros(N_TALLY, dtype=np.int64)
        self.pools = new_pools(np.zeros(POOLS_PER_GROUP * self.G, dtype=np.int64), 0)
        self._waits: tuple[np.ndarray, ...] = _wait_arrays(0)  # the block being filled (tally N_WAITS rows so far)
        self._wait_blocks: list[tuple[np.ndarray, ...]] = []  # the blocks filled before it, trimmed
        self.checkpoint_days: dict[int, float] = {}  # days simulated -> years, at each checkpoint (loop.new_world)
        self.checkpoints: dict[int, np.ndarray] = {}  # days simulated -> [measure, group] (checkpoints.snapshot)
        self._stays: tuple[np.ndarray, ...] = (np.zeros(0, np.int8), np.zeros(0, np.int32), np.zeros(0, np.int32))

    # -- set-up ------------------------------------------------------------------------------
    def make_pools(self) -> None:
        """Size the arrest pools once every person's record and jurisdiction are drawn."""
        p = self.people
        self.pools = new_pools(room_needed(p.criminal, p.noncoop, p.group, self.G), p.capacity)

    def reserve_waits(self, rows: int) -> bool:
        """Make room for `rows` more waiting-time records; True if a new block was started (the arrays replaced).

        The log grows a block at a time: a full block is kept (trimmed) and a new one begun, so growing never
        copies the log or holds two copies of it, which set the peak memory of a whole-country run.
        """
        n = int(self.tally[N_WAITS])
        if n + rows <= len(self._waits[0]):
            return False
        if n:
            self._wait_blocks.append(tuple(a[:n].copy() for a in self._waits))
        self._waits = _wait_arrays(max(rows, WAIT_BLOCK_ROWS))
        self.tally[N_WAITS] = 0
        return True

    def log_stays(self, rows: int) -> None:
        """Record every stay in a state (state, entered, left) in room for `rows` stays (for tests)."""
        self._stays = (np.zeros(rows, np.int8), np.zeros(rows, np.int32), np.zeros(rows, np.int32))
        self.tally[LOG_STAYS] = 1

    def sim(self) -> Sim:
        """The run's state, every field by name: person attributes, tallies, lines, pools and the two logs."""
        named = {k: getattr(self.people, k) for k in ATTRIBUTES}
        named.update(zip(WAIT_FIELDS, self._waits))
        named.update(zip(STAY_FIELDS, self._stays))
        return Sim(**{k: named[k] if k in named else getattr(self, k) for k in SIM_FIELDS})

    def record_checkpoint(self) -> None:
        """Count the checkpoint measures as the population stands after `day` days."""
        self.checkpoints[self.day] = snapshot(self.cohort_counts, self.unrep_counts)

    # -- what a run leaves -------------------------------------------------------------------
    @property
    def events(self) -> int:
        """State changes so far, first placements included."""
        return int(self.tally[EVENTS])

    def wait_blocks(self) -> list[tuple[np.ndarray, ...]]:
        """The waiting-time log in the blocks it was recorded in: (kind, day, group, wait) arrays, a row each."""
        n = int(self.tally[N_WAITS])
        return [*self._wait_blocks, tuple(a[:n] for a in self._waits)]

    def wait_log(self) -> tuple[np.ndarray, ...]:
        """The whole waiting-time log: (kind, day, group, wait), one row per waiting time, in recording order."""
        blocks = self.wait_blocks()
        return tuple(np.concatenate(cols) for cols in zip(*blocks))

    @property
    def waits(self) -> dict[Wait, WaitRecords]:
        kind, day, group, wait = self.wait_log()
        return {w: WaitRecords(day[kind == w], group[kind == w], wait[kind == w]) for w in Wait}

    def stays(self) -> tuple[np.ndarray, ...]:
        """(state, day entered, day left) of every stay that ended, when `log_stays` was called."""
        if self.tally[STAYS_FULL]:
            raise RuntimeError("the stay log ran out of room; call log_stays with more rows")
        n = int(self.tally[N_STAYS])
        return tuple(a[:n] for a in self._stays)

    def served(self, docket: int) -> int:
        """People served so far from a court or appeal docket (LINE_* number)."""
        return int(self.tally[SERVED + docket])
