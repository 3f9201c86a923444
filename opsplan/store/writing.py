"""Writing the warehouse: one writer at a time, on a private copy swapped in atomically.

Split from ``warehouse`` (the file, its readers and ``_meta``) because a write also brings the views up to
date (``views.sync_views``), and the views read ``_meta`` through ``warehouse``: reading below, writing
above, no import cycle. A writer takes an ``flock`` on ``<db>.lock``, copies the live file to
``<db>.tmp-<pid>``, works there, checkpoints, fsyncs and ``os.replace``s it over the live file.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from opsplan.store.views import sync_views, views_are_current
from opsplan.store.warehouse import (
    DEFAULT_TZ,
    Warehouse,
    WarehouseError,
    _cannot_open,
    _configure,
    check_beside,
    check_timezone,
    create_schema,
    fetch_one,
    get_meta,
    is_disk_full,
    read_connection,
)

logger = logging.getLogger(__name__)

_WRITE_LOCK_SECONDS = 600.0


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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_copies(wh: Warehouse) -> None:
    """Copies (and their logs and spill folders) left by a killed writer: safe to delete once we hold the writer
    lock. A loader's spill folder is made before the lock is taken: only a dead process's is stale."""
    for stale in wh.path.parent.glob(wh.path.name + ".tmp-*"):
        logger.info("removing %s left by an interrupted load", stale)
        _remove(stale)
    for spill in wh.path.parent.glob(wh.path.name + ".stage-*"):
        pid = spill.name[len(wh.path.name) + len(".stage-") :]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            logger.info("removing %s left by an interrupted load", spill)
            _remove(spill)


def _remove_copy(tmp: Path) -> None:
    """A failed write's private copy and everything DuckDB made beside it: the copy must not fill the disk."""
    for path in (tmp, Path(f"{tmp}.wal"), Path(f"{tmp}.tmp"), Path(f"{tmp}-compact"), Path(f"{tmp}-compact.wal")):
        with contextlib.suppress(OSError):
            _remove(path)


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
        with contextlib.suppress(duckdb.Error):
            con.close()
        fresh.unlink(missing_ok=True)
        Path(f"{fresh}.wal").unlink(missing_ok=True)
        raise
    con.close()
    os.replace(fresh, path)
    logger.info("compacted %s", path)


@contextlib.contextmanager
def write_session(wh: Warehouse, tz: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection on a private copy that becomes the live file only on success.

    ``tz`` is the zone of a new warehouse; an existing warehouse keeps the zone it was made with. Any failure
    removes the copy (and its log); a full disk (``is_disk_full``) becomes a ``WarehouseError`` saying so.
    """
    if tz is not None and not wh.exists():
        check_timezone(tz)
    with _writer_lock(wh):
        _remove_stale_copies(wh)
        check_beside(wh)
        tmp = wh.tmp_path()
        try:
            if wh.exists():
                shutil.copyfile(wh.path, tmp)
            try:
                con = duckdb.connect(str(tmp))
            except duckdb.Error as exc:
                if is_disk_full(exc):
                    raise
                raise _cannot_open(wh, exc, tmp) from exc
            try:
                create_schema(con, tz or DEFAULT_TZ)
                _configure(con, get_meta(con, "timezone") or DEFAULT_TZ)
                sync_views(con)
                yield con
                con.execute("CHECKPOINT")
                sparse = _mostly_free(con)
            finally:
                con.close()
            if sparse:
                compact_file(tmp)
            _fsync(tmp)
            check_beside(wh)  # a .wal made meanwhile by a direct writer: replacing its file would orphan it
            os.replace(tmp, wh.path)
        except BaseException as exc:
            _remove_copy(tmp)
            if is_disk_full(exc):
                raise WarehouseError(_disk_full_message(wh)) from exc
            raise
        _fsync(wh.path.parent)


def _disk_full_message(wh: Warehouse) -> str:
    """Plain words for ENOSPC during a write: what is safe (the live file) and what to do."""
    size = wh.path.stat().st_size / 2**20 if wh.exists() else 0.0
    need = f" (it needs {size:.0f} MB for the copy plus what the write adds)" if size else ""
    return (
        f"disk full: no space left in {wh.path.parent} for the copy a write works on{need}; the warehouse is "
        "unchanged and the partial copy was removed: free some space and run it again"
    )


def ensure_warehouse(wh: Warehouse, tz: str | None = None) -> None:
    """Create an empty warehouse (schema and views) if there is none, or bring its views up to date."""
    if wh.exists():
        with read_connection(wh) as con:
            if views_are_current(con):
                return
    with write_session(wh, tz):
        pass
