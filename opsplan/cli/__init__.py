"""The command line: the same engine the pages use, for cron jobs and terminals."""

from opsplan.cli.commands import main

__all__ = ["main"]
