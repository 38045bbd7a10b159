"""The run catalogue: a DuckDB file recording every replicated run, its replicates and their measures.

Tables (query them with SQL: `duckdb out/catalogue.duckdb` or `removalsim runs sql`):

- `runs`: run_id, scenario, scenario_hash, overrides (JSON), seed, years, scale, freq,
  fixed_params, version, replicates, sweep, point, started, ended, status, path, and the
  pid, host and pid_started of the process that ran it;
- `replicates`: run_id, replicate, engine_seed, params (JSON of drawn values), started,
  ended, sim_seconds, status, path (its Parquet folder);
- `measures`: run_id, replicate, year, measure, value (the yearly summary, whole country);
- view `bands`: per run, year and measure, the median and 5/25/75/95th percentiles.

Paths are stored relative to the catalogue's folder and resolved against it
(`locate`), so the catalogue works from any working directory and a copied output
folder reads its own files. A run whose status is `running` but whose process is
gone (killed) is marked `interrupted` by the next command that opens the catalogue.

Only the coordinating process writes; workers write Parquet files and markers.
Each write opens the file briefly, so `removalsim runs list` can read it while a
sweep is running (a reader that meets a writer's lock retries for a few seconds).
A file that is not a DuckDB database, or a damaged one, is reported as such.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..errors import RemovalsimInputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY, scenario VARCHAR, scenario_hash VARCHAR, overrides VARCHAR, seed BIGINT,
  years DOUBLE, scale DOUBLE, freq VARCHAR, fixed_params BOOLEAN, version VARCHAR, replicates INTEGER,
  sweep VARCHAR, point VARCHAR, started TIMESTAMP, ended TIMESTAMP, status VARCHAR, path VARCHAR);
CREATE TABLE IF NOT EXISTS replicates (
  run_id VARCHAR, replicate INTEGER, engine_seed BIGINT, params VARCHAR, started TIMESTAMP, ended TIMESTAMP,
  sim_seconds DOUBLE, status VARCHAR, path VARCHAR, PRIMARY KEY (run_id, replicate));
CREATE TABLE IF NOT EXISTS measures (
  run_id VARCHAR, replicate INTEGER, year INTEGER, measure VARCHAR, value DOUBLE);
CREATE OR REPLACE VIEW bands AS
  SELECT run_id, year, measure, count(*) AS replicates,
         quantile_cont(value, 0.05) AS p05, quantile_cont(value, 0.25) AS p25, median(value) AS median,
         quantile_cont(value, 0.75) AS p75, quantile_cont(value, 0.95) AS p95, min(value) AS min, max(value) AS max
  FROM measures GROUP BY run_id, year, measure;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid BIGINT;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid_started DOUBLE;
"""
RUN_COLUMNS = ("run_id, scenario, scenario_hash, overrides, seed, years, scale, freq, fixed_params, version, "
               "replicates, sweep, point, started, ended, status, path, pid, host, pid_started")
HEADER_BYTES = 3 * 4096                                      # DuckDB's main header and its two database headers
LOCKED = ("Could not set lock", "Conflicting lock")          # DuckDB's words for another process's write lock
DAMAGED = ("IO Error", "Corrupt", "checksum", "INTERNAL Error", "Could not read")


class CatalogueError(RemovalsimInputError, RuntimeError):
    """The catalogue cannot be opened or has no such run (a RemovalsimInputError; a RuntimeError as before)."""


