"""Loading: validate every value of every row first, then land the rows in one step or not at all.

A load is staged in a scratch DuckDB file as text, checked against the data contract (all problems
at once, each naming file, rows and column), cast to its types there, and only then written to the
warehouse inside one write session (see ``warehouse.py``), which also refreshes the materialized
views. A refused or interrupted load leaves the warehouse byte for byte as it was; the attempt is
recorded outside it, in ``<warehouse>.failures.jsonl`` (``opsplan.store.freshness``), so the pages can say so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from opsplan.store import sources
from opsplan.store.connections import Connection, scrub
from opsplan.store.contract import (
    CAMPAIGN_PHASES,
    DEFAULT_CHANNEL,
    EARLIEST_DAY_ENV,
    LATEST_DAYS_AHEAD_ENV,
    MONEY_DECIMALS,
    ColType,
    Column,
    Table,
    day_window,
    get_table,
)
from opsplan.store.freshness import record_failure
from opsplan.store.sources import SourceError, StagedSource
from opsplan.store.views import refresh
from opsplan.store.warehouse import (
    DEFAULT_TZ,
    Warehouse,
    WarehouseError,
    bump_data_version,
    check_timezone,
    configure_staging,
    fetch_one,
    get_meta,
    warehouse_timezone,
)
from opsplan.store.writing import write_session

logger = logging.getLogger(__name__)

_SHOW_ROWS = 5


@dataclass(frozen=True)
class Problem:
    """One reason a load is refused: where (source, rows, column) and why."""

    source: str
    rows: tuple[int, ...]
    column: str | None
    message: str
    row_word: str = "line"
    more: int = 0

    def __str__(self) -> str:
        where = self.source
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            word = self.row_word + ("s" if len(self.rows) > 1 else "")
            where += f": {word} {shown}" + (f" (and {self.more} more)" if self.more else "")
        if self.column:
            where += f": column {self.column}"
        return f"{where}: {self.message}"


class LoadError(ValueError):
    """A refused load. ``problems`` lists every reason; the warehouse was not touched."""

    def __init__(self, table: str, problems: Sequence[Problem]) -> None:
        self.table = table
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"load into {table} refused, nothing was written:\n{lines}")


class UnknownTableError(LoadError, KeyError):
    """A load into a table the contract does not have (still a ``KeyError`` for older callers)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class LoadResult:
    table: str
    sources: tuple[str, ...]
    load_id: int
    rows_in: int
    rows_stored: int
    rows_replaced: int
    rows_rejected: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)
    refreshed: tuple[str, ...] = field(default_factory=tuple)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    """The one row of an aggregate query (read to the end: see ``warehouse.fetch_one``)."""
    row = fetch_one(con, sql)
    if row is None:
        raise RuntimeError(f"expected one row from: {sql}")
    return row


#: white space trimmed from every value: spaces, tabs, line breaks, no-break and ideographic (全角) spaces
_BLANKS = " \t\r\n\u00a0\u3000"


def _text(col: str) -> str:
    """The value of ``col`` without surrounding white space; NULL when nothing is left.

    trim() with a character list costs three times a plain scan: only values that start or end with
    white space (rare) pay for it.
    """
    c, b = f'"{col}"', f"'{_BLANKS}'"
    edge = f"contains({b}, left({c}, 1)) OR contains({b}, right({c}, 1))"
    return f"NULLIF(CASE WHEN {edge} THEN trim({c}, {b}) ELSE {c} END, '')"


_NUMERIC = (ColType.DECIMAL, ColType.INTEGER, ColType.NUMBER)

