"""Portable SQL: the query files are written once, in DuckDB's dialect, and run on DuckDB and ClickHouse.

Two things make that possible. The refresh cut (the first day a materialized query recomputes) is the
named parameter ``$cut``, bound here as a literal date or a typed NULL before a query runs, so every
engine folds it into a constant (and prunes with it); written ``($cut IS NULL OR day >= $cut)``, an
unset cut means "everything". And ``to_clickhouse`` renders a query with sqlglot for ClickHouse, with the
bitwise operators mapped to ClickHouse's functions (sqlglot 30 writes ``&`` and ``<<``, which ClickHouse
does not parse). ``problems`` is the lint that keeps the files portable (tests/test_portable_sql.py).
"""

from __future__ import annotations

import datetime as dt
import re

import sqlglot
from sqlglot import exp
from sqlglot.dialects.clickhouse import ClickHouse
from sqlglot.dialects.dialect import rename_func
from sqlglot.errors import ErrorLevel

CUT = re.compile(r"\$cut\b")

#: constructs that render without an error but break or differ on ClickHouse (issue 11's measurements)
REFUSED = {
    r"\bgetvariable\s*\(": "getvariable() is DuckDB's own: write the refresh cut as $cut",
    r"\b(range|generate_series)\s*\(": "range() / generate_series() do not port: join the integers view",
    r"\bto_(days|months|years)\s*\(": "to_months() and friends do not port: write INTERVAL (n) MONTH",
    r"\bdatediff\s*\(": "write date_diff('day' | 'month', a, b), the spelling sqlglot maps for every engine",
    r"\bbool_(or|and)\s*\(": "bool_or / bool_and do not port: max() / min() of the condition",
    r"\b(lag|lead)\s*\((?!\s*CAST\()": "lag / lead of a column that is not Nullable on ClickHouse give its default "
    "(1970-01-01, 0) instead of NULL: write lag(CAST(x AS type))",
}
#: dialects reported as warnings only: the files need not run there yet, but the lint says what would break
WARN_DIALECTS = ("trino", "spark", "bigquery", "starrocks")


class OpsClickHouse(ClickHouse):
    """sqlglot's ClickHouse, with the bitwise operators written as the functions ClickHouse has."""

    class Generator(ClickHouse.Generator):
        TRANSFORMS = {  # noqa: RUF012 (sqlglot's own pattern)
            **ClickHouse.Generator.TRANSFORMS,
            exp.BitwiseAnd: rename_func("bitAnd"),
            exp.BitwiseOr: rename_func("bitOr"),
            exp.BitwiseXor: rename_func("bitXor"),
            exp.BitwiseNot: rename_func("bitNot"),
            exp.BitwiseLeftShift: rename_func("bitShiftLeft"),
            exp.BitwiseRightShift: rename_func("bitShiftRight"),
        }


def bind_cut(sql: str, cut: dt.date | None) -> str:
    """``sql`` with ``$cut`` replaced by the date literal (or a DATE-typed NULL: compute everything)."""
    literal = f"CAST('{cut.isoformat()}' AS DATE)" if cut is not None else "CAST(NULL AS DATE)"
    return CUT.sub(literal, sql)


def to_clickhouse(sql: str) -> str:
    """A DuckDB-dialect query rendered for ClickHouse; ``sqlglot`` raises on anything it cannot render.

    A selected ``d.date`` is named ``date`` by DuckDB but ``d.date`` by ClickHouse (which then breaks every
    query reading the result by name): such columns get their name as an explicit alias first.
    """
    tree = sqlglot.parse_one(sql, read="duckdb")
    for select in tree.find_all(exp.Select):
        select.set("expressions", [_named(e) for e in select.expressions])
    return tree.sql(dialect=OpsClickHouse, unsupported_level=ErrorLevel.RAISE)


def _named(item: exp.Expression) -> exp.Expression:
    if isinstance(item, exp.Column) and item.table and not isinstance(item.this, exp.Star):
        return exp.alias_(item, item.name, quoted=True)
    return item


def problems(sql: str) -> list[str]:
    """Why a query file is not portable (empty: it is): a refused construct, or a ClickHouse render error."""
    found = []
    body = re.sub(r"--[^\n]*", "", sql)
    for pattern, why in REFUSED.items():
        if re.search(pattern, body, re.I):
            found.append(why)
    try:
        to_clickhouse(bind_cut(body, None))
    except sqlglot.errors.SqlglotError as exc:
        found.append(f"ClickHouse cannot take it: {str(exc).splitlines()[0]}")
    return found


def warnings(sql: str) -> dict[str, str]:
    """Dialect → first render error, for the dialects the files are not yet required to run on."""
    out = {}
    body = bind_cut(re.sub(r"--[^\n]*", "", sql), None)
    for dialect in WARN_DIALECTS:
        try:
            sqlglot.transpile(body, read="duckdb", write=dialect, unsupported_level=ErrorLevel.RAISE)
        except sqlglot.errors.SqlglotError as exc:
            out[dialect] = str(exc).splitlines()[0]
    return out
