"""`opsplan check --notify` posts each alert once: overlapping checks take turns on a lock, a rerun finds what was
posted in the ledger the warehouse keeps, a changed state posts again, and a rate-limited webhook (429) is
asked again after the wait it names, within a bound. Against the real local webhook server of test_notify.

Data: the seven-user fixture (numbers in test_check_cli). On 2026-01-06 the product's spend rule fires, the
per-channel rule fires for douyin and is pending for xiaohongshu, and the new-users target is off track.
"""

# ruff: noqa: F811 (the fixtures imported from test_notify are parameters of the tests)
from __future__ import annotations

import datetime as dt
import http.server
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsplan.plan.alert_log import hook_id, lock_path
from opsplan.plan.check import CheckResult
from opsplan.plan.notify import RETRY_AFTER_CAP, WAIT_BUDGET, NotifyError, notify
from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse, read_connection
from tests.builders import opsplan_cmd
from tests.conftest import Cli
from tests.test_notify import (  # noqa: F401 (fixtures: the webhook server, the warehouse, the plan)
    Hook,
    _template,
    check,
    db,
    hook,
    plan,
    text_of,
)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _ledger(db: Path) -> list[tuple[str, str, str, str, str]]:
    """(hook, plan, day, alert, state) of every alert posted, as the warehouse keeps them."""
    with read_connection(Warehouse(db)) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "_alerts_posted" not in tables:
            return []
        return con.execute("SELECT hook, plan, day, alert, state FROM _alerts_posted ORDER BY day, alert").fetchall()


def _already(hook: Hook, day: str, status: str, alerts: int) -> str:
    return (
        f"opsplan check: already posted: 春季计划 · {day} · {status} ({alerts} alert(s)) to {hook.url}; "
        "--notify-always posts it again"
    )