# Decimal marks (docs/glossary.md, "Values"): each file's numeric column is read with "." or with "," as its
# decimal mark, decided from all its values; the other sign may only separate thousands, in groups of three.
#: "." as the decimal mark: 1,234.50  -12  .5  1.5e3 (an exponent only without thousands separators; no 0,123)
_DOT_NUMBER = r"[+-]?([1-9]\d{0,2}(,\d{3})+(\.\d+)?|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)"
#: "," as the decimal mark: 1.234,50  -12,5  1.234.567  12 (no 0.123: a group of thousands starts with 1-9)
_COMMA_NUMBER = r"[+-]?([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?"
#: one separator before exactly three digits reads both ways: 1,234 (1234 or 1.234), 12.500 (12.5 or 12500)
_EITHER_MARK = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"
#: only a decimal comma reads (two-way values aside): 12,50  0,5  0,004  1.234,50  1.234.567
_COMMA_ONLY = r"[+-]?(\d+,\d+|[1-9]\d{0,2}(\.\d{3})+(,\d+)?)"
#: only a decimal point reads (two-way values aside): 12.50  .5  0.004  1.5e3  1,234.50  1,234,567
_DOT_ONLY = r"[+-]?(\d*\.\d+([eE][+-]?\d+)?|[1-9]\d{0,2}(,\d{3})+\.\d+|[1-9]\d{0,2}(,\d{3}){2,})"
#: a non-zero digit after the cents: 0.004, 12.345, 1.0001 (12.340 is exactly 12.34, so it is kept)
_SUB_CENT = rf"\.\d{{{MONEY_DECIMALS}}}\d*[1-9]"
#: a date or timestamp starts with its four-digit year: 2026-01-05, 2026/01/05, 20260105, 2026-01-05T08:30:00Z
_FULL_YEAR = r"^\d{4}"
#: a two-digit year: 26/01/05, 26-1-5 10:00 (DuckDB reads the year 0026; it may be 1926, 2026 or a day)
_SHORT_YEAR = r"\d{1,2}[-/.]\d{1,2}[-/.]\d{1,2}([ T].*)?"
#: C0 and C1 control characters: NUL (0x00), tab, line breaks, ESC (0x1B), DEL (0x7F), NEL (0x85) …
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"


def _number_source(col: str, ctype: ColType) -> str:
    """The text of a numeric column as judged for its decimal mark: an amount may start with ¥ (¥12.50, -¥3)."""
    v = _text(col)
    if ctype is ColType.DECIMAL:
        # "¥1,234.50" → "1,234.50", "-￥3" → "-3": a currency sign before the digits only
        return f"regexp_replace({v}, '^([+-]?)[¥￥]([+-]?)', '\\1\\2')"
    return v


def _number_text(col: str, ctype: ColType, mark: str) -> str:
    """SQL giving the number in ``col`` as DuckDB reads it (1234.50) under decimal ``mark``; NULL if malformed."""
    v = _number_source(col, ctype)
    if mark == ",":
        return f"CASE WHEN regexp_full_match({v}, '{_COMMA_NUMBER}') THEN replace(replace({v}, '.', ''), ',', '.') END"
    return f"CASE WHEN regexp_full_match({v}, '{_DOT_NUMBER}') THEN replace({v}, ',', '') END"


def _typed_expr(col: str, ctype: ColType, mark: str = ".") -> str:
    """SQL turning the text of ``col`` into its contract type; NULL where it cannot (numbers under ``mark``)."""
    v = _text(col)
    if ctype is ColType.TIMESTAMP:
        # 2026-01-01T15:59:59Z and 2026-01-01 23:59:59+08:00 are instants; a naive value is local
        return f"CASE WHEN regexp_matches({v}, '{_FULL_YEAR}') THEN TRY_CAST({v} AS TIMESTAMPTZ) END"
    if ctype is ColType.DATE:
        # 2026-01-05, 2026/01/05 and 20260105 are the same day; a timestamp keeps its date part
        return (
            f"CASE WHEN regexp_matches({v}, '{_FULL_YEAR}') THEN "
            f"COALESCE(TRY_CAST({v} AS DATE), TRY_CAST(TRY_CAST({v} AS TIMESTAMP) AS DATE), "
            f"TRY_CAST(TRY_STRPTIME({v}, ['%Y/%m/%d', '%Y%m%d', '%Y/%m/%d %H:%M:%S']) AS DATE)) END"
        )
    if ctype is ColType.DECIMAL:
        # amounts are exact: no exponent, no digits past the cents (never rounded)
        n = _number_text(col, ctype, mark)
        return f"CASE WHEN NOT regexp_matches({n}, '[eE]|{_SUB_CENT}') THEN TRY_CAST({n} AS DECIMAL(18,2)) END"
    if ctype is ColType.INTEGER:
        # "12" and "12.0" (what a spreadsheet or a nullable SQL column gives) are 12; "12.5" is not;
        # TRY_CAST: 1e30 or inf is "not a whole number", not a crash
        d = f"TRY_CAST({_number_text(col, ctype, mark)} AS DOUBLE)"
        return f"CASE WHEN {d} = floor({d}) THEN TRY_CAST({d} AS BIGINT) END"
    if ctype is ColType.NUMBER:
        # NaN and inf are no measurement (and no number under either decimal mark)
        d = f"TRY_CAST({_number_text(col, ctype, mark)} AS DOUBLE)"
        return f"CASE WHEN isfinite({d}) THEN {d} END"
    if ctype is ColType.JSON:
        return f"CASE WHEN json_valid({v}) THEN {v} END"
    return v


