"""ui.data reads the warehouse's data version once per change of its files, and holds one read connection per
script run: a load (which replaces the file) must show at once, a .wal beside it must still be refused, and no
read after a load may reach the replaced file. On a copy of the hand-computed fixture warehouse."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, WarehouseError, get_meta, read_connection
from tests.builders import write_csv
from ui import data

HEADER = ("campaign_id", "channel", "name", "phase", "start_date", "end_date")


@pytest.fixture
def wh(_ui_fixture: Warehouse, tmp_path: Path) -> Iterator[Warehouse]:
    copy = Warehouse(tmp_path / "fixture.duckdb")
    shutil.copyfile(_ui_fixture.path, copy.path)
    yield copy
    data.release()


def _quiet() -> None:
    """Past the two quiet seconds after the copy, so the version may be kept."""
    time.sleep(data._QUIET_NS / 1e9 + 0.2)


def _meta_version(wh: Warehouse) -> str | None:
    with read_connection(wh) as con:
        return get_meta(con, "data_version")


def test_a_quiet_warehouse_is_read_once_and_a_load_shows_at_once(wh: Warehouse, tmp_path: Path) -> None:
    _quiet()
    first = data.version(wh)
    assert data._VERSIONS[str(wh.path)][2] == first  # kept: the next runs need no read connection for it
    assert data.version(wh) == first
    assert first.split(":")[0] == _meta_version(wh)
    assert "c9" not in set(data.campaigns(wh)["campaign_id"])  # a cached read: this run now holds a connection
    rows = [("c9", "douyin", "新活动", "burst", "2026-01-05", "2026-01-12")]
    load(wh, "campaigns", [write_csv(tmp_path / "campaigns.csv", HEADER, rows)])  # replaces the file
    second = data.version(wh)
    assert second != first
    # this run's held connection was to the replaced file: every read now sees the new one
    assert second.split(":")[0] == _meta_version(wh)
    assert "c9" in set(data.campaigns(wh)["campaign_id"])


def test_a_wal_beside_a_kept_version_is_still_refused(wh: Warehouse) -> None:
    _quiet()
    data.version(wh)
    assert str(wh.path) in data._VERSIONS
    Path(f"{wh.path}.wal").write_bytes(b"")
    with pytest.raises(WarehouseError, match=r"\.wal"):
        data.version(wh)
    os.remove(f"{wh.path}.wal")


def test_a_fresh_file_is_not_kept_until_it_is_quiet(wh: Warehouse) -> None:
    data._VERSIONS.pop(str(wh.path), None)
    data.version(wh)  # copied just now: a second write could still share its mtime
    assert str(wh.path) not in data._VERSIONS


def test_no_warehouse_has_no_version(tmp_path: Path) -> None:
    assert data.version(Warehouse(tmp_path / "none.duckdb")) == "none"
