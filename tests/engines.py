"""Comparing every view of a DuckDB warehouse with the same view computed on ClickHouse.

Rows are compared as multisets after one normalisation: numbers as floats rounded to 1e-9 (DuckDB's DECIMAL
sum and ClickHouse's may differ in scale, a ratio in its last bits), timestamps in UTC. NULL stays NULL: a
NULL on one side and 0 on the other is a difference, which is what the negative controls rely on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from opsplan.store import clickhouse, engine
from opsplan.store.warehouse import Warehouse, read_connection

ROOT = Path(__file__).resolve().parents[1]
QUERY_FILES = sorted(p.stem for p in (ROOT / "queries").glob("*.sql"))


def _norm(value: object) -> object:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (float, decimal.Decimal)):
        return round(float(value), 9)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return value


def _sorted(rows: list[tuple]) -> list[tuple]:
    return sorted((tuple(_norm(v) for v in r) for r in rows), key=repr)


def duck_view(wh: Warehouse, name: str) -> tuple[list[str], list[tuple]]:
    with read_connection(wh) as con:
        cur = con.execute(f'SELECT * FROM "{name}"')
        return [c[0] for c in cur.description], _sorted(cur.fetchall())


def ch_view(client: clickhouse.Client, name: str) -> tuple[list[str], list[tuple]]:
    data = client.arrow(f"SELECT * FROM {name}")
    return list(data.column_names), _sorted(clickhouse.rows(client, f"SELECT * FROM {name}"))


def differences(wh: Warehouse, client: clickhouse.Client) -> tuple[dict[str, str], int]:
    """(view → what differs, for the views that differ; how many views were compared) over every query file."""
    found: dict[str, str] = {}
    for name in QUERY_FILES:
        dcols, drows = duck_view(wh, name)
        ccols, crows = ch_view(client, name)
        if dcols != ccols:
            found[name] = f"columns {dcols} on DuckDB, {ccols} on ClickHouse"
        elif drows != crows:
            only_d = [r for r in drows if r not in crows][:2]
            only_c = [r for r in crows if r not in drows][:2]
            found[name] = f"{len(drows)} vs {len(crows)} rows; DuckDB only {only_d}; ClickHouse only {only_c}"
    return found, len(QUERY_FILES)


@contextlib.contextmanager
def on_engine(url: str) -> Iterator[None]:
    """``$OPSPLAN_ENGINE_URL`` set for the block (a new warehouse made inside it computes on that engine)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(engine.ENV, url)
        yield


def server_url() -> str | None:
    return os.environ.get("OPSPLAN_CLICKHOUSE_URL") or None


@contextlib.contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """``url`` with a new, empty database of its own on the same server; dropped after the block."""
    parts = urlsplit(url)
    name = f"opsplan_test_{uuid.uuid4().hex[:12]}"
    admin = engine.parse(url).client()
    admin.command(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin.command(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
