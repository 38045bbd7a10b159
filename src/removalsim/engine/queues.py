"""Waiting lines and event calendars whose daily cost grows with the people served, not the population.

All three structures hold (person id, epoch) tokens. A person's epoch rises at
every state change, so a token whose epoch no longer matches is stale and is
skipped: nobody has to be searched for and deleted when they leave a line.
"""

from __future__ import annotations

import numpy as np

_INT = np.int64


class Growable:
    """Columns of equal length that grow by doubling (amortised O(1) appends)."""

    def __init__(self, dtypes: dict[str, type], capacity: int = 1024):
        self._cols = {k: np.empty(capacity, dtype=t) for k, t in dtypes.items()}
        self.n = 0

    def append(self, **cols: np.ndarray) -> None:
        m = len(next(iter(cols.values())))
        if m == 0:
            return
        need = self.n + m
        cap = len(next(iter(self._cols.values())))
        if need > cap:
            new_cap = max(need, 2 * cap)
            for k, a in self._cols.items():
                b = np.empty(new_cap, dtype=a.dtype)
                b[: self.n] = a[: self.n]
                self._cols[k] = b
        for k, v in cols.items():
            self._cols[k][self.n: need] = v
        self.n = need

    def col(self, name: str) -> np.ndarray:
        return self._cols[name][: self.n]

    def keep(self, mask: np.ndarray, start: int = 0) -> None:
        """Drop rows before `start` and rows of [start, n) where mask is False."""
        for k, a in self._cols.items():
            kept = a[start: self.n][mask]
            a[: len(kept)] = kept
        self.n = int(mask.sum())


class FifoQueue:
    """Admission in arrival order: tokens with a ready day, served from the head up to k a day.

    Ready days must be non-decreasing in arrival order (a constant minimum wait
    after joining guarantees it), so the first token not yet ready ends the day's
    service.
    """

    def __init__(self) -> None:
        self._rows = Growable({"pid": _INT, "epoch": np.int32, "ready": np.int32})
        self.head = 0

    def push(self, pids: np.ndarray, epochs: np.ndarray, ready: np.ndarray) -> None:
        self._rows.append(pid=pids, epoch=epochs, ready=ready)

    def __len__(self) -> int:
        return self._rows.n - self.head

    def serve(self, k: int, day: int, epoch_now: np.ndarray) -> np.ndarray:
        """Pop up to k live tokens that are ready on `day`, in order; returns their person ids."""
        out: list[np.ndarray] = []
        pid_col, ep_col, ready_col = self._rows.col("pid"), self._rows.col("epoch"), self._rows.col("ready")
        n = self._rows.n
        while k > 0 and self.head < n:
            end = min(n, self.head + max(2 * k, 256))
            ready = ready_col[self.head: end]
            limit = int(np.searchsorted(ready, day, side="right"))
            if limit == 0:
                break
            pids = pid_col[self.head: self.head + limit]
            live = np.flatnonzero(epoch_now[pids] == ep_col[self.head: self.head + limit])
            if len(live) >= k:
                take = live[:k]
                out.append(pids[take])
                self.head += int(take[-1]) + 1
                k = 0
            else:
                out.append(pids[live])
                k -= len(live)
                self.head += limit
                if limit < end - (self.head - limit):
                    break
        self._maybe_compact()
        return np.concatenate(out) if out else np.empty(0, dtype=_INT)

    def live(self, epoch_now: np.ndarray) -> np.ndarray:
        """Person ids of all live tokens, in order (for inspection and tests)."""
        pids = self._rows.col("pid")[self.head:]
        return pids[epoch_now[pids] == self._rows.col("epoch")[self.head:]]

    def _maybe_compact(self) -> None:
        if self.head > 1_000_000 and self.head > self._rows.n // 2:
            self._rows.keep(np.ones(self._rows.n - self.head, dtype=bool), start=self.head)
            self.head = 0


