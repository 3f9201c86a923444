"""The Weekly review and Data pages under AppTest on the hand-computed fixture (tests/views/fixture_data.py:
data 2026-01-05 .. 01-13, Asia/Shanghai) and the fixture plan. ISO week 2026-W02 is Mon 01-05 .. Sun 01-11;
01-13 is a Tuesday, so W02 is the last complete week and W03 (01-12, 01-13) is still running.

Daily series of the fixture (tests/ui/test_pages.py spells them out): new users 2, 3, 0, 1, 0, 0, 0 | 1, 0 ·
revenue 30, 30, 150, -30, 0, 0, 0 | 0, 20 · spend 100, 180, 80, 50, 50, 0, 0 | 40, 10 (the bar splits W02 | W03).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.metrics.registry import get_metric
from opsplan.screens.review import last_complete_week, review_weeks
from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from tests.test_sql_import import PG_URL, SECRET, reachable, scratch_name, with_password
from tests.ui.conftest import APP
from tests.ui.test_review_screen import html_row, shown_html
from ui.auth import hash_password
from ui.data_view import handle_upload

App = Callable[..., AppTest]
PENDING = "data_pending_upload"  # pages/data.py's queue of uploads (AppTest cannot drive st.file_uploader)
PENDING_QUERY = "data_pending_query"  # … and of a database import: (table, connection name, saved query, typed
# SELECT); a form submit under st.navigation loses its trigger in AppTest

BAD_SPEND = (
    "date,channel,campaign_id,spend,impressions,clicks\n"
    "2026-01-14,douyin,c1,100,1000,10\n"
    "2026-01-14,xiaohongshu,c2,-5,1000,10\n"  # line 3: negative spend
)


def _ok(at: AppTest) -> None:
    assert not at.exception
    assert [e.value for e in at.error] == []


def _row(page: str, first_cell: str) -> list[str]:
    """The cells of the report's table row that starts with ``first_cell`` (the review shows its HTML)."""
    return html_row(page, first_cell)


def _report(at: AppTest) -> str:
    return shown_html(at)


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
    assert at.title[0].value == t("nav.review", lang)
    assert at.selectbox(key="week").value == "2026-W02"
    # the picker shows each week's days: W03 runs 01-12 .. 01-18, W02 01-05 .. 01-11
    assert at.selectbox(key="week").options == (
        ["2026-W03（01-12 – 01-18）", "2026-W02（01-05 – 01-11）"]
        if lang == "zh"
        else ["2026-W03 (01-12 – 01-18)", "2026-W02 (01-05 – 01-11)"]
    )
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
    douyin = _row(text, "douyin") if "<td>douyin</td>" in text else _row(text, "抖音" if lang == "zh" else "Douyin")
    assert douyin[1:4] == ["¥300.00", "3", "¥100.00"]
    assert len(at.get("download_button")) == 2
    assert not at.caption or all(t("review.partial", lang, through="")[:8] not in c.value for c in at.caption)


def test_review_of_the_running_week_says_it_is_not_over(app: App) -> None:
    at = app("pages/review.py", lang="en")
    at.selectbox(key="week").set_value("2026-W03").run()
    _ok(at)
    text = _report(at)
    assert _row(text, get_metric("new_users").label("en"))[1] == "1"  # u7 on 01-12
    assert _row(text, get_metric("revenue").label("en"))[1] == "¥20.00"  # u6 pays 20 on 01-13
    assert _row(text, get_metric("spend").label("en"))[1] == "¥50.00"  # 40 + 10
    assert any(t("review.partial", "en", through="2026-01-13") == c.value for c in at.caption)


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
    assert [e.value for e in at.error] == [t("data.refused", lang, source="投放数据.csv")]
    assert ("nothing was written" if lang == "en" else "仓库没有任何改动") in at.error[0].value
    problems = at.dataframe[0].value
    file_, row, column = ("文件", "行", "列") if lang == "zh" else ("File", "Row(s)", "Column")
    assert problems[[file_, row, column]].values.tolist() == [["投放数据.csv", "3", "spend"]]
    why = problems.iloc[0, 3]  # the reason in the page's language (the engine's words), never the other one
    assert ("负" in why) if lang == "zh" else ("negative" in why and not re.search(r"[\u4e00-\u9fff]", why)), why
    assert row_counts(wh) == before
    assert PENDING not in at.session_state  # handled once, not again on the next rerun


