"""The check's memory in the warehouse: every rule evaluation (``_rule_history``) and the notes made about them.

Why its own module: the dashboard and tomorrow's check read since when a flag fires and what was done about
it; that is storage, apart from judging (``plan.check``), and written in one short write session per check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from opsplan.plan.model import Plan
from opsplan.plan.stoploss import RuleEval
from opsplan.store.warehouse import Warehouse, bump_data_version, read_connection
from opsplan.store.writing import write_session

HISTORY_DDL = """CREATE TABLE IF NOT EXISTS _rule_history (
    rule_id VARCHAR, item VARCHAR, date DATE, judged_day DATE, state VARCHAR, value DOUBLE, spend DOUBLE,
    streak INTEGER, since DATE, severity VARCHAR, action VARCHAR, plan VARCHAR, evaluated_at TIMESTAMPTZ,
    PRIMARY KEY (rule_id, item, date))"""
NOTES_DDL = """CREATE TABLE IF NOT EXISTS _rule_notes (
    rule_id VARCHAR, item VARCHAR, date DATE, note VARCHAR, author VARCHAR, noted_at TIMESTAMPTZ)"""


def save_history(wh: Warehouse, plan: Plan, history: Sequence[RuleEval]) -> None:
    """Keep every evaluation of a check (one row per rule, item and day, the latest wins)."""
    if not history:
        return
    rules = {r.id: r for r in plan.rules}
    frame = pd.DataFrame(
        [
            {
                "rule_id": e.rule_id,
                "item": e.item,
                "date": e.date,
                "judged_day": e.judged_day,
                "state": e.state.value,
                "value": e.value,
                "spend": e.spend,
                "streak": e.streak,
                "since": e.since,
                "severity": rules[e.rule_id].severity,
                "action": rules[e.rule_id].action,
                "plan": plan.name,
            }
            for e in history
        ]
    )
    with write_session(wh) as con:
        con.execute(HISTORY_DDL)
        con.execute(NOTES_DDL)
        con.register("evals", frame)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM _rule_history h USING evals e WHERE h.rule_id = e.rule_id AND h.item = e.item "
            "AND h.date = CAST(e.date AS DATE)"
        )
        con.execute(
            "INSERT INTO _rule_history SELECT rule_id, item, CAST(date AS DATE), CAST(judged_day AS DATE), "
            "state, value, spend, streak, CAST(since AS DATE), severity, action, plan, now() FROM evals"
        )
        bump_data_version(con)
        con.execute("COMMIT")
        con.unregister("evals")


def add_note(wh: Warehouse, rule_id: str, item: str, day: dt.date, note: str, author: str = "") -> None:
    """Record what was done about a flag (e.g. "已暂停投放"), shown beside it from then on."""
    with write_session(wh) as con:
        con.execute(NOTES_DDL)
        con.execute("INSERT INTO _rule_notes VALUES (?, ?, ?, ?, ?, now())", [rule_id, item, day, note, author])


def rule_history(wh: Warehouse, rule_id: str | None = None) -> pd.DataFrame:
    """The kept evaluations with the notes made about them, newest first."""
    with read_connection(wh) as con:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_history'"
        ).fetchone()[0]
        if not has:
            return pd.DataFrame(columns=["rule_id", "item", "date", "state", "value", "since", "note"])
        notes = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_rule_notes'"
        ).fetchone()[0]
        join = (
            (
                "LEFT JOIN (SELECT rule_id, item, date, string_agg(note, '; ') AS note FROM _rule_notes GROUP BY ALL)"
                " n USING (rule_id, item, date)"
            )
            if notes
            else ""
        )
        note_col = "n.note" if notes else "NULL AS note"
        where = "WHERE h.rule_id = ?" if rule_id else ""
        frame = con.execute(
            f"SELECT h.rule_id, h.item, h.date, h.judged_day, h.state, h.value, h.spend, h.streak, h.since, "
            f"h.severity, h.action, {note_col} FROM _rule_history h {join} {where} ORDER BY h.date DESC, h.rule_id, "
            f"h.item",
            [rule_id] if rule_id else [],
        ).df()
    for col in ("date", "judged_day", "since"):
        frame[col] = pd.to_datetime(frame[col]).dt.date
    return frame