class RandomPool:
    """People eligible for random selection (e.g. arrest): uniform sampling without replacement."""

    def __init__(self, live: np.ndarray | None = None, index: int = 0) -> None:
        self._rows = Growable({"pid": _INT, "epoch": np.int32})
        # the live count sits in a shared array so compiled bookkeeping can update all pools at once
        self._live, self._i = (np.zeros(1, dtype=np.int64), 0) if live is None else (live, index)

    @property
    def live(self) -> int:
        """Members whose token is current (people who left are subtracted as they leave)."""
        return int(self._live[self._i])

    @live.setter
    def live(self, value: int) -> None:
        self._live[self._i] = value

    def push(self, pids: np.ndarray, epochs: np.ndarray) -> None:
        self._rows.append(pid=pids, epoch=epochs)
        self.live += len(pids)

    def sample(self, k: int, rng: np.random.Generator, epoch_now: np.ndarray) -> np.ndarray:
        """Up to k distinct live members chosen uniformly at random; the caller moves them out."""
        n = self._rows.n
        if k <= 0 or n == 0 or self.live <= 0:
            return np.empty(0, dtype=_INT)
        pids, eps = self._rows.col("pid"), self._rows.col("epoch")
        if k >= self.live or self.live * 4 < n:
            self.compact(epoch_now)
            pids, n = self._rows.col("pid"), self._rows.n
            if k >= n:
                return rng.permutation(pids)
            return pids[rng.choice(n, size=k, replace=False)]
        chosen: list[np.ndarray] = []
        got = 0
        seen = np.empty(0, dtype=_INT)
        while got < k:
            m = int((k - got) * n / self.live * 1.25) + 16
            pos = rng.integers(0, n, size=m)
            pos = pos[epoch_now[pids[pos]] == eps[pos]]
            pos = np.concatenate([seen, pos])
            _, first = np.unique(pos, return_index=True)
            first.sort()
            fresh = pos[first][len(seen):]
            seen = pos[first]
            chosen.append(fresh)
            got += len(fresh)
        return pids[np.concatenate(chosen)[:k]]

    def compact(self, epoch_now: np.ndarray) -> None:
        pids = self._rows.col("pid")
        self._rows.keep(epoch_now[pids] == self._rows.col("epoch"))
        self.live = self._rows.n


class Calendar:
    """Events scheduled for future days, popped a day at a time.

    Events go into blocks of 32 days; a block is sorted by day once, when it
    becomes current, so scheduling costs one append per block touched.
    """

    BLOCK = 32

    def __init__(self, horizon: int):
        self.horizon = horizon
        self._blocks: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self._current: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._late: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}

    def schedule(self, days: np.ndarray, pids: np.ndarray, epochs: np.ndarray) -> None:
        keep = days < self.horizon
        if not keep.all():
            days, pids, epochs = days[keep], pids[keep], epochs[keep]
        if len(days) == 0:
            return
        blocks = days // self.BLOCK
        cur = self._current[0] if self._current is not None else -1
        lo, hi = int(blocks.min()), int(blocks.max())
        if lo == hi:
            self._put(lo, cur, days, pids, epochs)
            return
        if cur >= 0 and lo == cur:
            late = blocks == cur
            self._put(cur, cur, days[late], pids[late], epochs[late])
            days, pids, epochs, blocks = days[~late], pids[~late], epochs[~late], blocks[~late]
        order = np.argsort(blocks, kind="stable")
        blocks, days, pids, epochs = blocks[order], days[order], pids[order], epochs[order]
        cuts = np.flatnonzero(np.diff(blocks)) + 1
        for b, d, p, e in zip(np.split(blocks, cuts), np.split(days, cuts), np.split(pids, cuts),
                              np.split(epochs, cuts)):
            self._put(int(b[0]), cur, d, p, e)

    def _put(self, block: int, cur: int, d: np.ndarray, p: np.ndarray, e: np.ndarray) -> None:
        if block == cur:
            for day in np.unique(d):
                hit = d == day
                self._late.setdefault(int(day), []).append((p[hit], e[hit]))
        else:
            self._blocks.setdefault(block, []).append((d, p, e))

    def pop(self, day: int, epoch_now: np.ndarray) -> np.ndarray:
        """Person ids whose event falls on `day` and whose epoch still matches."""
        block = day // self.BLOCK
        if self._current is None or self._current[0] != block:
            parts = self._blocks.pop(block, [])
            if parts:
                d = np.concatenate([x[0] for x in parts])
                p = np.concatenate([x[1] for x in parts])
                e = np.concatenate([x[2] for x in parts])
                order = np.argsort(d, kind="stable")
                self._current = (block, d[order], p[order], e[order])
            else:
                self._current = (block, np.empty(0, _INT), np.empty(0, _INT), np.empty(0, np.int32))
        _, d, p, e = self._current
        lo, hi = np.searchsorted(d, day, "left"), np.searchsorted(d, day, "right")
        pids, eps = p[lo:hi], e[lo:hi]
        late = self._late.pop(day, None)
        if late:
            pids = np.concatenate([pids] + [x[0] for x in late])
            eps = np.concatenate([eps] + [x[1] for x in late])
        if len(pids) == 0:
            return pids.astype(_INT)
        return pids[epoch_now[pids] == eps]
