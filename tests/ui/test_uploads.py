"""The Data page's loader: a bad upload is refused with file, row and column, and nothing is written; a good
one lands. (The page itself is driven through a real file chooser in tests/e2e/test_browser.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

from opsplan.store.loading import row_counts
from opsplan.store.warehouse import Warehouse
from ui.uploads import load_upload, problems_frame

BAD_SPEND = (
    "date,channel,campaign_id,spend,impressions,clicks\n"
    "2026-01-14,抖音,c1,100,1000,10\n"
    "2026-01-14,小红书,c2,-5,1000,10\n"  # data row 2, line 3: negative spend
    "2026-01-15,抖音,c1,100,1000,2000\n"  # line 4: clicks > impressions
)


def _copy(wh: Warehouse, tmp_path: Path) -> Warehouse:
    db = tmp_path / "w.duckdb"
    shutil.copyfile(wh.path, db)
    return Warehouse(db)


def test_a_bad_upload_is_refused_with_row_and_column_and_changes_nothing(
    _ui_fixture: Warehouse, tmp_path: Path
) -> None:
    wh = _copy(_ui_fixture, tmp_path)
    before = row_counts(wh)
    outcome = load_upload(wh, "ad_spend", "投放数据.csv", BAD_SPEND.encode("gbk"))
    assert not outcome.ok and row_counts(wh) == before
    problems = {(p["source"], p["rows"], p["column"]) for p in outcome.problems}
    assert ("投放数据.csv", "3", "spend") in problems
    assert any(p["rows"] == "4" and "clicks" in p["column"] for p in outcome.problems)
    shown = problems_frame(outcome, "zh")
    assert list(shown.columns) == ["文件", "行", "列", "原因"] and len(shown) == len(outcome.problems)


def test_a_good_upload_lands_and_says_how_many_rows(_ui_fixture: Warehouse, tmp_path: Path) -> None:
    wh = _copy(_ui_fixture, tmp_path)
    good = "date,channel,campaign_id,spend,impressions,clicks\n2026-01-14,douyin,c1,30,3000,30\n"
    outcome = load_upload(wh, "ad_spend", "spend.csv", good.encode("utf-8-sig"))
    assert outcome.ok and outcome.result is not None
    assert (outcome.result.rows_in, outcome.result.rows_stored) == (1, 1)
    assert row_counts(wh)["ad_spend"] == 9
