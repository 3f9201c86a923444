"""Data text is never Markdown: a campaign named like a remote image, or a plan action with Markdown in it,
shows as written and makes no viewer's browser fetch anything (the drill tables, headings, flag boxes)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.store.loading import load
from opsplan.store.warehouse import Warehouse
from tests.builders import write_csv
from ui.widgets import plain

App = Callable[..., AppTest]
EVIL = "![x](http://evil.example/x.png) **big**"


def test_plain_escapes_what_markdown_would_act_on() -> None:
    assert plain(EVIL) == r"\!\[x\]\(http\://evil\.example/x\.png\) \*\*big\*\*"
    assert plain("暂停投放，优化素材后再测试") == "暂停投放，优化素材后再测试"  # plain text is left as it is
    assert plain("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"


@pytest.fixture
def evil_campaign(app: App, tmp_path: Path) -> None:
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    rows = [("c1", "douyin", EVIL, "burst", "2026-01-05", "2026-01-12")]
    header = ("campaign_id", "channel", "name", "phase", "start_date", "end_date")
    load(wh, "campaigns", [write_csv(tmp_path / "campaigns.csv", header, rows)])


def test_a_campaign_name_is_not_rendered_as_markdown(app: App, evil_campaign: None) -> None:
    at = app("pages/channels.py", channel="douyin")
    assert not at.exception
    assert EVIL in at.dataframe[0].value["名称"].tolist()  # a table cell is text, never Markdown: shown as written
    markdown = [h.value for h in at.subheader] + [m.value for m in at.markdown] + [b.label for b in at.button]
    assert not any("](http://evil" in x for x in markdown)
    for state in ({"campaign": "c1"}, {"campaign": "c1", "drill_day": dt.date(2026, 1, 5)}):  # its days, a cohort
        at = app("pages/channels.py", channel="douyin", **state)
        assert not at.exception
        texts = [h.value for h in at.subheader] + [m.value for m in at.markdown]
        assert any(plain(EVIL) in x for x in texts)
        assert not any("](http://evil" in x for x in texts)  # no image link anywhere in the page's Markdown
