"""Values are stored exactly as written, or the load is refused naming file, row and column and the warehouse
is left byte for byte as it was (docs/glossary.md, "Values: what is stored, refused or quarantined").

Every case writes a real file and loads it into a real warehouse (a copy of the seeded one for refusals)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from opsplan.store.contract import EARLIEST_DAY_ENV, LATEST_DAYS_AHEAD_ENV
from opsplan.store.loading import LoadError, Problem, load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.builders import (
    AD_SPEND_HEADER,
    CAMPAIGNS_HEADER,
    EVENTS_HEADER,
    ORDERS_HEADER,
    USERS_HEADER,
    ad_spend_rows,
    campaign_rows,
    event_rows,
    fingerprint,
    user_rows,
    write_csv,
)

ZONE = "Asia/Shanghai"  # the seeded warehouse's zone
D = decimal.Decimal


def refusal(db: Path, table: str, f: Path) -> list[Problem]:
    """Load ``f``, which must be refused, into ``db``; the warehouse's row counts and bytes must not change."""
    before = fingerprint(db)
    with pytest.raises(LoadError) as info:
        load(Warehouse(db), table, [f])
    assert fingerprint(db) == before, "a refused load changed the warehouse"
    assert all(p.source == str(f) for p in info.value.problems), info.value
    return info.value.problems