def _first_line(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Catalogue:
    """A DuckDB run catalogue at `path` (created on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    # -- connection --------------------------------------------------------------------------
    def not_a_catalogue(self, why: str) -> CatalogueError:
        """The error for a file that is not a (usable) run catalogue, with what to do about it."""
        return CatalogueError(
            f"{self.path}: not a run catalogue ({why}); if it is a damaged catalogue, move it aside and rerun the "
            "command that wrote it with the same --out: finished replicates are reused and recorded anew")

    def _connect(self, read_only: bool = False, attempts: int = 50):
        import duckdb

        if read_only and not self.path.exists():
            raise CatalogueError(f"{self.path}: no run catalogue here (run something with --replicates first)")
        if self.path.is_dir():
            raise self.not_a_catalogue("it is a folder")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for _ in range(attempts):
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as e:
                if not any(w in str(e) for w in LOCKED):
                    raise self.not_a_catalogue(_first_line(e).removeprefix("IO Error: ")) from None
                last = e  # another process holds the write lock
                time.sleep(0.1)
                continue
            try:
                self._check_size(con)
                if not read_only:
                    con.execute(SCHEMA)
                elif not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'runs'").fetchall():
                    raise self.not_a_catalogue("a DuckDB database without the catalogue's tables")
            except duckdb.Error as e:
                con.close()
                raise self.not_a_catalogue(_first_line(e)) from None
            except CatalogueError:
                con.close()
                raise
            return con
        raise CatalogueError(f"{self.path}: busy (another process is writing it); try again in a moment "
                             f"({_first_line(last) if last else ''})")

    def _check_size(self, con) -> None:
        """A truncated file: shorter than the blocks its tables are stored in (DuckDB reads what is there
        and only fails on a missing block, so half a catalogue could otherwise answer some queries).
        Skipped while a write-ahead log is pending (its blocks are not in the file yet)."""
        if Path(f"{self.path}.wal").exists():
            return
        block_size = int(con.execute("PRAGMA database_size").fetchone()[2])
        last = -1
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
            ids = con.execute("SELECT max(greatest(block_id, coalesce(list_max(additional_block_ids), -1))) "
                              "FROM pragma_storage_info(?)", [table]).fetchone()[0]
            last = max(last, -1 if ids is None else int(ids))
        need = HEADER_BYTES + (last + 1) * block_size
        have = self.path.stat().st_size
        if have < need:
            raise self.not_a_catalogue(f"truncated: {have} bytes, its tables need {need}")

    # -- paths -------------------------------------------------------------------------------
    def relative(self, folder: str | Path) -> str:
        """`folder` as stored: relative to the catalogue's folder."""
        return os.path.relpath(Path(folder).resolve(), self.path.parent.resolve())

    def locate(self, stored: str | Path) -> Path:
        """A stored path resolved against the catalogue's folder (absolute paths of older catalogues stay)."""
        return self.path.parent / stored

    def _write(self, statements: Iterable[tuple[str, Any]], attempts: int = 50) -> None:
        import duckdb

        con = self._connect(attempts=attempts)
        try:
            con.execute("BEGIN TRANSACTION")
            for sql, args in statements:
                if isinstance(args, pd.DataFrame):
                    con.register("_frame", args)
                    con.execute(sql)
                    con.unregister("_frame")
                else:
                    con.execute(sql, args)
            con.execute("COMMIT")
        except duckdb.Error as e:
            if any(w in str(e) for w in DAMAGED):
                raise self.not_a_catalogue(_first_line(e)) from None
            raise
        finally:
            con.close()

    # -- writing (coordinator only) ----------------------------------------------------------
    def start_run(self, spec, path: Path | None) -> None:
        """Record a run as running in this process (a rerun keeps its first start time)."""
        from .lifeline import start_time

        row = [spec.run_id, spec.scenario_name, spec.scenario_hash, json.dumps(spec.overrides, sort_keys=True),
               spec.seed, spec.years, spec.scale, spec.freq, spec.fixed_params, spec.version, spec.replicates,
               spec.sweep, spec.point, _now(), None, "running", self.relative(path) if path else None,
               os.getpid(), socket.gethostname(), start_time()]
        self._write([(
            f"INSERT INTO runs ({RUN_COLUMNS}) VALUES ({', '.join('?' * len(row))}) "
            "ON CONFLICT (run_id) DO UPDATE "
            "SET replicates = greatest(runs.replicates, excluded.replicates), status = 'running', ended = NULL, "
            "sweep = coalesce(excluded.sweep, runs.sweep), point = coalesce(excluded.point, runs.point), "
            "path = excluded.path, pid = excluded.pid, host = excluded.host, pid_started = excluded.pid_started",
            row)])

    def add_replicates(self, records: list[dict]) -> None:
        """Record finished replicates and their yearly measures (idempotent: replaces earlier rows).

        A record's "path" is stored as given: the runner passes it relative to the catalogue."""
        if not records:
            return
        stmts: list[tuple[str, Any]] = []
        frames = []
        for rec in records:
            key = [rec["run_id"], int(rec["replicate"])]
            stmts.append(("DELETE FROM replicates WHERE run_id = ? AND replicate = ?", key))
            stmts.append(("DELETE FROM measures WHERE run_id = ? AND replicate = ?", key))
            stmts.append(("INSERT INTO replicates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          key + [int(rec["engine_seed"]), json.dumps(rec["params"], sort_keys=True),
                                 rec["started"], rec["ended"], float(rec["sim_seconds"]), "done", rec.get("path")]))
            s = rec["summary"]
            frames.append(pd.DataFrame({"run_id": rec["run_id"], "replicate": int(rec["replicate"]),
                                        "year": s["year"], "measure": s["measure"], "value": s["value"]}))
        stmts.append(("INSERT INTO measures SELECT run_id, replicate, year, measure, value FROM _frame",
                      pd.concat(frames, ignore_index=True)))
        self._write(stmts)

    def forget_replicates(self, run_id: str, replicates: list[int]) -> None:
        """Drop the rows of replicates whose folders are not (or no longer) finished and intact."""
        if replicates:
            key = [run_id, [int(r) for r in replicates]]
            self._write([("DELETE FROM replicates WHERE run_id = ? AND list_contains(?, replicate)", key),
                         ("DELETE FROM measures WHERE run_id = ? AND list_contains(?, replicate)", key)])

    def recorded(self, run_id: str) -> set[int]:
        """The replicates of a run the catalogue holds as finished (none if the file does not exist yet)."""
        if not self.path.exists():
            return set()
        return set(self.query("SELECT replicate FROM replicates WHERE run_id = ?", [run_id])["replicate"])

    def finish_run(self, run_id: str, status: str = "done") -> None:
        self._write([("UPDATE runs SET status = ?, ended = ? WHERE run_id = ?", [status, _now(), run_id])])

    # -- reading -----------------------------------------------------------------------------
    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Any SQL over the catalogue, as a DataFrame (read-only)."""
        import duckdb

        con = self._connect(read_only=True)
        try:
            return con.execute(sql, params or []).df()
        except (duckdb.IOException, duckdb.InternalException) as e:
            raise self.not_a_catalogue(_first_line(e)) from None
        except duckdb.Error as e:
            if any(w in str(e) for w in DAMAGED[1:]):
                raise self.not_a_catalogue(_first_line(e)) from None
            raise CatalogueError(f"SQL error: {_first_line(e)}") from None
        finally:
            con.close()

    def reconcile_status(self) -> list[str]:
        """Mark `interrupted` every run recorded as running whose process is gone; returns their ids.

        A run on another machine is left as it is (its process cannot be seen from here). If a
        writer holds the file, the marks wait for the next command.
        """
        from .lifeline import alive

        df = self.query("SELECT * FROM runs WHERE status = 'running'")
        if "pid" not in df.columns:  # a catalogue from before pids were recorded: nothing to go by
            return []
        here = socket.gethostname()
        gone = [r.run_id for r in df.itertuples()
                if r.host == here and not pd.isna(r.pid) and not alive(int(r.pid), r.pid_started)]
        if gone:
            try:
                self._write([("UPDATE runs SET status = 'interrupted' WHERE status = 'running' AND "
                              "list_contains(?, run_id)", [gone])], attempts=3)
            except CatalogueError:
                pass
        return gone

    def runs(self) -> pd.DataFrame:
        gone = self.reconcile_status()
        df = self.query("SELECT r.*, (SELECT count(*) FROM replicates x WHERE x.run_id = r.run_id) AS done "
                        "FROM runs r ORDER BY started")
        df.loc[df["run_id"].isin(gone), "status"] = "interrupted"
        return df

    def resolve(self, run_id: str) -> str:
        """The full id of a run given its id or an unambiguous prefix."""
        ids = self.query("SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id", [run_id])["run_id"]
        exact = [i for i in ids if i == run_id]
        if exact:
            return exact[0]
        if len(ids) == 1:
            return ids.iloc[0]
        if not len(ids):
            raise CatalogueError(f"no run {run_id!r} in {self.path} (see `removalsim runs list`)")
        raise CatalogueError(f"{run_id!r} matches {len(ids)} runs ({', '.join(ids[:4])}...); give more of the id")

    def run(self, run_id: str) -> dict:
        rid = self.resolve(run_id)
        self.reconcile_status()
        return self.query("SELECT * FROM runs WHERE run_id = ?", [rid]).iloc[0].to_dict()

    def replicates(self, run_id: str) -> pd.DataFrame:
        rid = self.resolve(run_id)
        return self.query("SELECT * FROM replicates WHERE run_id = ? ORDER BY replicate", [rid])

    def measures(self, run_ids: list[str]) -> pd.DataFrame:
        rids = [self.resolve(r) for r in run_ids]
        return self.query("SELECT * FROM measures WHERE list_contains(?, run_id) ORDER BY run_id, replicate, year, "
                          "measure", [rids])

    def bands(self, run_id: str) -> pd.DataFrame:
        rid = self.resolve(run_id)
        return self.query("SELECT * FROM bands WHERE run_id = ? ORDER BY measure, year", [rid])