_TYPE_WORDS = {
    ColType.TIMESTAMP: "a timestamp (e.g. 2026-01-05 08:30:00, with or without +08:00)",
    ColType.DATE: "a date (e.g. 2026-01-05)",
    ColType.DECIMAL: "a number",
    ColType.INTEGER: "a whole number",
    ColType.NUMBER: "a finite number",
    ColType.JSON: "valid JSON",
}


class _Checker:
    """Runs the contract's checks over staged sources and collects every problem."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: Table, staged: list[StagedSource]) -> None:
        self.con = con
        self.table = table
        self.staged = staged
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        #: staged table → numeric column → its decimal mark in that file ("." or ",")
        self.marks: dict[str, dict[str, str]] = {}
        # the staging connection runs in the warehouse's zone (local days, "tomorrow")
        zone = str(_one(con, "SELECT current_setting('TimeZone')")[0])
        self.window = day_window(zone)

    def _rows(self, src: StagedSource, where: str, column: str | None, message: str, sample: str = "") -> None:
        """Report the rows of ``src`` matching ``where`` (first few, with a count of the rest)."""
        sel = f", {sample}" if sample else ""
        hits = self.con.execute(
            f"SELECT _row{sel}, count(*) OVER () FROM {src.table} WHERE {where} ORDER BY _row LIMIT {_SHOW_ROWS}"
        ).fetchall()
        if not hits:
            return
        msg = message
        if sample:
            shown = ", ".join(repr(h[1]) for h in hits[:3])
            msg = f"{message} ({shown})"
        total = hits[0][-1]
        self.problems.append(
            Problem(src.label, tuple(h[0] for h in hits), column, msg, src.row_word, total - len(hits))
        )

    def check(self) -> None:
        t = self.table
        for src in self.staged:
            header = (src.header_row,) if src.header_row is not None else ()
            if src.rows == 0:
                what = "only a header, no data rows" if header else "no rows"
                self.problems.append(Problem(src.label, header, None, what, src.row_word))
                continue
            missing = [c for c in t.required if c not in src.columns]
            if missing:
                known = ", ".join(src.columns)
                self.problems.append(
                    Problem(
                        src.label,
                        header,
                        ", ".join(missing),
                        f"required column missing (the header has: {known})",
                        src.row_word,
                    )
                )
            extra = [c for c in src.columns if c not in t.names]
            if extra:
                self.warnings.append(f"{src.label}: columns not in the contract, not stored: {', '.join(extra)}")
            census = self._census(src)
            for col in t.columns:
                if col.name not in src.columns:
                    continue
                found = len(self.problems)
                if col.required:
                    self._rows(src, f"{_text(col.name)} IS NULL", col.name, "required value is empty")
                if col.ident:
                    self._ident(src, col, census["controls"][0])
                # rows another check of this column reports with its own reason
                told = "false"
                mark = "."
                if col.type in _NUMERIC:
                    mark, told = self._decimal_mark(src, col)
                    self.marks.setdefault(src.table, {})[col.name] = mark
                if col.type is ColType.DECIMAL:
                    number = _number_text(col.name, col.type, mark)
                    sub_cent = f"coalesce(regexp_matches({number}, '{_SUB_CENT}'), false)"
                    self._rows(
                        src,
                        sub_cent,
                        col.name,
                        f"more than {MONEY_DECIMALS} decimals: amounts are stored to the cent, never rounded "
                        f"(round them in the export)",
                        sample=f'"{col.name}"',
                    )
                    told = f"({told} OR {sub_cent})"
                is_day = col.type in (ColType.DATE, ColType.TIMESTAMP)
                if is_day and census[col.name][0]:
                    short = f"coalesce(regexp_full_match({_text(col.name)}, '{_SHORT_YEAR}'), false)"
                    self._rows(
                        src,
                        short,
                        col.name,
                        "two-digit year (26/01/05 would be the year 0026): write the year in full, e.g. 2026-01-05",
                        sample=f'"{col.name}"',
                    )
                    told = short
                if col.type is not ColType.TEXT and not (is_day and not census[col.name][0]):
                    typed = _typed_expr(col.name, col.type, mark)
                    bad = f"{_text(col.name)} IS NOT NULL AND {typed} IS NULL AND NOT {told}"
                    self._rows(src, bad, col.name, f"not {_TYPE_WORDS[col.type]}", sample=f'"{col.name}"')
                if is_day and len(self.problems) == found:
                    # a column's days are judged once every one of its values reads as a day
                    self._window(src, col, *census[col.name][1:])
            self._rules(src)
        if not self.problems:
            self._duplicates()

    def _census(self, src: StagedSource) -> dict[str, tuple]:
        """One pass over ``src`` for what the row-by-row checks need to know first (large event files).

        ``controls``: (rows with a control character in any id column, counted on the raw text, edges
        included); per date column (values that read as no day, first day, last day).
        """
        cols = [c for c in self.table.columns if c.name in src.columns]
        ids = [f'"{c.name}"' for c in cols if c.ident]
        parts: dict[str, list[str]] = {}
        inner: list[str] = []
        if ids:
            inner.append(f"concat({', '.join(ids)}) AS _ids")
            parts["controls"] = [f"count(*) FILTER (regexp_matches(_ids, '{_CONTROL}'))"]
        for i, col in enumerate(c for c in cols if c.type in (ColType.DATE, ColType.TIMESTAMP)):
            # the typed value once per row (an aggregate of an expression would parse it for each aggregate)
            inner += [f"{_text(col.name)} AS _v{i}", f"{_typed_expr(col.name, col.type)} AS _t{i}"]
            bad = f"count(*) FILTER (_v{i} IS NOT NULL AND _t{i} IS NULL)"
            parts[col.name] = [bad, f"CAST(min(_t{i}) AS DATE)", f"CAST(max(_t{i}) AS DATE)"]
        out: dict[str, tuple] = {"controls": (0,)}
        if not parts:
            return out
        flat = ", ".join(e for es in parts.values() for e in es)
        row = _one(self.con, f"SELECT {flat} FROM (SELECT {', '.join(inner)} FROM {src.table})")
        i = 0
        for name, es in parts.items():
            out[name], i = tuple(row[i : i + len(es)]), i + len(es)
        return out

    def _ident(self, src: StagedSource, col: Column, controls: int) -> None:
        """An id is matched byte for byte: a control character or a float column would split or lose rows."""
        if col.name in src.float_columns:
            self._rows(
                src,
                f"{_text(col.name)} IS NOT NULL",
                col.name,
                "the file stores this id column as floating-point numbers (an id 123 arrives as 123.0, a long one "
                "rounded): export ids as text (a string column)",
                sample=f'"{col.name}"',
            )
        if controls:
            self._rows(
                src,
                f"regexp_matches({_text(col.name)}, '{_CONTROL}')",
                col.name,
                "control character in an id (a NUL byte, tab, line break, escape …): an id must be plain text",
                sample=f'"{col.name}"',
            )

    def _decimal_mark(self, src: StagedSource, col: Column) -> tuple[str, str]:
        """The decimal mark of ``col`` in this file, from all its values; (mark, rows already reported).

        A column mixing 12,50 and 12.50 is refused at the rows of the rarer style; a value that reads both ways
        (1,234) is refused when no other value of the column decides the mark.
        """
        v = _number_source(col.name, col.type)
        either = f"regexp_full_match({v}, '{_EITHER_MARK}')"
        comma = f"coalesce(NOT {either} AND regexp_full_match({v}, '{_COMMA_ONLY}'), false)"
        dot = f"coalesce(NOT {either} AND regexp_full_match({v}, '{_DOT_ONLY}'), false)"
        n_comma, n_dot, n_either = _one(
            self.con,
            f"SELECT count(*) FILTER ({comma}), count(*) FILTER ({dot}), count(*) FILTER ({either}) FROM {src.table}",
        )
        sample = f'"{col.name}"'
        if n_comma and n_dot:
            # the rarer style is the odd one out (a tie: the comma, "." being the default)
            if n_comma <= n_dot:
                msg = f"decimal comma (12,50) while {n_dot} other value(s) of this column use a decimal point (12.50)"
                self._rows(src, comma, col.name, f"{msg}: one file, one decimal mark", sample=sample)
                return ".", comma
            msg = f"decimal point (12.50) while {n_comma} other value(s) of this column use a decimal comma (12,50)"
            self._rows(src, dot, col.name, f"{msg}: one file, one decimal mark", sample=sample)
            return ",", dot
        if n_comma:
            return ",", "false"
        if n_either and not n_dot:
            self._rows(
                src,
                f"coalesce({either}, false)",
                col.name,
                "ambiguous number: 1,234 is 1234 with a decimal point and 1.234 with a decimal comma, and no other "
                "value of this column shows which one this file uses; write 1234 or 1234.00 (or 1,234.00)",
                sample=sample,
            )
        return ".", "false"

    def _window(self, src: StagedSource, col: Column, first: dt.date | None, last: dt.date | None) -> None:
        """Days outside the plausible window are refused: they would move first_day or data_through.

        ``first`` and ``last`` are the column's own first and last day in this file (from ``_census``).
        """
        w = self.window
        day = f"CAST({_typed_expr(col.name, col.type)} AS DATE)"
        if first is not None and first < w.earliest:
            self._rows(
                src,
                f"{day} < DATE '{w.earliest}'",
                col.name,
                f"day before {w.earliest}, the earliest day data may have (${EARLIEST_DAY_ENV}); "
                "a placeholder such as 1970-01-01 or a wrong year?",
                sample=f'"{col.name}"',
            )
        if last is not None and last > w.latest and not col.may_be_future:
            self._rows(
                src,
                f"{day} > DATE '{w.latest}'",
                col.name,
                f"day after {w.latest}, the latest day data may have ({w.zone}; ${LATEST_DAYS_AHEAD_ENV}): "
                "it has not happened yet",
                sample=f'"{col.name}"',
            )

    def _rules(self, src: StagedSource) -> None:
        t, cols = self.table, src.columns
        marks = self.marks.get(src.table, {})
        if t.name == "ad_spend":
            for c in ("spend", "impressions", "clicks"):
                if c in cols:
                    typ = t.column(c).type
                    neg = f"{_typed_expr(c, typ, marks.get(c, '.'))} < 0"
                    self._rows(src, neg, c, "must not be negative", sample=f'"{c}"')
            if "clicks" in cols and "impressions" in cols:
                clicks, imps = (
                    _typed_expr("clicks", ColType.INTEGER, marks.get("clicks", ".")),
                    _typed_expr("impressions", ColType.INTEGER, marks.get("impressions", ".")),
                )
                self._rows(
                    src,
                    f"{clicks} > {imps}",
                    "clicks",
                    "clicks exceed impressions",
                    sample='concat("clicks", \' > \', "impressions")',
                )
        if t.name == "campaigns":
            if "phase" in cols:
                allowed = ", ".join(f"'{p}'" for p in CAMPAIGN_PHASES)
                self._rows(
                    src,
                    f"lower({_text('phase')}) NOT IN ({allowed})",
                    "phase",
                    f"phase must be one of {', '.join(CAMPAIGN_PHASES)}",
                    sample='"phase"',
                )
            if "start_date" in cols and "end_date" in cols:
                s, e = _typed_expr("start_date", ColType.DATE), _typed_expr("end_date", ColType.DATE)
                self._rows(src, f"{e} < {s}", "end_date", "ends before it starts")
        if t.name == "orders" and "amount" in cols:
            pass  # a negative amount is a refund: allowed by the contract

    def _duplicates(self) -> None:
        """A key twice in one load is refused: an upsert would silently keep one of the two."""
        t = self.table
        key = list(t.key)
        # events: only rows that have an event_id are keyed (a source without the column adds none)
        parts = []
        for i, src in enumerate(self.staged):
            exprs = ", ".join(
                f'{_typed_expr(k, t.column(k).type) if k in src.columns else "NULL"} AS "{k}"' for k in key
            )
            parts.append(f"SELECT {i} AS _src, _row, {exprs} FROM {src.table}")
        union = " UNION ALL ".join(parts)
        keys = ", ".join(f'"{k}"' for k in key)
        only_present = " AND ".join(f'"{k}" IS NOT NULL' for k in key if t.column(k).required or k == "event_id")
        where = f"WHERE {only_present}" if only_present else ""
        # find the first few duplicated keys cheaply, then collect the rows of just those keys
        same = " AND ".join(f'k."{k}" IS NOT DISTINCT FROM d."{k}"' for k in key)
        dkeys = ", ".join(f'd."{k}"' for k in key)
        dups = self.con.execute(
            f"""WITH k AS (SELECT * FROM ({union}) {where}),
                d AS (SELECT {keys}, min(_row) AS _first FROM k GROUP BY ALL HAVING count(*) > 1
                      ORDER BY _first LIMIT {_SHOW_ROWS})
                SELECT {dkeys}, list(k._src ORDER BY k._src, k._row), list(k._row ORDER BY k._src, k._row)
                FROM d JOIN k ON {same} GROUP BY ALL ORDER BY min(d._first)"""
        ).fetchall()
        for row in dups:
            value = ", ".join(f"{k}={v}" for k, v in zip(key, row[: len(key)], strict=True))
            srcs, rows = row[-2], row[-1]
            src = self.staged[srcs[0]]
            here = tuple(r for s, r in zip(srcs, rows, strict=True) if s == srcs[0])
            elsewhere = [
                f"{self.staged[s].label} {self.staged[s].row_word} {r}"
                for s, r in zip(srcs, rows, strict=True)
                if s != srcs[0]
            ]
            also = f" (also {', '.join(elsewhere)})" if elsewhere else ""
            self.problems.append(
                Problem(src.label, here[:_SHOW_ROWS], ", ".join(key), f"duplicate key {value}{also}", src.row_word)
            )


def _typed_select(table: Table, src: StagedSource, marks: Mapping[str, str] | None = None) -> str:
    """The typed rows of ``src``; ``marks``: each numeric column's decimal mark in this file (default ".")."""
    marks = marks or {}
    exprs = []
    for col in table.columns:
        if col.name in src.columns:
            e = _typed_expr(col.name, col.type, marks.get(col.name, "."))
        else:
            e = f"CAST(NULL AS {col.type.sql})"
        if col.name == "channel" and table.name == "users":
            e = f"COALESCE({e}, '{DEFAULT_CHANNEL}')"
        if col.name == "phase":
            e = f"lower({e})"
        exprs.append(f'{e} AS "{col.name}"')
        if col.day_column:
            exprs.append(f'CAST({_typed_expr(col.name, col.type)} AS DATE) AS "{col.day_column}"')
    return "SELECT " + ", ".join(exprs) + f" FROM {src.table}"


