"""Where rows come from: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK), Parquet, Excel, a DataFrame, or one
SELECT on a database server (an admin's named connection, see connections.py; never a file). Every source
lands as an all-text staging table with its row numbers, so that
validation sees every value exactly as written and can point at the row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import decimal
import fcntl
import functools
import hashlib
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from opsplan import fmt
from opsplan.store import connections
from opsplan.store.connections import Connection

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20
_WORKDIR_PREFIX = "opsplan-load-"


class SourceError(ValueError):
    """A source that cannot be read at all (bad encoding, broken CSV, unreachable database).

    ``source`` names the file (or masked URL), ``rows`` the line/row numbers when known.
    """

    def __init__(self, source: str, message: str, rows: Sequence[int] = (), row_word: str = "line") -> None:
        self.source = source
        self.message = message
        self.rows = tuple(rows)
        self.row_word = row_word
        where = source
        if self.rows:
            word = row_word + ("s" if len(self.rows) > 1 else "")
            where += f": {word} {', '.join(str(r) for r in self.rows)}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class StagedSource:
    """One source staged as table ``raw`` … with columns ``_row`` (row as a person counts it) + text."""

    label: str
    table: str
    columns: tuple[str, ...]
    rows: int
    checksum: str
    #: what a person calls the row number: "row" in a sheet, "line" in a CSV file
    row_word: str = "row"
    #: the row/line of the header, if the source has one (a CSV line 1, a sheet's header row)
    header_row: int | None = None
    #: columns the source itself types as floating-point numbers (Parquet FLOAT/DOUBLE): ids there arrive as 123.0
    float_columns: tuple[str, ...] = ()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _utf8_failure(path: Path) -> tuple[int, int] | None:
    """(byte, line) of the first byte that is not UTF-8, None when the whole file is UTF-8."""
    line = 1
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            for block in iter(lambda: fh.read(_CHUNK), b""):
                decoder.decode(block)
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            # exc.object is the decoder's buffer: the bytes held back from the last block (never a newline) + this one
            data = bytes(exc.object)
            return data[exc.start], line + data[: exc.start].count(b"\n")
    return None


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' or 'utf-8' when every byte decodes as UTF-8, else 'gb18030' (a superset of GBK).

    'gb18030' is only a candidate: ``stage_csv`` still checks that the file reads as Chinese text.
    """
    if _utf8_failure(path) is not None:
        return "gb18030"
    with open(path, "rb") as fh:
        head = fh.read(3)
    return "utf-8-sig" if head == codecs.BOM_UTF8 else "utf-8"


#: the share of a GBK file's non-ASCII characters that must be common Chinese ones (see ``_common_chinese``)
_MIN_COMMON_SHARE = 0.8
#: characters outside the Basic Multilingual Plane (emoji, rare ideographs): neither evidence for nor against
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _common_chinese() -> re.Pattern[str]:
    """The characters of GB2312's hanzi rows (0xB0A1-0xF7FE) and punctuation rows (0xA1A1-0xA3FE).

    GB18030 decodes almost any bytes, so "it decodes" proves nothing: Latin-1 'Müller' reads as 'M黮ler',
    Shift-JIS '東京' as '搶嫗', Big5 '臺灣' as '籓芖' — characters from GBK's rare extension rows (their second
    byte is an ASCII letter or below 0xA1) or from rows Chinese text does not use. Real Chinese text is almost
    all GB2312 hanzi and punctuation (抖音, 小红书, 微信朋友圈, ，。：).
    """
    chars = []
    for lead in (*range(0xA1, 0xA4), *range(0xB0, 0xF8)):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes((lead, trail)).decode("gb2312"))
    return re.compile("[" + re.escape("".join(chars)) + "]")


#: what ends a field when quoting the mojibake back to the user: "Berlin,M黮ler,x" → "M黮ler"
_FIELD_END = re.compile(r'[,;\t|"\r\n]')


