"""The warehouse: one DuckDB file, one writer at a time, any number of readers.

DuckDB lets only one process write a file, and a reader holding the file (even read-only) blocks a
writer in another process. So every write happens on a private copy of the file, which replaces the
live file atomically (``os.replace``) when the work has committed and checkpointed. Readers open the
live file read-only for the length of one query batch and never block a writer; a writer never
blocks a reader; a killed writer leaves the live file as it was. Writers queue on an ``flock``.

The warehouse refuses to guess: a file beside it that opsplan did not make (above all a ``.wal`` left by a
process that wrote to the live file directly, whose committed rows a copy would drop) stops every reader
and writer with a ``WarehouseError`` naming the file and how to recover (``check_beside``).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from opsplan.store import event_names, segments, user_keys
from opsplan.store.contract import TABLES, stored_columns

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("data/opsplan.duckdb")
DEFAULT_TZ = "UTC"
SCHEMA_VERSION = "1"

#: DuckDB's cap on its own memory (default 80% of RAM): past it, joins and aggregates spill to a temp file.
#: DuckDB's limit caps its buffers, not the process: at 1GB the 1M-user fresh load peaked at 1,224 MiB of RSS,
#: at 700MB at 925 MiB; the 3M-user load at 700MB at 1,067 MiB, at 600MB at 916 MiB (its events ~10% slower:
#: 271 s against 247 s). 600MB keeps both sizes under 1 GiB (issue 10; bench/README.md)
DEFAULT_MEMORY_LIMIT = "600MB"

_READ_RETRY_SECONDS = 30.0


class WarehouseError(RuntimeError):
    """A problem with the warehouse file itself (missing, locked too long, wrong zone, a file beside it, disk full)."""


@dataclass(frozen=True)
class Warehouse:
    """Where the warehouse lives. Cheap to create; holds no connection."""

    path: Path

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def tmp_path(self) -> Path:
        return self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")

    def spill_path(self) -> Path:
        """Where this process's loader spills past its memory limit: on the warehouse's disk (``/tmp``, where
        the staging file lives, is often small or in RAM); a folder DuckDB makes when it needs it."""
        return self.path.with_name(f"{self.path.name}.stage-{os.getpid()}")

    def exists(self) -> bool:
        return self.path.exists()


def resolve_db(path: str | os.PathLike[str] | None = None) -> Warehouse:
    """The warehouse named by ``path``, else ``$OPSPLAN_DB``, else ``data/opsplan.duckdb``."""
    raw = path or os.environ.get("OPSPLAN_DB") or DEFAULT_DB
    return Warehouse(Path(raw).expanduser().resolve())


def check_timezone(tz: str) -> str:
    """``tz`` if DuckDB knows the zone (Asia/Shanghai, UTC, …), else a ``WarehouseError`` naming it."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = ?", [tz])
    except duckdb.Error as exc:
        hint = re.search(r"Candidate time zones: (.*)", str(exc))
        raise WarehouseError(
            f"unknown time zone {tz!r}" + (f" (did you mean {hint.group(1)}?)" if hint else " (e.g. Asia/Shanghai)")
        ) from None
    finally:
        con.close()
    return tz


def memory_limit() -> str:
    """DuckDB's memory cap for every connection opsplan opens: ``$OPSPLAN_MEMORY_LIMIT``, else 600MB."""
    return os.environ.get("OPSPLAN_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT


def _configure(con: duckdb.DuckDBPyConnection, tz: str) -> None:
    # Naive timestamps are read in the session's zone and TIMESTAMPTZ→DATE casts use it: set it always.
    con.execute("SET TimeZone = ?", [tz])
    con.execute("SET memory_limit = ?", [memory_limit()])


def configure_staging(con: duckdb.DuckDBPyConnection, wh: Warehouse, tz: str) -> None:
    """The loader's scratch connection gets the warehouse's zone and memory limit too (without it a 2 GB CSV
    peaked at 5.3 GB), and spills beside the warehouse instead of next to its scratch file in ``/tmp``."""
    _configure(con, tz)
    wh.path.parent.mkdir(parents=True, exist_ok=True)
    con.execute("SET temp_directory = ?", [str(wh.spill_path())])


#: what opsplan (and DuckDB for it) keeps beside the warehouse, by what follows its name: the writers' lock,
#: the failed-load record and DuckDB's spill folder of a reader (``.tmp``) exactly; a writer's private copy
#: with its ``.wal`` and spill folder (``.tmp-<pid>…``), a compaction's fresh file and a loader's spill
#: folder by their start. Any ``….lock`` is a lock (it holds no data).
OWN_SUFFIXES = (".lock", ".failures.jsonl", ".tmp")
OWN_PREFIXES = (".tmp-", "-compact", ".stage-")


def _is_own(suffix: str) -> bool:
    return suffix in OWN_SUFFIXES or suffix.endswith(".lock") or suffix.startswith(OWN_PREFIXES)


def check_beside(wh: Warehouse) -> None:
    """Refuse to read or write while a file opsplan did not make sits beside the warehouse.

    A ``<warehouse>.wal`` holds changes a process committed to the live file directly: a reader would see
    them, a writer's copy would silently drop them (and the next open would fail on a log that no longer
    matches). A damaged log is worse, DuckDB skips it without a word. Any other unknown file is not ours to
    guess about. The ``WarehouseError`` names the file and how to recover.
    """
    try:
        found = sorted(e.name for e in os.scandir(wh.path.parent) if e.name.startswith(wh.path.name))
    except (FileNotFoundError, NotADirectoryError):
        return
    foreign = [n for n in found if n != wh.path.name and not _is_own(n[len(wh.path.name) :])]
    if not foreign:
        return
    name = next((n for n in foreign if n == wh.path.name + ".wal"), foreign[0])
    other = wh.path.with_name(name)
    if name == wh.path.name + ".wal":
        raise WarehouseError(
            f"{other} is a write-ahead log left by a process that wrote to the warehouse directly, so committed "
            f"changes may be missing from {wh.path.name}: nothing was read or written. Open the file once with "
            f"duckdb to replay it (python -c \"import duckdb; duckdb.connect('{wh.path}').close()\"), then check "
            "with `opsplan status`; if the .wal is still there, duckdb could not replay it: move it away if it is "
            "not needed"
        )
    raise WarehouseError(
        f"{other} beside the warehouse is not a file opsplan makes (its own end in .lock, .tmp-<pid>, -compact, "
        ".failures.jsonl), so nothing was read or written rather than guess what it is: move it away (or "
        "rename it) if it is not needed, then run this again"
    )


def is_disk_full(exc: BaseException) -> bool:
    """An ``OSError`` ENOSPC / EDQUOT, or DuckDB's own report of one (its IO errors carry no errno), also when
    a later error during the clean-up hides it (a ROLLBACK after a COMMIT that failed on the full disk)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(current)
        if isinstance(current, duckdb.Error) and ("No space left on device" in text or "Disk quota exceeded" in text):
            return True
        current = current.__cause__ or current.__context__
    return False


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Could not set lock" in text or "Conflicting lock" in text)


@contextlib.contextmanager
def read_connection(wh: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection with the warehouse's zone set. Close it soon."""
    check_beside(wh)
    if not wh.exists():
        raise WarehouseError(f"no warehouse at {wh.path}: run `opsplan demo` or `opsplan load` first")
    deadline = time.monotonic() + _READ_RETRY_SECONDS
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(wh.path), read_only=True)
            break
        except duckdb.Error as exc:  # a legacy in-place writer may hold it for a moment
            if not _is_lock_error(exc):
                raise _cannot_open(wh, exc) from exc
            if time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        _configure(con, get_meta(con, "timezone") or DEFAULT_TZ)
        yield con
    finally:
        con.close()


