"""``opsplan load-day FOLDER``: the cron load of a day's files, one all-or-nothing load through load_tables."""

from __future__ import annotations

from pathlib import Path

from opsplan.store.contract import TABLES
from opsplan.store.loading import row_counts
from opsplan.store.views import load_view_defs
from opsplan.store.warehouse import Warehouse, read_connection
from tests.conftest import Cli
from tests.views import fixture_data
from tests.views.conftest import build_fixture

TZ = "Asia/Shanghai"


def _views(wh: Warehouse) -> dict[str, list[tuple]]:
    with read_connection(wh) as con:
        return {d.name: con.execute(f'SELECT * FROM "{d.name}" ORDER BY ALL').fetchall() for d in load_view_defs()}


def test_a_folder_of_files_loads_like_one_load_per_table(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "ref").mkdir()
    reference = build_fixture(tmp_path / "ref", TZ)
    day = tmp_path / "day"
    day.mkdir()
    for table, text in fixture_data.TABLES.items():
        (day / f"{table}.csv").write_text(text, encoding="utf-8")
    (day / "notes.txt").write_text("not a table", encoding="utf-8")  # ignored: not named after a table
    db = tmp_path / "w.duckdb"
    r = cli("--db", db, "--tz", TZ, "load-day", day)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert [line.split(":")[0] for line in lines] == [t for t in TABLES if t in fixture_data.TABLES]
    assert "users: 7 rows read, 7 stored (0 replaced), 0 rejected — load " in r.out
    assert row_counts(Warehouse(db)) == row_counts(reference)
    assert _views(Warehouse(db)) == _views(reference)


def test_a_bad_file_loads_nothing_and_names_file_row_and_column(cli: Cli, tmp_path: Path) -> None:
    wh = build_fixture(tmp_path, TZ)
    before = row_counts(wh)
    day = tmp_path / "day"
    day.mkdir()
    (day / "users.csv").write_text("user_id,signup_at,channel\nn1,2026-01-13 10:00:00,douyin\n", encoding="utf-8")
    bad = "order_id,user_id,paid_at,amount\nz1,n1,2026-01-13 11:00:00,abc\n"
    (day / "orders.csv").write_text(bad, encoding="utf-8")
    r = cli("--db", wh.path, "load-day", day)
    assert r.code == 1
    assert "orders.csv: line 2: column amount: not a number" in r.err and "nothing was written" in r.err, r.err
    assert row_counts(wh) == before  # the good users file did not land either
    (day / "ad_spend.csv").write_text("date,channel,spend\n2026-01-13,douyin,-5\n", encoding="utf-8")
    r = cli("--db", wh.path, "load-day", day)  # two refused files: both are named, in one message
    assert r.code == 1 and "ad_spend.csv: line 2" in r.err and "orders.csv: line 2" in r.err, r.err
    assert row_counts(wh) == before


def test_a_folder_without_table_files_or_with_two_for_one_table_is_refused(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    r = cli("--db", tmp_path / "w.duckdb", "load-day", empty)
    assert r.code == 2 and "no file named after a table" in r.err and "users.csv" in r.err
    twice = tmp_path / "twice"
    twice.mkdir()
    (twice / "users.csv").write_text(fixture_data.TABLES["users"], encoding="utf-8")
    (twice / "users.parquet").write_bytes(b"")
    r = cli("--db", tmp_path / "w.duckdb", "load-day", twice)
    assert r.code == 2 and "two files for users (users.csv, users.parquet)" in r.err
    assert not (tmp_path / "w.duckdb").exists()
