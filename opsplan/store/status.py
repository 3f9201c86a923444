"""Freshness and lineage: how current each table is and what every load did."""

from __future__ import annotations

import logging

import duckdb
import pandas as pd

from opsplan.store import engine
from opsplan.store.clickhouse_load import ENGINE_TABLES
from opsplan.store.contract import TABLES
from opsplan.store.freshness import read_failures
from opsplan.store.warehouse import Warehouse, get_meta, read_connection

logger = logging.getLogger(__name__)


def freshness(wh: Warehouse) -> pd.DataFrame:
    """Per table: rows, first and latest day, the last load and its time, and data_through."""
    rows = []
    with read_connection(wh) as con:
        on_engine = _engine_counts(con)
        for table in TABLES.values():
            n, first, last = (
                on_engine.get(table.name)
                or con.execute(
                    f"SELECT count(*), min({table.day_column}), max({table.day_column}) FROM {table.name}"
                ).fetchone()
            )
            load = con.execute(
                "SELECT load_id, CAST(loaded_at AS VARCHAR) FROM _loads WHERE table_name = ? "
                "ORDER BY load_id DESC LIMIT 1",
                [table.name],
            ).fetchone()
            rows.append(
                {
                    "table": table.name,
                    "rows": n,
                    "first_day": first,
                    "latest_day": last,
                    "last_load": load[0] if load else None,
                    "loaded_at": load[1][:19] if load else None,
                }
            )
    return pd.DataFrame(rows)


def _engine_counts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """On a ClickHouse warehouse, what ClickHouse holds per table (the file holds no events or orders)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
        [ENGINE_TABLES],
    ).fetchall()
    if not found[0][0]:
        return {}
    rows = con.execute(f"SELECT table_name, rows, first_day, latest_day FROM {ENGINE_TABLES}").fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def warehouse_engine(wh: Warehouse) -> engine.Engine:
    """The engine that keeps the rows and computes the views of ``wh`` (recorded in the file)."""
    with read_connection(wh) as con:
        return engine.parse(get_meta(con, "engine"))


def engine_label(wh: Warehouse) -> str:
    """Which engine: "DuckDB" or "ClickHouse (…)" (``opsplan status``, ``opsplan refresh``)."""
    return warehouse_engine(wh).label


def recent_loads(wh: Warehouse, limit: int = 20) -> pd.DataFrame:
    """The lineage log, newest first: source, rows in / stored / replaced / rejected, checksum."""
    with read_connection(wh) as con:
        return con.execute(
            """SELECT load_id, table_name, source, CAST(loaded_at AS VARCHAR)[:19] AS loaded_at, rows_in,
                      rows_stored, rows_replaced, rows_rejected, checksum, min_day, max_day
               FROM _loads ORDER BY load_id DESC LIMIT ?""",
            [limit],
        ).df()


def recent_failures(wh: Warehouse, limit: int = 20) -> pd.DataFrame:
    """Refused or failed load attempts, newest first (kept beside the warehouse, never in it): at (UTC),
    table, source, reason. Empty when none was recorded."""
    rows = [
        {"at": f.at.strftime("%Y-%m-%d %H:%M:%S"), "table": f.table, "source": f.source, "reason": f.reason}
        for f in reversed(read_failures(wh))
    ]
    return pd.DataFrame(rows[:limit], columns=["at", "table", "source", "reason"])