def _stage(
    stage_con: duckdb.DuckDBPyConnection,
    table: Table,
    files: Sequence[Path],
    frame: tuple[pd.DataFrame, str] | None,
    workdir: Path,
) -> list[StagedSource]:
    staged: list[StagedSource] = []
    problems: list[Problem] = []
    inputs: list[Path | tuple[pd.DataFrame, str]] = list(files) + ([frame] if frame is not None else [])
    for i, item in enumerate(inputs):
        try:
            if isinstance(item, tuple):
                staged.append(sources.stage_frame(stage_con, item[0], f"raw{i}", item[1]))
            else:
                staged.append(sources.stage_file(stage_con, Path(item), f"raw{i}", workdir))
        except SourceError as exc:
            problems.append(Problem(exc.source, exc.rows, None, exc.message, exc.row_word))
    if problems:
        raise LoadError(table.name, problems)
    return staged


def _replace_existing(con: duckdb.DuckDBPyConnection, table: Table, day_replace: bool) -> tuple[int, dt.date | None]:
    """Delete stored rows the new load overlaps; returns (rows deleted, their earliest day).

    Keyed rows are replaced by key. Events without an event_id are replaced by day: a load that
    brings id-less events for a day replaces every stored event of that day (and only those days).
    """
    if table.name == "events":
        cond = "events.event_id IN (SELECT event_id FROM stage.typed WHERE event_id IS NOT NULL)"
        if day_replace:
            days = "SELECT DISTINCT event_day FROM stage.typed WHERE event_id IS NULL"
            cond = f"({cond} OR events.event_day IN ({days}))"
    else:
        match = " AND ".join(f's."{k}" IS NOT DISTINCT FROM {table.name}."{k}"' for k in table.key)
        cond = f"EXISTS (SELECT 1 FROM stage.typed s WHERE {match})"
    n, first = _one(con, f"SELECT count(*), min({table.day_column}) FROM {table.name} WHERE {cond}")
    if n:
        con.execute(f"DELETE FROM {table.name} WHERE {cond}")
    return n, first


