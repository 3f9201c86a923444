"""Altair chart builders shared by the report and the pages: titles and formats from the registry,
one colour per channel everywhere. Altair is imported inside the builders (CLI start-up stays fast).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from opsplan.metrics import METRICS, Unit, get_metric

if TYPE_CHECKING:
    import altair as alt

#: a stable colour per channel (the demo's channels first; others cycle through the rest)
CHANNEL_COLORS = {
    "douyin": "#111827",
    "xiaohongshu": "#e11d48",
    "wechat_moments": "#16a34a",
    "zhihu": "#2563eb",
    "bilibili": "#0ea5e9",
    "baidu_sem": "#7c3aed",
    "kol": "#f59e0b",
    "referral": "#14b8a6",
    "organic": "#9ca3af",
}
_EXTRA = ["#a16207", "#be185d", "#4d7c0f", "#1d4ed8", "#c2410c", "#0f766e", "#6d28d9", "#b91c1c"]


def channel_scale(channels: list[str]) -> dict[str, list[str]]:
    """Vega-Lite scale domain/range that gives each channel its colour on every chart."""
    extra = iter(_EXTRA * 4)
    colors = [CHANNEL_COLORS.get(c) or next(extra) for c in channels]
    return {"domain": list(channels), "range": colors}


def axis_format(metric: str) -> str:
    unit = get_metric(metric).unit
    return {Unit.PERCENT: ".0%", Unit.CURRENCY: ",.0f", Unit.RATIO: ".2f"}.get(unit, ",.0f")


def trend_chart(
    frame: pd.DataFrame, metric: str, lang: str = "zh", by: str | None = None, target: float | None = None
) -> alt.Chart:
    """A daily line of ``metric`` (one line per channel when ``by``), with an optional target rule."""
    import altair as alt

    m = get_metric(metric)
    frame = frame.assign(date=pd.to_datetime(frame["date"]))
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d"))
    y = alt.Y(f"{metric}:Q", title=m.label(lang), axis=alt.Axis(format=axis_format(metric)))
    tips = [
        alt.Tooltip("date:T", title="日期" if lang == "zh" else "date"),
        alt.Tooltip(f"{metric}:Q", title=m.label(lang), format=axis_format(metric)),
    ]
    enc: dict[str, object] = {"x": x, "y": y, "tooltip": tips}
    if by:
        channels = sorted(frame[by].dropna().unique().tolist())
        enc["color"] = alt.Color(f"{by}:N", scale=alt.Scale(**channel_scale(channels)), title=None)
    line = alt.Chart(frame).mark_line(point=True, strokeWidth=2).encode(**enc)
    chart: alt.Chart | alt.LayerChart = line
    if target is not None:
        rule = (
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(strokeDash=[6, 4], color="#dc2626")
            .encode(y="target:Q")
        )
        chart = alt.layer(line, rule)
    return chart.properties(title=m.label(lang), width=560, height=220)


def bar_chart(
    frame: pd.DataFrame, metric: str, category: str, lang: str = "zh", reference: float | None = None
) -> alt.Chart:
    """Horizontal bars of ``metric`` per ``category`` (a channel table), optional reference line (ROI 1.0)."""
    import altair as alt

    m = get_metric(metric)
    channels = frame[category].astype(str).tolist()
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None),
            x=alt.X(f"{metric}:Q", title=m.label(lang), axis=alt.Axis(format=axis_format(metric))),
            color=alt.Color(f"{category}:N", scale=alt.Scale(**channel_scale(channels)), legend=None),
            tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{metric}:Q", format=axis_format(metric))],
        )
    )
    chart: alt.Chart | alt.LayerChart = bars
    if reference is not None:
        chart = alt.layer(
            bars,
            alt.Chart(pd.DataFrame({"ref": [reference]}))
            .mark_rule(color="#dc2626", strokeDash=[6, 4])
            .encode(x="ref:Q"),
        )
    return chart.properties(title=m.label(lang), width=560, height=max(120, 26 * len(channels)))


def pace_chart(series: pd.DataFrame, metric: str, lang: str = "zh") -> alt.Chart:
    """A target's actual line against its expected-pace line and the target (from TargetResult.series)."""
    import altair as alt

    m = METRICS.get(metric)
    names = {
        "actual": "实际" if lang == "zh" else "actual",
        "expected": "进度线" if lang == "zh" else "pace",
        "target": "目标" if lang == "zh" else "target",
    }
    series = series.assign(date=pd.to_datetime(series["date"]))
    long = series.melt(id_vars="date", value_vars=["actual", "expected", "target"], var_name="line")
    long["line"] = long["line"].map(names)
    return (
        alt.Chart(long.dropna())
        .mark_line()
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d")),
            y=alt.Y("value:Q", title=m.label(lang) if m else metric),
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=["#2563eb", "#9ca3af", "#dc2626"]),
            ),
            strokeDash=alt.StrokeDash(
                "line:N", legend=None, scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [4, 4], [6, 3]])
            ),
            tooltip=["date:T", "line:N", alt.Tooltip("value:Q", format=",.4~f")],
        )
        .properties(title=m.label(lang) if m else metric, width=560, height=200)
    )


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to inline SVG offline (vl-convert), for the self-contained HTML report."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())