@pytest.fixture
def arrivals(hook: Hook, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """When each request reached the server; a 429 or 503 answer carries ``Retry-After: hook.retry_after``
    (the shared server sends no such header: added on the way out of its handler)."""
    times: list[float] = []
    hook.retry_after = "1"  # type: ignore[attr-defined]
    original = http.server.BaseHTTPRequestHandler.send_response

    def send_response(self: http.server.BaseHTTPRequestHandler, code: int, message: str | None = None) -> None:
        times.append(time.monotonic())
        original(self, code, message)
        if code in (429, 503) and hook.retry_after:  # type: ignore[attr-defined]
            self.send_header("Retry-After", hook.retry_after)  # type: ignore[attr-defined]

    monkeypatch.setattr(http.server.BaseHTTPRequestHandler, "send_response", send_response)
    yield times


# ---------------------------------------------------------------- once per (day, rule, scope, state)


def test_overlapping_checks_post_once(db: Path, plan: Path, hook: Hook) -> None:
    """Two cron jobs starting together against a slow webhook: the second waits for the first's post, then
    finds it in the ledger. Without the lock both would post (each judging before the other had posted)."""
    hook.delay = 2.0
    argv = opsplan_cmd("--db", str(db), "check", "--plan", str(plan), "--date", "2026-01-06", "--notify", hook.url)
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [2, 2]  # both judged, the verdict is each check's own
    assert all(out.startswith("每日检查 2026-01-06") for out, _ in outs)
    assert len(hook.requests) == 1
    errs = sorted(err for _, err in outs)
    assert errs[0] == "" and _one_line(errs[1]) == _already(hook, "2026-01-06", "CRITICAL", 5)
    assert lock_path(db).exists()


def test_a_rerun_posts_nothing_new_and_notify_always_posts(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    url = hook.url + "/hook/s3cret?access_token=s3cret"
    first = check(cli, db, plan, url)
    assert (first.code, first.err, len(hook.requests)) == (2, "", 1)
    again = check(cli, db, plan, url, "--lang", "en", "--notify-format", "slack")  # same alerts, other words
    assert again.code == 2 and len(hook.requests) == 1
    assert again.out == check(cli, db, plan, url, "--lang", "en").out  # the check itself is printed as ever
    assert _one_line(again.err) == _already(hook, "2026-01-06", "CRITICAL", 5)  # the token stays out
    forced = check(cli, db, plan, url, "--notify-always")
    assert (forced.code, forced.err, len(hook.requests)) == (2, "", 2)
    assert hook.bodies()[0] == hook.bodies()[1]
    rows = _ledger(db)
    assert {(hook_, plan_, day) for hook_, plan_, day, _, _ in rows} == {(hook_id(url), "春季计划", "2026-01-06")}
    assert len(hook_id(url)) == 16 and "s3cret" not in str(rows)  # a digest names the webhook, not its token
    assert {alert: state for *_, alert, state in rows} == {
        "check": "critical",
        "rule spend_all": "firing",
        "rule spend_channel channel=douyin": "firing",
        "rule spend_channel channel=xiaohongshu": "pending",
        "target nu": "off_track",
    }


def test_another_webhook_is_told_too(cli: Cli, db: Path, plan: Path, hook: Hook) -> None:
    assert check(cli, db, plan, hook.url + "/team-a").err == ""
    assert check(cli, db, plan, hook.url + "/team-b").err == ""
    assert [r["path"] for r in hook.requests] == ["/team-a", "/team-b"]


def _spend_on_0105(db: Path, tmp_path: Path, spend: int) -> None:
    """A corrected day of douyin spend, loaded as a team would (the row's key replaces the old one)."""
    path = tmp_path / f"spend-{spend}.csv"
    path.write_text(f"date,channel,campaign_id,spend,impressions,clicks\n2026-01-05,douyin,c1,{spend},10000,100\n")
    load(Warehouse(db), "ad_spend", [path])


def test_a_changed_state_posts_again(cli: Cli, db: Path, tmp_path: Path, plan: Path, hook: Hook) -> None:
    """The same day judged again after late data: firing → pending → firing each post, an unchanged rerun not."""
    assert check(cli, db, plan, hook.url).err == ""  # spend_all firing (100 then 180 > 90 for 2 days)
    _spend_on_0105(db, tmp_path, 50)  # 01-05 now under 90: on 01-06 the rule has been over for 1 day only
    r = check(cli, db, plan, hook.url)
    assert (r.code, r.err, len(hook.requests)) == (2, "", 2)  # still critical (the target), posted again
    assert "🟡 花费 = ¥180.00，规则 > ¥90.00，观察中（自 2026-01-06，连续 1 天）" in text_of(hook.bodies()[1])
    assert check(cli, db, plan, hook.url).err.startswith("opsplan check: already posted")
    _spend_on_0105(db, tmp_path, 100)  # the correction undone: firing again
    r = check(cli, db, plan, hook.url)
    assert (r.err, len(hook.requests)) == ("", 3)
    assert text_of(hook.bodies()[2]) == text_of(hook.bodies()[0])


def test_firing_then_resolved_and_a_target_off_track_once_a_day(
    cli: Cli,
    db: Path,
    plan: Path,
    hook: Hook,
) -> None:
    """01-06 → 01-07: douyin's rule resolves, xiaohongshu's fires; the target stays off track and is posted once
    on each day, never twice on one."""
    for day, posts in [("2026-01-06", 1), ("2026-01-06", 1), ("2026-01-07", 2), ("2026-01-07", 2)]:
        r = check(cli, db, plan, hook.url, date=day)
        assert (r.code, len(hook.requests)) == (2, posts), r.err
    first, second = (text_of(b).splitlines() for b in hook.bodies())
    assert first[0].endswith("2026-01-06 · CRITICAL") and second[0].endswith("2026-01-07 · CRITICAL")
    assert any(line.startswith("• 新增用户") for line in first) and any(
        line.startswith("• 新增用户") for line in second
    )
    assert not any("抖音" in line for line in second) and any("小红书" in line for line in second)
    assert [(day, state) for _, _, day, alert, state in _ledger(db) if alert == "target nu"] == [
        ("2026-01-06", "off_track"),
        ("2026-01-07", "off_track"),
    ]


def test_a_quiet_day_is_posted_once(cli: Cli, db: Path, tmp_path: Path, hook: Hook) -> None:
    from tests.test_check_cli import spend_all, write_plan

    quiet = write_plan(tmp_path, spend_all())
    assert check(cli, db, quiet, hook.url, date="2026-01-08").code == 0
    r = check(cli, db, quiet, hook.url, date="2026-01-08")
    assert r.code == 0 and _one_line(r.err) == _already(hook, "2026-01-08", "OK", 1)
    assert len(hook.requests) == 1


# ---------------------------------------------------------------- rate limits and server errors


def test_429_then_200_waits_as_asked_and_posts(
    cli: Cli, db: Path, plan: Path, hook: Hook, arrivals: list[float]
) -> None:
    hook.statuses = [429, 200]
    r = check(cli, db, plan, hook.url)
    assert (r.code, r.err, len(hook.requests)) == (2, "", 2)
    assert 0.95 <= arrivals[1] - arrivals[0] < 2.0  # Retry-After: 1 honoured (not the 0.2 s backoff)
    assert check(cli, db, plan, hook.url).err.startswith("opsplan check: already posted")  # recorded


def test_429_forever_gives_up_within_the_bound(
    cli: Cli, db: Path, plan: Path, hook: Hook, arrivals: list[float]
) -> None:
    hook.statuses, hook.answer = [429], b'{"ok": false, "error": "rate_limited"}'
    started = time.monotonic()
    r = check(cli, db, plan, hook.url)
    assert time.monotonic() - started < WAIT_BUDGET
    assert r.code == 2 and r.out.startswith("每日检查 2026-01-06")  # the check's exit code, unchanged
    assert _one_line(r.err) == (
        f'opsplan check: notification failed: {hook.url}: HTTP 429 {{"ok": false, "error": "rate_limited"}} '
        "after 3 attempt(s)"
    )
    assert [round(b - a) for a, b in zip(arrivals, arrivals[1:], strict=False)] == [1, 1]
    assert _ledger(db) == []  # nothing posted, nothing recorded: the next check tries again
    hook.statuses = [200]
    assert (check(cli, db, plan, hook.url).err, len(hook.requests)) == ("", 4)


def test_a_503_with_retry_after_is_retried_too(
    cli: Cli, db: Path, plan: Path, hook: Hook, arrivals: list[float]
) -> None:
    hook.statuses = [503, 200]
    r = check(cli, db, plan, hook.url)
    assert (r.err, len(hook.requests)) == ("", 2) and arrivals[1] - arrivals[0] >= 0.95


@pytest.mark.parametrize("status", [400, 403, 404, 413])
def test_other_client_errors_are_not_retried(cli: Cli, db: Path, plan: Path, hook: Hook, status: int) -> None:
    hook.statuses = [status]
    r = check(cli, db, plan, hook.url)
    assert r.code == 2 and len(hook.requests) == 1 and f"HTTP {status}" in _one_line(r.err)


def test_a_long_retry_after_is_capped_and_the_waits_are_bounded(
    hook: Hook,
    arrivals: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server asking for two minutes is asked again after RETRY_AFTER_CAP, and no more than WAIT_BUDGET of
    waiting is spent on one post however many attempts are allowed (the sleeps are recorded, not slept)."""
    slept: list[float] = []
    monkeypatch.setattr("opsplan.plan.notify.time.sleep", slept.append)
    hook.statuses, hook.retry_after = [429], "120"  # type: ignore[attr-defined]
    day = dt.date(2026, 1, 6)
    with pytest.raises(NotifyError, match=r"HTTP 429 .* after 4 attempt\(s\)$"):
        notify(hook.url, CheckResult(day, day, "ok"), "春季计划", attempts=10)
    assert slept == [RETRY_AFTER_CAP] * 3 and sum(slept) <= WAIT_BUDGET
