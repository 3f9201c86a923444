"""Which alerts a webhook was already told, so a rerun or an overlapping cron check posts each one once.

An alert is a (day, rule, scope, state) — or a (day, target, status), or the check's verdict for the day. A
notification is posted when one of its alerts is new or changed (pending → firing, firing → resolved, on
track → off track); a notification whose every alert was already posted to that webhook is skipped. So a
target that stays off track is posted at most once per judged day.

The ledger is a table of the warehouse, ``_alerts_posted`` (one row per webhook, plan, day and alert, the
last posted state), written through ``write_session`` after a successful post. Not a file beside the
warehouse: the warehouse refuses files beside it that it does not know (``check_beside``: a stray file may be
a log holding committed rows), and a second kind of side file would need every such guard to learn it. The
price is one copy of the warehouse file per post (none for a skipped one), which a daily check can afford;
reading it is a short read connection. Webhooks are named by a digest of their URL (the URL holds the token).

Overlapping checks take turns on an ``flock`` of ``<warehouse file>.notify.lock``, held from judging through
posting and recording: the second check judges after the first has posted and finds it in the ledger.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from opsplan.plan.check import CheckResult
from opsplan.plan.check_text import unknown_reason
from opsplan.plan.stoploss import RuleState
from opsplan.store.freshness import clock
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.store.writing import write_session

logger = logging.getLogger(__name__)

#: days of posts kept in the ledger (a few rows a day per webhook)
KEEP_DAYS = 400
#: how long a check waits for an overlapping one to finish posting (its attempts, timeouts and waits)
LOCK_SECONDS = 900.0

#: the states and statuses worth telling: a flag or target in one of these, or leaving one, is posted
_LOUD_FLAGS = (RuleState.FIRING.value, RuleState.PENDING.value)
_LOUD_TARGETS = ("missed", "off_track", "at_risk")


LEDGER_DDL = """CREATE TABLE IF NOT EXISTS _alerts_posted (
    hook VARCHAR, plan VARCHAR, day VARCHAR, alert VARCHAR, state VARCHAR, posted_at TIMESTAMPTZ,
    PRIMARY KEY (hook, plan, day, alert))"""


def lock_path(db: Path) -> Path:
    """``data/opsplan.duckdb`` → ``data/opsplan.duckdb.notify.lock``."""
    return db.with_name(db.name + ".notify.lock")


def hook_id(url: str) -> str:
    """A webhook's name in the ledger: a digest of its URL, which holds the token."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def alert_day(result: CheckResult) -> str:
    """The judged day; today (local) for a check that has none (no warehouse, a plan with errors)."""
    return (result.date or clock().astimezone().date()).isoformat()


def _scope(scope: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(scope.items()))


def alert_states(result: CheckResult) -> dict[str, str]:
    """Every alert of the check with its state: the verdict (with why, when old data or no judgement),
    each rule on each scope, each target."""
    verdict = result.status
    if result.stale("en"):  # the message counts the days behind: a new morning on old data is news
        verdict += f" stale:{_digest(result.stale('en'))}"
    elif result.status == "unknown":
        verdict += f" {_digest(unknown_reason(result, 'en'))}"
    states = {"check": verdict}
    for f in result.flags:
        states[f"rule {f.id} {_scope(f.scope)}".rstrip()] = f.state.value
    for t in result.targets:
        states[f"target {t.id} {_scope(t.scope)}".rstrip()] = t.status.value
    return states


def _loud(key: str, state: str | None) -> bool:
    if state is None:
        return False
    if key == "check":
        return True
    return state in (_LOUD_FLAGS if key.startswith("rule ") else _LOUD_TARGETS)


@dataclass(frozen=True)
class Decision:
    """What to post: ``changed`` alerts (empty: all already posted) and the states to record after posting."""

    day: str
    changed: tuple[str, ...]
    record: dict[str, str]
    told: int  # alerts already posted with the same state


def decide(result: CheckResult, posted: dict[str, str]) -> Decision:
    """Compare the check's alerts with those last posted for its day: a state that is loud now or was loud
    when posted, and differs, is a change. Quiet states never posted (a rule that stayed ok) are not."""
    changed, record, told = [], {}, 0
    for key, state in alert_states(result).items():
        before = posted.get(key)
        if state != before and (_loud(key, state) or _loud(key, before)):
            changed.append(key)
        elif state == before and _loud(key, state):
            told += 1
        if _loud(key, state) or before is not None:
            record[key] = state
    return Decision(alert_day(result), tuple(changed), record, told)


def posted_states(wh: Warehouse, hook: str, plan: str, day: str) -> dict[str, str]:
    """The last posted state of each alert for this webhook, plan and day (none when nothing was posted)."""
    if not wh.exists():
        return {}
    with read_connection(wh) as con:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = '_alerts_posted'"
        ).fetchone()[0]
        if not has:
            return {}
        rows = con.execute(
            "SELECT alert, state FROM _alerts_posted WHERE hook = ? AND plan = ? AND day = ?", [hook, plan, day]
        ).fetchall()
    return dict(rows)


def record_post(wh: Warehouse, hook: str, plan: str, decision: Decision) -> None:
    """Keep the states just posted (the latest per alert wins) and forget posts older than ``KEEP_DAYS``.

    Never creates a warehouse: a check without one has nothing to record in."""
    if not wh.exists() or not decision.record:
        return
    frame = pd.DataFrame({"alert": list(decision.record), "state": list(decision.record.values())}, dtype="string")
    with write_session(wh) as con:
        con.execute(LEDGER_DDL)
        con.register("posted", frame)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM _alerts_posted WHERE hook = ? AND plan = ? AND day = ? "
            "AND alert IN (SELECT alert FROM posted)",
            [hook, plan, decision.day],
        )
        con.execute(
            "INSERT INTO _alerts_posted SELECT ?, ?, ?, alert, state, now() FROM posted", [hook, plan, decision.day]
        )
        con.execute(f"DELETE FROM _alerts_posted WHERE posted_at < now() - INTERVAL {KEEP_DAYS} DAY")
        con.execute("COMMIT")
        con.unregister("posted")


@contextlib.contextmanager
def notify_lock(db: Path, wait: float = LOCK_SECONDS) -> Iterator[str]:
    """Hold ``<db>.notify.lock``; yields '' when held, else why not (the check then posts without waiting).

    No warehouse directory: nothing to lock or record beside, yields ''.
    """
    if not db.parent.is_dir():
        yield ""
        return
    path = lock_path(db)
    try:
        fh = open(path, "a+")  # noqa: SIM115 (held across the yield)
    except OSError as exc:
        yield f"could not open {path} ({exc.strerror or exc}): posting without the lock"
        return
    with fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    fh.close()
                    yield f"another check has held {path} for {wait:.0f} s: posting without waiting"
                    return
                time.sleep(0.05)
        try:
            yield ""
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