def load(
    wh: Warehouse,
    table_name: str,
    files: Sequence[str | Path] = (),
    *,
    frame: pd.DataFrame | None = None,
    frame_label: str = "dataframe",
    tz: str | None = None,
) -> LoadResult:
    """Validate and land rows from files and/or a DataFrame into one contract table.

    Raises ``LoadError`` (every problem, nothing written); for an unknown table an ``UnknownTableError``,
    which is a ``LoadError`` naming the inputs and, for older callers, a ``KeyError``. An unknown ``tz``
    raises ``WarehouseError``; an existing warehouse keeps its zone (a different ``tz`` is a warning).
    Any failure is recorded beside the warehouse (``freshness.record_failure``), then re-raised unchanged.
    """
    labels = [str(f) for f in files] + ([frame_label] if frame is not None else [])
    try:
        return _load(wh, table_name, files, frame=frame, frame_label=frame_label, tz=tz)
    except Exception as exc:
        _record_failure(wh, table_name, labels, exc)
        raise


def _failure_reason(exc: Exception, labels: Sequence[str]) -> str:
    """The first line of why, for the failures file: the first problem of a refusal (files by their name, the
    full path is in the record's source), else the exception's own first line."""
    if isinstance(exc, LoadError) and exc.problems:
        reason = str(exc.problems[0]) + (f" (+{len(exc.problems) - 1})" if len(exc.problems) > 1 else "")
        for label in labels:
            name = Path(label).name
            if name and name != label and "://" not in label:
                reason = reason.replace(label, name)
        return reason
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record_failure(
    wh: Warehouse, table_name: str, labels: Sequence[str], exc: Exception, secret: str | None = None
) -> None:
    """Keep the failed attempt outside the warehouse (a refusal must leave the file as it was); ``secret`` (a
    database URL) is masked wherever it shows."""
    try:
        table = get_table(table_name).name
    except KeyError:
        table = str(table_name)
    source = _recorded_source("; ".join(labels) or "(no input)")
    reason = _failure_reason(exc, labels)
    if secret:  # the URL masked, its password (also ?password=, also percent-encoded) replaced by ***
        source, reason = scrub(source, secret), scrub(reason, secret)
    record_failure(wh, table, source, reason)