def one(problems: Sequence[Problem], column: str | None, words: str) -> Problem:
    """The one problem of ``column`` whose message says ``words``; its text names file, row(s) and column."""
    found = [p for p in problems if p.column == column and words in p.message]
    assert len(found) == 1, "\n".join(str(p) for p in problems)
    text = str(found[0])
    assert text.startswith(f"{found[0].source}: line") and (column is None or f": column {column}: " in text)
    return found[0]


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str = ",") -> Path:
    """A CSV with any delimiter (builders.write_csv writes commas); csv quotes a value holding the delimiter."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    with read_connection(Warehouse(db)) as con:
        return con.execute(sql).fetchall()


def orders_with(amounts: Sequence[str]) -> list[tuple[str, ...]]:
    """Orders 900001… of user 00100 on 2026-01-05 with these amounts, in this order (line 2, 3, …)."""
    return [(f"9{i:05d}", "00100", f"2026-01-05 12:{i:02d}:00", a, "月卡") for i, a in enumerate(amounts, start=1)]


# --- 1. decimal marks ---------------------------------------------------------------------------------------


def test_a_decimal_comma_file_is_stored_exactly(tmp_path: Path) -> None:
    """12,50 was stored as 1250.00 and 1.234,50 as 1.23: in a decimal-comma file they are 12.50 and 1234.50."""
    f = write_rows(tmp_path / "orders_de.csv", ORDERS_HEADER, orders_with(["12,50", "1.234,50", "-19,90", "7"]), ";")
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "orders", [f], tz=ZONE)
    got = stored(db, "SELECT amount FROM orders ORDER BY order_id")
    assert got == [(D("12.50"),), (D("1234.50"),), (D("-19.90"),), (D("7.00"),)]


def test_quoted_thousands_separators_with_a_decimal_point_are_stored_exactly(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "orders_en.csv", ORDERS_HEADER, orders_with(["1,234.50", "12.50", "¥1,000,000", "12.340"]))
    assert '"1,234.50"' in f.read_text(encoding="utf-8")  # quoted: a comma-delimited file can carry it only so
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "orders", [f], tz=ZONE)
    got = stored(db, "SELECT amount FROM orders ORDER BY order_id")
    assert got == [(D("1234.50"),), (D("12.50"),), (D("1000000.00"),), (D("12.34"),)]


@pytest.mark.parametrize(
    ("amounts", "odd_one"),
    [
        (["99.00", "12,50", "10.00"], "decimal comma (12,50) while 2 other value(s)"),
        (["12,50", "3,10", "99.00"], "decimal point (12.50) while 2 other value(s)"),
    ],
)
def test_a_column_mixing_decimal_comma_and_point_is_refused(
    amounts: list[str], odd_one: str, seeded_db: Path, tmp_path: Path
) -> None:
    """The rarer style is named, at its rows, once (not also as "not a number")."""
    f = write_rows(tmp_path / "orders_mixed.csv", ORDERS_HEADER, orders_with(amounts), ";")
    problems = refusal(seeded_db, "orders", f)
    p = one(problems, "amount", odd_one)
    odd = next(i for i, a in enumerate(amounts) if (a.count(",") == 1) == ("comma" in odd_one))
    assert p.rows == (odd + 2,) and repr(amounts[odd]) in p.message
    assert len(problems) == 1


def test_a_number_that_reads_both_ways_is_refused_when_nothing_decides(seeded_db: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "orders_ambiguous.csv", ORDERS_HEADER, orders_with(["99", "1,234", "15"]))
    p = one(refusal(seeded_db, "orders", f), "amount", "ambiguous number")
    assert p.rows == (3,) and "'1,234'" in p.message


def test_decimal_marks_are_decided_per_file(tmp_path: Path) -> None:
    """The same 1.234 is 1234 in a decimal-comma file and 1.234 in a decimal-point one (both loaded at once)."""
    comma = write_rows(
        tmp_path / "m_de.csv",
        ("date", "metric", "value"),
        [("2026-01-05", "a", "1.234"), ("2026-01-05", "b", "0,5")],
        ";",
    )
    point = write_rows(
        tmp_path / "m_en.csv", ("date", "metric", "value"), [("2026-01-06", "a", "1.234"), ("2026-01-06", "b", "0.5")]
    )
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "external_metrics", [comma, point], tz=ZONE)
    got = stored(db, "SELECT CAST(date AS VARCHAR), metric, value FROM external_metrics ORDER BY ALL")
    assert got == [
        ("2026-01-05", "a", 1234.0),
        ("2026-01-05", "b", 0.5),
        ("2026-01-06", "a", 1.234),
        ("2026-01-06", "b", 0.5),
    ]


# --- 2. amounts to the cent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column"),
    [("orders", "amount"), ("ad_spend", "spend"), ("campaigns", "budget")],
)
def test_an_amount_below_the_cent_is_refused_not_rounded(
    table: str, column: str, seeded_db: Path, tmp_path: Path
) -> None:
    if table == "orders":
        header, rows = ORDERS_HEADER, orders_with(["100.50", "0.004", "20.00"])
    elif table == "ad_spend":
        header, rows = AD_SPEND_HEADER, ad_spend_rows(days=1)[:3]
        rows[1] = (*rows[1][:3], "0.004", *rows[1][4:])
    else:
        header, rows = CAMPAIGNS_HEADER, campaign_rows()
        rows[1] = (*rows[1][:6], "0.004", rows[1][7])
    f = write_csv(tmp_path / f"{table}_sub_cent.csv", header, rows)
    p = one(refusal(seeded_db, table, f), column, "more than 2 decimals")
    assert p.rows == (3,) and "'0.004'" in p.message


# --- 3. dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["users", "ad_spend"])
def test_a_two_digit_year_is_refused(table: str, seeded_db: Path, tmp_path: Path) -> None:
    """26/01/05 was read as the year 0026 (and then `metrics daily` printed 730,512 days)."""
    if table == "users":
        header, rows, column = USERS_HEADER, user_rows(3, first=900), "signup_at"
        rows[1] = (rows[1][0], "26/01/05", *rows[1][2:])
    else:
        header, rows, column = AD_SPEND_HEADER, ad_spend_rows(days=1)[:3], "date"
        rows[1] = ("26/01/05", *rows[1][1:])
    f = write_csv(tmp_path / f"{table}_yy.csv", header, rows)
    problems = refusal(seeded_db, table, f)
    p = one(problems, column, "two-digit year")
    assert p.rows == (3,) and "'26/01/05'" in p.message
    assert len(problems) == 1  # not also "not a date"


def test_an_event_dated_2099_is_refused_and_never_becomes_data_through(seeded_db: Path, tmp_path: Path) -> None:
    rows = event_rows(4)
    rows[2] = (rows[2][0], rows[2][1], "2099-12-31 10:00:00", *rows[2][3:])
    f = write_csv(tmp_path / "events_2099.csv", EVENTS_HEADER, rows)
    (through,) = stored(seeded_db, "SELECT data_through FROM data_through")
    p = one(refusal(seeded_db, "events", f), "event_at", "has not happened yet")
    assert p.rows == (4,) and "'2099-12-31 10:00:00'" in p.message
    assert stored(seeded_db, "SELECT data_through FROM data_through") == [through]


@pytest.mark.parametrize(("table", "column"), [("orders", "paid_at"), ("ad_spend", "date")])
def test_a_day_before_the_earliest_day_is_refused(table: str, column: str, seeded_db: Path, tmp_path: Path) -> None:
    if table == "orders":
        header, rows = ORDERS_HEADER, orders_with(["10.00", "20.00"])
        rows[1] = (*rows[1][:2], "1970-01-01 08:00:00", *rows[1][3:])
    else:
        header, rows = AD_SPEND_HEADER, ad_spend_rows(days=1)[:2]
        rows[1] = ("1970-01-01", *rows[1][1:])
    f = write_csv(tmp_path / f"{table}_1970.csv", header, rows)
    p = one(refusal(seeded_db, table, f), column, "day before 1990-01-01")
    assert p.rows == (3,) and "1970-01-01" in p.message


def test_the_day_window_follows_the_real_clock_and_the_environment(
    seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tomorrow in the warehouse's zone is the last day by default; both ends can be moved."""
    today = dt.datetime.now(ZoneInfo(ZONE)).date()
    header = ("user_id", "signup_at")
    late = write_csv(tmp_path / "users_late.csv", header, [("00901", f"{today + dt.timedelta(days=2)} 10:00:00")])
    p = one(refusal(seeded_db, "users", late), "signup_at", f"day after {today + dt.timedelta(days=1)}")
    assert p.rows == (2,)
    tomorrow = write_csv(tmp_path / "users_tomorrow.csv", header, [("00902", f"{today + dt.timedelta(days=1)} 10:00")])
    assert load(Warehouse(seeded_db), "users", [tomorrow]).rows_stored == 1

    monkeypatch.setenv(LATEST_DAYS_AHEAD_ENV, "3")
    monkeypatch.setenv(EARLIEST_DAY_ENV, "1960-01-01")
    old = write_csv(tmp_path / "users_1970.csv", header, [("00903", "1970-01-01 10:00:00")])
    assert load(Warehouse(seeded_db), "users", [late, old]).rows_stored == 2

    monkeypatch.setenv(LATEST_DAYS_AHEAD_ENV, "soon")
    before = fingerprint(seeded_db)
    with pytest.raises(ValueError, match=f"{LATEST_DAYS_AHEAD_ENV}='soon' is not a whole number"):
        load(Warehouse(seeded_db), "users", [old])
    assert fingerprint(seeded_db) == before


