"""The command line: the same engine the pages use, for cron jobs and terminals.

Every command returns an exit code; errors are one line on standard error with their cause (a refused load
lists each problem on its own line after that first line), never a traceback unless ``--debug``. ``check``
exits 3 whenever it could not run; the other commands exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from opsplan.fmt import count as count_text
from opsplan.store.warehouse import Warehouse, WarehouseError, resolve_db

if TYPE_CHECKING:
    import pandas as pd

    from opsplan.handle import OpsPlan, PlanState
    from opsplan.plan.check import CheckResult
    from opsplan.plan.model import Plan

logger = logging.getLogger(__name__)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error; ``usage_exit`` lets ``check`` exit 3 instead, because 2 means
    critical to the monitoring system that runs it (a typo in --date is "could not run", not an alarm)."""

    def __init__(self, *args: object, usage_exit: int = 2, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.usage_exit = usage_exit

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(self.usage_exit, f"{self.prog}: error: {message}\n")


def _seconds_up_to(limit: float) -> Callable[[str], float]:
    """An argparse type: seconds above 0 and at most ``limit`` (a webhook wait, a query's time limit)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 < value <= limit:
            raise argparse.ArgumentTypeError(f"not a number of seconds above 0 and at most {limit:g}: {text!r}")
        return value

    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number above 0: {text!r}")
    return value


def _sql_usage(args: argparse.Namespace) -> str | None:
    """What is wrong with the database options of ``load`` together, or None."""
    if args.from_sql and args.connection:
        return "give --connection NAME or --from-sql URL, not both"
    if args.files:
        return "files and a database query are separate loads: give the files, or --connection / --from-sql"
    if args.saved_query and not args.connection:
        return "--saved-query NAME needs --connection NAME (queries are saved with a connection)"
    if args.saved_query and args.query is not None:
        return "give --query SQL or --saved-query NAME, not both"
    if args.query is None and not args.saved_query:
        return "--connection / --from-sql need --query SQL (or --saved-query NAME with --connection)"
    return None


def _cmd_load(args: argparse.Namespace, wh: Warehouse) -> int:
    import re

    from opsplan.store.connections import ConnectionSettingsError, mask_url, read_connections_file
    from opsplan.store.loading import load, load_sql

    if args.from_sql or args.connection:
        problem = _sql_usage(args)
        if problem:
            print(f"opsplan load: {problem}", file=sys.stderr)
            return 2
        if args.connection:
            try:
                source = read_connections_file().get(args.connection)
                query = source.saved(args.saved_query) if args.saved_query else args.query
            except ConnectionSettingsError as exc:
                print(f"opsplan load: {exc}", file=sys.stderr)
                return 2
        else:
            source, query = args.from_sql, args.query
        result = load_sql(
            wh,
            args.table,
            source,
            query,
            tz=args.tz,
            query_name=args.saved_query,
            max_rows=args.max_rows,
            timeout=args.timeout,
        )
    else:
        if args.query is not None or args.saved_query or args.max_rows or args.timeout:
            print("opsplan load: --query, --saved-query, --max-rows and --timeout go with --connection or --from-sql",
                  file=sys.stderr)  # fmt: skip
            return 2
        if not args.files:
            print("opsplan load: give one or more files, or --connection NAME / --from-sql URL", file=sys.stderr)
            return 2
        # a database URL where a file goes (scheme:/…, user:password@…) is never echoed, nor recorded, in clear
        urls = [
            f
            for f in args.files
            if not Path(f).exists() and (re.match(r"[A-Za-z][A-Za-z0-9+.-]*:/", f) or mask_url(f) != f)
        ]
        if urls:
            print(f"opsplan load: {mask_url(urls[0])} is a URL, not a file: use --from-sql URL --query SQL",
                  file=sys.stderr)  # fmt: skip
            return 2
        result = load(wh, args.table, args.files, tz=args.tz)
    print(
        f"{result.table}: {result.rows_in} rows read, {result.rows_stored} stored "
        f"({result.rows_replaced} replaced), {result.rows_rejected} rejected — load {result.load_id}"
    )
    for warning in result.warnings:
        print(f"warning: {warning}")
    return 0


def _cmd_status(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.cli.output import render
    from opsplan.store.status import freshness, recent_loads

    fresh = freshness(wh)
    print(render(fresh, args.format))
    if args.format == "table":
        print()
        print(render(recent_loads(wh, limit=10), "table"))
    return 0


def _cmd_demo(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.demo.dataset import load_demo

    summary = load_demo(wh, seed=args.seed, users=args.users, days=args.days, start=args.start, tz=args.tz)
    print(summary)
    return 0


def _emit(frame: pd.DataFrame, fmt: str, out: str | None) -> None:
    """Print the frame, or write it to ``out``: a workbook for xlsx, a CSV with a BOM (Excel then reads the
    Chinese right instead of guessing GBK), else the printed text."""
    from opsplan.cli.output import render, write_xlsx

    if out is None:
        print(render(frame, fmt))
        return
    if fmt == "xlsx":
        write_xlsx(frame, out)
    else:
        Path(out).write_text(render(frame, fmt) + "\n", encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    print(f"wrote {out}")


def _cmd_metrics(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.metrics.exports import export_metrics

    if args.format == "xlsx" and not args.out:
        print("opsplan metrics: --format xlsx writes a workbook: give --out FILE.xlsx", file=sys.stderr)
        return 2
    if args.list:
        from opsplan.metrics.registry import registry_frame

        _emit(registry_frame(), args.format, args.out)
        return 0
    if not args.report:
        print(
            "opsplan metrics: name a report (daily, weekly, monthly, retention, channels, funnel) or --list",
            file=sys.stderr,
        )
        return 2
    if args.plan:  # the plan's settings (active and activation events) decide DAU, retention and the funnel
        ops = _handle(args, wh, args.plan)
        if ops.plan is None:
            _print_issues(ops.plan_state)
            print(f"opsplan metrics: the plan {args.plan} has errors", file=sys.stderr)
            return 1
        frame = ops.export(args.report, start=args.date_from, end=args.date_to, by=args.by, grain=args.grain)
    else:
        frame = export_metrics(wh, args.report, start=args.date_from, end=args.date_to, by=args.by, grain=args.grain)
    _emit(frame, args.format, args.out)
    return 0


def _handle(args: argparse.Namespace, wh: Warehouse, plan: str | None) -> OpsPlan:
    from opsplan.handle import OpsPlan

    return OpsPlan(wh.path, plan)


def _print_issues(state: PlanState) -> None:
    for issue in state.issues:
        print(issue, file=sys.stderr)


def _cmd_plan(args: argparse.Namespace, wh: Warehouse) -> int:
    state = _handle(args, wh, args.file).plan_state
    for issue in state.issues:
        print(issue)
    errors = len(state.errors)
    bad = not state.ok
    print(
        f"{args.file}: {errors} error(s), {len(state.issues) - errors} warning(s)",
        file=sys.stderr if bad else sys.stdout,
    )
    return 1 if bad else 0


def _cmd_check(args: argparse.Namespace, wh: Warehouse) -> int:
    if not args.notify:
        return _run_check(args, wh)
    from opsplan.plan.alert_log import notify_lock

    # overlapping checks take turns from judging to posting: the second finds the first's post in the ledger
    with notify_lock(wh.path) as problem:
        if problem:
            print(f"opsplan check: {problem}", file=sys.stderr)
        return _run_check(args, wh)


def _run_check(args: argparse.Namespace, wh: Warehouse) -> int:
    import json

    from opsplan.plan.check_text import check_table

    ops = _handle(args, wh, args.plan)
    try:
        result = ops.check(args.date, keep_history=True)
    except Exception as exc:  # a warehouse that refuses (a .wal, a full disk): the team is told, then main() says it
        if args.notify:
            from opsplan.plan.check import CheckResult

            message = f"the check could not run: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            _post(args, wh, _plan_title(ops, args.plan), CheckResult(args.date, None, "unknown", message=message))
        raise
    if ops.plan is None:
        _print_issues(ops.plan_state)
        print(f"opsplan check: the plan {args.plan} has errors; run `opsplan plan validate`", file=sys.stderr)
    else:
        from opsplan.plan.check import to_json

        payload = to_json(result, args.lang)
        print(
            json.dumps(payload, ensure_ascii=False, indent=1)
            if args.format == "json"
            else check_table(result, args.lang)
        )
    if args.notify:  # a plan that could not be judged is posted too: the team must know the check did not run
        _post(args, wh, ops.plan_state.parsed or Path(args.plan).name, result)
    return result.exit_code


def _plan_title(ops: OpsPlan, file: str) -> Plan | str:
    """The plan (for its name) when it could be read, else its file name."""
    try:
        return ops.plan_state.parsed or Path(file).name
    except Exception:  # reading it needed the warehouse that just refused
        return Path(file).name


def _post(args: argparse.Namespace, wh: Warehouse, plan: Plan | str, result: CheckResult) -> None:
    """Post the check's result once (see alert_log); a failed post is one line, the verdict stays the check's."""
    from opsplan.plan.notify import NotifyError, notify_once

    try:
        note = notify_once(
            wh,
            args.notify,
            result,
            plan,
            always=args.notify_always,
            fmt=args.notify_format,
            lang=args.lang,
            timeout=args.notify_timeout,
        )
    except NotifyError as exc:
        print(f"opsplan check: notification failed: {exc}", file=sys.stderr)
    else:
        if note:  # already posted: one line, the verdict is the check's own
            print(f"opsplan check: {note}", file=sys.stderr)


def _cmd_report(args: argparse.Namespace, wh: Warehouse) -> int:
    ops = _handle(args, wh, args.plan)
    if ops.plan is None:
        _print_issues(ops.plan_state)
        print(f"opsplan report: the plan {args.plan} has errors", file=sys.stderr)
        return 1
    fmt = args.format or ("html" if args.out and args.out.endswith(".html") else "md")
    text = ops.report(args.week, fmt=fmt, lang=args.lang)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0


def _week(text: str) -> str:
    import re

    if not re.fullmatch(r"\d{4}-W\d{2}", text):
        raise argparse.ArgumentTypeError(f"not an ISO week like 2026-W05: {text!r}")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="opsplan",
        description="OpsPlan: hold a quarterly operations plan (运营计划) against the team's real data.",
    )
    parser.add_argument("--db", help="warehouse file (default data/opsplan.duckdb, or $OPSPLAN_DB)")
    parser.add_argument("--tz", help="time zone of a new warehouse, e.g. Asia/Shanghai (default UTC)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--debug", action="store_true", help="on an error, show the full traceback")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="make the demo data set and load it (deterministic)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--users", type=int, default=20_000, help="number of users (default 20000)")
    p.add_argument("--days", type=int, default=90, help="days of data (default 90)")
    p.add_argument("--start", type=_date, default=None, help="first day (default: the demo quarter)")
    p.set_defaults(func=_cmd_demo)

    from opsplan.store.connections import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS

    p = sub.add_parser(
        "load",
        help="load CSV / Parquet / Excel files, or one SELECT on a database server, into a table",
        description=(
            "Load files, or the rows of one SELECT on a database server. --connection NAME uses a connection the "
            'admin defined as [connections.NAME] url = "…" (optional max_rows, timeout_seconds, and '
            "[connections.NAME.queries]) in $OPSPLAN_CONNECTIONS, else .streamlit/secrets.toml. --from-sql URL is "
            "for the admin at a terminal. Either way: database servers only (no SQLite / DuckDB / file URLs), "
            "exactly one SELECT (no INSERT, UPDATE, DELETE, DDL, COPY, SET, SELECT … INTO, file or server "
            "functions), run in a read-only transaction with a row and a time limit; the load history names "
            "the connection or the URL with its password masked."
        ),
    )
    p.add_argument("table", help="users, events, orders, ad_spend, campaigns or external_metrics")
    p.add_argument("files", nargs="*", help="files to load together (all or nothing)")
    p.add_argument("--connection", metavar="NAME", help="a database connection the admin named ([connections.NAME])")
    p.add_argument("--from-sql", metavar="URL", help="SQLAlchemy URL of a database server (instead of --connection)")
    p.add_argument("--query", metavar="SQL", help="one SELECT to run there")
    p.add_argument("--saved-query", metavar="NAME", help="a query saved with the connection, instead of --query")
    p.add_argument(
        "--max-rows",
        type=_positive_int,
        metavar="N",
        help=f"refuse a result of more rows (default: the connection's max_rows, else {count_text(DEFAULT_MAX_ROWS)})",
    )
    p.add_argument(
        "--timeout",
        type=_seconds_up_to(MAX_TIMEOUT_SECONDS),
        metavar="SECONDS",
        help=f"connect and statement time limit (default: the connection's timeout_seconds, else "
        f"{DEFAULT_TIMEOUT_SECONDS:g}); never above the connection's own limits",
    )
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser("status", help="freshness of each table and the latest loads")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=_cmd_status)

    p = sub.add_parser("metrics", help="print indicators: daily, weekly, monthly, retention, channels, funnel")
    p.add_argument("report", nargs="?", choices=("daily", "weekly", "monthly", "retention", "channels", "funnel"))
    p.add_argument("--list", action="store_true", help="print the metric registry")
    p.add_argument("--from", dest="date_from", type=_date, help="first day (default: all data)")
    p.add_argument("--to", dest="date_to", type=_date, help="last day (default: data_through)")
    p.add_argument("--by", choices=("channel", "campaign"), help="one row per channel or campaign too")
    p.add_argument("--grain", choices=("day", "week", "month"), default="day", help="cohort grain (retention)")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "xlsx"),
        default="table",
        help="csv and xlsx are safe to open in Excel / WPS (no formulas run); xlsx needs --out",
    )
    p.add_argument("--out", metavar="FILE", help="write to this file instead of standard output")
    p.add_argument("--plan", help="apply this plan's settings (active / activation events) first")
    p.set_defaults(func=_cmd_metrics)

    p = sub.add_parser("plan", help="work with a plan file: plan validate FILE")
    plan_sub = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    v = plan_sub.add_parser("validate", help="check a plan and list every problem with file:line")
    v.add_argument("file", help="the plan YAML")
    v.set_defaults(func=_cmd_plan)

    p = sub.add_parser(
        "check", help="the daily check: target statuses and stop-loss states (exit 0/1/2/3)", usage_exit=3
    )
    p.add_argument("--plan", required=True, help="the plan YAML")
    p.add_argument("--date", type=_date, help="judge this day instead of the last complete one")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of reasons (default zh)")
    p.add_argument("--notify", metavar="URL", help="post the summary to this webhook")
    p.add_argument(
        "--notify-format",
        choices=("auto", "feishu", "lark", "dingtalk", "wecom", "slack", "json"),
        default="auto",
        help="payload format (auto: from the URL's host)",
    )
    p.add_argument(
        "--notify-timeout",
        type=_seconds_up_to(120),
        default=5.0,
        metavar="SECONDS",
        help="wait this long for the webhook per attempt; 3 attempts, 429 and 5xx retried (default 5)",
    )
    p.add_argument(
        "--notify-always",
        action="store_true",
        help="post even when this webhook was already told every alert of the day (default: once per state)",
    )
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("report", help="the weekly review as Markdown or self-contained HTML")
    p.add_argument("--plan", required=True, help="the plan YAML")
    p.add_argument("--week", required=True, type=_week, help="ISO week, e.g. 2026-W05")
    p.add_argument("--format", choices=("md", "html"), help="default: from --out's ending, else md")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.set_defaults(func=_cmd_report)
    return parser


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else ""


def describe_error(exc: BaseException) -> str:
    """Why a command failed, on one line a user can act on: the traceback is for ``--debug``.

    DuckDB's messages go on with the SQL and a caret on later lines: only their first line is kept; the
    lines of our own messages are joined.
    """
    import duckdb

    from opsplan.store.warehouse import is_disk_full, memory_limit

    first = _first_line(exc)
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, WarehouseError | ValueError):  # our own words (SourceError, PlanError … are ValueErrors)
        return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()) or type(exc).__name__
    if is_disk_full(exc):
        where = getattr(exc, "filename2", None) or getattr(exc, "filename", None)
        return "disk full: " + (f"no space left on device writing {where}" if where else first)
    if isinstance(exc, MemoryError | duckdb.OutOfMemoryException):
        return (
            f"out of memory{f' ({first})' if first else ''}: DuckDB's memory_limit is {memory_limit()}; "
            "free some memory, or set OPSPLAN_MEMORY_LIMIT lower"
        )
    if isinstance(exc, OSError):
        what = exc.strerror or first or type(exc).__name__
        names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
        return f"{what.lower() if isinstance(exc, PermissionError) else what}: {' -> '.join(names)}" if names else what
    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "KeyError"
    if isinstance(exc, duckdb.Error):
        return first or type(exc).__name__
    return f"unexpected error {type(exc).__name__}{f': {first}' if first else ''} (run with --debug for the traceback)"


def _silence_stdout() -> None:
    """After a broken pipe, point standard output at /dev/null so that Python's own flush at exit stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    failed = 3 if args.command == "check" else 1  # check: 3 is "could not run" (2 would raise an alarm)
    from opsplan.store.loading import LoadError

    try:
        return int(args.func(args, resolve_db(args.db)))
    except BrokenPipeError:  # the reader of our output went away (| head): nothing left to say
        _silence_stdout()
        return failed if args.command == "check" else 0
    except LoadError as exc:  # every problem of a refused load, one a line after the first
        if args.debug:
            raise
        print(f"opsplan {args.command}: {exc}", file=sys.stderr)
        return failed
    except (Exception, KeyboardInterrupt) as exc:
        if args.debug:
            raise
        print(f"opsplan {args.command}: {describe_error(exc)}", file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) and args.command != "check" else failed


if __name__ == "__main__":
    sys.exit(main())