def _recorded_source(text: str) -> str:
    """A source as the load history and the failures file keep it: a URL in it with its password masked."""
    return sources.mask_url(text) if "://" in text else text


def _load(
    wh: Warehouse,
    table_name: str,
    files: Sequence[str | Path],
    *,
    frame: pd.DataFrame | None,
    frame_label: str,
    tz: str | None,
) -> LoadResult:
    """``load`` without the failure record (``load_sql`` records its own)."""
    labels = [str(f) for f in files] + ([frame_label] if frame is not None else [])
    try:
        table = get_table(table_name)
    except KeyError as exc:
        problems = [Problem(label, (), None, str(exc.args[0])) for label in labels or ["(no input)"]]
        raise UnknownTableError(repr(table_name), problems) from None
    if not files and frame is None:
        raise LoadError(table.name, [Problem("(no input)", (), None, "give at least one file")])
    warnings: list[str] = []
    if wh.exists():
        zone = warehouse_timezone(wh)
        if tz and check_timezone(tz) != zone:
            warnings.append(f"the warehouse keeps the zone it was made with ({zone}); --tz {tz} is ignored")
    else:
        zone = check_timezone(tz or DEFAULT_TZ)
    with sources.new_workdir() as workdir:
        stage_path = Path(workdir) / "stage.duckdb"
        stage_con = duckdb.connect(str(stage_path))
        try:
            configure_staging(stage_con, wh, zone)  # the zone, memory_limit, and spilling beside the warehouse
            staged = _stage(
                stage_con,
                table,
                [Path(f) for f in files],
                (frame, frame_label) if frame is not None else None,
                Path(workdir),
            )
            checker = _Checker(stage_con, table, staged)
            checker.check()
            checker.warnings[:0] = warnings
            if checker.problems:
                raise LoadError(table.name, checker.problems)
            selects = " UNION ALL ".join(_typed_select(table, s, checker.marks.get(s.table)) for s in staged)
            stage_con.execute(f"CREATE TABLE typed AS {selects}")
            rows_in = sum(s.rows for s in staged)
            new_first = _one(stage_con, f"SELECT min({table.day_column}) FROM typed")[0]
            day_replace = table.name == "events" and bool(
                _one(stage_con, "SELECT count(*) FILTER (WHERE event_id IS NULL) FROM typed")[0]
            )
            stage_con.execute("CHECKPOINT")
        finally:
            stage_con.close()
        with write_session(wh, zone) as con:
            if (get_meta(con, "timezone") or DEFAULT_TZ) != zone:  # made by a concurrent first load
                raise WarehouseError(f"{wh.path}: was just created in another zone; load again")
            con.execute("ATTACH ? AS stage (READ_ONLY)", [str(stage_path)])
            con.execute("BEGIN TRANSACTION")
            replaced, old_first = _replace_existing(con, table, day_replace)
            cols = ", ".join(f'"{c}"' for c in _stored_names(table))
            load_id = int(_one(con, "SELECT coalesce(max(load_id), 0) + 1 FROM _loads")[0])
            con.execute(f"INSERT INTO {table.name} ({cols}, _load_id) SELECT {cols}, ? FROM stage.typed", [load_id])
            lo, hi = _one(con, f"SELECT min({table.day_column}), max({table.day_column}) FROM stage.typed")
            checksum = ",".join(s.checksum[:16] for s in staged)
            con.execute(
                "INSERT INTO _loads VALUES (?, ?, ?, now(), ?, ?, ?, 0, ?, ?, ?, ?)",
                [
                    load_id,
                    table.name,
                    _recorded_source("; ".join(s.label for s in staged)),
                    rows_in,
                    rows_in,
                    replaced,
                    checksum,
                    lo,
                    hi,
                    "; ".join(checker.warnings) or None,
                ],
            )
            bump_data_version(con)
            con.execute("COMMIT")
            since = _refresh_from(table, new_first, old_first, replaced)
            refreshed = refresh(con, since, [table.name])
            con.execute("DETACH stage")
    logger.info("loaded %d rows into %s (load %d)", rows_in, table.name, load_id)
    return LoadResult(
        table=table.name,
        sources=tuple(s.label for s in staged),
        load_id=load_id,
        rows_in=rows_in,
        rows_stored=rows_in,
        rows_replaced=replaced,
        warnings=tuple(checker.warnings),
        refreshed=tuple(refreshed),
    )


