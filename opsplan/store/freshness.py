"""Is the data current, and did the last load fail? Said plainly, so a morning verdict on old data is never silent.

"Current" means data_through has reached the day before today in the warehouse's zone (``expected_day``). A
refused or failed load must not touch the warehouse (see ``warehouse.py``), so failed attempts are kept
outside it, in ``<warehouse file>.failures.jsonl`` beside it (the last 200, one JSON object a line); a
failure counts until a later successful load of the same table (``_loads``) clears it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsplan import fmt
from opsplan.metrics.rollup import window
from opsplan.store.contract import TABLES
from opsplan.store.warehouse import DEFAULT_TZ, Warehouse, get_meta, read_connection
from opsplan.words import t

logger = logging.getLogger(__name__)

#: an ISO datetime with an offset (2026-04-01T09:00:00+08:00) that replaces the clock: tests and browser tests
NOW_ENV = "OPSPLAN_NOW"
#: failed attempts kept beside the warehouse
KEEP_FAILURES = 200
#: a reason longer than this is cut (the full refusal is on the terminal or the Data page)
_REASON_CHARS = 300


def clock() -> dt.datetime:
    """Now, as an aware datetime: ``$OPSPLAN_NOW`` when set (so tests can pin the day), else the real clock."""
    pinned = os.environ.get(NOW_ENV)
    if not pinned:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{NOW_ENV}={pinned!r} is not an ISO datetime (e.g. 2026-04-01T09:00:00+08:00)") from None
    if moment.tzinfo is None:
        raise ValueError(f"{NOW_ENV}={pinned!r} has no offset (e.g. 2026-04-01T09:00:00+08:00)")
    return moment


def expected_day(tz: str, now: dt.datetime | None = None, lag_days: int = 1) -> dt.date:
    """The last day the data should have reached: ``lag_days`` before today in zone ``tz``.

    Today is the warehouse's calendar day, not the server's: 2026-03-02 00:30 in Shanghai is still
    2026-03-01 in UTC, and the team in Shanghai expects 2026-03-01's data that morning.
    """
    moment = clock() if now is None else now
    if moment.tzinfo is None:
        raise ValueError(f"now={moment.isoformat()} has no time zone: give an aware datetime")
    if lag_days < 0:
        raise ValueError(f"lag_days must be 0 or more, not {lag_days}")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None
    return moment.astimezone(zone).date() - dt.timedelta(days=lag_days)


# --- failed loads, kept beside the warehouse ----------------------------------------------------------------


@dataclass(frozen=True)
class LoadFailure:
    """One refused or failed load attempt: when (UTC), which table, from where, and the first line of why."""

    at: dt.datetime
    table: str
    source: str
    reason: str

    def to_json(self) -> str:
        row = {"at": self.at.isoformat(timespec="microseconds"), "table": self.table, "source": self.source}
        return json.dumps(row | {"reason": self.reason}, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> LoadFailure | None:
        """None for a line that is not a failure record (a torn write, a hand edit): it is skipped, not fatal."""
        try:
            row = json.loads(line)
            at = dt.datetime.fromisoformat(row["at"])
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            return cls(at.astimezone(dt.UTC), str(row["table"]), str(row.get("source", "")), str(row["reason"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def failures_path(wh: Warehouse) -> Path:
    """``data/opsplan.duckdb`` → ``data/opsplan.duckdb.failures.jsonl``: outside the file a refusal must not touch."""
    return wh.path.with_name(wh.path.name + ".failures.jsonl")


def record_failure(wh: Warehouse, table: str, source: str, reason: str, at: dt.datetime | None = None) -> None:
    """Append one failed attempt and keep the last ``KEEP_FAILURES``. Never raises: a load's own error matters
    more than its record, so a file that cannot be written is logged and skipped.

    ``at`` is the real clock (not ``$OPSPLAN_NOW``): it is compared with the warehouse's ``_loads`` times.
    """
    first = (reason.strip().splitlines() or ["(no reason given)"])[0]
    if len(first) > _REASON_CHARS:
        first = first[: _REASON_CHARS - 1] + "…"
    failure = LoadFailure((at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC), table, source, first)
    path = failures_path(wh)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # two loads failing at once must not interleave their lines
            try:
                fh.write(failure.to_json() + "\n")
                fh.flush()
                fh.seek(0)
                lines = fh.read().splitlines(keepends=True)
                if len(lines) > KEEP_FAILURES:
                    fh.seek(0)
                    fh.truncate()
                    fh.writelines(lines[-KEEP_FAILURES:])
                    fh.flush()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    except OSError as exc:
        logger.warning("could not record the failed load of %s in %s: %s", table, path, exc)
        return
    logger.info("recorded a failed load of %s in %s", table, path)


def read_failures(wh: Warehouse) -> list[LoadFailure]:
    """Every kept failed attempt, oldest first; none when the file does not exist."""
    path = failures_path(wh)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    found = [LoadFailure.from_json(line) for line in text.splitlines() if line.strip()]
    return sorted((f for f in found if f is not None), key=lambda f: f.at)


def failures_signature(wh: Warehouse) -> tuple[int, int] | None:
    """(modification time, size) of the failures file: a cache key that changes when a failure is recorded,
    which the warehouse's own data version does not (a refused load leaves the warehouse as it was)."""
    try:
        st = failures_path(wh).stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size


