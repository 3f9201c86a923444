"""A load into a ClickHouse warehouse: the same checks, the rows in ClickHouse, the served views back home.

The rows are checked and typed exactly as for DuckDB (``landing.prepare``, in a scratch DuckDB file): nothing
reaches ClickHouse that the contract refuses. Then, inside the warehouse file's write session (one writer at
a time, the file replaced only on success):

1. each prepared table is shipped to ClickHouse as ``<stage>.typed`` (Arrow batches);
2. ``landing.land`` runs there unchanged, through ``clickhouse.LandCursor`` (replace by key, key
   dictionaries, insert in day order, the load record in ClickHouse's ``_loads``);
3. ``views.refresh`` recomputes the materialized views there from the first changed day;
4. every view the pages, exports and the plan check read is copied into the warehouse file as a table
   (``serve``), with the small contract tables; the two per-user-day tables (``UNSERVED``) and the
   events and orders stay in ClickHouse only.

So the file the pages read grows with days × channels × campaigns and with users (``users`` and
``user_last_active`` are served), never with events. A failure before the file is replaced leaves the file
as it was; ClickHouse itself has no transactions, so a failure after step 2 can leave its tables ahead of
the file: loading the same files again replaces the same keys (and ``opsplan refresh`` rebuilds).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import replace

import duckdb
import pyarrow as pa

from opsplan.store import clickhouse
from opsplan.store.clickhouse import ClickHouseTarget, Client, LandCursor, ch_type
from opsplan.store.contract import TABLES
from opsplan.store.engine import Engine
from opsplan.store.landing import Landed, Prepared, land
from opsplan.store.views import load_view_defs, reaching, refresh
from opsplan.store.warehouse import bump_data_version, set_meta

#: per user and day: too big to copy, read by no page (their summaries are served)
UNSERVED = frozenset({"user_days", "user_day_activity"})
#: contract and bookkeeping tables the pages read, copied after each load that changes them
SERVED_TABLES = ("users", "campaigns", "ad_spend", "external_metrics")
_BOOKKEEPING = ("_loads", "_event_roles", "_event_names", "_segments")
_BATCH_ROWS = 500_000
#: the file's record of what ClickHouse holds per contract table (rows, first and latest day)
ENGINE_TABLES = "_engine_tables"


def ship(client: Client, prep: Prepared) -> None:
    """Copy one prepared table's typed rows into ClickHouse as ``<prep.alias>.typed``."""
    con = duckdb.connect(str(prep.stage_path), read_only=True)
    try:
        cols = con.execute("DESCRIBE typed").fetchall()
        client.command(f"CREATE DATABASE IF NOT EXISTS {prep.alias}")
        body = ", ".join(f'"{c[0]}" {ch_type(c[1])}' for c in cols)
        client.command(f"CREATE OR REPLACE TABLE {prep.alias}.typed ({body}) ENGINE = Memory")
        reader = con.sql("SELECT * FROM typed").to_arrow_reader(_BATCH_ROWS)
        for batch in reader:
            client.insert_arrow(f"{prep.alias}.typed", pa.Table.from_batches([batch]))
    finally:
        con.close()


def land_all(
    eng: Engine, con: duckdb.DuckDBPyConnection, preps: Sequence[Prepared], sources: Sequence[str]
) -> tuple[list[Landed], list[str]]:
    """Land prepared tables in ClickHouse, refresh the views there and serve them into ``con`` (the file)."""
    client = eng.client()
    # the rows wait in a database of their own, named for this process (other warehouses may share a server)
    preps = [replace(p, alias=f"opsplan_stage_{os.getpid()}_{p.table.name}") for p in preps]
    try:
        clickhouse.create_schema(client)
        clickhouse.sync_views(client)
        for prep in preps:
            ship(client, prep)
        cursor = LandCursor(client)
        landed = [land(cursor, prep, source) for prep, source in zip(preps, sources, strict=True)]  # type: ignore[arg-type]
        days = [x.since for x in landed]
        since = None if None in days else min(d for d in days if d is not None)
        tables = [p.table.name for p in preps]
        refreshed = refresh(ClickHouseTarget(client), since, tables)
        serve(client, con, tables)
        set_meta(con, "engine", eng.url)
        bump_data_version(con)
        return landed, refreshed
    finally:
        for prep in preps:
            client.command(f"DROP DATABASE IF EXISTS {prep.alias}")
        client.close()