def _stored_names(table: Table) -> list[str]:
    names = []
    for col in table.columns:
        names.append(col.name)
        if col.day_column:
            names.append(col.day_column)
    return names


def _refresh_from(table: Table, new_first: dt.date | None, old_first: dt.date | None, replaced: int) -> dt.date | None:
    """The first day whose derived numbers may have changed; None means rebuild everything.

    Replacing existing users can move their whole history to another channel, so it rebuilds all.
    """
    if table.name == "users" and replaced:
        return None
    days = [d for d in (new_first, old_first) if d is not None]
    return min(days) if days else None


def load_sql(
    wh: Warehouse,
    table_name: str,
    source: str | Connection,
    query: str,
    *,
    tz: str | None = None,
    query_name: str | None = None,
    max_rows: int | None = None,
    timeout: float | None = None,
) -> LoadResult:
    """Read rows with one SELECT on a database server and load them exactly like a file (rows count from 1).

    ``source`` is a named ``Connection`` (the pages, ``--connection``), recorded as ``connection NAME [query]``,
    or the admin's ``--from-sql`` URL, recorded masked; ``query_name`` names a saved query in that record. The
    rules (no file URLs, one SELECT, read-only, row and time limits) are ``sources.read_sql``'s. A failure is
    recorded beside the warehouse with every password masked, then re-raised unchanged."""
    base = source.label if isinstance(source, Connection) else sources.mask_url(source)
    label = f"{base} [query {query_name}]" if query_name else f"{base} [query]"
    secret = source.url if isinstance(source, Connection) else source
    try:
        return _load_sql(wh, table_name, source, query, label, tz, max_rows, timeout)
    except Exception as exc:
        _record_failure(wh, table_name, [label], exc, secret=secret)
        raise