def test_the_data_page_loads_a_good_upload_and_shows_the_new_rows(app: App) -> None:
    at = app("pages/data.py", lang="en")
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    good = "date,channel,campaign_id,spend,impressions,clicks\n2026-01-14,douyin,c1,30,3000,30\n"
    at.session_state[PENDING] = ("ad_spend", [("spend.csv", good.encode("utf-8-sig"))])
    at.run()
    _ok(at)
    assert [s.value for s in at.success] == [t("data.loaded", "en", table="Ad spend", read="1", stored="1")]
    assert row_counts(wh)["ad_spend"] == 9  # the fixture's 8 rows + this one
    freshness = at.dataframe[0].value.set_index("table")  # drawn after the load: the new day is there
    assert freshness.loc["Ad spend", "rows"] == "9" and freshness.loc["Ad spend", "latest day"] == "2026-01-14"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_data_page_shows_freshness_history_and_the_glossary(app: App, lang: str) -> None:
    at = app("pages/data.py", lang=lang)
    _ok(at)
    assert at.title[0].value == t("nav.data", lang)
    table, rows, latest = ("表", "行数", "最新日期") if lang == "zh" else ("table", "rows", "latest day")
    users, orders, ad_spend = (t(f"table.{x}", lang) for x in ("users", "orders", "ad_spend"))  # tables by their labels
    freshness = at.dataframe[0].value.set_index(table)
    assert freshness.loc[users, rows] == "7" and freshness.loc[orders, rows] == "6"  # counts as fmt shows them
    assert freshness.loc[ad_spend, latest] == "2026-01-13"
    history = at.dataframe[1].value
    assert len(history) == 5  # one load per table of the fixture
    glossary = at.dataframe[2].value.set_index("指标" if lang == "zh" else "metric")
    d1 = glossary.loc["retention_d1"]
    zh, en = ("中文名", "英文名") if lang == "zh" else ("Chinese label", "English label")
    assert (d1[zh], d1[en]) == (get_metric("retention_d1").label("zh"), get_metric("retention_d1").label("en"))


# --- the database import (SQL tab): a connection the admin named, never a URL ----------------------------------


#: the dashboard's login in the test secrets (the page tests sign in through session state)
LOGIN_HASH = hash_password("运营-2026", salt=b"0123456789abcdef", iterations=1000)


def _secrets_toml(folder: Path, url: str, schema: str = "opsplan_nowhere") -> Path:
    """A .streamlit/secrets.toml as the admin writes it: the dashboard's login, a PostgreSQL connection with a
    password and a saved query, one whose server does not answer, and a SQLite one (refused: it reads a file)."""
    path = folder / ".streamlit" / "secrets.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = "date, channel, campaign_id, spend, impressions, clicks"
    path.write_text(
        f"""
opsplan_password_hash = "{LOGIN_HASH}"

[connections.team]
url = "{url}"
max_rows = 100
timeout_seconds = 10

[connections.team.queries]
spend = "SELECT {columns} FROM {schema}.spend WHERE spend >= 0 ORDER BY campaign_id"

[connections.down]
url = "postgresql+psycopg://ops:{SECRET}@127.0.0.1:1/team"

[connections.files]
url = "sqlite:///{folder}/team.db"
""",
        encoding="utf-8",
    )
    return path


def _data_page(app: App, secrets: Path | None, lang: str = "en") -> AppTest:
    """The Data page with the Streamlit secrets of ``secrets``: AppTest replaces st.secrets with ``at.secrets``
    (a dict), so the file is read the way Streamlit reads it (TOML) and handed over."""
    app("pages/today.py")  # the fixture warehouse and plan in the environment
    at = AppTest.from_file(str(APP), default_timeout=60)
    if secrets is not None:
        with open(secrets, "rb") as fh:
            for key, value in tomllib.load(fh).items():
                at.secrets[key] = value
    at.session_state["lang"] = lang
    at.session_state["_authenticated"] = True  # signed in with the secrets' password (ui.auth)
    at.run()
    at.switch_page("pages/data.py")
    return at.run()


def _query(at: AppTest, table: str, connection: str, saved: str = "", sql: str = "") -> AppTest:
    """What the Data page's database form queues on submit (no URL: a connection's name), then the run that
    loads it."""
    at.session_state[PENDING_QUERY] = (table, connection, saved, sql)
    return at.run()


def _shown(at: AppTest) -> str:
    """Every text the page shows: messages, labels, options, code, text fields and tables."""
    kinds = ("title", "markdown", "caption", "info", "warning", "error", "success", "code", "exception")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [f"{s.label} {s.help} {' '.join(map(str, s.options))}" for s in at.selectbox]
    parts += [f"{w.label} {w.value}" for w in [*at.text_area, *at.text_input]]
    parts += [d.value.astype(str).to_csv() for d in at.dataframe]
    return "\n".join(parts)


@pytest.fixture
def team_pg() -> Iterator[str]:
    """A scratch schema on the local PostgreSQL with ad spend rows (one negative); skipped with one line when the
    server is down (failed under CI=true)."""
    engine = reachable("PostgreSQL", PG_URL)
    schema = scratch_name()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.spend (date date, channel text, campaign_id text, "
            f"spend numeric(12, 2), impressions int, clicks int); CREATE SEQUENCE {schema}.seq"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {schema}.spend VALUES ('2026-01-14', 'douyin', 'c1', 30, 3000, 30), "
            "('2026-01-14', 'kol', 'k9', -1, 9, 1)"
        )
    yield schema
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    engine.dispose()