def test_a_campaign_planned_for_the_future_is_stored(tmp_path: Path) -> None:
    rows = [("C900", "抖音", "明年", "burst", "2026-01-05", "2099-12-31", "5000", "王芳")]
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "campaigns", [write_csv(tmp_path / "campaigns.csv", CAMPAIGNS_HEADER, rows)], tz=ZONE)
    assert stored(db, "SELECT CAST(end_date AS VARCHAR) FROM campaigns") == [("2099-12-31",)]


# --- 4. encodings ---------------------------------------------------------------------------------------------

# (encoding, a region column's values, the line of the first byte that is not UTF-8)
FOREIGN = {
    "latin-1 that GB18030 decodes": ("latin-1", ["Berlin", "Müller", "Zürich"], 3),
    "latin-1 that GB18030 cannot decode": ("latin-1", ["café", "Berlin"], 2),
    "shift-jis": ("shift_jis", ["東京", "ｶﾀｶﾅ"], 2),
    "big5": ("big5", ["上海", "臺灣"], 2),
}


@pytest.mark.parametrize("case", FOREIGN)
def test_a_file_in_another_encoding_is_refused_saying_what_was_tried(
    case: str, seeded_db: Path, tmp_path: Path
) -> None:
    encoding, regions, line = FOREIGN[case]
    rows = [(f"0090{i}", "2026-01-05 10:00:00", "", "", r, "", "") for i, r in enumerate(regions)]
    f = write_csv(tmp_path / f"users_{encoding}.csv", USERS_HEADER, rows, encoding=encoding)
    (p,) = refusal(seeded_db, "users", f)
    assert p.rows == (line,) and p.column is None
    assert f"{f}: line {line}: neither UTF-8 nor GBK/GB18030 text: not UTF-8 (byte 0x" in str(p)
    assert f"at line {line}) and not GB18030 (" in p.message and "save it as UTF-8" in p.message


