"""load_tables (a day's tables in one write session) and the integer user keys / event name bits of a load."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from opsplan.store.loading import LoadError, load, load_tables, row_counts
from opsplan.store.views import load_view_defs, refresh
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.store.writing import write_session
from tests.views import fixture_data
from tests.views.conftest import build_fixture

TZ = "Asia/Shanghai"


def _files(directory: Path) -> dict[str, Path]:
    out = {}
    for table, text in fixture_data.TABLES.items():
        path = directory / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        out[table] = path
    return out


def _every_view(wh: Warehouse) -> dict[str, list[tuple]]:
    with read_connection(wh) as con:
        return {d.name: con.execute(f'SELECT * FROM "{d.name}" ORDER BY ALL').fetchall() for d in load_view_defs()}


def test_load_tables_gives_what_loading_table_by_table_gives(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    one_by_one = build_fixture(tmp_path / "a", TZ)
    files = _files(tmp_path)
    together = Warehouse(tmp_path / "together.duckdb")
    results = load_tables(together, {t: [p] for t, p in files.items()}, tz=TZ)
    assert [r.table for r in results] == list(files)
    assert len({r.load_id for r in results}) == len(files)  # a load id and a record for each table
    assert row_counts(together) == row_counts(one_by_one)
    assert _every_view(together) == _every_view(one_by_one)
    with read_connection(together) as con:
        assert con.execute("SELECT count(*) FROM _loads").fetchall() == [(len(files),)]


def test_a_refused_table_lands_none_of_the_day(tmp_path: Path) -> None:
    wh = build_fixture(tmp_path, TZ)
    before = row_counts(wh)
    views_before = _every_view(wh)
    good = tmp_path / "more_users.csv"
    good.write_text("user_id,signup_at,channel\nnew1,2026-01-09 10:00:00,douyin\n", encoding="utf-8")
    bad = tmp_path / "bad_orders.csv"
    bad.write_text("order_id,user_id,paid_at,amount\nz1,new1,2026-01-09 11:00:00,abc\n", encoding="utf-8")
    with pytest.raises(LoadError) as refused:
        load_tables(wh, {"users": [good], "orders": [bad]}, tz=TZ)
    assert "bad_orders.csv" in str(refused.value) and "amount" in str(refused.value)
    assert row_counts(wh) == before
    assert _every_view(wh) == views_before


def test_user_keys_are_stable_when_users_are_replaced_and_cover_unknown_users(tmp_path: Path) -> None:
    wh = build_fixture(tmp_path, TZ)
    with read_connection(wh) as con:
        keys = dict(con.execute("SELECT user_id, user_key FROM _user_keys").fetchall())
        # every id stored anywhere has exactly one key; every stored row carries its id's key
        for table in ("users", "events", "orders"):
            bad = con.execute(
                f"SELECT count(*) FROM {table} t LEFT JOIN _user_keys k USING (user_id) "
                "WHERE k.user_key IS DISTINCT FROM t.user_key"
            ).fetchall()
            assert bad == [(0,)], table
        assert len(keys) == len(set(keys.values()))
    again = tmp_path / "users_again.csv"
    again.write_text(fixture_data.TABLES["users"], encoding="utf-8")
    load(wh, "users", [again], tz=TZ)  # replaces every user: the keys stay
    with read_connection(wh) as con:
        assert dict(con.execute("SELECT user_id, user_key FROM _user_keys").fetchall()) == keys


def test_a_warehouse_made_before_the_keys_gets_them_and_the_same_numbers(tmp_path: Path) -> None:
    wh = build_fixture(tmp_path, TZ)
    want = _every_view(wh)
    con = duckdb.connect(str(wh.path))  # make it look like a warehouse of the earlier schema
    added = {"users": ("user_key", "referrer_key", "segment_key"), "events": ("user_key", "name_bit")}
    for table, cols in added.items():
        for col in cols:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    con.execute("ALTER TABLE orders DROP COLUMN user_key")
    con.execute("DROP TABLE _user_keys")
    con.execute("DROP TABLE _event_names")
    con.execute("DROP TABLE _segments")
    con.close()
    with write_session(wh) as w:  # the session adds and fills the keys; the rebuild reads them
        refresh(w, None)
    assert _every_view(wh) == want
