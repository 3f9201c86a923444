"""The command line: the same engine the pages use, for cron jobs and terminals.

Every command returns an exit code; errors are one line on standard error with their cause (a refused load
lists each problem on its own line after that first line), never a traceback unless ``--debug``. ``check``
exits 3 whenever it could not run; the other commands exit 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from opsplan.cli.parser import build_parser
from opsplan.store.engine import asked as engine_asked
from opsplan.store.warehouse import Warehouse, WarehouseError, resolve_db

if TYPE_CHECKING:
    import pandas as pd

    from opsplan.handle import OpsPlan, PlanState
    from opsplan.plan.check import CheckResult
    from opsplan.plan.model import Plan

logger = logging.getLogger(__name__)


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

    from opsplan.cli.load_day import print_loaded
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
    print_loaded(result)
    return 0


def _cmd_status(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.cli.output import render
    from opsplan.store.status import engine_label, freshness, recent_loads

    fresh = freshness(wh)
    if args.format == "table":
        print(f"engine: {engine_label(wh)}")
    print(render(fresh, args.format))
    if args.format == "table":
        print()
        print(render(recent_loads(wh, limit=10), "table"))
    return 0


def _cmd_refresh(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.store.loading import rebuild_views
    from opsplan.store.status import engine_label

    done = rebuild_views(wh)
    print(f"rebuilt {len(done)} materialized views on {engine_label(wh)}")
    return 0


def _cmd_demo(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.demo.dataset import load_demo

    summary = load_demo(wh, seed=args.seed, users=args.users, days=args.days, start=args.start, tz=args.tz)
    print(summary)
    return 0


def _emit(frame: pd.DataFrame, fmt: str, out: str | None, units: Mapping[str, object] | None = None) -> None:
    """Print the frame, or write it to ``out``: a workbook for xlsx, a CSV with a BOM (Excel then reads the
    Chinese right instead of guessing GBK), else the printed text (a table formats ``units``' columns)."""
    from opsplan.cli.output import render, write_xlsx

    if out is None:
        print(render(frame, fmt, units))
        return
    if fmt == "xlsx":
        write_xlsx(frame, out)
    else:
        text = render(frame, fmt, units)
        Path(out).write_text(text + "\n", encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    print(f"wrote {out}")


def _cmd_metrics(args: argparse.Namespace, wh: Warehouse) -> int:
    from opsplan.metrics.exports import export_metrics
    from opsplan.metrics.registry import METRICS

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
    # a table shows each metric column in its registry unit; csv, xlsx and json stay raw
    units = {c: METRICS[c].unit for c in map(str, frame.columns) if c in METRICS}
    _emit(frame, args.format, args.out, units)  # money in ¥: plan validation refuses any other currency
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


def _commands() -> dict[str, Callable[[argparse.Namespace, Warehouse], int]]:
    """The function of each command, looked up when it runs (so a test can stand in for one); the commands in
    modules of their own are imported only then."""
    from opsplan.cli.ack import cmd_ack
    from opsplan.cli.load_day import cmd_load_day

    return {
        "demo": _cmd_demo,
        "load": _cmd_load,
        "load-day": cmd_load_day,
        "ack": cmd_ack,
        "status": _cmd_status,
        "refresh": _cmd_refresh,
        "metrics": _cmd_metrics,
        "plan": _cmd_plan,
        "check": _cmd_check,
        "report": _cmd_report,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    if not args.command:
        parser.print_help()
        return 2
    failed = 3 if args.command == "check" else 1  # check: 3 is "could not run" (2 would raise an alarm)
    from opsplan.store.loading import LoadError

    try:
        with engine_asked(args.engine):
            return int(_commands()[args.command](args, resolve_db(args.db)))
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