def _first_uncommon(path: Path) -> tuple[int, str]:
    """(line, the field holding it) of the first non-ASCII character that is no common Chinese one."""
    common = _common_chinese()
    with open(path, encoding="utf-8", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            for i, ch in enumerate(line):
                if ord(ch) > 0x7F and not _ASTRAL.match(ch) and not common.match(ch):
                    fields = _FIELD_END.split(line[:i])
                    rest = _FIELD_END.split(line[i:])
                    return number, (fields[-1] + rest[0])[-20:]
    return 0, ""


def _normalise_name(name: str) -> str:
    # "Signup_At " → "signup_at"; column names are case-insensitive on input
    return re.sub(r"\s+", "_", name.strip().lstrip("\ufeff").lower())


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _utf8_copy(path: Path, encoding: str, workdir: Path, not_utf8: tuple[int, int] | None = None) -> Path:
    """DuckDB reads no GBK without downloading an extension: decode in Python, in blocks.

    For GB18030 (``not_utf8``: the first byte that is not UTF-8, and its line) the decoded text must read as
    Chinese, else the file is refused saying what was tried: "not UTF-8 (byte 0xE9 at line 3) and not GB18030 …".
    """
    out = workdir / (path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    byte, at = not_utf8 or (0, 1)
    tried = f"neither UTF-8 nor GBK/GB18030 text: not UTF-8 (byte 0x{byte:02X} at line {at}) and not GB18030"
    advice = "save it as UTF-8 (in Excel: CSV UTF-8) and load it again"
    check = encoding == "gb18030"
    common = _common_chinese()
    n_common = n_other = 0
    with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        for block in iter(lambda: src.read(_CHUNK), b""):
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                data = bytes(exc.object)
                bad = line + data[: exc.start].count(b"\n")
                why = f"byte 0x{data[exc.start]:02X} at line {bad} starts no GB18030 character"
                raise SourceError(str(path), f"{tried} ({why}); {advice}", (at if not_utf8 else bad,)) from None
            line += block.count(b"\n")
            if check:
                # counted in C: non-ASCII = all - ASCII - astral; common = GB2312 hanzi and punctuation
                ascii_chars = len(text.encode("ascii", "ignore"))
                n_c = common.subn("", text)[1]
                n_common += n_c
                n_other += len(text) - ascii_chars - _ASTRAL.subn("", text)[1] - n_c
            dst.write(text)
        try:
            dst.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            why = f"cut off in a character at the end, line {line}"
            raise SourceError(str(path), f"{tried} ({why}); {advice}", (at if not_utf8 else line,)) from None
    if check and n_other > (1 - _MIN_COMMON_SHARE) * (n_common + n_other):
        where, sample = _first_uncommon(out)
        why = (
            f"read as GB18030 only {n_common} of its {n_common + n_other} non-ASCII characters are common Chinese "
            f"ones, e.g. {sample!r} at line {where}: it looks like Latin-1, Shift-JIS or Big5"
        )
        raise SourceError(str(path), f"{tried} ({why}); {advice}", (at,))
    return out


def _last_content_line(path: Path) -> int:
    """The number of the last line holding anything but white space (0 for a blank file)."""
    last = 0
    newlines = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            body = block.rstrip()
            if body:
                last = newlines + body.count(b"\n") + 1
            newlines += block.count(b"\n")
    return last


def _data_line_numbers(path: Path, delim: str) -> list[int]:
    """The line on which each data record starts, skipping blank lines as DuckDB does.

    Only needed when a file's records are not one per line (blank lines, quoted line breaks).
    """
    starts: list[int] = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter=delim, quotechar='"', doublequote=True)
        before = 0
        header = True
        for record in reader:
            start, before = before + 1, reader.line_num
            if not record:
                continue
            if header:
                header = False
                continue
            starts.append(start)
    return starts


def _create_raw(
    con: duckdb.DuckDBPyConnection, table: str, names: Sequence[str], select: str, params: list[object]
) -> None:
    """The staging table ``table``: ``_row`` and one text column per name, from ``select``.

    ``select`` yields ``_row`` then columns c0, c1, … in file order.
    """
    cols = ", ".join(f'c{i} AS "{n}"' for i, n in enumerate(names))
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT _row, {cols} FROM ({select})", params)


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> StagedSource:
    label = str(path)
    if path.stat().st_size == 0:
        raise SourceError(label, "the file is empty (0 bytes, not even a header line)", (1,))
    not_utf8 = _utf8_failure(path)
    if not_utf8 is not None:
        readable = _utf8_copy(path, "gb18030", workdir, not_utf8)
    else:
        with open(path, "rb") as fh:
            bom = fh.read(3) == codecs.BOM_UTF8
        readable = _utf8_copy(path, "utf-8-sig", workdir) if bom else path
    with open(readable, encoding="utf-8", newline="") as fh:
        header_line = fh.readline()
    if not header_line.strip():
        raise SourceError(label, "the first line is empty: expected the header (column names)", (1,))
    delim = _sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delim))
    names = [_normalise_name(h) for h in header]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError(label, f"column(s) {', '.join(dup)} appear more than once in the header", (1,))
    columns = {f"c{i}": "VARCHAR" for i in range(len(names))}
    data = f"{table}_text"
    try:
        # Explicit options: the sniffer silently folds a ragged file into one column.
        con.execute(
            f"""CREATE OR REPLACE TABLE {data} AS
                SELECT * FROM read_csv(?, header = true, auto_detect = false, delim = ?, quote = '"',
                    escape = '"', columns = {columns!r}, strict_mode = true, null_padding = false,
                    all_varchar = true)""",
            [str(readable), delim],
        )
    except duckdb.Error as exc:
        line = re.search(r"Line: (\d+)", str(exc))
        reason = str(exc).splitlines()[0].split("Error: ", 1)[-1]
        if "Expected Number of Columns" in str(exc):
            found = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", str(exc))
            reason = f"expected {found.group(1)} fields, found {found.group(2)}" if found else reason
        raise SourceError(label, reason, (int(line.group(1)),) if line else ()) from None
    rows = int(con.execute(f"SELECT count(*) FROM {data}").fetchall()[0][0])
    if _last_content_line(readable) == rows + 1:
        # one record per line, no blank lines: data row i (from 0) is on line i + 2
        _create_raw(con, table, names, f"SELECT rowid + 2 AS _row, * FROM {data}", [])
    else:
        starts = _data_line_numbers(readable, delim)
        if len(starts) == rows:
            lines = pd.DataFrame({"_line": pd.array(starts, dtype="int64")})
            con.register("_lines", lines)
            try:
                _create_raw(
                    con,
                    table,
                    names,
                    f"SELECT _lines._line AS _row, d.* FROM {data} d POSITIONAL JOIN _lines",
                    [],
                )
            finally:
                con.unregister("_lines")
        else:  # Python and DuckDB disagree on the records: fall back to counting records
            logger.warning("%s: could not map rows to lines; row numbers count records", label)
            _create_raw(con, table, names, f"SELECT rowid + 2 AS _row, * FROM {data}", [])
    con.execute(f"DROP TABLE {data}")
    return StagedSource(label, table, tuple(names), rows, file_checksum(path), row_word="line", header_row=1)


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> StagedSource:
    try:
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise SourceError(str(path), f"not a readable Parquet file ({str(exc).splitlines()[0]})") from None
    names = [_normalise_name(r[0]) for r in desc]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise SourceError(str(path), f"column(s) {', '.join(dup)} appear more than once")
    cols = ", ".join(f'CAST("{r[0]}" AS VARCHAR) AS c{i}' for i, r in enumerate(desc))
    select = f"SELECT file_row_number + 1 AS _row, {cols} FROM read_parquet(?, file_row_number = true)"
    _create_raw(con, table, names, select, [str(path)])
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
    out.columns = [_normalise_name(str(c)) for c in df.columns]
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
        raise SourceError(label, f"column(s) {', '.join(dup)} appear more than once")
    text.columns = [f"c{i}" for i in range(len(names))]
    numbers = list(row_numbers) if row_numbers is not None else list(range(first_row, first_row + len(text)))
    text.insert(0, "_row", pd.array(numbers, dtype="int64"))
    con.register("_frame", text)
    try:
        cols = ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(len(names)))
        _create_raw(
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
        raise SourceError(str(path), "old .xls workbooks are not supported: save it as .xlsx")
    try:
        df = pd.read_excel(path, dtype=object, sheet_name=0)  # raw cell values: the id 00123 stays 00123
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise SourceError(str(path), f"not a readable Excel workbook ({exc})") from None
    # Blank rows carry no data: skip them, but keep every other row's number as the sheet shows it
    # (the header is row 1, so data row i, from 0, is row i + 2).
    keep = ~df.isna().all(axis=1)
    numbers = [i + 2 for i in range(len(df)) if keep.iloc[i]]
    staged = stage_frame(con, df[keep], table, str(path), row_numbers=numbers)
    return StagedSource(staged.label, table, staged.columns, staged.rows, file_checksum(path), header_row=1)


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, table: str, workdir: Path) -> StagedSource:
    """Stage one file by its ending; the error names the file."""
    if not path.exists():
        raise SourceError(str(path), "no such file")
    if path.is_dir():
        raise SourceError(str(path), "is a directory, not a file")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return stage_parquet(con, path, table)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return stage_excel(con, path, table)
    if suffix in (".csv", ".tsv", ".txt", ""):
        return stage_csv(con, path, table, workdir)
    raise SourceError(str(path), f"unknown file type {suffix!r} (use .csv, .parquet or .xlsx)")


