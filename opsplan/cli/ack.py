"""``opsplan ack RULE SCOPE [--note …] [--until DAY]``: acknowledge a firing flag, or snooze it until a day.

The same as the Alerts page's buttons (``plan.acks``): kept in the warehouse, marked in the next check's JSON,
text and notification; a snoozed flag no longer raises the check's exit code until the day after ``--until``.
"""

from __future__ import annotations

import argparse

from opsplan.plan.acks import acknowledge
from opsplan.store.warehouse import Warehouse


def cmd_ack(args: argparse.Namespace, wh: Warehouse) -> int:
    day = acknowledge(wh, args.rule, args.scope, note=args.note or "", until=args.until, author=args.by or "")
    what = f"snoozed until {args.until}" if args.until else "acknowledged"
    print(f"{args.rule} for {args.scope}: {what} (recorded against its evaluation of {day})")
    return 0
