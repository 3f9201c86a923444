"""The Weekly review and Data pages under AppTest on the hand-computed fixture (tests/views/fixture_data.py:
data 2026-01-05 .. 01-13, Asia/Shanghai) and the fixture plan. ISO week 2026-W02 is Mon 01-05 .. Sun 01-11;
01-13 is a Tuesday, so W02 is the last complete week and W03 (01-12, 01-13) is still running.

Daily series of the fixture (tests/ui/test_pages.py spells them out): new users 2, 3, 0, 1, 0, 0, 0 | 1, 0 ·
revenue 30, 30, 150, -30, 0, 0, 0 | 0, 20 · spend 100, 180, 80, 50, 50, 0, 0 | 40, 10 (the bar splits W02 | W03).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.loading import row_counts
from opsplan.metrics import get_metric
from opsplan.view_data import last_complete_week, review_weeks
from opsplan.warehouse import Warehouse
from ui.data_view import handle_upload
from ui.i18n import t

App = Callable[..., AppTest]
PENDING = "data_pending_upload"  # pages/data.py's queue of uploads (AppTest cannot drive st.file_uploader)
PENDING_QUERY = "data_pending_query"  # … and of a database query (a form submit under st.navigation loses its
# trigger in AppTest; the form itself is driven in a real browser by tests/e2e/test_browser.py)

BAD_SPEND = (
    "date,channel,campaign_id,spend,impressions,clicks\n"
    "2026-01-14,douyin,c1,100,1000,10\n"
    "2026-01-14,xiaohongshu,c2,-5,1000,10\n"  # line 3: negative spend
)


def _ok(at: AppTest) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == []


def _row(markdown: str, first_cell: str) -> list[str]:
    """The cells of the Markdown table row that starts with ``first_cell``."""
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in:\n{markdown}")


def _report(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_weeks_of_the_data_and_the_last_complete_one() -> None:
    first, through = dt.date(2026, 1, 5), dt.date(2026, 1, 13)
    assert review_weeks(first, through) == ["2026-W03", "2026-W02"]
    assert last_complete_week(first, through) == "2026-W02"  # Sun 01-11 is the last Sunday the data reaches
    assert last_complete_week(first, dt.date(2026, 1, 11)) == "2026-W02"  # a Sunday closes its own week
    assert last_complete_week(dt.date(2026, 1, 6), through) == "2026-W03"  # no whole week: the newest
    assert review_weeks(dt.date(2026, 12, 30), dt.date(2027, 1, 4)) == ["2027-W01", "2026-W53"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_shows_the_numbers_of_the_last_complete_week(app: App, lang: str) -> None:
    at = app("pages/review.py", lang=lang)
    _ok(at)
    assert at.title[0].value == t("page_review", lang)
    assert at.selectbox(key="week").value == "2026-W02"
    assert at.selectbox(key="week").options == ["2026-W03", "2026-W02"]
    text = _report(at)
    assert "2026-W02" in text and "2026-01-05 – 2026-01-11" in text

    def this_week(name: str) -> str:
        return _row(text, get_metric(name).label(lang))[1]

    assert this_week("new_users") == "6"  # 2 + 3 + 0 + 1 + 0 + 0 + 0
    assert this_week("wau") == "6"  # u1..u6 were active (u7 signs up on 01-12)
    assert this_week("revenue") == "¥180.00"  # 30 + 30 + 150 - 30 (u1's refund on 01-08)
    assert this_week("spend") == "¥460.00"  # 100 + 180 + 80 + 50 + 50
    assert this_week("cac") == "¥115.00"  # 460 / 4 paid-channel signups (u1, u2, u3, u6)
    assert this_week("paying_users") == "2"  # u1 and u3
    assert this_week("arpu") == "¥30.00"  # 180 / 6 active users
    assert _row(text, get_metric("new_users").label(lang))[2] == "—"  # W01 is outside the data: no value, not 0
    # the channel table: douyin/c1 spent 100 + 100 + 50 + 50 and signed up u1, u2, u6
    douyin = _row(text, "douyin") if "| douyin |" in text else _row(text, "抖音" if lang == "zh" else "Douyin")
    assert douyin[1:4] == ["¥300.00", "3", "¥100.00"]
    assert len(at.get("download_button")) == 2
    assert not at.caption or all(t("review_partial", lang, through="")[:8] not in c.value for c in at.caption)


def test_review_of_the_running_week_says_it_is_not_over(app: App) -> None:
    at = app("pages/review.py", lang="en")
    at.selectbox(key="week").set_value("2026-W03").run()
    _ok(at)
    text = _report(at)
    assert _row(text, get_metric("new_users").label("en"))[1] == "1"  # u7 on 01-12
    assert _row(text, get_metric("revenue").label("en"))[1] == "¥20.00"  # u6 pays 20 on 01-13
    assert _row(text, get_metric("spend").label("en"))[1] == "¥50.00"  # 40 + 10
    assert any(t("review_partial", "en", through="2026-01-13") == c.value for c in at.caption)


def test_the_upload_handler_refuses_a_bad_file_with_row_and_column(app: App) -> None:
    app("pages/data.py")  # the app's own copy of the fixture warehouse
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before = row_counts(wh)
    outcome = handle_upload(wh, "ad_spend", "投放数据.csv", BAD_SPEND.encode("gbk"))
    assert not outcome.ok
    assert {(p["source"], p["rows"], p["column"]) for p in outcome.problems} == {("投放数据.csv", "3", "spend")}
    assert row_counts(wh) == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_shows_a_refused_upload_and_writes_nothing(app: App, lang: str) -> None:
    at = app("pages/data.py", lang=lang)
    _ok(at)
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before = row_counts(wh)
    at.session_state[PENDING] = ("ad_spend", [("投放数据.csv", BAD_SPEND.encode("gbk"))])
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("data_refused", lang, source="投放数据.csv")]
    assert ("nothing was written" if lang == "en" else "仓库没有任何改动") in at.error[0].value
    problems = at.dataframe[0].value
    file_, row, column = ("文件", "行", "列") if lang == "zh" else ("File", "Row(s)", "Column")
    assert problems[[file_, row, column]].values.tolist() == [["投放数据.csv", "3", "spend"]]
    assert row_counts(wh) == before
    assert PENDING not in at.session_state  # handled once, not again on the next rerun


def test_the_data_page_loads_a_good_upload_and_shows_the_new_rows(app: App) -> None:
    at = app("pages/data.py", lang="en")
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    good = "date,channel,campaign_id,spend,impressions,clicks\n2026-01-14,douyin,c1,30,3000,30\n"
    at.session_state[PENDING] = ("ad_spend", [("spend.csv", good.encode("utf-8-sig"))])
    at.run()
    _ok(at)
    assert [s.value for s in at.success] == [t("data_loaded", "en", table="ad_spend", read=1, stored=1)]
    assert row_counts(wh)["ad_spend"] == 9  # the fixture's 8 rows + this one
    freshness = at.dataframe[0].value.set_index("table")  # drawn after the load: the new day is there
    assert freshness.loc["ad_spend", "rows"] == 9 and freshness.loc["ad_spend", "latest day"] == dt.date(2026, 1, 14)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_shows_freshness_history_and_the_glossary(app: App, lang: str) -> None:
    at = app("pages/data.py", lang=lang)
    _ok(at)
    assert at.title[0].value == t("page_data", lang)
    table, rows, latest = ("表", "行数", "最新日期") if lang == "zh" else ("table", "rows", "latest day")
    freshness = at.dataframe[0].value.set_index(table)
    assert freshness.loc["users", rows] == 7 and freshness.loc["orders", rows] == 6
    assert freshness.loc["ad_spend", latest] == dt.date(2026, 1, 13)
    history = at.dataframe[1].value
    assert len(history) == 5  # one load per table of the fixture
    glossary = at.dataframe[2].value.set_index("指标" if lang == "zh" else "metric")
    d1 = glossary.loc["retention_d1"]
    zh, en = ("中文名", "英文名") if lang == "zh" else ("Chinese label", "English label")
    assert (d1[zh], d1[en]) == (get_metric("retention_d1").label("zh"), get_metric("retention_d1").label("en"))


def _query(at: AppTest, table: str, url: str, query: str) -> AppTest:
    """What the Data page's database form queues on submit, then the run that loads it."""
    at.session_state[PENDING_QUERY] = (table, url, query)
    return at.run()