def mask_url(url: str) -> str:
    """postgresql://me:secret@host/db?password=x → postgresql://me:***@host/db?password=***, also for a mistyped
    URL, for lineage and messages (``opsplan.store.connections.mask_url``)."""
    return connections.mask_url(url)


def _connect_args(conn: Connection) -> dict[str, object]:
    """The driver's own connect timeout (and socket timeouts where it has them), so a dead host cannot hang a
    page; a driver not named here gets nothing it might not understand."""
    from sqlalchemy.engine import make_url

    driver = make_url(conn.url).drivername.partition("+")[2] or "default"
    connect = max(2, math.ceil(min(conn.timeout_seconds, 30)))  # libpq's minimum is 2 s
    socket = math.ceil(conn.timeout_seconds) + 5  # the statement timeout fires first
    if driver in ("psycopg", "psycopg2", "psycopg2cffi"):
        return {"connect_timeout": connect}
    if driver in ("pymysql", "mysqldb", "mariadbconnector"):
        return {"connect_timeout": connect, "read_timeout": socket, "write_timeout": socket}
    if driver == "pg8000":
        return {"timeout": socket}
    return {}


def _read_only(db: object, conn: Connection) -> None:
    """Make the transaction read-only with a statement timeout where the server allows it: PostgreSQL
    ``SET TRANSACTION READ ONLY`` + ``statement_timeout``, MariaDB/MySQL ``START TRANSACTION READ ONLY`` +
    ``max_statement_time`` / ``MAX_EXECUTION_TIME``. A function that writes then fails, whatever its name."""
    from sqlalchemy.engine import Connection as Db

    if not isinstance(db, Db):
        raise TypeError(f"expected a SQLAlchemy connection, not {type(db).__name__}")
    ms = max(1, int(conn.timeout_seconds * 1000))
    name = db.dialect.name
    if name in ("postgresql", "cockroachdb"):
        db.exec_driver_sql("SET TRANSACTION READ ONLY")
        db.exec_driver_sql(f"SET LOCAL statement_timeout = {ms}")
        db.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
        if str(db.exec_driver_sql("SHOW transaction_read_only").scalar()).lower() != "on":
            raise SourceError(conn.label, "the server did not make the transaction read-only: nothing was run")
    elif name in ("mysql", "mariadb"):
        if getattr(db.dialect, "is_mariadb", False):
            db.exec_driver_sql(f"SET SESSION max_statement_time = {ms / 1000:.3f}")
        else:
            db.exec_driver_sql(f"SET SESSION MAX_EXECUTION_TIME = {ms}")
        db.exec_driver_sql(f"SET SESSION lock_wait_timeout = {max(1, math.ceil(conn.timeout_seconds))}")
        db.exec_driver_sql("START TRANSACTION READ ONLY")


