"""Retention charts of the Retention page: the cohort × day-N heatmap, the curves by channel and the D1 / D7 /
D30 trend by signup day. Rates read as percentages by ``opsplan.fmt``; a cell no user has reached stays empty."""

from __future__ import annotations

from collections.abc import Collection, Sequence

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


def heat_cells(cells: pd.DataFrame, grain: str, partial: Collection[str] = ()) -> pd.DataFrame:
    """The heatmap's frame from ``opsplan.screens.explore.retention_rates`` cells (cohort, day_offset, size,
    retained, mature, rate): ``cohort`` becomes the row label "2026-01-05 · 2" (the cohort's day and its users;
    a week cohort the data covers in part, ISO key in ``partial``, "2026-01-12* · 1")."""
    out = cells.copy()
    day = pd.to_datetime(out["cohort"])
    out["cohort"] = day.dt.strftime("%Y-%m-%d")
    if grain == "week":
        weeks = day.dt.strftime("%G-W%V")
        out["cohort"] = [c + ("*" if w in partial else "") for c, w in zip(out["cohort"], weeks, strict=True)]
    out["size"] = out["size"].astype(float)
    sizes = out[out["day_offset"] == 0].set_index("cohort")["size"]
    out["cohort"] = out["cohort"].map(lambda c: f"{c} · {fmt.count(sizes.get(c, 0))}")
    return out


def retention_heatmap(cells: pd.DataFrame, lang: str) -> alt.Chart:
    """Cohort rows × day 0..30 columns (``heat_cells``), coloured by retention; the colours spread over days
    1..30 (day 0 is near 100% for every cohort and saturates)."""
    rate = t("retention.rate", lang)
    top = cells.loc[cells["day_offset"] > 0, "rate"].max()
    top = float(top) if pd.notna(top) and top > 0 else 1.0
    return (
        alt.Chart(cells)
        .mark_rect(stroke=palette.CELL_STROKE, strokeWidth=0.5)
        .encode(
            x=alt.X(
                "day_offset:O",
                title=t("retention.offset", lang),
                axis=alt.Axis(labelAngle=0),
                scale=alt.Scale(domain=list(range(DAYS + 1))),
            ),
            y=alt.Y("cohort:O", title=t("retention.cohort", lang), sort="ascending"),
            color=alt.Color(
                "rate:Q",
                title=rate,
                scale=alt.Scale(scheme=palette.HEAT_SCHEME, domain=[0, top], clamp=True),
                legend=alt.Legend(format=fmt.axis_format(Unit.PERCENT)),
            ),
            tooltip=[
                alt.Tooltip("cohort:O", title=t("retention.cohort", lang)),
                alt.Tooltip("day_offset:O", title=t("chart.day_n", lang)),
                value_tip("rate", rate, Unit.PERCENT),
                value_tip("size", t("retention.size", lang), Unit.COUNT),
                value_tip("mature", t("retention.base", lang), Unit.COUNT),
            ],
        )
        .transform_filter("isValid(datum.rate)")  # a cell no user has reached stays empty, not 0
        .properties(height=max(160, 18 * cells["cohort"].nunique()))
    )


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
