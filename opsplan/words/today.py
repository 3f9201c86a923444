"""Words of Today page (one screen: needs attention, KPI cards with target / pace / stop-loss) and of the
"why did it move" waterfall (``opsplan.charts.why``)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # the waterfall of a change (opsplan.charts.why)
    "why.chart.before": ("之前", "Before"),
    "why.chart.after": ("之后", "After"),
    "why.chart.others": ("其他", "Others"),
    "why.chart.mix": ("{part} · 占比", "{part} · share"),
    "why.chart.rate": ("{part} · 自身", "{part} · own value"),
    "why.chart.step": ("项目", "Step"),
    "why.chart.change": ("变化", "Change"),
    "why.chart.level": ("累计到", "Running level"),
}
