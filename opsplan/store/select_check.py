"""Which SQL may run on a database server: exactly one SELECT, nothing that writes, reads files or acts on it.

Parsed with sqlglot in the connection's dialect; what runs is sqlglot's own rendering of the checked tree
(no comments, so no MySQL ``/*! … */`` code), with ``LIMIT max_rows + 1`` so a too-large result is seen.
sqlglot is imported inside the functions: loading a file never pays for it.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from opsplan.store.worded import WordedError

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError


class QueryRefused(WordedError):
    """A query that is not exactly one plain SELECT; the message names what was refused."""


@functools.cache
def _statements() -> tuple[type[exp.Expression], ...]:
    """Statements (anywhere in the tree, e.g. a data-modifying WITH) that write, change settings or run commands."""
    from sqlglot import exp

    return tuple(
        getattr(exp, n)
        for n in (
            "DML", "DDL", "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Command", "Copy", "Set",
            "Pragma", "Attach", "Detach", "Transaction", "Commit", "Rollback", "Use", "LoadData", "Grant", "Revoke",
            "TruncateTable", "Analyze", "Kill", "Refresh", "Cache", "Uncache", "Declare", "Execute", "Describe",
            "Show", "Summarize",
        )
        if hasattr(exp, n)
    )  # fmt: skip


_KIND_NAMES = {"truncatetable": "TRUNCATE", "loaddata": "LOAD DATA"}


#: functions that read or write server files, reach other servers, run SQL text or act on the server
_DENIED_FUNCTIONS = frozenset(
    {
        # PostgreSQL
        "pg_stat_file", "pg_logdir_ls", "pg_current_logfile", "set_config", "pg_notify", "ts_stat", "ts_rewrite",
        "pg_promote", "pg_start_backup", "pg_stop_backup", "pg_sleep_until", "pg_sleep_for",
        "pg_import_system_collations", "txid_current", "pg_current_xact_id",
        # MySQL / MariaDB (sys_* are lib_mysqludf_sys's shell functions)
        "load_file", "get_lock", "release_lock", "release_all_locks", "master_pos_wait", "source_pos_wait",
        "master_gtid_wait", "wait_for_executed_gtid_set",
        # SQL Server, ClickHouse and others: files, URLs and other servers as tables
        "openrowset", "opendatasource", "openquery", "openxml", "file", "url", "remote", "remotesecure", "s3",
        "s3cluster", "hdfs", "hdfscluster", "executable", "jdbc", "odbc", "azureblobstorage", "gcs",
        "read_csv", "read_csv_auto", "read_parquet", "read_json", "read_json_auto", "read_text", "read_blob",
        "readfile", "writefile", "load_extension",
    }
)  # fmt: skip


_DENIED_PREFIXES = (
    "pg_read_", "pg_ls_", "pg_file_", "lo_", "dblink", "query_to_xml", "cursor_to_xml", "table_to_xml",
    "schema_to_xml", "database_to_xml", "pg_terminate_", "pg_cancel_", "pg_reload_", "pg_rotate_", "pg_create_",
    "pg_drop_", "pg_replication_", "pg_logical_", "pg_switch_", "pg_backup_", "pg_wal_replay_", "pg_advisory",
    "pg_try_advisory", "pg_stat_reset", "pg_log_", "sys_", "lib_mysqludf", "xp_", "sp_", "dbms_", "utl_",
)  # fmt: skip


_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


_FIRST_WORDS = frozenset({"SELECT", "WITH", "(", "TABLE"})


def _denied(name: str) -> bool:
    n = name.lower()
    return n in _DENIED_FUNCTIONS or n.startswith(_DENIED_PREFIXES)


def _kind(node: exp.Expression) -> str:
    """INSERT, VACUUM, COPY, … : what a statement node is, as the person wrote it."""
    from sqlglot import exp

    if isinstance(node, exp.Command):
        return str(node.this).upper()
    return _KIND_NAMES.get(node.key, node.key.upper())


def _function_problem(node: exp.Func) -> QueryRefused | None:
    """Why a function call is refused, or None."""
    from sqlglot import exp

    if isinstance(node, exp.Anonymous):
        name = node.name
        if not _PLAIN_NAME.fullmatch(name):
            return QueryRefused.worded("query.function_name", name=repr(name))
    else:
        name = node.sql_name()
    qualifier = ""
    if isinstance(node.parent, exp.Dot) and node.parent.expression is node:
        qualifier = node.parent.this.sql().strip('"`[]').lower()
    for part in [name, *qualifier.split(".")]:
        if part and _denied(part):
            called = f"{qualifier}.{name}" if qualifier else name
            return QueryRefused.worded("query.denied_function", called=called.lower())
    return None


def _dialect_name(dialect: str | None) -> str:
    return {"postgres": "PostgreSQL", "mysql": "MySQL/MariaDB", "tsql": "SQL Server"}.get(dialect or "", "SQL")


def _parse_error(exc: ParseError | TokenError, dialect: str | None) -> QueryRefused:
    from sqlglot.errors import ParseError

    if isinstance(exc, ParseError) and exc.errors:
        first = exc.errors[0]
        what = str(first.get("description") or "unexpected text")
        where = f"{what} at line {first.get('line')}, column {first.get('col')}"
    else:
        where = str(exc).splitlines()[0][:120]
    return QueryRefused.worded("query.unreadable", dialect=_dialect_name(dialect), where=where)


def _with_limit(query: exp.Expression, rows: int) -> exp.Expression:
    """``query`` returning at most ``rows`` rows, so the server stops early; one with its own LIMIT / FETCH is
    wrapped (its ORDER BY keeps the order inside)."""
    from sqlglot import exp

    if isinstance(query, exp.Select | exp.SetOperation) and query.args.get("limit") is None:
        return query.limit(rows, copy=True)
    inner = query.this if isinstance(query, exp.Subquery) and not query.alias else query
    return exp.select("*").from_(exp.Subquery(this=inner.copy(), alias=exp.TableAlias(this="opsplan_rows"))).limit(rows)


def check_select(sql: str, dialect: str | None, max_rows: int | None = None) -> str:
    """The SQL to run for ``sql``: exactly one SELECT (WITH … SELECT and UNION are fine), rendered by sqlglot from
    the tree that was checked, with ``LIMIT max_rows + 1`` when given. ``QueryRefused`` names what was refused:
    any other statement, more than one, SELECT … INTO, row locks, or a dangerous function."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError

    text = (sql or "").strip()
    if not text:
        raise QueryRefused.worded("query.empty")
    if dialect == "mysql" and re.search(r"/\*M?!", text):
        raise QueryRefused.worded("query.mysql_comment")
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(text)
    except (TokenError, ValueError) as exc:
        raise (_parse_error(exc, dialect) if isinstance(exc, TokenError) else QueryRefused(str(exc))) from None
    if not tokens:
        raise QueryRefused.worded("query.empty")
    first = tokens[0].text.upper()
    if first not in _FIRST_WORDS:
        raise QueryRefused.worded("query.not_select", kind=first)
    try:
        parsed = sqlglot.parse(text, read=dialect)
    except (ParseError, TokenError) as exc:
        raise _parse_error(exc, dialect) from None
    statements = [s for s in parsed if s is not None and not isinstance(s, exp.Semicolon)]
    if len(statements) != 1:
        kinds = ", ".join(_kind(s) for s in statements)
        raise QueryRefused.worded("query.statements", n=len(statements), kinds=kinds)
    query = statements[0]
    core = query
    while isinstance(core, exp.Subquery | exp.Paren):
        core = core.this
    if not isinstance(core, exp.Select | exp.SetOperation):
        raise QueryRefused.worded("query.not_select", kind=_kind(core))
    for node in query.walk():
        if isinstance(node, exp.Into):
            raise QueryRefused.worded("query.into")
        if isinstance(node, exp.Lock):
            raise QueryRefused.worded("query.lock")
        if isinstance(node, _statements()) and not isinstance(node, exp.Select | exp.SetOperation):
            raise QueryRefused.worded("query.changes", kind=_kind(node))
        if isinstance(node, exp.Func):
            problem = _function_problem(node)
            if problem:
                raise problem
    if max_rows is not None:
        query = _with_limit(query, max_rows + 1)
    return query.sql(dialect=dialect, comments=False, normalize_functions=False)
