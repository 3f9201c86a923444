"""The commands on a ClickHouse warehouse (issue 11): the plan check gives the same JSON as on DuckDB, status
names the engine, a refused load reaches nothing, and a warehouse is never split between two engines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opsplan.demo.dataset import load_demo
from opsplan.store import clickhouse, engine
from opsplan.store.warehouse import Warehouse
from tests.conftest import DEMO_PLAN, Cli
from tests.engines import on_engine

pytest.importorskip("chdb", reason="chdb (embedded ClickHouse) is not installed: pip install -r requirements.txt")


@pytest.fixture(scope="module")
def ch_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The default demo quarter loaded into embedded ClickHouse: (warehouse file, engine URL)."""
    base = tmp_path_factory.mktemp("ch-demo")
    url = f"chdb://{base / 'chdb'}"
    with on_engine(url):
        load_demo(Warehouse(base / "ch.duckdb"))
    return base / "ch.duckdb", url


def test_check_gives_the_same_json_on_both_engines(cli: Cli, ch_demo: tuple[Path, str], demo_db: Path) -> None:
    argv = ("check", "--plan", DEMO_PLAN, "--date", "2026-02-23", "--format", "json")
    on_duck = cli("--db", demo_db, *argv)
    on_ch = cli("--db", ch_demo[0], *argv)
    assert on_duck.code == on_ch.code == 2, on_ch.err  # the planted stop-loss fires on both
    assert on_ch.out == on_duck.out
    assert '"xiaohongshu"' in on_ch.out


def test_report_gives_the_same_review_on_both_engines(cli: Cli, ch_demo: tuple[Path, str], demo_db: Path) -> None:
    argv = ("report", "--plan", DEMO_PLAN, "--week", "2026-W09")
    assert cli("--db", ch_demo[0], *argv).out == cli("--db", demo_db, *argv).out


def test_status_says_which_engine(cli: Cli, ch_demo: tuple[Path, str], demo_db: Path) -> None:
    on_ch = cli("--db", ch_demo[0], "status")
    assert on_ch.out.splitlines()[0] == f"engine: ClickHouse (embedded chdb, {engine.parse(ch_demo[1]).folder})"
    events = next(line for line in on_ch.out.splitlines() if line.startswith("events "))
    assert "338502" in events  # counted in ClickHouse: the file itself keeps no events
    assert cli("--db", demo_db, "status").out.splitlines()[0] == "engine: DuckDB"


def test_a_refused_load_reaches_nothing_in_clickhouse(cli: Cli, ch_demo: tuple[Path, str], tmp_path: Path) -> None:
    db = tmp_path / "ch.duckdb"
    shutil.copyfile(ch_demo[0], db)  # the same ClickHouse folder: the refusal must leave it untouched
    client = engine.parse(ch_demo[1]).client()
    before = clickhouse.rows(client, "SELECT count(), sum(amount) FROM orders")
    bad = tmp_path / "orders.csv"
    bad.write_text("order_id,user_id,paid_at,amount\nx1,u1,2026-03-31 10:00:00,12.5\nx2,u2,yesterday,3\n")
    result = cli("--db", db, "load", "orders", bad)
    assert result.code == 1
    assert "orders.csv" in result.err and "paid_at" in result.err and "3" in result.err  # file, column, line
    assert clickhouse.rows(engine.parse(ch_demo[1]).client(), "SELECT count(), sum(amount) FROM orders") == before


def test_a_warehouse_is_not_split_between_engines(
    cli: Cli, ch_demo: tuple[Path, str], demo_db: Path, tmp_path: Path
) -> None:
    users = tmp_path / "users.csv"
    users.write_text("user_id,signup_at\nnew1,2026-03-31 10:00:00\n")
    duck = tmp_path / "duck.duckdb"
    shutil.copyfile(demo_db, duck)
    moved = cli("--db", duck, "--engine", f"chdb://{tmp_path / 'elsewhere'}", "load", "users", users)
    assert moved.code == 1 and "already holds rows on DuckDB" in moved.err
    other = cli("--db", ch_demo[0], "--engine", f"chdb://{tmp_path / 'elsewhere'}", "load", "users", users)
    assert other.code == 1 and "this warehouse computes on ClickHouse" in other.err
    wrong = cli("--db", duck, "--engine", "mysql://root@localhost/x", "status")
    assert wrong.code == 1 and "not an engine OpsPlan has" in wrong.err