def _team_rows(schema: str) -> int:
    engine = reachable("PostgreSQL", PG_URL)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(f"SELECT count(*) FROM {schema}.spend").scalar() or 0)
    finally:
        engine.dispose()


def test_the_data_page_offers_database_connections_by_name_only(app: App, tmp_path: Path) -> None:
    secrets = _secrets_toml(tmp_path, with_password(PG_URL, SECRET))
    at = _data_page(app, secrets)
    assert not at.exception
    assert at.selectbox(key="sql_connection").options == ["team", "down"]
    assert at.selectbox(key="sql_saved").options == ["spend", t("data.typed_query", "en")]
    assert len(at.text_input) == 0  # nowhere to type a URL
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("Connection files cannot be used: sqlite reads a local file")
    assert any(c.value.startswith("SELECT date, channel") for c in at.code)  # the saved query, as the admin wrote it
    assert any("at most 100 rows and 10 s" in c.value for c in at.caption)
    shown = _shown(at)
    assert SECRET not in shown and "127.0.0.1" not in shown and "postgresql" not in shown
    assert not (tmp_path / "team.db").exists()
    at.selectbox(key="sql_saved").set_value("").run()  # a typed SELECT instead
    assert [a.label for a in at.text_area] == [t("data.query", "en")]


def test_without_connections_the_data_page_says_how_an_admin_adds_one(app: App, tmp_path: Path) -> None:
    empty = tmp_path / "secrets.toml"
    empty.write_text(f'opsplan_password_hash = "{LOGIN_HASH}"\n', encoding="utf-8")
    at = _data_page(app, empty, lang="zh")
    assert not at.exception
    assert [i.value for i in at.info] == [t("data.no_connections", "zh")]
    assert all(s.key != "sql_connection" for s in at.selectbox)


@pytest.mark.pg
def test_a_saved_query_by_name_loads_through_the_data_page(app: App, tmp_path: Path, team_pg: str) -> None:
    secrets = _secrets_toml(tmp_path, with_password(PG_URL, SECRET), team_pg)
    at = _data_page(app, secrets)
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before = row_counts(wh)
    at = _query(at, "ad_spend", "team", saved="spend")
    _ok(at)
    assert [s.value for s in at.success] == [t("data.loaded", "en", table="Ad spend", read="1", stored="1")]
    assert row_counts(wh)["ad_spend"] == before["ad_spend"] + 1
    history = at.dataframe[1].value  # freshness, then the load history (newest first)
    assert history["source"].iloc[0] == "connection team [query spend]"
    shown = _shown(at)
    assert "connection team [query spend]" in shown
    assert SECRET not in shown and "127.0.0.1" not in shown and "postgresql" not in shown
    assert PENDING_QUERY not in at.session_state


@pytest.mark.pg
def test_a_refused_database_import_says_why_and_never_shows_the_password(
    app: App, tmp_path: Path, team_pg: str
) -> None:
    secrets = _secrets_toml(tmp_path, with_password(PG_URL, SECRET), team_pg)
    at = _data_page(app, secrets)
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before = row_counts(wh)

    def refused(connection: str, why: str, sql: str = "", saved: str = "") -> list[list[str]]:
        page = _query(at, "ad_spend", connection, saved=saved, sql=sql)
        assert not page.exception
        assert [e.value for e in page.error] == [t("data.refused", "en", source=f"connection {connection}")]
        problems = page.dataframe[0].value
        assert any(why in p for p in problems["Why"]), problems["Why"].tolist()
        shown = _shown(page)
        assert SECRET not in shown and "127.0.0.1" not in shown, shown
        assert row_counts(wh) == before
        return problems[["Row(s)", "Column"]].values.tolist()

    refused("team", "not DELETE", sql=f"DELETE FROM {team_pg}.spend")
    refused("team", "2 statements", sql=f"SELECT 1; DROP TABLE {team_pg}.spend")
    refused("team", "pg_read_file() may not be called", sql="SELECT pg_read_file('/etc/hostname')")
    refused("team", "read-only transaction", sql=f"SELECT nextval('{team_pg}.seq')")
    refused("team", 'relation "opsplan_nowhere.t" does not exist', sql="SELECT * FROM opsplan_nowhere.t")
    # checked like a file: the query's second row has a negative spend
    assert refused("team", "must not be negative", sql=f"SELECT * FROM {team_pg}.spend ORDER BY spend DESC") == [
        ["2", "spend"]
    ]
    refused("team", "no saved query 'orders'", saved="orders")
    refused("down", "cannot connect to the database (the server log says why)", sql="SELECT 1")
    refused("files", "sqlite reads a local file", sql="SELECT 1")
    refused("nope", "no connection named 'nope'", sql="SELECT 1")
    assert _team_rows(team_pg) == 2  # the team's database as it was
    assert not (tmp_path / "team.db").exists()
