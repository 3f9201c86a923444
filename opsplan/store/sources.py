"""Where rows come from: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK), Parquet, Excel, a DataFrame, or one
SELECT on a database server (an admin's named connection, see connections.py; never a file). Every source
lands as an all-text staging table with its row numbers, so that
validation sees every value exactly as written and can point at the row.

``stage_file`` picks the reader by the file's type: CSV in ``csv_files``, Parquet and Excel here; a
DataFrame (``stage_frame``, also what ``sql_read.read_sql`` returns) is staged here. The staged shape and
the scratch folder are ``staging``'s. The names callers know are re-exported from this module.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from opsplan.store.csv_files import detect_encoding, stage_csv
from opsplan.store.sql_read import mask_url, read_sql
from opsplan.store.staging import (
    SourceError,
    StagedSource,
    create_raw_table,
    file_checksum,
    new_workdir,
    normalise_name,
    remove_stale_workdirs,
)

__all__ = [
    "SourceError",
    "StagedSource",
    "detect_encoding",
    "mask_url",
    "new_workdir",
    "read_sql",
    "remove_stale_workdirs",
    "stage_file",
    "stage_frame",
    "text_value",
]


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedSource:
    try:
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise SourceError.worded(str(path), "source.bad_parquet", reason=str(exc).splitlines()[0]) from None
    names = [normalise_name(r[0]) for r in desc]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError.worded(str(path), "source.duplicate_columns", columns=", ".join(dup))
    cols = ", ".join(f'CAST("{r[0]}" AS VARCHAR) AS c{i}' for i, r in enumerate(desc))
    select = f"SELECT file_row_number + 1 AS _row, {cols} FROM read_parquet(?, file_row_number = true)"
    create_raw_table(con, table, names, select, [str(path)])
    rows = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
    floats = tuple(n for n, r in zip(names, desc, strict=True) if str(r[1]).upper() in ("FLOAT", "DOUBLE", "REAL"))
    return StagedSource(str(path), table, tuple(names), rows, file_checksum(path), float_columns=floats)


def text_value(value: object) -> str | None:
    """A value as the text a person would write; None for empty / missing.

    Timestamps keep their offset; 12.0 (a whole number that came through a float column) is "12",
    so an id never turns into "12.0"; JSON from a database (dict / list) stays JSON.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, np.datetime64):  # .item() of a nanosecond one is a bare integer
        return text_value(pd.Timestamp(value))
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalars
        return text_value(value.item())  # type: ignore[attr-defined]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _frame_as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Every value as text (see ``text_value``), with normalised column names."""
    out = pd.DataFrame(index=df.index)
    for i in range(df.shape[1]):
        out[f"c{i}"] = pd.Series([text_value(v) for v in df.iloc[:, i]], index=df.index, dtype=object)
    out.columns = [normalise_name(str(c)) for c in df.columns]
    return out


def stage_frame(
    con: duckdb.DuckDBPyConnection,
    df: pd.DataFrame,
    table: str,
    label: str,
    first_row: int = 1,
    row_numbers: Sequence[int] | None = None,
) -> StagedSource:
    """Stage a DataFrame; row i is numbered ``row_numbers[i]``, else ``first_row + i``."""
    text = _frame_as_text(df).reset_index(drop=True)
    names = list(text.columns)
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError.worded(label, "source.duplicate_columns", columns=", ".join(dup))
    text.columns = [f"c{i}" for i in range(len(names))]
    numbers = list(row_numbers) if row_numbers is not None else list(range(first_row, first_row + len(text)))
    text.insert(0, "_row", pd.array(numbers, dtype="int64"))
    con.register("_frame", text)
    try:
        cols = ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(len(names)))
        create_raw_table(
            con,
            table,
            names,
            f"SELECT CAST(_row AS BIGINT) AS _row{', ' if cols else ''}{cols} FROM _frame",
            [],
        )
    finally:
        con.unregister("_frame")
    digest = hashlib.sha256(pd.util.hash_pandas_object(text, index=False).values.tobytes()).hexdigest()
    return StagedSource(label, table, tuple(names), len(text), digest)


def stage_excel(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedSource:
    if path.suffix.lower() == ".xls":
        raise SourceError.worded(str(path), "source.old_xls")
    try:
        df = pd.read_excel(path, dtype=object, sheet_name=0)  # raw cell values: the id 00123 stays 00123
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise SourceError.worded(str(path), "source.bad_excel", reason=exc) from None
    # Blank rows carry no data: skip them, but keep every other row's number as the sheet shows it
    # (the header is row 1, so data row i, from 0, is row i + 2).
    keep = ~df.isna().all(axis=1)
    numbers = [i + 2 for i in range(len(df)) if keep.iloc[i]]
    staged = stage_frame(con, df[keep], table, str(path), row_numbers=numbers)
    return StagedSource(staged.label, table, staged.columns, staged.rows, file_checksum(path), header_row=1)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> StagedSource:
    """Stage one file by its ending; the error names the file."""
    if not path.exists():
        raise SourceError.worded(str(path), "source.no_file")
    if path.is_dir():
        raise SourceError.worded(str(path), "source.is_directory")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return stage_parquet(con, path, table)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return stage_excel(con, path, table)
    if suffix in (".csv", ".tsv", ".txt", ""):
        return stage_csv(con, path, table, workdir)
    raise SourceError.worded(str(path), "source.unknown_type", suffix=repr(suffix))
