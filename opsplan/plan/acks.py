"""Acknowledging and snoozing a flag, as Grafana's alerting has it: kept in the warehouse, read by every check.

An acknowledgement says someone has seen a firing flag and what they do about it (a note); a snooze adds a
day until which the flag is silenced. A silenced flag still shows, in the check's JSON, the notification and
the pages, marked as such, but it no longer raises the check's status (and so its exit code and the alarm).
An acknowledgement holds for the run of the flag it was made in: when the flag resolves and fires again
later (a new ``since``), it is new and unacknowledged. The latest acknowledgement of a flag wins; every one
is also written as a note on the flag's latest evaluation, so the history shows who did what and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import duckdb

from opsplan.plan.history import NOTES_DDL
from opsplan.plan.result import Ack, Flag
from opsplan.store.warehouse import Warehouse, bump_data_version
from opsplan.store.writing import write_session
from opsplan.words import t

ACKS_DDL = """CREATE TABLE IF NOT EXISTS _rule_acks (
    rule_id VARCHAR, item VARCHAR, note VARCHAR, author VARCHAR, until DATE, acked_at TIMESTAMPTZ, acked_day DATE)"""


class AckError(ValueError):
    """An acknowledgement of a flag the warehouse has never evaluated, or with a snooze day in the past."""


def flag_item(flag: Flag) -> str:
    """The scope item a flag is kept under in the history: its channel or campaign, or 'all'."""
    return next(iter(flag.scope.values()), "all")


def acknowledge(
    wh: Warehouse,
    rule_id: str,
    item: str,
    note: str = "",
    until: dt.date | None = None,
    author: str = "",
    day: dt.date | None = None,
) -> dt.date:
    """Keep an acknowledgement (and a snooze through ``until``) of rule ``rule_id`` for ``item``, made on the check
    of ``day`` (the page passes the check it shows); without ``day``, against the flag's latest kept evaluation,
    and ``AckError`` when no check has kept one (a typo in the rule or the item). Returns that day."""
    with write_session(wh) as con:
        con.execute(ACKS_DDL)
        con.execute(NOTES_DDL)
        if day is None:
            day = _latest_evaluation(con, rule_id, item)
        if until is not None and until < day:
            raise AckError(f"--until {until} is before the flag's evaluation ({day}): nothing to snooze")
        con.execute(
            "INSERT INTO _rule_acks VALUES (?, ?, ?, ?, ?, now(), ?)", [rule_id, item, note, author, until, day]
        )
        text = t("ack.note_snoozed", "zh", until=until.isoformat()) if until else t("ack.note_acked", "zh")
        con.execute(
            "INSERT INTO _rule_notes VALUES (?, ?, ?, ?, ?, now())",
            [rule_id, item, day, t("ack.note_with", "zh", what=text, note=note) if note else text, author],
        )
        bump_data_version(con)
        return day


def _latest_evaluation(con: duckdb.DuckDBPyConnection, rule_id: str, item: str) -> dt.date:
    kept = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_history'")
    has = bool(kept.fetchall()[0][0])
    found = (
        con.execute("SELECT max(date) FROM _rule_history WHERE rule_id = ? AND item = ?", [rule_id, item]).fetchall()
        if has
        else [(None,)]
    )
    if found[0][0] is None:
        rules = con.execute("SELECT DISTINCT rule_id FROM _rule_history ORDER BY 1").fetchall() if has else []
        raise AckError(
            f"no check has evaluated rule {rule_id!r} for {item!r}: run `opsplan check --plan …` first"
            + (f" (rules evaluated: {', '.join(r[0] for r in rules)})" if rules else "")
        )
    return found[0][0]


def latest_acks(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Ack]:
    """(rule id, item) → its latest acknowledgement; empty in a warehouse that has none."""
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_acks'").fetchall()
    if not has[0][0]:
        return {}
    rows = con.execute(
        "SELECT rule_id, item, note, author, until, acked_at, acked_day FROM _rule_acks "
        "QUALIFY row_number() OVER (PARTITION BY rule_id, item ORDER BY acked_at DESC) = 1"
    ).fetchall()
    return {(r[0], r[1]): Ack(r[2] or "", r[3] or "", r[4], r[5], r[6]) for r in rows}


def holds(ack: Ack | None, flag: Flag) -> bool:
    """An acknowledgement made during this run of the flag (the run began on or before the day it was made)."""
    return ack is not None and flag.since <= ack.acked_day


def attach(flag: Flag, acks: dict[tuple[str, str], Ack]) -> Flag:
    """``flag`` with its acknowledgement, when one was made during this run of it."""
    ack = acks.get((flag.id, flag_item(flag)))
    return replace(flag, ack=ack) if holds(ack, flag) else flag


def _worded(flag: Flag, day: dt.date | None, lang: str, form: str) -> str:
    """The flag's acknowledgement in words of ``form`` ('ack.mark' inline, 'ack.cell' in a table); '' without one."""
    ack = flag.ack
    if ack is None:
        return ""
    key = f"{form}_snoozed" if flag.snoozed_on(day) else f"{form}_acked"
    return t(key, lang, until=ack.until.isoformat() if ack.until else "", by=ack.author or "—", note=ack.note or "—")


def mark(flag: Flag, day: dt.date | None, lang: str) -> str:
    """'（已静音至 2026-03-05 · 王芳：已暂停投放）', '（已确认 · 王芳：已暂停投放）' or '' for a flag without one."""
    return _worded(flag, day, lang, "ack.mark")


def cell(flag: Flag, day: dt.date | None, lang: str) -> str:
    """The Alerts table's "handled" cell: '🔕 已静音至 2026-03-05 · 王芳：…', '✅ 已确认 · …', or '' (not yet)."""
    return _worded(flag, day, lang, "ack.cell")
