"""Today says when its data is old or the last load failed, on the fixture warehouse (data through 2026-01-13,
Asia/Shanghai) with the clock pinned by $OPSPLAN_NOW: the expected day is yesterday in the warehouse's zone."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opsplan.store.loading import LoadError, load, row_counts
from opsplan.store.warehouse import Warehouse
from tests.builders import write_csv

App = Callable[..., AppTest]


def notices(at: AppTest) -> list[str]:
    return [w.value.replace("\\", "") for w in at.warning]  # the notice escapes Markdown


def test_current_data_has_no_notice(app: App) -> None:
    at = app("pages/today.py")  # 2026-01-14 09:00 in Shanghai: 01-13 is the expected day, and the data's last
    assert not at.exception
    assert not [n for n in notices(at) if "数据截至" in n or "导入失败" in n]
    assert [s.value for s in at.success] == ["没有触发或观察中的止损规则。"]  # current data: a real all-clear


def test_stale_data_is_said_with_how_far_behind(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSPLAN_NOW", "2026-01-20T09:00:00+08:00")
    at = app("pages/today.py")
    assert not at.exception
    assert "数据截至 2026-01-13，比预期的 2026-01-19 晚 6 天：今天的判断基于旧数据。" in notices(at)
    # no all-clear on old data: "no flag" is said as information about the day the data reaches
    assert not at.success
    assert "没有触发或观察中的止损规则。 （仅就截至 2026-01-13 的数据而言）" in [i.value for i in at.info]
    at = app("pages/today.py", lang="en")
    assert "Data runs to 2026-01-13, 6 days behind the expected 2026-01-19: today's verdicts rest on old data." in (
        notices(at)
    )


def test_the_day_boundary_is_the_warehouse_zone(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    # 2026-01-14 23:30 UTC is already 01-15 07:30 in Shanghai: 01-14 is expected, the data is a day behind
    monkeypatch.setenv("OPSPLAN_NOW", "2026-01-14T23:30:00+00:00")
    at = app("pages/today.py")
    assert "数据截至 2026-01-13，比预期的 2026-01-14 晚 1 天：今天的判断基于旧数据。" in notices(at)


def test_a_failed_load_is_said_and_changes_nothing(app: App, tmp_path: Path) -> None:
    wh = Warehouse(Path(os.environ["OPSPLAN_DB"]))
    before, data = row_counts(wh), wh.path.read_bytes()
    bad = write_csv(tmp_path / "events.csv", ("user_id", "event_at", "event_name"), [("u1", "not a time", "x")])
    with pytest.raises(LoadError):
        load(wh, "events", [bad])
    assert row_counts(wh) == before and wh.path.read_bytes() == data  # refused: the warehouse is unchanged
    at = app("pages/today.py")
    assert not at.exception
    (notice,) = [n for n in notices(at) if "导入失败" in n]
    assert notice.startswith("最近一次导入失败（events，")
    assert "events.csv" in notice and notice.endswith("：看板显示的是上一次成功导入的数据。")
