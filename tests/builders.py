"""Builders for the loader tests: contract files in every format, big generated files, fingerprints.

Ids are zero-padded text ("00123") on purpose: a loader that lets a format guess types loses the zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

from opsplan.store.loading import load, row_counts
from opsplan.store.warehouse import Warehouse

CHANNELS = ("抖音", "小红书", "微信朋友圈", "知乎", "B站", "百度SEM")
REGIONS = ("上海", "北京", "广东省深圳市", "四川成都", "浙江杭州", "新疆乌鲁木齐")
PRODUCTS = ("年卡会员", "月卡", "单次课程")

USERS_HEADER = ("user_id", "signup_at", "channel", "campaign_id", "region", "city_tier", "platform")
ORDERS_HEADER = ("order_id", "user_id", "paid_at", "amount", "product")
EVENTS_HEADER = ("event_id", "user_id", "event_at", "event_name", "properties")
AD_SPEND_HEADER = ("date", "channel", "campaign_id", "spend", "impressions", "clicks")
CAMPAIGNS_HEADER = ("campaign_id", "channel", "name", "phase", "start_date", "end_date", "budget", "owner")
EXTERNAL_HEADER = ("date", "metric", "value", "channel")

FIRST_DAY = dt.date(2026, 1, 5)

Row = Sequence[object]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Row], encoding: str = "utf-8") -> Path:
    """A CSV as a spreadsheet or a script would write it; ``encoding='gbk'`` for a Chinese Excel export."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def user_rows(n: int, first: int = 100) -> list[tuple[str, ...]]:
    """Users 00100, 00101, … (so 00123 is among them once n > 23), a few per day, every channel."""
    rows = []
    for i in range(first, first + n):
        day = FIRST_DAY + dt.timedelta(days=(i - first) // 10)
        channel = "" if i % 7 == 0 else CHANNELS[i % len(CHANNELS)]  # empty channel → organic
        rows.append(
            (
                f"{i:05d}",
                f"{day} {8 + i % 12:02d}:{i % 60:02d}:00",
                channel,
                f"C{i % 3:03d}" if channel else "",
                REGIONS[i % len(REGIONS)],
                f"{1 + i % 4}",
                ("ios", "android", "web")[i % 3],
            )
        )
    return rows


def order_rows(n: int, first_user: int = 100) -> list[tuple[str, ...]]:
    """Orders 000001…; every fifth a refund (negative amount)."""
    rows = []
    for i in range(1, n + 1):
        day = FIRST_DAY + dt.timedelta(days=i % 5)
        amount = "-19.90" if i % 5 == 0 else f"{99 + i}.50"
        rows.append((f"{i:06d}", f"{first_user + i % 20:05d}", f"{day} 12:{i % 60:02d}:00", amount, PRODUCTS[i % 3]))
    return rows


def event_rows(n: int, with_id: bool = True, days: int = 3, first_day: dt.date = FIRST_DAY) -> list[tuple[str, ...]]:
    rows = []
    for i in range(n):
        day = first_day + dt.timedelta(days=i % days)
        props = f'{{"page": "首页", "n": {i}}}' if i % 2 else ""
        rows.append(
            (
                f"E{i:07d}" if with_id else "",
                f"{100 + i % 30:05d}",
                f"{day} 10:{i % 60:02d}:{i % 59:02d}",
                "open",
                props,
            )
        )
    return rows


def ad_spend_rows(days: int = 4) -> list[tuple[str, ...]]:
    """One row per day and channel; the campaign is empty for 百度SEM (part of the key all the same)."""
    rows = []
    for d in range(days):
        day = FIRST_DAY + dt.timedelta(days=d)
        for j, channel in enumerate(CHANNELS):
            campaign = "" if channel == "百度SEM" else f"C{j % 3:03d}"
            rows.append((str(day), channel, campaign, f"{1000 + 10 * d + j}.00", str(5000 + d), str(200 + j)))
    return rows


def campaign_rows() -> list[tuple[str, ...]]:
    return [
        ("C000", "抖音", "春节预热", "preheat", "2026-01-05", "2026-01-20", "50000", "王芳"),
        ("C001", "小红书", "春节爆发", "burst", "2026-01-21", "2026-02-10", "120000", "李雷"),
        ("C002", "知乎", "长尾", "longtail", "2026-02-11", "2026-03-31", "30000", "韩梅梅"),
    ]


def external_rows() -> list[tuple[str, ...]]:
    return [
        ("2026-01-05", "nps", "42", ""),
        ("2026-01-05", "app_rating", "4.6", "抖音"),
        ("2026-01-06", "nps", "44", ""),
    ]


#: table → (header, rows) of a small valid file for each table of the contract
SAMPLES: dict[str, tuple[Sequence[str], list[tuple[str, ...]]]] = {
    "users": (USERS_HEADER, user_rows(40)),
    "orders": (ORDERS_HEADER, order_rows(25)),
    "events": (EVENTS_HEADER, event_rows(60)),
    "ad_spend": (AD_SPEND_HEADER, ad_spend_rows()),
    "campaigns": (CAMPAIGNS_HEADER, campaign_rows()),
    "external_metrics": (EXTERNAL_HEADER, external_rows()),
}


def seed_warehouse(directory: Path, tz: str = "Asia/Shanghai") -> Warehouse:
    """A warehouse holding some rows in every table (what a refused load must leave alone)."""
    directory.mkdir(parents=True, exist_ok=True)
    wh = Warehouse(directory / "seeded.duckdb")
    for table, (header, rows) in SAMPLES.items():
        load(wh, table, [write_csv(directory / f"{table}.csv", header, rows)], tz=tz)
    return wh


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprint(db: Path) -> tuple[dict[str, int], str]:
    """What must not change when a load is refused or killed: row counts and the file's bytes."""
    digest = sha256(db)  # before opening: a read must not change the bytes either
    return row_counts(Warehouse(db)), digest


def big_events(path: Path, n: int, first_day: dt.date = FIRST_DAY) -> Path:
    """``n`` keyed events over 30 days, written by DuckDB (fast): ``.parquet`` or ``.csv`` by the name."""
    fmt = "(FORMAT parquet)" if path.suffix == ".parquet" else "(HEADER, DELIMITER ',')"
    con = duckdb.connect()
    try:
        con.execute(
            f"""COPY (
                SELECT 'B' || lpad(CAST(i AS VARCHAR), 9, '0') AS event_id,
                       lpad(CAST(i % 50000 AS VARCHAR), 5, '0') AS user_id,
                       strftime(TIMESTAMP '{first_day}' + to_seconds(i % (86400 * 30)), '%Y-%m-%d %H:%M:%S')
                           AS event_at,
                       'view_' || CAST(i % 7 AS VARCHAR) AS event_name
                FROM range({n}) t(i)) TO '{path}' {fmt}"""
        )
    finally:
        con.close()
    return path


def opsplan_cmd(*argv: str) -> list[str]:
    """The command line of ``opsplan …`` run as its own process."""
    return [sys.executable, "-m", "opsplan", *argv]


def run_opsplan(
    *argv: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(opsplan_cmd(*argv), capture_output=True, text=True, env=env, timeout=timeout)