def _load_sql(
    wh: Warehouse,
    table_name: str,
    source: str | Connection,
    query: str,
    label: str,
    tz: str | None,
    max_rows: int | None,
    timeout: float | None,
) -> LoadResult:
    try:
        get_table(table_name)
    except KeyError as exc:
        raise UnknownTableError(repr(table_name), [Problem(label, (), None, str(exc.args[0]))]) from None
    try:
        df = sources.read_sql(source, query, max_rows=max_rows, timeout=timeout)
    except SourceError as exc:
        raise LoadError(get_table(table_name).name, [Problem(exc.source, (), None, exc.message)]) from None
    return _load(wh, table_name, (), frame=df, frame_label=label, tz=tz)


def row_counts(wh: Warehouse) -> dict[str, int]:
    """Rows per contract table (what the refusal tests compare before and after)."""
    from opsplan.store.contract import TABLES
    from opsplan.store.warehouse import read_connection

    if not wh.exists():
        return {t: 0 for t in TABLES}
    with read_connection(wh) as con:
        return {t: int(_one(con, f"SELECT count(*) FROM {t}")[0]) for t in TABLES}


def set_event_roles(wh: Warehouse, active_events: Sequence[str] = (), activation_event: str | None = None) -> None:
    """Which events make a user active / activated (from the plan); rebuilds what depends on it."""
    with write_session(wh) as con:
        old = con.execute("SELECT role, event_name FROM _event_roles ORDER BY ALL").fetchall()
        new = sorted(
            [("active", e) for e in active_events] + ([("activation", activation_event)] if activation_event else [])
        )
        if old == new:
            return
        con.execute("DELETE FROM _event_roles")
        for role, name in new:
            con.execute("INSERT INTO _event_roles VALUES (?, ?)", [role, name])
        bump_data_version(con)
        refresh(con, None, ["_event_roles"])
