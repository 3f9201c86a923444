"""``opsplan load-day FOLDER``: a day's export (``users.csv``, ``events.parquet``, …) in one all-or-nothing load.

What a cron job runs each morning: every file is checked first, then all tables land in one write session with
one refresh of the views (``loading.load_tables``), instead of one ``opsplan load`` per table, each copying the
warehouse and refreshing on its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opsplan.store.loading import LoadResult, folder_files, load_tables
from opsplan.store.warehouse import Warehouse


def print_loaded(result: LoadResult) -> None:
    """What ``opsplan load`` and ``opsplan load-day`` say of each table they loaded."""
    print(
        f"{result.table}: {result.rows_in} rows read, {result.rows_stored} stored "
        f"({result.rows_replaced} replaced), {result.rows_rejected} rejected — load {result.load_id}"
    )
    for warning in result.warnings:
        print(f"warning: {warning}")


def cmd_load_day(args: argparse.Namespace, wh: Warehouse) -> int:
    try:
        files = folder_files(Path(args.folder))
    except ValueError as exc:
        print(f"opsplan load-day: {exc}", file=sys.stderr)
        return 2
    for result in load_tables(wh, files, tz=args.tz):
        print_loaded(result)
    return 0
