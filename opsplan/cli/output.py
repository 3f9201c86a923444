"""One formatter for every CLI output: table, CSV, JSON or an Excel workbook, with column names as given.

Empty values (immature cohorts, ratios over nothing) print as nothing in a table and CSV and as
``null`` in JSON, never as 0.

CSV and XLSX are opened by people in Excel or WPS, where a text cell such as ``=HYPERLINK(…)`` or
``+cmd|' /C calc'!A0`` coming from a campaign name would run as a formula. CSV text cells that start like a
formula get OWASP's single-quote prefix; XLSX text cells are stored as strings, never formulas. Numbers stay
numbers in both (a refund of -30 is the number -30). JSON is for programs and stays raw.

A table is for a person: a column whose unit is known (``units``: a registered metric's) shows its values as
everywhere else (``opsplan.fmt``: ¥1,234.50, 41.2%, 1.35, 12,345); CSV, XLSX and JSON keep the raw numbers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import re
from collections.abc import Mapping

import pandas as pd

from opsplan import fmt as formats


def _plain(value: object) -> object:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if value is pd.NA:
        return None
    return value


#: first characters that make Excel, WPS or LibreOffice read a cell as a formula or a DDE call (OWASP, CSV injection)
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def defused(value: object) -> object:
    """A text cell that would start a formula, prefixed with ``'``; anything else (numbers too) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS):
        return "'" + value
    return value


#: a quoted CSV cell (kept as it is) or a row's CRLF ending
_QUOTED_OR_CRLF = re.compile(r'"(?:[^"]|"")*"|\r\n')


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV for people: empty values as nothing, formula-like text cells defused."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: "" if _plain(v) is None else defused(_plain(v)))
    # Python's csv quotes a cell holding a CR only when the CR is part of the line terminator (Excel would
    # start a new row at a bare one): write CRLF rows, then end them with LF outside the quoted cells
    text = out.to_csv(index=False, lineterminator="\r\n")
    return _QUOTED_OR_CRLF.sub(lambda m: "\n" if m.group() == "\r\n" else m.group(), text).rstrip("\n")


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.2f}"
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _xlsx_value(value: object) -> object:
    """Numbers as numbers, days as dates, times as naive datetimes (Excel has no zones), empties as None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)  # the wall-clock time the warehouse's zone gave it
    if isinstance(value, dt.date | bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        return _xlsx_value(value.item())
    return str(value)


def write_xlsx(frame: pd.DataFrame, path: str | os.PathLike[str], sheet: str = "opsplan") -> None:
    """The frame as an Excel workbook: a header row, then one row per record.

    openpyxl stores a str starting with ``=`` as a formula; every text cell here is forced to a string
    (data type ``s``, quote-prefixed so editing it in Excel or WPS keeps it text), so ``=HYPERLINK(…)`` shows
    as the text it is. Control characters Excel cannot hold become U+FFFD.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet
    rows = [[str(c) for c in frame.columns], *([_xlsx_value(v) for v in row] for row in frame.itertuples(index=False))]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula ('=…') nor an error code ('#N/A')
                if value.startswith(FORMULA_LEADS):
                    cell.quotePrefix = True
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    book.save(path)


def _unit_cell(value: object, unit: object) -> str:
    """A value of a column with a unit, as ``opsplan.fmt`` shows it; empty stays empty, as in every table cell."""
    plain = _plain(value)
    return "" if plain is None else formats.value(unit, plain)


def render(frame: pd.DataFrame, fmt: str, units: Mapping[str, object] | None = None) -> str:
    """The frame as ``fmt`` (table, csv or json); ``units`` (column -> unit) formats those columns of a table."""
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=1)
    if fmt == "csv":
        return csv_text(frame)
    units = units or {}
    columns = [units.get(str(c)) for c in frame.columns]
    rows = [
        [_cell(v) if unit is None else _unit_cell(v, unit) for v, unit in zip(row, columns, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    header = [str(c) for c in frame.columns]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
