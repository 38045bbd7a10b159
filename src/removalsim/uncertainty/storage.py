"""A finished replicate's files, sealed with checksums in its done marker and verified before any use.

The marker `_DONE.json` is written last (through a temporary file and an atomic
rename) and lists every file the replicate wrote with its size and SHA-256, plus
a digest of the marker's own content. `check` says what is wrong with a folder
(no marker, a damaged marker, a missing, truncated, swapped or changed file) or
nothing; a rerun computes a replicate that fails it again, and `load` refuses to
read one, so a damaged file is never taken for a result.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..errors import RemovalsimInputError

MARKER = "_DONE.json"
FILES = "files"          # marker key: {name: {"bytes": n, "sha256": hex}}
SEAL = "marker_sha256"   # marker key: digest of the rest of the marker

REDO = ("rerun the command that wrote it with the same --out: damaged or unfinished replicates are computed "
        "again and finished ones reused")


class ReplicateError(RemovalsimInputError, RuntimeError):
    """A replicate folder that cannot be read as a result (one line: the folder, what is wrong, what to do).

    A RemovalsimInputError (the API's one exception for what a user gave it, here an output folder) and,
    as before it existed, a RuntimeError."""


def digest(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of one file."""
    with open(path, "rb") as f:
        h = hashlib.file_digest(f, "sha256")
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


def _sealed(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != SEAL}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def seal(folder: str | Path, record: dict) -> dict:
    """Write `folder`'s marker: `record` plus the checksums of every file in the folder; returns what was written."""
    folder = Path(folder)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MARKER and not p.name.startswith("."))
    rec = dict(record, **{FILES: {p.name: digest(p) for p in files}})
    rec[SEAL] = _sealed(rec)
    tmp = folder / f".{MARKER}.tmp"
    with open(tmp, "w") as f:
        json.dump(rec, f, sort_keys=True, default=str)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(folder / MARKER)
    return rec


def has_marker(folder: str | Path) -> bool:
    """Whether the folder claims to be finished (holds a marker, intact or not)."""
    return (Path(folder) / MARKER).exists()


def check(folder: str | Path, run_id: str | None = None) -> tuple[dict | None, str | None]:
    """(marker record, None) for a finished, intact replicate; else (None, what is wrong).

    What is wrong is None too when the folder does not exist (nothing was started there).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return None, None
    marker = folder / MARKER
    if not marker.exists():
        return None, f"no {MARKER} (the replicate did not finish, or its marker was removed)"
    try:
        rec = json.loads(marker.read_text())
    except (OSError, ValueError) as e:
        return None, f"{MARKER} is unreadable ({type(e).__name__})"
    if not isinstance(rec, dict) or rec.get(SEAL) != _sealed(rec):
        return None, f"{MARKER} is damaged (its checksum does not match)"
    if not isinstance(rec.get(FILES), dict) or not rec[FILES]:
        return None, f"{MARKER} lists no checksums (written by an older version)"
    if run_id is not None and rec.get("run_id") != run_id:
        return None, f"{MARKER} belongs to run {rec.get('run_id')!r}, not {run_id!r}"
    for name, want in sorted(rec[FILES].items()):
        p = folder / name
        if not p.is_file():
            return None, f"{name} is missing"
        got = digest(p)
        if got["bytes"] != want.get("bytes"):
            return None, f"{name} has {got['bytes']} bytes, {want.get('bytes')} were written (truncated or replaced)"
        if got["sha256"] != want.get("sha256"):
            return None, f"{name} does not match its checksum (changed or swapped since it was written)"
    return rec, None


def load(folder: str | Path, run_id: str | None = None):
    """The Result stored in a finished replicate folder, after verifying every file against its marker."""
    from ..results import Result

    folder = Path(folder)
    rec, problem = check(folder, run_id)
    if rec is None:
        raise ReplicateError(f"{folder}: {problem or 'no such replicate folder'}; it is not read as a result; "
                             f"{REDO}")
    return Result.read_parquet(folder)
