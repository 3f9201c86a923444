"""ClickHouse as the engine that keeps the rows and computes the views, from the same ``queries/*.sql``.

A ``Client`` is either embedded ClickHouse in a folder (chdb, ``chdb:///path``) or a server reached over
HTTP (clickhouse-connect, ``clickhouse://user:password@host:8123/db``). Every client sets the two
settings without which ClickHouse computes different numbers from the same SQL (issue 11, measured):

- ``join_use_nulls = 1``: an outer join's missing side is NULL, not the type's default (else the lifecycle
  views get channel '' and dates in 1970, and ``cohort_funnel.paid_7d`` equals ``new_users``);
- ``aggregate_functions_null_for_empty = 1``: ``max()`` of no rows is NULL, not 0 (else an empty
  ``ad_spend`` starts the calendar in 1970, and the first event name gets bit 1).

``ClickHouseTarget`` is what ``views.refresh`` drives there: a materialized view is a MergeTree table,
refreshed by deleting its rows from the cut on and inserting them again (ClickHouse has no transactions:
a refresh interrupted half way is repaired by the next full one, ``opsplan refresh``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import sqlglot
from sqlglot import exp

from opsplan.store.contract import TABLES, Table, stored_columns
from opsplan.store.portable import OpsClickHouse, bind_cut, to_clickhouse
from opsplan.store.sql_read import mask_url
from opsplan.store.views import ViewDef, ViewError, load_view_defs, views_hash

#: the settings that make ClickHouse compute what DuckDB computes (see the module's docstring)
SETTINGS: dict[str, int] = {"join_use_nulls": 1, "aggregate_functions_null_for_empty": 1}
#: how the results come back: text as text (not bytes)
_FORMAT_SETTINGS = {"output_format_arrow_string_as_string": 1}

_CH_TYPES = {
    "VARCHAR": "String",
    "TIMESTAMPTZ": "DateTime64(6, 'UTC')",
    "TIMESTAMPWITHTIMEZONE": "DateTime64(6, 'UTC')",
    "DATE": "Date",
    "DECIMAL(18,2)": "Decimal(18, 2)",
    "BIGINT": "Int64",
    "INTEGER": "Int32",
    "DOUBLE": "Float64",
    "BOOLEAN": "Bool",
    "TIMESTAMP": "DateTime64(6)",
}

#: bookkeeping the views or the loader read, kept beside the rows: (name, columns)
BOOKKEEPING = {
    "_meta": "key String, value Nullable(String)",
    "_loads": (
        "load_id Int64, table_name Nullable(String), source Nullable(String), "
        "loaded_at Nullable(DateTime64(6, 'UTC')), "
        "rows_in Nullable(Int64), rows_stored Nullable(Int64), rows_replaced Nullable(Int64), "
        "rows_rejected Nullable(Int64), checksum Nullable(String), min_day Nullable(Date), max_day Nullable(Date), "
        "notes Nullable(String)"
    ),
    "_event_roles": "role Nullable(String), event_name Nullable(String)",
    "_user_keys": "user_id Nullable(String), user_key Nullable(Int32)",
    "_event_names": "event_name Nullable(String), bit Nullable(Int32)",
    "_segments": "channel Nullable(String), campaign_id Nullable(String), segment_key Nullable(Int32)",
}


def ch_type(duck_type: str, nullable: bool = True) -> str:
    """The ClickHouse column type for a DuckDB one; Nullable unless the contract requires a value."""
    base = _CH_TYPES.get(duck_type.upper().replace(" ", ""))
    if base is None:
        raise ValueError(f"no ClickHouse type for DuckDB's {duck_type}")
    return f"Nullable({base})" if nullable else base


def _required(table: Table) -> set[str]:
    """Columns that always hold a value: the contract's required ones, their local days, the load id and the
    keys given at load (a user key wherever the user id is required). Not Nullable in ClickHouse, as a
    ClickHouse team would declare them; which is also where ``aggregate_functions_null_for_empty`` matters
    (the max of no dates is 1970-01-01 without it)."""
    names = {c.name for c in table.columns if c.required} | {"_load_id", "name_bit", "segment_key"}
    names |= {c.day_column for c in table.columns if c.required and c.day_column}
    if "user_id" in names:
        names.add("user_key")
    return names


class Client(Protocol):
    """What OpsPlan asks of a ClickHouse connection."""

    #: ``chdb:///…`` or the server URL with its password masked
    label: str

    def command(self, sql: str) -> None: ...

    def arrow(self, sql: str) -> pa.Table: ...

    def insert_arrow(self, table: str, data: pa.Table) -> None: ...

    def with_settings(self, settings: Mapping[str, int]) -> contextlib.AbstractContextManager[None]: ...

    def close(self) -> None: ...


_CHDB: dict[str, Any] = {}  # chdb allows one session per process: the open one, by folder


class ChdbClient:
    """Embedded ClickHouse (chdb) keeping its tables in a folder."""

    def __init__(self, path: Path, settings: Mapping[str, int] = SETTINGS) -> None:
        from chdb import session  # imported here: only a ClickHouse warehouse needs chdb

        self.path = Path(path).resolve()
        self.label = f"chdb://{self.path}"
        key = str(self.path)
        if _CHDB.get("path") != key:
            if "session" in _CHDB:
                _CHDB.pop("session").close()
            self.path.mkdir(parents=True, exist_ok=True)
            _CHDB.update(path=key, session=session.Session(key))
        self._session = _CHDB["session"]
        for name, value in {**_FORMAT_SETTINGS, **settings}.items():
            self.command(f"SET {name} = {int(value)}")

    def command(self, sql: str) -> None:
        self._session.query(sql)

    def arrow(self, sql: str) -> pa.Table:
        return self._session.query(sql, "ArrowTable")

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        self._session.query(f"INSERT INTO {table} SELECT * FROM Python(data)")

    @contextlib.contextmanager
    def with_settings(self, settings: Mapping[str, int]) -> Iterator[None]:
        for name, value in settings.items():
            self.command(f"SET {name} = {int(value)}")
        try:
            yield
        finally:
            for name in settings:
                self.command(f"SET {name} = DEFAULT")

    def close(self) -> None:
        """The session stays open for the next client of the same folder (chdb's one session per process)."""


def close_embedded() -> None:
    """Close the process's chdb session (tests that remove its folder, the end of a benchmark)."""
    if "session" in _CHDB:
        _CHDB.pop("session").close()
    _CHDB.clear()


class ServerClient:
    """A ClickHouse server over HTTP (clickhouse-connect)."""

    def __init__(self, url: str, settings: Mapping[str, int] = SETTINGS) -> None:
        import clickhouse_connect  # imported here: only a ClickHouse warehouse needs it

        self.label = mask_url(url)
        self._settings = {**_FORMAT_SETTINGS, **settings}
        scheme, rest = url.split("://", 1)
        http = "https" if scheme.lower() == "clickhouses" else "http"
        self._client = clickhouse_connect.get_client(dsn=f"{http}://{rest}")

    def command(self, sql: str) -> None:
        self._client.command(sql, settings=self._settings)

    def arrow(self, sql: str) -> pa.Table:
        return self._client.query_arrow(sql, settings=self._settings, use_strings=True)

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        self._client.insert_arrow(table, data, settings=self._settings)

    @contextlib.contextmanager
    def with_settings(self, settings: Mapping[str, int]) -> Iterator[None]:
        saved = dict(self._settings)
        self._settings.update(settings)
        try:
            yield
        finally:
            self._settings = saved

    def close(self) -> None:
        self._client.close()


def rows(client: Client, sql: str) -> list[tuple]:
    """A ClickHouse query's rows as tuples."""
    table = client.arrow(sql)
    return list(zip(*(c.to_pylist() for c in table.columns), strict=True)) if table.num_columns else []


# --- the schema -------------------------------------------------------------------------------------------


def create_schema(client: Client) -> None:
    """The contract's tables (MergeTree, partitioned by month of the local day, ordered by day and user) and the
    bookkeeping; idempotent."""
    for table in TABLES.values():
        cols = stored_columns(table)
        names = [n for n, _ in cols]
        order = [table.day_column] + (["user_key"] if "user_key" in names else [])
        required = _required(table)
        body = ", ".join(f'"{n}" {ch_type(t, n not in required)}' for n, t in cols)
        client.command(
            f"CREATE TABLE IF NOT EXISTS {table.name} ({body}) ENGINE = MergeTree "
            f"PARTITION BY toYYYYMM(assumeNotNull({table.day_column})) ORDER BY ({', '.join(order)}) "
            "SETTINGS allow_nullable_key = 1"
        )
    for name, body in BOOKKEEPING.items():
        client.command(f"CREATE TABLE IF NOT EXISTS {name} ({body}) ENGINE = MergeTree ORDER BY tuple()")


def get_meta(client: Client, key: str) -> str | None:
    found = rows(client, f"SELECT value FROM _meta WHERE key = {literal(key)}")
    return found[0][0] if found else None


def set_meta(client: Client, key: str, value: str | None) -> None:
    client.command(f"DELETE FROM _meta WHERE key = {literal(key)}")
    if value is not None:
        client.command(f"INSERT INTO _meta VALUES ({literal(key)}, {literal(value)})")


def literal(value: object) -> str:
    """A Python value as a ClickHouse SQL literal (a string quoted and escaped)."""
    return exp.convert(value).sql(dialect=OpsClickHouse)


# --- the views --------------------------------------------------------------------------------------------


class ClickHouseTarget:
    """``views.refresh``'s target on ClickHouse: MergeTree tables, delete-and-insert from the cut."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def fetch(self, sql: str) -> list[tuple]:
        return rows(self.client, to_clickhouse(sql))

    def replace_table(self, d: ViewDef, sql: str) -> None:
        self.client.command(
            f"CREATE OR REPLACE TABLE {d.name} ENGINE = MergeTree ORDER BY tuple() AS {to_clickhouse(sql)}"
        )

    def replace_rows(self, d: ViewDef, cut: dt.date, sql: str) -> None:
        col, day = d.refresh_column, f"toDate('{cut.isoformat()}')"
        self.client.command(f"DELETE FROM {d.name} WHERE {col} >= {day}")
        self.client.command(f"INSERT INTO {d.name} SELECT * FROM ({to_clickhouse(sql)}) AS v WHERE v.{col} >= {day}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """ClickHouse has none: each statement lands on its own (see the module's docstring)."""
        yield


def sync_views(client: Client, *, force: bool = False) -> bool:
    """(Re)create every view and materialized table on ClickHouse when the query files changed. True if rebuilt."""
    defs = load_view_defs()
    digest = views_hash(defs)
    if not force and get_meta(client, "views_hash") == digest:
        return False
    target = ClickHouseTarget(client)
    for d in reversed(defs):
        client.command(f"DROP TABLE IF EXISTS {d.name}")  # views too: ClickHouse drops both with DROP TABLE
    for d in defs:
        try:
            if d.materialized:
                target.replace_table(d, bind_cut(d.sql, None))
            else:
                client.command(f"CREATE VIEW {d.name} AS {to_clickhouse(bind_cut(d.sql, None))}")
        except Exception as exc:  # chdb's and clickhouse-connect's errors share no base class
            raise ViewError(f"{d.path}: on ClickHouse: {str(exc).strip().splitlines()[0]}") from exc
    set_meta(client, "views_hash", digest)
    return True


# --- DuckDB-dialect statements with ``?`` parameters, for the loader -----------------------------------


class LandCursor:
    """Runs the loader's DuckDB-dialect statements (``landing.land``, the key dictionaries) on ClickHouse.

    ``?`` parameters become literals and the statement is rendered with sqlglot; ``dialect`` tells the loader
    to write its NULL-safe key match as a tuple ``IN`` (run with ``transform_null_in = 1``, where NULL matches
    NULL as ``IS NOT DISTINCT FROM`` does).
    """

    dialect = "clickhouse"

    def __init__(self, client: Client) -> None:
        self.client = client
        self._rows: list[tuple] = []

    def execute(self, sql: str, params: list[object] | None = None) -> LandCursor:
        tree = sqlglot.parse_one(sql, read="duckdb")
        values = iter(params or [])
        tree = tree.transform(lambda node: _param(next(values)) if isinstance(node, exp.Placeholder) else node)
        rendered = tree.sql(dialect=OpsClickHouse, unsupported_level=sqlglot.ErrorLevel.RAISE)
        with self.client.with_settings({"transform_null_in": 1}):
            if re.match(r"\s*(SELECT|WITH)\b", rendered, re.I):
                self._rows = rows(self.client, rendered)
            else:
                self.client.command(rendered)
                self._rows = []
        return self

    def fetchall(self) -> list[tuple]:
        return self._rows


def _param(value: object) -> exp.Expression:
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMPTZ")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    return exp.convert(value)
