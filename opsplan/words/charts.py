"""Words of the charts: axis titles, legends, tooltips."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # a target's pace chart (opsplan.charts.goals): its three lines
    "chart.pace_actual": ("实际", "actual"),
    "chart.pace_expected": ("进度线", "pace"),
    "chart.pace_target": ("目标", "target"),
    # the day offset of a retention cell or curve point
    "chart.day_n": ("第 N 天", "Day N"),
    # between the partial periods listed under a chart ("2026-W03 2/7 天，2026-W05 3/7 天")
    "chart.period_sep": ("，", "; "),
}