# --- the verdict --------------------------------------------------------------------------------------------


def _stamp(at: dt.datetime, tz: str) -> str:
    try:
        return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    except (ZoneInfoNotFoundError, ValueError):
        return at.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Freshness:
    """How current the warehouse is on a given day, and the failed load (if any) nobody has fixed yet.

    ``days_behind`` is 0 when current (or ahead), None when there is no data (which is stale too).
    """

    data_through: dt.date | None
    expected: dt.date
    days_behind: int | None
    stale: bool
    last_failure: LoadFailure | None
    tz: str = DEFAULT_TZ

    @property
    def needs_notice(self) -> bool:
        """Something to say: the data is old or missing, or a load failed after the last good one."""
        return self.stale or self.last_failure is not None

    def message(self, lang: str) -> str:
        """One line in ``lang`` (zh / en): how old the data is, then the failed load if there is one."""
        lang = "zh" if lang == "zh" else "en"
        parts: list[str] = []
        if self.data_through is None:
            parts.append(t("freshness.no_data", lang, expected=self.expected))
        elif self.stale:
            n = self.days_behind
            key = "freshness.stale_one_day" if n == 1 else "freshness.stale"
            parts.append(t(key, lang, through=self.data_through, expected=self.expected, days=fmt.count(n or 0)))
        elif self.last_failure is None:
            parts.append(t("freshness.current", lang, through=self.data_through, expected=self.expected))
        f = self.last_failure
        if f is not None:
            when, had_data = _stamp(f.at, self.tz), self.data_through is not None
            head = t("freshness.failed", lang, table=f.table, when=when, reason=f.reason)
            parts.append(head + t("freshness.failed.kept_data" if had_data else "freshness.failed.no_data", lang))
        return ("" if lang == "zh" else " ").join(parts)  # Chinese sentences run on without a space


def _last_successes(wh: Warehouse) -> tuple[str, dt.date | None, dict[str, int]]:
    """(zone, data_through, last successful load per table as UTC epoch microseconds) in one short read."""
    if not wh.exists():
        return DEFAULT_TZ, None, {}
    with read_connection(wh) as con:
        tz = get_meta(con, "timezone") or DEFAULT_TZ
        through = window(con)[1]
        rows = con.execute("SELECT table_name, epoch_us(max(loaded_at)) FROM _loads GROUP BY 1").fetchall()
    return tz, through, {str(name): int(us) for name, us in rows if us is not None}


def open_failure(failures: list[LoadFailure], successes: dict[str, int]) -> LoadFailure | None:
    """The latest failure not yet followed by a successful load of its table.

    A failure of a table the contract does not have (a typo such as ``userz``) is never cleared by a
    load and changes no data, so it is not reported here (it stays in the file).
    """
    for failure in sorted(failures, key=lambda f: f.at, reverse=True):
        if failure.table not in TABLES:
            continue
        at_us = (failure.at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
        if at_us > successes.get(failure.table, -1):
            return failure
    return None


def freshness_state(
    wh: Warehouse, now: dt.datetime | None = None, lag_days: int = 1, *, expected: dt.date | None = None
) -> Freshness:
    """The freshness of ``wh`` on the day of ``now`` (default: ``clock()``). ``expected`` overrides the day
    computed from ``now`` (the pages pass the one they keyed their cache on). A missing warehouse is stale."""
    tz, through, successes = _last_successes(wh)
    day = expected if expected is not None else expected_day(tz, now, lag_days)
    behind = None if through is None else max(0, (day - through).days)
    return Freshness(
        data_through=through,
        expected=day,
        days_behind=behind,
        stale=behind is None or behind > 0,
        last_failure=open_failure(read_failures(wh), successes),
        tz=tz,
    )
