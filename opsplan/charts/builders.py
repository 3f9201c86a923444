"""Altair chart builders shared by the report and the pages: titles and formats from the registry,
one colour per channel everywhere. Altair is imported inside the builders (CLI start-up stays fast).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from opsplan import fmt
from opsplan.metrics.registry import METRICS, Unit, get_metric

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


def unit_axis_format(unit: Unit) -> str:
    """The d3 format of an axis for values of ``unit``: ``opsplan.fmt.axis_format``, the one table of them."""
    return fmt.axis_format(unit)


def axis_format(metric: str) -> str:
    return unit_axis_format(get_metric(metric).unit)


def trend_chart(
    frame: pd.DataFrame,
    metric: str,
    lang: str = "zh",
    by: str | None = None,
    target: float | None = None,
    highlight: tuple[dt.date, dt.date] | None = None,
    width: int = 560,
    height: int = 220,
) -> alt.Chart:
    """A daily line of ``metric`` (one line per channel when ``by``), with an optional target rule and an
    optional shaded span of days (``highlight``: first and last day, e.g. the week under review)."""
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
    layers: list[alt.Chart] = [line]
    if highlight is not None:
        # the span covers whole days: from the first day's midnight to the midnight after the last
        span = pd.DataFrame(
            {
                "from": [pd.Timestamp(highlight[0]) - pd.Timedelta(hours=12)],
                "to": [pd.Timestamp(highlight[1]) + pd.Timedelta(hours=12)],
            }
        )
        layers.insert(0, alt.Chart(span).mark_rect(color="#2563eb", opacity=0.08).encode(x="from:T", x2="to:T"))
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(strokeDash=[6, 4], color="#dc2626")
            .encode(y="target:Q")
        )
    chart: alt.Chart | alt.LayerChart = alt.layer(*layers) if len(layers) > 1 else line
    return chart.properties(title=m.label(lang), width=width, height=height)


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


def pace_chart(
    series: pd.DataFrame,
    metric: str,
    lang: str = "zh",
    width: int = 560,
    height: int = 200,
    label: str | None = None,
    unit: Unit | None = None,
) -> alt.Chart:
    """A target's actual line against its expected-pace line and the target (from TargetResult.series).
    ``label`` and ``unit`` name a metric the registry does not hold (one the plan defines)."""
    import altair as alt

    m = METRICS.get(metric)
    title = label or (m.label(lang) if m else metric)
    unit = unit or (m.unit if m else None)
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
            y=alt.Y("value:Q", title=title, axis=alt.Axis(format=unit_axis_format(unit)) if unit else alt.Undefined),
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
        .properties(title=title, width=width, height=height)
    )


def to_svg(chart: alt.Chart | alt.LayerChart) -> str:
    """Render a chart to inline SVG offline (vl-convert), for the self-contained HTML report."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())
