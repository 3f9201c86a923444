"""The hand-computed fixture warehouse, built once per time zone from the literal rows of fixture_data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.views import fixture_data


def build_fixture(directory: Path, tz: str) -> Warehouse:
    wh = Warehouse(directory / f"fixture-{tz.replace('/', '_')}.duckdb")
    for table, text in fixture_data.TABLES.items():
        path = directory / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        load(wh, table, [path], tz=tz)
    return wh


@pytest.fixture(scope="session", params=["Asia/Shanghai", "UTC"])
def zoned_wh(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The fixture in both warehouse zones: tests of day boundaries state both answers."""
    return build_fixture(tmp_path_factory.mktemp("zoned"), request.param)


@pytest.fixture(scope="session")
def fixture_wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The fixture in an Asia/Shanghai warehouse (read-only: copy it before writing)."""
    return build_fixture(tmp_path_factory.mktemp("fixture"), "Asia/Shanghai")


@pytest.fixture
def con(fixture_wh: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    with read_connection(fixture_wh) as c:
        yield c
