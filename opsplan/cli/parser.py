"""The command line's arguments: ``build_parser`` (also what ``python -m opsplan.docs`` renders to docs/cli.md).

Only the grammar lives here; which function runs a command is ``commands.main``'s choice (by the
command's name), so the parser needs none of the engine and the commands need no parser internals.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import NoReturn

from opsplan.fmt import count as count_text
from opsplan.store.connections import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS
from opsplan.words import t


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


def _week(text: str) -> str:
    import re

    if text.strip().lower() == "last":
        return "last"
    if not re.fullmatch(r"\d{4}-W\d{2}", text):
        raise argparse.ArgumentTypeError(f"not an ISO week like 2026-W05 (or last): {text!r}")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="opsplan",
        description=t("cli.description", "en", term=t("cli.plan_term", "zh")),
    )
    parser.add_argument("--db", help="warehouse file (default data/opsplan.duckdb, or $OPSPLAN_DB)")
    parser.add_argument("--tz", help="time zone of a new warehouse, e.g. Asia/Shanghai (default UTC)")
    parser.add_argument(
        "--engine",
        metavar="URL",
        help="where the rows are kept and the views computed: chdb:///folder (embedded ClickHouse) or "
        "clickhouse://user:password@host:8123/db (default: the warehouse file itself, DuckDB; or $OPSPLAN_ENGINE_URL)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--debug", action="store_true", help="on an error, show the full traceback")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", help="make the demo data set and load it (deterministic)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--users", type=int, default=20_000, help="number of users (default 20000)")
    p.add_argument("--days", type=int, default=90, help="days of data (default 90)")
    p.add_argument("--start", type=_date, default=None, help="first day (default: the demo quarter)")

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

    p = sub.add_parser(
        "load-day",
        help="load a day's files (users.csv, events.parquet, …) in one all-or-nothing load: for cron",
        description=(
            "Load every file of FOLDER named after a table (users, events, orders, ad_spend, campaigns, "
            "external_metrics; .csv, .parquet or .xlsx). All are checked first; a refusal of any loads none. Then "
            "they land in one write session with one refresh of the views: the cheapest way to load a day."
        ),
    )
    p.add_argument("folder", help="a folder holding <table>.csv / .parquet / .xlsx files")

    p = sub.add_parser("status", help="freshness of each table and the latest loads")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    sub.add_parser("refresh", help="rebuild every view from the stored rows (after a load interrupted on ClickHouse)")

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

    p = sub.add_parser("plan", help="work with a plan file: plan validate FILE")
    plan_sub = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    v = plan_sub.add_parser("validate", help="check a plan and list every problem with file:line")
    v.add_argument("file", help="the plan YAML")

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

    p = sub.add_parser("ack", help="acknowledge a firing flag, or snooze it until a day (the Alerts page's buttons)")
    p.add_argument("rule", help="the rule's id in the plan, e.g. roi_floor")
    p.add_argument("scope", help="the channel or campaign the flag is about (as in `opsplan check`), or all")
    p.add_argument("--note", help="what was done about it (shown beside the flag and kept in its history)")
    p.add_argument("--until", type=_date, help="silence the flag through this day (YYYY-MM-DD)")
    p.add_argument("--by", help="who acknowledges (shown beside the flag)")

    p = sub.add_parser("report", help="the weekly review as Markdown or self-contained HTML")
    p.add_argument("--plan", required=True, help="the plan YAML")
    p.add_argument(
        "--week",
        required=True,
        type=_week,
        help="ISO week, e.g. 2026-W05, or last: the week before this one in the warehouse's zone (a Monday cron)",
    )
    p.add_argument("--format", choices=("md", "html"), help="default: from --out's ending, else md")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser
