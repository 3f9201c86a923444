"""Retention charts of the Retention page: the curves by channel and the D1 / D7 / D30 trend by signup day (the
cohort table is a table: ``opsplan.screens.retention``). Rates read as percentages by ``opsplan.fmt``; a point
no user has reached is not drawn."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from opsplan import fmt
from opsplan.charts import palette
from opsplan.charts.axes import channel_color, channel_tip, date_tip, date_x, keyed_color, value_tip, with_channel_label
from opsplan.metrics.registry import Unit, get_metric
from opsplan.words import t

#: the day offsets of the heatmap and the curves
DAYS = 30
TREND = ("retention_d1", "retention_d7", "retention_d30")


def retention_curves(points: pd.DataFrame, lang: str) -> alt.Chart:
    """One line per channel of ``opsplan.screens.explore.curve_points`` (channel, day_offset, rate, mature)."""
    rate = t("retention.rate", lang)
    points = with_channel_label(points, lang)
    return (
        alt.Chart(points)
        .mark_line(point=True)
        .encode(
            x=alt.X("day_offset:Q", title=t("retention.offset", lang), scale=alt.Scale(domain=[1, DAYS])),
            y=alt.Y("rate:Q", title=rate, axis=alt.Axis(format=fmt.axis_format(Unit.PERCENT))),
            color=channel_color(points["channel"], lang),
            tooltip=[
                channel_tip(lang),
                alt.Tooltip("day_offset:Q", title=t("chart.day_n", lang)),
                value_tip("rate", rate, Unit.PERCENT),
                value_tip("mature", t("retention.base", lang), Unit.COUNT),
            ],
        )
        .properties(height=300)
    )


def trend_frame(trend: pd.DataFrame, lang: str, names: Sequence[str] = TREND) -> pd.DataFrame:
    """cohort (a timestamp), metric (the rate's label in ``lang``), rate: one row per cohort and matured rate."""
    long = trend.melt(id_vars=["cohort"], value_vars=list(names), var_name="metric", value_name="rate").dropna()
    long["metric"] = long["metric"].map(lambda n: get_metric(n).label(lang))
    long["cohort"] = pd.to_datetime(long["cohort"])
    return long


def retention_trend(trend: pd.DataFrame, lang: str, names: Sequence[str] = TREND) -> alt.Chart:
    """The retention rates ``names`` by signup day, from a rollup frame at cohort grain (cohort + the rates)."""
    rate = t("retention.rate", lang)
    labels = {n: get_metric(n).label(lang) for n in names}
    return (
        alt.Chart(trend_frame(trend, lang, names))
        .mark_line(point=True)
        .encode(
            x=date_x("cohort", t("retention.cohort", lang)),
            y=alt.Y("rate:Q", title=rate, axis=alt.Axis(format=fmt.axis_format(Unit.PERCENT))),
            color=keyed_color("metric", labels, palette.RETENTION_COLORS, None),
            tooltip=[
                alt.Tooltip("metric:N", title=rate),
                date_tip("cohort", t("retention.cohort", lang)),
                value_tip("rate", None, Unit.PERCENT),
            ],
        )
        .properties(height=300)
    )