def set_roles(eng: Engine, con: duckdb.DuckDBPyConnection, roles: Sequence[tuple[str, str]]) -> None:
    """The plan's event roles in ClickHouse too (its views read them), then the views that depend on them."""
    client = eng.client()
    try:
        clickhouse.create_schema(client)
        clickhouse.sync_views(client)
        client.command("TRUNCATE TABLE _event_roles")
        if roles:
            values = ", ".join(f"({clickhouse.literal(r)}, {clickhouse.literal(n)})" for r, n in roles)
            client.command(f"INSERT INTO _event_roles VALUES {values}")
        refresh(ClickHouseTarget(client), None, ["_event_roles"])
        serve(client, con, ["_event_roles"])
    finally:
        client.close()


def rebuild(eng: Engine, con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every view recomputed on ClickHouse and served again (``opsplan refresh``); the materialized ones' names."""
    client = eng.client()
    try:
        clickhouse.create_schema(client)
        clickhouse.sync_views(client, force=True)  # builds every table in full: no refresh after it
        serve(client, con, None)
        return [d.name for d in load_view_defs() if d.materialized]
    finally:
        client.close()


def serve(client: Client, con: duckdb.DuckDBPyConnection, changed: Sequence[str] | None) -> list[str]:
    """Copy into the warehouse file the views reading ``changed`` (None: all) and the changed small tables."""
    defs = load_view_defs()
    hit = reaching(defs, changed) if changed is not None else {d.name for d in defs} | set(TABLES)
    names = [d.name for d in defs if d.name in hit and d.name not in UNSERVED]
    for name in names:
        _replace_local(con, name, client.arrow(f"SELECT * FROM {name}"))
    for table in [*(t for t in SERVED_TABLES if t in hit), *_BOOKKEEPING]:
        _refill_local(con, table, client.arrow(f"SELECT * FROM {table}"))
    _serve_counts(client, con)
    set_meta(con, "served_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return names


def _serve_counts(client: Client, con: duckdb.DuckDBPyConnection) -> None:
    """Rows and first / latest day of every contract table, as ClickHouse holds them (``status.freshness`` and
    the Data page read these: the file itself holds no events or orders)."""
    parts = " UNION ALL ".join(
        f"SELECT '{t.name}' AS table_name, CAST(count() AS Int64) AS rows, min({t.day_column}) AS first_day, "
        f"max({t.day_column}) AS latest_day FROM {t.name}"
        for t in TABLES.values()
    )
    data = client.arrow(parts)
    con.register("_served", data)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {ENGINE_TABLES} AS SELECT * FROM _served")
    finally:
        con.unregister("_served")


def _signed(data: pa.Table) -> str:
    """A select list over ``data`` casting ClickHouse's unsigned counts to DuckDB's signed BIGINT (count() is
    UInt64 there, BIGINT here: a difference of two counts must not underflow on the pages)."""
    items = []
    for field in data.schema:
        name = f'"{field.name}"'
        items.append(f"CAST({name} AS BIGINT) AS {name}" if pa.types.is_unsigned_integer(field.type) else name)
    return ", ".join(items)


def _replace_local(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> None:
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
    ).fetchall()
    if kind:
        con.execute(f'DROP {"VIEW" if kind[0][0] == "VIEW" else "TABLE"} "{name}"')
    con.register("_served", data)
    try:
        con.execute(f'CREATE TABLE "{name}" AS SELECT {_signed(data)} FROM _served')
    finally:
        con.unregister("_served")


def _refill_local(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    con.register("_served", data)
    try:
        cols = ", ".join(f'"{f.name}"' for f in data.schema)
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {_signed(data)} FROM _served")
    finally:
        con.unregister("_served")