def test_a_database_import_is_checked_like_a_file_and_never_shows_the_password(app: App, tmp_path: Path) -> None:
    import sqlite3

    team = tmp_path / "team.db"
    with sqlite3.connect(team) as con:
        con.execute(
            "CREATE TABLE s (date TEXT, channel TEXT, campaign_id TEXT, spend REAL, impressions INT, clicks INT)"
        )
        con.execute(
            "INSERT INTO s VALUES ('2026-01-14', 'douyin', 'c1', 30, 3000, 30), ('2026-01-14', 'kol', NULL, -1, 9, 1)"
        )
    at = app("pages/data.py", lang="en")
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before = row_counts(wh)
    at = _query(at, "ad_spend", f"sqlite:///{team}", "SELECT * FROM s")
    assert not at.exception and len(at.error) == 1 and "nothing was written" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems[["Row(s)", "Column"]].values.tolist() == [["2", "spend"]]  # the query's second row
    assert row_counts(wh) == before

    at = _query(at, "ad_spend", "postgresql+psycopg://ops:s3cret@127.0.0.1:1/team", "SELECT 1")
    assert not at.exception and "postgresql+psycopg://ops:***@127.0.0.1:1/team" in at.error[0].value
    shown = [e.value for e in at.error] + at.dataframe[0].value.astype(str).values.ravel().tolist()
    assert not any("s3cret" in text for text in shown)
    assert row_counts(wh) == before

    at = _query(at, "ad_spend", f"sqlite:///{team}", "SELECT * FROM s WHERE spend > 0")
    assert [s.value for s in at.success] == [t("data_loaded", "en", table="ad_spend", read=1, stored=1)]
    assert row_counts(wh)["ad_spend"] == before["ad_spend"] + 1
