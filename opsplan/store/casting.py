"""The SQL that turns a staged text column into its contract type (NULL where it cannot).

Every value is staged as text; these expressions trim it, read numbers under the file's decimal mark,
dates and instants from their accepted spellings, and are shared by the checks (``validation``: which
rows do not cast) and the load (``loading``: the typed rows).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from opsplan.store.contract import DEFAULT_CHANNEL, MONEY_DECIMALS, ColType, Table
from opsplan.store.staging import StagedSource

#: white space trimmed from every value: spaces, tabs, line breaks, no-break and ideographic (全角) spaces
_BLANKS = " \t\r\n\u00a0" + unicodedata.lookup("IDEOGRAPHIC SPACE")
#: a currency sign an amount may start with: ¥ and its full-width form (typed with a Chinese input method)
_YEN_SIGNS = "¥" + unicodedata.lookup("FULLWIDTH YEN SIGN")


def trimmed(col: str) -> str:
    """The value of ``col`` without surrounding white space; NULL when nothing is left.

    trim() with a character list costs three times a plain scan: only values that start or end with
    white space (rare) pay for it.
    """
    c, b = f'"{col}"', f"'{_BLANKS}'"
    edge = f"contains({b}, left({c}, 1)) OR contains({b}, right({c}, 1))"
    return f"NULLIF(CASE WHEN {edge} THEN trim({c}, {b}) ELSE {c} END, '')"


NUMERIC_TYPES = (ColType.DECIMAL, ColType.INTEGER, ColType.NUMBER)


# Decimal marks (docs/glossary.md, "Values"): each file's numeric column is read with "." or with "," as its
# decimal mark, decided from all its values; the other sign may only separate thousands, in groups of three.
#: "." as the decimal mark: 1,234.50  -12  .5  1.5e3 (an exponent only without thousands separators; no 0,123)
_DOT_NUMBER = r"[+-]?([1-9]\d{0,2}(,\d{3})+(\.\d+)?|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)"


#: "," as the decimal mark: 1.234,50  -12,5  1.234.567  12 (no 0.123: a group of thousands starts with 1-9)
_COMMA_NUMBER = r"[+-]?([1-9]\d{0,2}(\.\d{3})+|\d+)(,\d+)?"


#: one separator before exactly three digits reads both ways: 1,234 (1234 or 1.234), 12.500 (12.5 or 12500)
EITHER_MARK = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"


#: only a decimal comma reads (two-way values aside): 12,50  0,5  0,004  1.234,50  1.234.567
COMMA_ONLY = r"[+-]?(\d+,\d+|[1-9]\d{0,2}(\.\d{3})+(,\d+)?)"


#: only a decimal point reads (two-way values aside): 12.50  .5  0.004  1.5e3  1,234.50  1,234,567
DOT_ONLY = r"[+-]?(\d*\.\d+([eE][+-]?\d+)?|[1-9]\d{0,2}(,\d{3})+\.\d+|[1-9]\d{0,2}(,\d{3}){2,})"


#: a non-zero digit after the cents: 0.004, 12.345, 1.0001 (12.340 is exactly 12.34, so it is kept)
SUB_CENT = rf"\.\d{{{MONEY_DECIMALS}}}\d*[1-9]"


#: a date or timestamp starts with its four-digit year: 2026-01-05, 2026/01/05, 20260105, 2026-01-05T08:30:00Z
_FULL_YEAR = r"^\d{4}"


#: a two-digit year: 26/01/05, 26-1-5 10:00 (DuckDB reads the year 0026; it may be 1926, 2026 or a day)
SHORT_YEAR = r"\d{1,2}[-/.]\d{1,2}[-/.]\d{1,2}([ T].*)?"


#: C0 and C1 control characters: NUL (0x00), tab, line breaks, ESC (0x1B), DEL (0x7F), NEL (0x85) …
CONTROL_CHARS = r"[\x00-\x1f\x7f-\x9f]"


def number_source(col: str, ctype: ColType) -> str:
    """The text of a numeric column as judged for its decimal mark: an amount may start with ¥ (¥12.50, -¥3)."""
    v = trimmed(col)
    if ctype is ColType.DECIMAL:
        # "¥1,234.50" → "1,234.50", "-￥3" → "-3": a currency sign before the digits only
        return f"regexp_replace({v}, '^([+-]?)[{_YEN_SIGNS}]([+-]?)', '\\1\\2')"
    return v


def number_text(col: str, ctype: ColType, mark: str) -> str:
    """SQL giving the number in ``col`` as DuckDB reads it (1234.50) under decimal ``mark``; NULL if malformed."""
    v = number_source(col, ctype)
    if mark == ",":
        return f"CASE WHEN regexp_full_match({v}, '{_COMMA_NUMBER}') THEN replace(replace({v}, '.', ''), ',', '.') END"
    return f"CASE WHEN regexp_full_match({v}, '{_DOT_NUMBER}') THEN replace({v}, ',', '') END"


def typed_expr(col: str, ctype: ColType, mark: str = ".") -> str:
    """SQL turning the text of ``col`` into its contract type; NULL where it cannot (numbers under ``mark``)."""
    v = trimmed(col)
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
        n = number_text(col, ctype, mark)
        return f"CASE WHEN NOT regexp_matches({n}, '[eE]|{SUB_CENT}') THEN TRY_CAST({n} AS DECIMAL(18,2)) END"
    if ctype is ColType.INTEGER:
        # "12" and "12.0" (what a spreadsheet or a nullable SQL column gives) are 12; "12.5" is not;
        # TRY_CAST: 1e30 or inf is "not a whole number", not a crash
        d = f"TRY_CAST({number_text(col, ctype, mark)} AS DOUBLE)"
        return f"CASE WHEN {d} = floor({d}) THEN TRY_CAST({d} AS BIGINT) END"
    if ctype is ColType.NUMBER:
        # NaN and inf are no measurement (and no number under either decimal mark)
        d = f"TRY_CAST({number_text(col, ctype, mark)} AS DOUBLE)"
        return f"CASE WHEN isfinite({d}) THEN {d} END"
    if ctype is ColType.JSON:
        return f"CASE WHEN json_valid({v}) THEN {v} END"
    return v


def typed_select(table: Table, src: StagedSource, marks: Mapping[str, str] | None = None) -> str:
    """The typed rows of ``src``; ``marks``: each numeric column's decimal mark in this file (default ".")."""
    marks = marks or {}
    exprs = []
    for col in table.columns:
        if col.name in src.columns:
            e = typed_expr(col.name, col.type, marks.get(col.name, "."))
        else:
            e = f"CAST(NULL AS {col.type.sql})"
        if col.name == "channel" and table.name == "users":
            e = f"COALESCE({e}, '{DEFAULT_CHANNEL}')"
        if col.name == "phase":
            e = f"lower({e})"
        exprs.append(f'{e} AS "{col.name}"')
        if col.day_column:
            exprs.append(f'CAST({typed_expr(col.name, col.type)} AS DATE) AS "{col.day_column}"')
    return "SELECT " + ", ".join(exprs) + f" FROM {src.table}"
