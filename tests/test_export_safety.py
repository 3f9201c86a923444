"""Exports people open in Excel or WPS: channel and campaign values shaped like formulas (CSV injection) come
out of `opsplan metrics --format csv` prefixed with a single quote (OWASP), and out of `--format xlsx` as string
cells, never formulas; numbers stay numbers (a refund of -30 is the number -30) and JSON stays raw.

The values go in through the real loader (`opsplan load`), which trims white space at the edges: a tab- or
CR-led value reaches the warehouse without its tab or CR, so those two leads are tested on the formatter itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from opsplan.cli.output import FORMULA_LEADS, defused, render, write_xlsx
from opsplan.store.warehouse import Warehouse
from tests.builders import AD_SPEND_HEADER, ORDERS_HEADER, USERS_HEADER, write_csv
from tests.conftest import Cli

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1,2)"
MINUS = "-2+3"
SALE = "-30% sale"
#: (channel, campaign_id) of the hostile rows; the tab- and CR-led ones lose their lead in the loader
HOSTILE = [
    (HYPERLINK, DDE),
    (AT_SUM, MINUS),
    ("douyin", SALE),
    ("\t=1+2", "\r@A1"),
]
STORED = {"\t=1+2": "=1+2", "\r@A1": "@A1"}  # what the loader keeps of them
TEXT_COLUMNS = ("date", "channel", "campaign_id")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One signup and one day of spend per hostile (channel, campaign); u0's refund makes revenue -30."""
    from opsplan.store.loading import load

    d = tmp_path_factory.mktemp("hostile")
    wh = Warehouse(d / "hostile.duckdb")
    users = [
        (f"u{i}", "2026-01-05 10:00:00", channel, campaign, "", "", "") for i, (channel, campaign) in enumerate(HOSTILE)
    ]
    spend = [("2026-01-05", ch, ca, f"{100 + i}.5", "1000", "10") for i, (ch, ca) in enumerate(HOSTILE)]
    orders = [("o1", "u0", "2026-01-05 12:00:00", "-30", "goods")]
    load(wh, "users", [_quoted_csv(d / "users.csv", USERS_HEADER, users)], tz="Asia/Shanghai")
    load(wh, "ad_spend", [_quoted_csv(d / "ad_spend.csv", AD_SPEND_HEADER, spend)], tz="Asia/Shanghai")
    load(wh, "orders", [write_csv(d / "orders.csv", ORDERS_HEADER, orders)], tz="Asia/Shanghai")
    return wh.path