#: PostgreSQL query_canceled / lock_not_available; MariaDB max_statement_time, MySQL MAX_EXECUTION_TIME,
#: interrupted, and the socket's read timeout (lost connection during the query)
_PG_TIMEOUTS = ("57014", "55P03")
_MYSQL_TIMEOUTS = (1969, 3024, 1317, 2013)


def _timed_out(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    errno = (getattr(orig, "args", None) or (None,))[0]
    return code in _PG_TIMEOUTS or errno in _MYSQL_TIMEOUTS


def _too_long(conn: Connection) -> str:
    return (
        f"the query ran longer than the time limit of {conn.timeout_seconds:g} s (timeout_seconds): "
        "narrow it (a date range, fewer columns) or ask the admin for a longer limit"
    )


def _too_many(conn: Connection) -> str:
    return (
        f"the query returns more than the row limit of {fmt.value(fmt.COUNT, conn.max_rows)} rows (max_rows): "
        "narrow it (e.g. a date range) and load the rest in further imports"
    )


def read_sql(
    source: str | Connection, query: str, *, max_rows: int | None = None, timeout: float | None = None
) -> pd.DataFrame:
    """Run one SELECT on a database server: a named ``Connection`` (the pages, ``--connection``) or a URL (the
    admin's ``--from-sql``), under the same rules (``opsplan.store.connections``): no file URLs, exactly one SELECT,
    run as sqlglot rendered it in a read-only transaction, at most ``max_rows`` rows within ``timeout`` seconds
    (the connection's own limits unless lower ones are given). Messages name the connection or the masked URL
    and never hold a password.

    The frame holds the driver's values untouched (object columns): pandas' type guessing would
    turn an integer column with NULLs into floats (id 123 → "123.0") and JSON into Python reprs.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    try:
        if isinstance(source, connections.Connection):
            conn = source.limited(max_rows, timeout)
        else:
            conn = connections.connection_from_url(source, max_rows, timeout)
    except connections.ConnectionSettingsError as exc:
        where = source.label if isinstance(source, connections.Connection) else mask_url(str(source))
        raise SourceError(where, str(exc)) from None
    where = conn.label
    try:
        sql = connections.check_select(query, conn.dialect, conn.max_rows)
    except connections.QueryRefused as exc:
        raise SourceError(where, str(exc)) from None
    try:
        engine = create_engine(conn.url, poolclass=NullPool, connect_args=_connect_args(conn))
    except (SQLAlchemyError, ImportError, ValueError, TypeError) as exc:
        raise SourceError(where, f"cannot connect ({connections.scrub(str(exc).splitlines()[0], conn.url)})") from None
    stage, started = "connect", time.monotonic()
    try:
        with engine.connect() as db:
            stage = "query"
            _read_only(db, conn)
            started = time.monotonic()
            result = db.exec_driver_sql(sql, execution_options={"no_parameters": True})  # '%' stays '%'
            if not result.returns_rows:
                raise SourceError(where, "the query returned no result set (use a SELECT)")
            names = list(result.keys())
            rows = result.fetchmany(conn.max_rows + 1)
            result.close()
            db.rollback()  # nothing to keep, whatever the server allowed
    except SourceError:
        raise
    except (SQLAlchemyError, OSError, ImportError, TypeError, ValueError) as exc:
        detail = connections.scrub((str(exc).strip().splitlines() or [type(exc).__name__])[0], conn.url)
        if stage == "query" and (_timed_out(exc) or time.monotonic() - started >= conn.timeout_seconds):
            raise SourceError(where, _too_long(conn)) from None
        if stage == "connect" and conn.name:  # a dashboard user sees the connection's name, not its host
            logger.warning("%s: cannot connect: %s", where, detail)
            raise SourceError(where, "cannot connect to the database (the server log says why)") from None
        if stage == "connect":
            raise SourceError(where, f"cannot connect ({detail})") from None
        raise SourceError(where, f"query failed ({detail})") from None
    finally:
        engine.dispose()
    if len(rows) > conn.max_rows:
        raise SourceError(where, _too_many(conn))
    if time.monotonic() - started > conn.timeout_seconds:
        raise SourceError(where, _too_long(conn))
    frame = pd.DataFrame([tuple(r) for r in rows], columns=names, dtype=object)
    if not rows:
        frame = pd.DataFrame({n: pd.Series([], dtype=object) for n in names})
    return frame


#: a staging folder without its lock file this old was left by a load killed while it was being made
_UNLOCKED_STALE_SECONDS = 3600.0


def remove_stale_workdirs(base: Path | None = None) -> None:
    """Staging folders of loads that were killed (they can be large): removed by the next load.

    A live load holds an ``flock`` on ``<folder>/.lock`` while it runs; a folder whose lock can be
    taken belongs to a process that is gone (this works across PID namespaces sharing a /tmp).
    """
    root = Path(base or tempfile.gettempdir())
    for folder in root.glob(_WORKDIR_PREFIX + "*"):
        if not folder.is_dir():
            continue
        try:
            fd = os.open(folder / ".lock", os.O_RDWR)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > _UNLOCKED_STALE_SECONDS:
                    shutil.rmtree(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a running load
        else:
            logger.info("removing %s left by an interrupted load", folder)
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)
        finally:
            os.close(fd)


@contextlib.contextmanager
def new_workdir() -> Iterator[str]:
    """A private staging folder, locked while this load runs, so that a later load can clean it up."""
    remove_stale_workdirs()
    with tempfile.TemporaryDirectory(prefix=_WORKDIR_PREFIX) as folder:
        fd = os.open(Path(folder) / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield folder
        finally:
            os.close(fd)