def _cannot_open(wh: Warehouse, exc: duckdb.Error, copy: Path | None = None) -> WarehouseError:
    """DuckDB's reason on one line, naming the live file (not the private copy it was said about)."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if copy is not None:
        text = text.replace(str(copy), str(wh.path))
    return WarehouseError(f"cannot open the warehouse {wh.path}: {text}")


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple | None:
    """The first row of a query, with the result read to the end.

    DuckDB 2.0 keeps a result open after ``fetchone()``, and the next ``con.sql()`` / ``con.register()``
    on that connection then fails with "unfinished result": never leave one behind.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = fetch_one(con, "SELECT value FROM _meta WHERE key = ?", [key])
    return None if row is None else row[0]


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    con.execute("DELETE FROM _meta WHERE key = ?", [key])
    if value is not None:
        con.execute("INSERT INTO _meta VALUES (?, ?)", [key, value])


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Every landed change gets a new number: the pages' caches are keyed on it."""
    set_meta(con, "data_version", str(int(get_meta(con, "data_version") or 0) + 1))


def warehouse_timezone(wh: Warehouse) -> str:
    """The zone the warehouse was made with (UTC for a warehouse that does not exist yet)."""
    if not wh.exists():
        return DEFAULT_TZ
    with read_connection(wh) as con:
        return get_meta(con, "timezone") or DEFAULT_TZ


def create_schema(con: duckdb.DuckDBPyConnection, tz: str) -> None:
    """Tables of the contract plus bookkeeping; idempotent."""
    con.execute("CREATE TABLE IF NOT EXISTS _meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    for table in TABLES.values():
        cols = ", ".join(f'"{n}" {t}' for n, t in stored_columns(table))
        con.execute(f"CREATE TABLE IF NOT EXISTS {table.name} ({cols})")
    con.execute(
        """CREATE TABLE IF NOT EXISTS _loads (
            load_id BIGINT PRIMARY KEY, table_name VARCHAR, source VARCHAR, loaded_at TIMESTAMPTZ,
            rows_in BIGINT, rows_stored BIGINT, rows_replaced BIGINT, rows_rejected BIGINT,
            checksum VARCHAR, min_day DATE, max_day DATE, notes VARCHAR)"""
    )
    # Plan-driven settings the views read (active_events, activation_event); empty means "any event".
    con.execute("CREATE TABLE IF NOT EXISTS _event_roles (role VARCHAR, event_name VARCHAR)")
    user_keys.backfill(con)  # creates the key dictionary; fills the keys of a warehouse made before them
    event_names.backfill(con)  # the same for the events' name bits
    segments.backfill(con)  # and the users' (channel, campaign) numbers
    if get_meta(con, "timezone") is None:
        set_meta(con, "timezone", tz)
        set_meta(con, "schema_version", SCHEMA_VERSION)
        set_meta(con, "data_version", "0")


def data_version(wh: Warehouse) -> str:
    """Changes with every landed load: the cache key of the pages."""
    if not wh.exists():
        return "none"
    with read_connection(wh) as con:
        return f"{get_meta(con, 'data_version')}:{wh.path.stat().st_mtime_ns}"


def one_row(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    """The one row of an aggregate query (read to the end: see ``warehouse.fetch_one``)."""
    row = fetch_one(con, sql)
    if row is None:
        raise RuntimeError(f"expected one row from: {sql}")
    return row