def _quoted_csv(path: Path, header: Sequence[str], rows: list[tuple[str, ...]]) -> Path:
    """Every field quoted, as Excel writes a cell holding a line break (Python's csv leaves a lone CR bare)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([header, *rows])
    return path


def _stored(value: str) -> str:
    return STORED.get(value, value)


def _metrics(cli: Cli, db: Path, *extra: str) -> str:
    r = cli("--db", db, "metrics", "daily", "--by", "campaign", *extra)
    assert (r.code, r.err) == (0, ""), r.err
    return r.out


def test_csv_prefixes_formula_text_and_leaves_numbers(cli: Cli, hostile_db: Path) -> None:
    raw = json.loads(_metrics(cli, hostile_db, "--format", "json"))  # JSON is for programs: raw
    rows = list(csv.DictReader(io.StringIO(_metrics(cli, hostile_db, "--format", "csv"))))
    assert len(rows) == len(raw) == len(HOSTILE)
    wanted = {(_stored(ch), _stored(ca)) for ch, ca in HOSTILE}
    assert {(r["channel"], r["campaign_id"]) for r in raw} == wanted
    for record, row in zip(raw, rows, strict=True):
        for col, value in record.items():
            cell = row[col]
            if col in TEXT_COLUMNS:
                assert cell == ("'" + value if value.startswith(FORMULA_LEADS) else value), (col, value, cell)
            elif value is None:
                assert cell == ""
            else:  # a number in JSON is the same bare number in the CSV: never quoted, never prefixed
                assert not cell.startswith("'") and float(cell) == pytest.approx(value), (col, value, cell)
    by_campaign = {r["campaign_id"]: r for r in rows}
    assert set(by_campaign) == {"'" + DDE, "'" + MINUS, "'" + SALE, "'@A1"}
    assert by_campaign["'" + DDE]["channel"] == "'" + HYPERLINK
    assert by_campaign["'" + MINUS]["channel"] == "'" + AT_SUM
    assert by_campaign["'@A1"]["channel"] == "'=1+2"
    assert by_campaign["'" + DDE]["revenue"] == "-30.0"  # the refund: a negative number, not prefixed
    assert by_campaign["'" + SALE]["spend"] == "102.5"


def test_csv_written_to_a_file_has_a_bom_for_excel(cli: Cli, hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "daily.csv"
    r = cli("--db", hostile_db, "metrics", "daily", "--by", "campaign", "--format", "csv", "--out", out)
    assert (r.code, r.out.strip()) == (0, f"wrote {out}")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 (抖音, 小红书) only with it
    assert data.decode("utf-8-sig").rstrip("\n") == _metrics(cli, hostile_db, "--format", "csv").rstrip("\n")


def test_xlsx_cells_are_strings_not_formulas(cli: Cli, hostile_db: Path, tmp_path: Path) -> None:
    raw = json.loads(_metrics(cli, hostile_db, "--format", "json"))
    out = tmp_path / "daily.xlsx"
    r = cli("--db", hostile_db, "metrics", "daily", "--by", "campaign", "--format", "xlsx", "--out", out)
    assert (r.code, r.err, r.out.strip()) == (0, "", f"wrote {out}")
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # not one formula in the file
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == list(raw[0])
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(raw)
    for record, cells in zip(raw, rows, strict=True):
        for cell, (col, value) in zip(cells, record.items(), strict=True):
            if col == "date":
                assert cell.is_date and cell.value.date() == dt.date.fromisoformat(value)
            elif col in ("channel", "campaign_id"):
                assert (cell.data_type, cell.value) == ("s", value), (col, value)  # exactly the text, as text
                assert cell.quotePrefix == value.startswith(FORMULA_LEADS)  # stays text when edited in Excel
            elif value is None:
                assert cell.value is None
            else:
                assert cell.data_type == "n" and cell.value == pytest.approx(value), (col, value, cell.value)
    revenue = header.index("revenue")
    assert [c[revenue].value for c in rows if c[2].value == DDE] == [-30]


def test_xlsx_needs_a_file(cli: Cli, hostile_db: Path) -> None:
    r = cli("--db", hostile_db, "metrics", "daily", "--format", "xlsx")
    assert (r.code, r.out) == (2, "")
    assert r.err.strip().splitlines() == ["opsplan metrics: --format xlsx writes a workbook: give --out FILE.xlsx"]


@pytest.mark.parametrize("value", [HYPERLINK, DDE, AT_SUM, MINUS, SALE, "\t=1+2", "\r=1+2", "\tplain", "\rplain"])
def test_every_lead_is_defused_by_the_formatter(value: str, tmp_path: Path) -> None:
    """Tab and CR as well: a frame from elsewhere (a DataFrame load, a future report) may carry them."""
    frame = pd.DataFrame({"name": [value], "amount": [-30], "share": [-0.5]})
    (row,) = list(csv.reader(io.StringIO(render(frame, "csv"))))[1:]
    assert row == ["'" + value, "-30", "-0.5"]
    assert json.loads(render(frame, "json")) == [{"name": value, "amount": -30, "share": -0.5}]
    write_xlsx(frame, tmp_path / "x.xlsx")
    name, amount, share = openpyxl.load_workbook(tmp_path / "x.xlsx").active[2]
    assert (name.data_type, name.value) == ("s", value.replace("\r", "\n"))  # XML reads a bare CR as LF
    assert (amount.data_type, amount.value, share.value) == ("n", -30, -0.5)


@pytest.mark.parametrize("value", ["douyin", "抖音", "1+1", "'quoted", "a=b", "", "#N/A", " =x"])
def test_plain_text_is_left_alone(value: str, tmp_path: Path) -> None:
    assert defused(value) == value
    frame = pd.DataFrame({"name": [value]})
    write_xlsx(frame, tmp_path / "x.xlsx")
    (cell,) = openpyxl.load_workbook(tmp_path / "x.xlsx").active[2]
    assert cell.data_type == "s" or value == ""  # '#N/A' stays text, not Excel's error value


def test_numbers_dates_and_empties_keep_their_types_in_xlsx(tmp_path: Path) -> None:
    stamp = pd.Timestamp("2026-01-05 10:30:00", tz="Asia/Shanghai")
    frame = pd.DataFrame(
        {
            "day": [dt.date(2026, 1, 5), None],
            "at": [stamp, pd.NaT],
            "n": pd.array([-30, None], dtype="Int64"),
            "x": [-0.25, float("nan")],
            "flag": [True, False],
        }
    )
    write_xlsx(frame, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    day, at, n, x, flag = ws[2]
    assert day.is_date and day.value == dt.datetime(2026, 1, 5) and day.number_format == "yyyy-mm-dd"
    assert at.is_date and at.value == dt.datetime(2026, 1, 5, 10, 30)  # the wall-clock time, zone dropped
    assert (n.value, x.value, flag.value) == (-30, -0.25, True)
    assert [c.value for c in ws[3]] == [None, None, None, None, False]


def test_control_characters_excel_cannot_hold_do_not_break_the_export(tmp_path: Path) -> None:
    write_xlsx(pd.DataFrame({"name": ["a\x01b"]}), tmp_path / "x.xlsx")
    (cell,) = openpyxl.load_workbook(tmp_path / "x.xlsx").active[2]
    assert cell.value == "a\ufffdb"
