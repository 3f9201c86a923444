"""The view layer: every query file builds, names itself, and incremental refresh equals a rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from opsplan.store.loading import load
from opsplan.store.views import QUERIES_DIR, ViewError, load_view_defs, refresh, sync_views
from opsplan.store.warehouse import Warehouse, create_schema, read_connection
from opsplan.store.writing import write_session
from tests.views import fixture_data


def test_every_view_builds_on_an_empty_in_memory_warehouse() -> None:
    con = duckdb.connect()
    create_schema(con, "UTC")
    assert sync_views(con, force=True)
    for d in load_view_defs():
        con.execute(f'SELECT * FROM "{d.name}" LIMIT 0')


def test_each_query_file_opens_with_a_header_and_holds_no_create() -> None:
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("-- grain:"), f"{path.name} must open with '-- grain: …'"


def test_a_create_in_a_query_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad_view.sql").write_text("-- grain: x\nCREATE VIEW bad_view AS SELECT 1", encoding="utf-8")
    with pytest.raises(ViewError, match="bad_view.sql"):
        load_view_defs(tmp_path)


def test_a_cycle_is_an_error_naming_the_files(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text("-- grain: x\nSELECT * FROM b", encoding="utf-8")
    (tmp_path / "b.sql").write_text("-- grain: x\nSELECT * FROM a", encoding="utf-8")
    with pytest.raises(ViewError, match=r"cycle: .*(a|b)\.sql"):
        load_view_defs(tmp_path)


def test_views_are_ordered_after_what_they_read() -> None:
    order = [d.name for d in load_view_defs()]
    for d in load_view_defs():
        for dep in d.depends_on:
            assert order.index(dep) < order.index(d.name), f"{d.name} before {dep}"


def _split(text: str, column: int, cut: str) -> tuple[str, str]:
    """Rows of a CSV text before / on-or-after a day (by the date prefix of one column)."""
    header, *rows = text.strip().splitlines()
    early = [r for r in rows if r.split(",")[column][:10] < cut]
    late = [r for r in rows if r.split(",")[column][:10] >= cut]
    return "\n".join([header, *early]) + "\n", "\n".join([header, *late]) + "\n"


def _materialized(wh: Warehouse) -> dict[str, list[tuple[object, ...]]]:
    with read_connection(wh) as con:
        return {
            d.name: con.execute(f'SELECT * FROM "{d.name}" ORDER BY ALL').fetchall()
            for d in load_view_defs()
            if d.materialized
        }


def test_incremental_refresh_after_each_day_equals_a_full_rebuild(tmp_path: Path) -> None:
    """Load the fixture's events and orders in two parts (a later day arriving), then compare every
    materialized table with a rebuild from scratch of the same warehouse."""
    wh = Warehouse(tmp_path / "inc.duckdb")
    events_early, events_late = _split(fixture_data.EVENTS, 1, "2026-01-08")
    orders_early, orders_late = _split(fixture_data.ORDERS, 2, "2026-01-07")
    steps = [
        ("users", fixture_data.USERS),
        ("ad_spend", fixture_data.AD_SPEND),
        ("events", events_early),
        ("orders", orders_early),
        ("events", events_late),
        ("orders", orders_late),
    ]
    for i, (table, text) in enumerate(steps):
        path = tmp_path / f"{i}-{table}.csv"
        path.write_text(text, encoding="utf-8")
        load(wh, table, [path], tz="Asia/Shanghai")
    incremental = _materialized(wh)
    rebuilt = Warehouse(tmp_path / "full.duckdb")
    shutil.copyfile(wh.path, rebuilt.path)
    with write_session(rebuilt) as con:
        refresh(con, None)
    assert _materialized(rebuilt) == incremental
    assert any(incremental.values())
