"""Reading rows with one SELECT on a database server, under the import rules of ``connections``.

No file URLs, exactly one SELECT, run in a read-only transaction with the server's own statement
timeout, at most ``max_rows`` rows; messages name the connection or the masked URL, never a password.
"""

from __future__ import annotations

import logging
import math
import time

import pandas as pd

from opsplan import fmt
from opsplan.store import connections, select_check
from opsplan.store.connections import Connection
from opsplan.store.staging import SourceError

logger = logging.getLogger(__name__)


def mask_url(url: str) -> str:
    """postgresql://me:secret@host/db?password=x → postgresql://me:***@host/db?password=***, also for a mistyped
    URL, for lineage and messages (``opsplan.store.connections.mask_url``)."""
    return connections.mask_url(url)


def _connect_args(conn: Connection) -> dict[str, object]:
    """The driver's own connect timeout (and socket timeouts where it has them), so a dead host cannot hang a
    page; a driver not named here gets nothing it might not understand."""
    from sqlalchemy.engine import make_url

    driver = make_url(conn.url).drivername.partition("+")[2] or "default"
    connect = max(2, math.ceil(min(conn.timeout_seconds, 30)))  # libpq's minimum is 2 s
    socket = math.ceil(conn.timeout_seconds) + 5  # the statement timeout fires first
    if driver in ("psycopg", "psycopg2", "psycopg2cffi"):
        return {"connect_timeout": connect}
    if driver in ("pymysql", "mysqldb", "mariadbconnector"):
        return {"connect_timeout": connect, "read_timeout": socket, "write_timeout": socket}
    if driver == "pg8000":
        return {"timeout": socket}
    return {}


def _read_only(db: object, conn: Connection) -> None:
    """Make the transaction read-only with a statement timeout where the server allows it: PostgreSQL
    ``SET TRANSACTION READ ONLY`` + ``statement_timeout``, MariaDB/MySQL ``START TRANSACTION READ ONLY`` +
    ``max_statement_time`` / ``MAX_EXECUTION_TIME``. A function that writes then fails, whatever its name."""
    from sqlalchemy.engine import Connection as Db

    if not isinstance(db, Db):
        raise TypeError(f"expected a SQLAlchemy connection, not {type(db).__name__}")
    ms = max(1, int(conn.timeout_seconds * 1000))
    name = db.dialect.name
    if name in ("postgresql", "cockroachdb"):
        db.exec_driver_sql("SET TRANSACTION READ ONLY")
        db.exec_driver_sql(f"SET LOCAL statement_timeout = {ms}")
        db.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
        if str(db.exec_driver_sql("SHOW transaction_read_only").scalar()).lower() != "on":
            raise SourceError.worded(conn.label, "source.not_read_only")
    elif name in ("mysql", "mariadb"):
        if getattr(db.dialect, "is_mariadb", False):
            db.exec_driver_sql(f"SET SESSION max_statement_time = {ms / 1000:.3f}")
        else:
            db.exec_driver_sql(f"SET SESSION MAX_EXECUTION_TIME = {ms}")
        db.exec_driver_sql(f"SET SESSION lock_wait_timeout = {max(1, math.ceil(conn.timeout_seconds))}")
        db.exec_driver_sql("START TRANSACTION READ ONLY")


#: PostgreSQL query_canceled / lock_not_available; MariaDB max_statement_time, MySQL MAX_EXECUTION_TIME,
#: interrupted, and the socket's read timeout (lost connection during the query)
_PG_TIMEOUTS = ("57014", "55P03")


_MYSQL_TIMEOUTS = (1969, 3024, 1317, 2013)


def _timed_out(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    errno = (getattr(orig, "args", None) or (None,))[0]
    return code in _PG_TIMEOUTS or errno in _MYSQL_TIMEOUTS


def _too_long(where: str, conn: Connection) -> SourceError:
    return SourceError.worded(where, "source.too_long", seconds=f"{conn.timeout_seconds:g}")


def _too_many(where: str, conn: Connection) -> SourceError:
    return SourceError.worded(where, "source.too_many", limit=fmt.value(fmt.COUNT, conn.max_rows))


def read_sql(
    source: str | Connection, query: str, *, max_rows: int | None = None, timeout: float | None = None
) -> pd.DataFrame:
    """Run one SELECT on a database server: a named ``Connection`` (the pages, ``--connection``) or a URL (the
    admin's ``--from-sql``), under the same rules (``opsplan.store.connections``): no file URLs, exactly one SELECT,
    run as sqlglot rendered it in a read-only transaction, at most ``max_rows`` rows within ``timeout`` seconds
    (the connection's own limits unless lower ones are given). Messages name the connection or the masked URL
    and never hold a password.

    The frame holds the driver's values untouched (object columns): pandas' type guessing would
    turn an integer column with NULLs into floats (id 123 → "123.0") and JSON into Python reprs.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    try:
        if isinstance(source, connections.Connection):
            conn = source.limited(max_rows, timeout)
        else:
            conn = connections.connection_from_url(source, max_rows, timeout)
    except connections.ConnectionSettingsError as exc:
        where = source.label if isinstance(source, connections.Connection) else mask_url(str(source))
        raise SourceError(where, str(exc), message_zh=exc.message_zh) from None
    where = conn.label
    try:
        sql = select_check.check_select(query, conn.dialect, conn.max_rows)
    except select_check.QueryRefused as exc:
        raise SourceError(where, str(exc), message_zh=exc.message_zh) from None
    try:
        engine = create_engine(conn.url, poolclass=NullPool, connect_args=_connect_args(conn))
    except (SQLAlchemyError, ImportError, ValueError, TypeError) as exc:
        detail = connections.scrub(str(exc).splitlines()[0], conn.url)
        raise SourceError.worded(where, "source.cannot_connect", detail=detail) from None
    stage, started = "connect", time.monotonic()
    try:
        with engine.connect() as db:
            stage = "query"
            _read_only(db, conn)
            started = time.monotonic()
            result = db.exec_driver_sql(sql, execution_options={"no_parameters": True})  # '%' stays '%'
            if not result.returns_rows:
                raise SourceError.worded(where, "source.no_result_set")
            names = list(result.keys())
            rows = result.fetchmany(conn.max_rows + 1)
            result.close()
            db.rollback()  # nothing to keep, whatever the server allowed
    except SourceError:
        raise
    except (SQLAlchemyError, OSError, ImportError, TypeError, ValueError) as exc:
        detail = connections.scrub((str(exc).strip().splitlines() or [type(exc).__name__])[0], conn.url)
        if stage == "query" and (_timed_out(exc) or time.monotonic() - started >= conn.timeout_seconds):
            raise _too_long(where, conn) from None
        if stage == "connect" and conn.name:  # a dashboard user sees the connection's name, not its host
            logger.warning("%s: cannot connect: %s", where, detail)
            raise SourceError.worded(where, "source.cannot_connect_logged") from None
        if stage == "connect":
            raise SourceError.worded(where, "source.cannot_connect", detail=detail) from None
        raise SourceError.worded(where, "source.query_failed", detail=detail) from None
    finally:
        engine.dispose()
    if len(rows) > conn.max_rows:
        raise _too_many(where, conn)
    if time.monotonic() - started > conn.timeout_seconds:
        raise _too_long(where, conn)
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names, dtype=object)
    if not rows:
        frame = pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    return frame
