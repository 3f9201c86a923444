"""The warehouse: one DuckDB file, one writer at a time, any number of readers.

DuckDB lets only one process write a file, and a reader holding the file (even read-only) blocks a
writer in another process. So every write happens on a private copy of the file, which replaces the
live file atomically (``os.replace``) when the work has committed and checkpointed. Readers open the
live file read-only for the length of one query batch and never block a writer; a writer never
blocks a reader; a killed writer leaves the live file as it was. Writers queue on an ``flock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from opsplan.contract import TABLES, stored_columns

logger = logging.getLogger(__name__)

DEFAULT_DB = Path("data/opsplan.duckdb")
DEFAULT_TZ = "UTC"
SCHEMA_VERSION = "1"

#: DuckDB's cap on its own memory (default 80% of RAM): past it, joins and aggregates spill to a temp file.
#: 1 GB keeps a 1M-user refresh under 2 GB of RSS at about the same speed (bench/README.md)
DEFAULT_MEMORY_LIMIT = "1GB"

_READ_RETRY_SECONDS = 30.0
_WRITE_LOCK_SECONDS = 600.0


class WarehouseError(RuntimeError):
    """A problem with the warehouse file itself (missing, locked too long, wrong zone)."""


@dataclass(frozen=True)
class Warehouse:
    """Where the warehouse lives. Cheap to create; holds no connection."""

    path: Path

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def tmp_path(self) -> Path:
        return self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")

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


def _configure(con: duckdb.DuckDBPyConnection, tz: str) -> None:
    # Naive timestamps are read in the session's zone and TIMESTAMPTZ→DATE casts use it: set it always.
    con.execute("SET TimeZone = ?", [tz])
    con.execute("SET memory_limit = ?", [os.environ.get("OPSPLAN_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT])


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Could not set lock" in text or "Conflicting lock" in text)


@contextlib.contextmanager
def read_connection(wh: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection with the warehouse's zone set. Close it soon."""
    if not wh.exists():
        raise WarehouseError(f"no warehouse at {wh.path}: run `opsplan demo` or `opsplan load` first")
    deadline = time.monotonic() + _READ_RETRY_SECONDS
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(wh.path), read_only=True)
            break
        except duckdb.Error as exc:  # a legacy in-place writer may hold it for a moment
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        _configure(con, get_meta(con, "timezone") or DEFAULT_TZ)
        yield con
    finally:
        con.close()


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
    if get_meta(con, "timezone") is None:
        set_meta(con, "timezone", tz)
        set_meta(con, "schema_version", SCHEMA_VERSION)
        set_meta(con, "data_version", "0")


@contextlib.contextmanager
def _writer_lock(wh: Warehouse) -> Iterator[None]:
    wh.path.parent.mkdir(parents=True, exist_ok=True)
    with open(wh.lock_path, "a+") as fh:
        deadline = time.monotonic() + _WRITE_LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseError(f"another load has held {wh.lock_path} too long") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_stale_copies(wh: Warehouse) -> None:
    """Copies left by a killed writer: safe to delete once we hold the writer lock."""
    for stale in wh.path.parent.glob(wh.path.name + ".tmp-*"):
        logger.info("removing %s left by an interrupted load", stale)
        stale.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: a checkpointed copy whose free blocks outnumber its used ones (and that is this big) is compacted
_COMPACT_MIN_BYTES = 64 * 2**20


def _mostly_free(con: duckdb.DuckDBPyConnection) -> bool:
    """True when most of the file is free blocks: DuckDB reuses them but never shrinks the file."""
    row = fetch_one(con, "SELECT block_size, used_blocks, free_blocks FROM pragma_database_size()")
    if row is None:
        return False
    block, used, free = (int(v) for v in row)
    return free > used and (used + free) * block >= _COMPACT_MIN_BYTES


def compact_file(path: Path) -> None:
    """Rewrite a DuckDB file that no one has open into a fresh one without free blocks (same tables,
    views, rows and row order), then put it in its place. Called by ``write_session`` on its private
    copy when the copy is mostly free space: about 10 s for a 1M-user warehouse, now and then."""
    fresh = path.with_name(path.name + "-compact")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS src (READ_ONLY)", [str(path)])
        con.execute("ATTACH ? AS dst", [str(fresh)])
        con.execute("COPY FROM DATABASE src TO dst")
        con.execute("DETACH dst")
        con.execute("DETACH src")
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    os.replace(fresh, path)
    logger.info("compacted %s", path)


@contextlib.contextmanager
def write_session(wh: Warehouse, tz: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a private copy that becomes the live file only on success.

    ``tz`` is the zone of a new warehouse; an existing warehouse keeps the zone it was made with.
    """
    if tz is not None and not wh.exists():
        check_timezone(tz)
    with _writer_lock(wh):
        _remove_stale_copies(wh)
        tmp = wh.tmp_path()
        if wh.exists():
            shutil.copyfile(wh.path, tmp)
        con = duckdb.connect(str(tmp))
        ok = False
        try:
            create_schema(con, tz or DEFAULT_TZ)
            _configure(con, get_meta(con, "timezone") or DEFAULT_TZ)
            from opsplan.views import sync_views  # views need the schema; import late to avoid a cycle

            sync_views(con)
            yield con
            con.execute("CHECKPOINT")
            sparse = _mostly_free(con)
            ok = True
        finally:
            con.close()
            if ok:
                if sparse:
                    compact_file(tmp)
                _fsync(tmp)
                os.replace(tmp, wh.path)
                _fsync(wh.path.parent)
            else:
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)


def ensure_warehouse(wh: Warehouse, tz: str | None = None) -> None:
    """Create an empty warehouse (schema and views) if there is none, or bring its views up to date."""
    if wh.exists():
        from opsplan.views import views_are_current

        with read_connection(wh) as con:
            if views_are_current(con):
                return
    with write_session(wh, tz):
        pass


def data_version(wh: Warehouse) -> str:
    """Changes with every landed load: the cache key of the pages."""
    if not wh.exists():
        return "none"
    with read_connection(wh) as con:
        return f"{get_meta(con, 'data_version')}:{wh.path.stat().st_mtime_ns}"
