"""One formatter for every CLI output: table, CSV or JSON, with column names as given.

Empty values (immature cohorts, ratios over nothing) print as nothing in a table and CSV and as
``null`` in JSON, never as 0.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math

import pandas as pd


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


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records(frame), ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = frame.copy()
        for col in out.columns:
            out[col] = out[col].map(lambda v: "" if _plain(v) is None else _plain(v))
        return out.to_csv(index=False, lineterminator="\n").rstrip("\n")
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    header = [str(c) for c in frame.columns]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])
