"""Words of loading and freshness: refusal reasons, stale-data notices, partial periods."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # the freshness notice (opsplan.store.freshness.Freshness.message); dates and counts come formatted
    "freshness.no_data": (
        "仓库里还没有数据（预期数据截至 {expected}）：先导入数据，今天才有可判断的依据。",
        "The warehouse holds no data yet (expected through {expected}): load data before trusting any verdict.",
    ),
    "freshness.stale": (
        "数据截至 {through}，比预期的 {expected} 晚 {days} 天：今天的判断基于旧数据。",
        "Data runs to {through}, {days} days behind the expected {expected}: today's verdicts rest on old data.",
    ),
    "freshness.stale_one_day": (
        "数据截至 {through}，比预期的 {expected} 晚 {days} 天：今天的判断基于旧数据。",
        "Data runs to {through}, {days} day behind the expected {expected}: today's verdicts rest on old data.",
    ),
    "freshness.current": (
        "数据截至 {through}，是最新的（预期 {expected}）。",
        "Data runs to {through}, current (expected {expected}).",
    ),
    "freshness.failed": (
        "最近一次导入失败（{table}，{when}，原因：{reason}）",
        "The last load failed ({table}, {when}, reason: {reason})",
    ),
    "freshness.failed.kept_data": (
        "：看板显示的是上一次成功导入的数据。",
        ": the dashboard shows the data of the last successful load.",
    ),
    "freshness.failed.no_data": ("。", "."),
    "freshness.separator": ("", " "),
    # a period the data covers only in part (opsplan.metrics.periods.Coverage)
    "period.days_covered": ("{days}/{total} 天", "{days} of {total} days"),
    "period.partial": ("{period}（部分：{covered}）", "{period} (partial: {covered})"),
}