def test_gbk_still_loads_exactly(tmp_path: Path) -> None:
    rows = [
        ("00901", "2026-01-05 10:00:00", "抖音", "", "上海", "", ""),
        ("00902", "2026-01-05 10:00:00", "小红书", "", "广东省深圳市", "", ""),
        ("00903", "2026-01-05 10:00:00", "微信朋友圈", "", "新疆乌鲁木齐", "", ""),
    ]
    f = write_csv(tmp_path / "users_gbk.csv", USERS_HEADER, rows, encoding="gbk")
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "users", [f], tz=ZONE)
    assert stored(db, "SELECT user_id, channel, region FROM users ORDER BY 1") == [(r[0], r[2], r[4]) for r in rows]


# --- 5. ids -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "bad"),
    [
        ("users", "user_id", "001\x0023"),  # a NUL byte
        ("users", "channel", "抖音\x85"),  # C1 NEL
        ("orders", "order_id", "90\x1b0002"),  # ESC
        ("events", "event_id", "E\x7f1"),  # DEL
        ("ad_spend", "campaign_id", "C\x01001"),
    ],
)
def test_a_control_character_in_an_id_is_refused(
    table: str, column: str, bad: str, seeded_db: Path, tmp_path: Path
) -> None:
    header, rows = {
        "users": (USERS_HEADER, user_rows(3, first=900)),
        "orders": (ORDERS_HEADER, orders_with(["10.00", "20.00", "30.00"])),
        "events": (EVENTS_HEADER, event_rows(3)),
        "ad_spend": (AD_SPEND_HEADER, ad_spend_rows(days=1)[:3]),
    }[table]
    i = header.index(column)
    rows[1] = (*rows[1][:i], bad, *rows[1][i + 1 :])
    f = write_csv(tmp_path / f"{table}_control.csv", header, rows)
    p = one(refusal(seeded_db, table, f), column, "control character in an id")
    assert p.rows == (3,) and repr(bad) in p.message


def test_float_ids_from_parquet_are_refused(seeded_db: Path, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "order_id": ["900001", "900002"],
            "user_id": [123.0, 124.0],  # what a nullable integer column becomes in pandas
            "paid_at": ["2026-01-05 12:00:00", "2026-01-05 13:00:00"],
            "amount": [19.9, 20.0],  # a float amount is fine: its text is 19.9
        }
    )
    f = tmp_path / "orders_float_ids.parquet"
    frame.to_parquet(f, index=False)
    problems = refusal(seeded_db, "orders", f)
    (p,) = problems
    assert (p.column, p.rows, p.row_word) == ("user_id", (1, 2), "row")
    assert "export ids as text" in p.message and "'123.0'" in p.message
    assert str(p).startswith(f"{f}: rows 1, 2: column user_id: ")

    frame["user_id"] = ["00123", "00124"]  # the same file with text ids loads, ids as written
    frame.to_parquet(f, index=False)
    load(Warehouse(seeded_db), "orders", [f])
    got = stored(seeded_db, "SELECT user_id, amount FROM orders WHERE order_id LIKE '90000%' ORDER BY 1")
    assert got == [("00123", D("19.90")), ("00124", D("20.00"))]


def test_white_space_around_an_id_is_trimmed_not_refused(tmp_path: Path) -> None:
    """A tab is a control character only inside an id; around it, like any white space, it is trimmed."""
    rows = [("\t00901 ", "2026-01-05 10:00:00", "抖音\u3000"), ("00902\t", "2026-01-05 10:00:00", "")]
    f = write_csv(tmp_path / "users_blanks.csv", ("user_id", "signup_at", "channel"), rows)
    db = tmp_path / "w.duckdb"
    load(Warehouse(db), "users", [f], tz=ZONE)
    assert stored(db, "SELECT user_id, channel FROM users ORDER BY 1") == [("00901", "抖音"), ("00902", "organic")]
