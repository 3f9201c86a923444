"""A warehouse that refuses to be read (a write-ahead log left beside it by another program) shows a plain refusal
on every page, not numbers that may be missing rows and not the generic error; nothing is written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

App = Callable[..., AppTest]


@pytest.mark.parametrize("page", ["pages/today.py", "pages/channels.py", "pages/data.py"])
def test_a_wal_beside_the_warehouse_is_a_refusal_on_the_page(app: App, page: str) -> None:
    db = Path(os.environ["OPSPLAN_DB"])
    wal = db.with_name(db.name + ".wal")
    wal.write_bytes(b"left by another process")
    before = db.read_bytes()
    at = app(page)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "数据仓库现在不能读取（例如旁边有另一个程序留下的写入日志，或文件已损坏），"
        "为了不显示可能缺数据的数字，看板暂停读取。"
        "请管理员查看服务器日志中的原因和处理步骤，或运行 `opsplan status`。"
    ]
    assert not at.metric and not at.dataframe  # no number at all
    assert db.read_bytes() == before and wal.read_bytes() == b"left by another process"
