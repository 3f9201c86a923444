"""The user-day engine at its edges: long gaps, month and week boundaries, and more than 64 event names.

``activity_parts`` counts weekly / monthly distinct users as sums of first-active-in-period days, using each
user's previous active day when it falls in the previous month or later; ``user_days`` carries a 64-bit event mask, and
names past the 64th are counted from the events. Each check below is against numbers written by hand and,
for the event counts, against a direct ``count(DISTINCT …)`` over the raw events.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from opsplan.store.loading import load, set_event_roles
from opsplan.store.views import load_view_defs, refresh
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.store.writing import write_session

TZ = "Asia/Shanghai"

# a: signs up 01-01, active 01-31, then not until 04-05 (64 days later, before March: beyond the look-back),
#    then 04-06;
# b: signs up 01-31 (a Saturday), active 02-01 (Sunday), 03-02 (the month after next: Feb was active → returning
#    in March), and 03-09 (Monday, the week after 03-02's week → returning that week);
# c: no users row: events only, on 02-28 and 03-01 (consecutive days across a month end)
USERS = "user_id,signup_at,channel,campaign_id\na,2026-01-01 10:00:00,douyin,c1\nb,2026-01-31 10:00:00,kol,\n"
ACTIVE_DAYS = {
    "a": ["2026-01-01", "2026-01-31", "2026-04-05", "2026-04-06"],
    "b": ["2026-01-31", "2026-02-01", "2026-03-02", "2026-03-09"],
    "c": ["2026-02-28", "2026-03-01"],
}
#: 70 event names: n00 .. n69; the ones past the 64th (n64 ..) have no bit in the mask
NAMES = [f"n{i:02d}" for i in range(70)]


def _events_csv() -> str:
    rows = ["user_id,event_at,event_name"]
    for user, days in ACTIVE_DAYS.items():
        for i, day in enumerate(days):
            rows.append(f"{user},{day} 12:00:00,{NAMES[i]}")  # one plain name a day
    # on 2026-01-31 a and b each do every one of the 70 names once, a does n65 twice
    for user in ("a", "b"):
        rows.extend(f"{user},2026-01-31 13:{i % 60:02d}:00,{name}" for i, name in enumerate(NAMES))
    rows.append("a,2026-01-31 14:00:00,n65")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    d = tmp_path_factory.mktemp("parts")
    (d / "users.csv").write_text(USERS, encoding="utf-8")
    (d / "events.csv").write_text(_events_csv(), encoding="utf-8")
    w = Warehouse(d / "w.duckdb")
    load(w, "users", [d / "users.csv"], tz=TZ)
    load(w, "events", [d / "events.csv"], tz=TZ)
    return w


def _rows(w: Warehouse, sql: str) -> list[tuple]:
    with read_connection(w) as con:
        return con.execute(sql).fetchall()


def test_previous_active_day_is_kept_back_to_the_previous_month(wh: Warehouse) -> None:
    got = dict(
        ((user, str(day)), None if prev is None else str(prev))
        for user, day, prev in _rows(
            wh,
            "SELECT k.user_id, a.date, a.prev_active FROM user_day_activity a JOIN _user_keys k USING (user_key)",
        )
    )
    assert got[("a", "2026-01-31")] == "2026-01-01"  # 30 days back
    assert got[("a", "2026-04-05")] is None  # 01-31 is before March 1st: beyond the look-back
    assert got[("a", "2026-04-06")] == "2026-04-05"
    assert got[("b", "2026-03-02")] == "2026-02-01"  # 29 days back
    assert got[("c", "2026-03-01")] == "2026-02-28"


def test_monthly_and_weekly_active_users_and_lifecycle(wh: Warehouse) -> None:
    mau = dict(_rows(wh, "SELECT month_start::VARCHAR, sum(mau)::INT FROM activity_monthly GROUP BY 1"))
    assert mau == {"2026-01-01": 2, "2026-02-01": 2, "2026-03-01": 2, "2026-04-01": 1}  # Feb: b, c; Mar: b, c
    wau = dict(_rows(wh, "SELECT week_start::VARCHAR, sum(wau)::INT FROM activity_weekly GROUP BY 1"))
    # weeks (Mondays): 12-29 a; 01-26 a, b (01-31); 01-26 holds b's 02-01 too; 02-23 c (02-28, 03-01 is Sunday);
    # 03-02 b; 03-09 b; 03-30 a (04-05 is a Sunday); 04-06 a
    assert wau == {
        "2025-12-29": 1,
        "2026-01-26": 2,
        "2026-02-23": 1,
        "2026-03-02": 1,
        "2026-03-09": 1,
        "2026-03-30": 1,
        "2026-04-06": 1,
    }
    month = {
        str(r[0]): r[1:]
        for r in _rows(
            wh,
            "SELECT period_start, sum(new_users)::INT, sum(returning_users)::INT, sum(resurrected_users)::INT, "
            "sum(dormant_users)::INT FROM lifecycle_monthly GROUP BY 1",
        )
    }
    # Jan: a, b new; Feb: b returning (Jan), c resurrected (no signup in Feb, not active in Jan), a dormant;
    # Mar: b, c returning; Apr: a resurrected, b and c dormant; May: a dormant
    assert month["2026-01-01"] == (2, 0, 0, 0)
    assert month["2026-02-01"] == (0, 1, 1, 1)
    assert month["2026-03-01"] == (0, 2, 0, 0)
    assert month["2026-04-01"] == (0, 0, 1, 2)
    assert month["2026-05-01"] == (0, 0, 0, 1)
    week = {
        str(r[0]): r[1:]
        for r in _rows(
            wh,
            "SELECT period_start, sum(returning_users)::INT, sum(resurrected_users)::INT "
            "FROM lifecycle_weekly GROUP BY 1",
        )
    }
    assert week["2026-03-09"] == (1, 0)  # b: active the week before
    assert week["2026-04-06"] == (1, 0)  # a: 04-05 (Sunday) was the week before
    assert week["2026-03-30"] == (0, 1)  # a after 64 days


def test_events_past_the_64th_name_are_counted_from_the_events(wh: Warehouse) -> None:
    direct = _rows(
        wh,
        "SELECT e.event_day, e.event_name, coalesce(u.channel, 'unknown'), count(*), count(DISTINCT e.user_id) "
        "FROM events e LEFT JOIN users u USING (user_id) GROUP BY ALL ORDER BY ALL",
    )
    got = _rows(wh, "SELECT date, event_name, channel, events, users FROM event_daily ORDER BY ALL")
    assert got == direct
    jan31 = [(name, users) for day, name, _, _, users in got if str(day) == "2026-01-31"]
    assert len({name for name, _ in jan31}) == 70
    assert sum(users for _, users in jan31) == 2 * 70  # a (douyin) and b (kol) each did all 70 names
    with read_connection(wh) as con:
        assert con.execute("SELECT count(*) FROM user_days WHERE wide").fetchall() == [(2,)]  # a and b on 01-31


def _every_view(w: Warehouse) -> dict[str, list[tuple]]:
    return {d.name: _rows(w, f'SELECT * FROM "{d.name}" ORDER BY ALL') for d in load_view_defs()}


def test_a_refresh_from_any_cut_equals_the_full_rebuild(wh: Warehouse, tmp_path: Path) -> None:
    copy = Warehouse(tmp_path / "cuts.duckdb")
    copy.path.write_bytes(wh.path.read_bytes())
    rebuilt = _every_view(copy)
    # 03-05: b's 03-09 needs 03-02 from before the cut; 04-06: a's 04-05; 02-01: c's rows, b's 02-01; 03-01 reads
    # back to 02-01 only
    for cut in (dt.date(2026, 3, 5), dt.date(2026, 4, 6), dt.date(2026, 2, 1), dt.date(2026, 3, 1)):
        with write_session(copy) as con:
            refresh(con, cut)
        assert _every_view(copy) == rebuilt, cut


def test_roles_naming_an_event_past_the_64th_work(wh: Warehouse, tmp_path: Path) -> None:
    copy = Warehouse(tmp_path / "roles.duckdb")
    copy.path.write_bytes(wh.path.read_bytes())
    set_event_roles(copy, active_events=["n66"], activation_event="n67")
    # only 01-31 has n66 (a and b), plus each user's signup day (a: 01-01, b: 01-31)
    days = _rows(copy, "SELECT k.user_id, a.date::VARCHAR FROM user_day_activity a JOIN _user_keys k USING (user_key)")
    assert sorted(days) == [("a", "2026-01-01"), ("a", "2026-01-31"), ("b", "2026-01-31")]
    funnel = dict(_rows(copy, "SELECT cohort_date::VARCHAR, sum(activated)::INT FROM cohort_funnel GROUP BY 1"))
    assert funnel == {"2026-01-01": 0, "2026-01-31": 1}  # b did n67 on her signup day; a's 01-31 is too late
    rebuilt = _every_view(copy)
    with write_session(copy) as con:
        refresh(con, dt.date(2026, 2, 1))
    assert _every_view(copy) == rebuilt
