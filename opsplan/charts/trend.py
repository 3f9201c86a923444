"""Lines of a metric over days: the report's KPI trends, the Channels page's daily lines over campaign phase
bands, the Users page's active users. Titles from the metric registry, formats from ``opsplan.fmt``."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import channel_color, channel_tip, date_tip, date_x, value_axis, value_tip, with_channel_label
from opsplan.metrics.registry import get_metric
from opsplan.screens.explore import PHASE_ORDER
from opsplan.words import t


def _dated(frame: pd.DataFrame, column: str = "date") -> pd.DataFrame:
    return frame.assign(**{column: pd.to_datetime(frame[column])})


def trend_chart(
    frame: pd.DataFrame,
    metric: str,
    lang: str = "zh",
    by: str | None = None,
    target: float | None = None,
    highlight: tuple[dt.date, dt.date] | None = None,
    width: int = 560,
    height: int = 220,
) -> alt.Chart | alt.LayerChart:
    """A daily line of ``metric`` (one line per channel when ``by`` names the channel column), with an optional
    target rule and an optional shaded span of days (``highlight``: first and last day, the week under review)."""
    m = get_metric(metric)
    frame = _dated(frame)
    enc: dict[str, object] = {
        "x": date_x(),
        "y": alt.Y(f"{metric}:Q", title=m.label(lang), axis=value_axis(m.unit)),
        "tooltip": [date_tip(title=t("explore.date", lang)), value_tip(metric, m.label(lang), m.unit)],
    }
    mark: dict[str, object] = {"point": True, "strokeWidth": 2}
    if by:
        frame = with_channel_label(frame, lang, by)
        enc["color"] = channel_color(frame[by], lang, title=False)
        enc["tooltip"] = [channel_tip(lang), *enc["tooltip"]]  # type: ignore[misc]
    else:
        mark["color"] = palette.INK
    line = alt.Chart(frame).mark_line(**mark).encode(**enc)
    layers: list[alt.Chart] = [line]
    if highlight is not None:
        # the span covers whole days: from the first day's midnight to the midnight after the last
        span = pd.DataFrame(
            {
                "from": [pd.Timestamp(highlight[0]) - pd.Timedelta(hours=12)],
                "to": [pd.Timestamp(highlight[1]) + pd.Timedelta(hours=12)],
            }
        )
        week = alt.Chart(span).mark_rect(color=palette.ACCENT, opacity=palette.HIGHLIGHT_OPACITY)
        layers.insert(0, week.encode(x=date_x("from"), x2="to:T"))
    if target is not None:
        rule = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(strokeDash=[6, 4], color=palette.ALERT)
        layers.append(rule.encode(y="target:Q"))
    chart: alt.Chart | alt.LayerChart = alt.layer(*layers) if len(layers) > 1 else line
    return chart.properties(title=m.label(lang), width=width, height=height)


def phase_label(phase: str, lang: str) -> str:
    return t(f"explore.phase_{phase}", lang) if phase in PHASE_ORDER else str(phase)


def _phase_bands(bands: pd.DataFrame, lang: str) -> alt.Chart:
    """Campaign phase bands (opsplan.screens.explore.phase_bands) behind a daily line."""
    shown = bands.assign(phase_label=bands["phase"].map(lambda p: phase_label(p, lang)))
    present = set(bands["phase"])
    names = {p: phase_label(p, lang) for p in PHASE_ORDER if p in present}
    return (
        alt.Chart(shown)
        .mark_rect(opacity=0.45)
        .encode(
            x=date_x("start"),
            x2="stop:T",
            color=alt.Color(
                "phase_label:N",
                title=t("channels.phase", lang),
                scale=alt.Scale(domain=list(names.values()), range=[palette.PHASE_COLORS[p] for p in names]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("app.campaign", lang)),
                alt.Tooltip("phase_label:N", title=t("channels.phase", lang)),
                alt.Tooltip("start_date:N", title=t("explore.start", lang)),
                alt.Tooltip("end_date:N", title=t("explore.end", lang)),
            ],
        )
    )


def daily_chart(
    frame: pd.DataFrame, metric: str, lang: str, bands: pd.DataFrame, by_channel: bool, height: int = 260
) -> alt.LayerChart:
    """A daily line of ``metric`` (one per channel when ``by_channel``) over campaign phase bands."""
    m = get_metric(metric)
    frame = _dated(frame)
    x = date_x()
    y = alt.Y(f"{metric}:Q", title=m.label(lang), axis=value_axis(m.unit))
    tips = [date_tip(title=t("explore.date", lang)), value_tip(metric, m.label(lang), m.unit)]
    if by_channel:
        frame = with_channel_label(frame, lang)
        line = (
            alt.Chart(frame)
            .mark_line(point=True)
            .encode(x=x, y=y, color=channel_color(frame["channel"], lang), tooltip=[channel_tip(lang), *tips])
        )
    else:
        line = alt.Chart(frame).mark_line(point=True, color=palette.INK).encode(x=x, y=y, tooltip=tips)
    layers: list[alt.Chart] = [] if bands.empty else [_phase_bands(bands, lang)]
    layers.append(line)
    return alt.layer(*layers).resolve_scale(color="independent").properties(height=height)


def active_chart(daily: pd.DataFrame, metric: str, lang: str, height: int = 220) -> alt.Chart:
    """An area of a daily count (the Users page's DAU)."""
    m = get_metric(metric)
    return (
        alt.Chart(_dated(daily))
        .mark_area(opacity=0.35, line=True, point=True, color=palette.ACCENT)
        .encode(
            x=date_x(),
            y=alt.Y(f"{metric}:Q", title=m.label(lang), axis=value_axis(m.unit)),
            tooltip=[date_tip(title=t("explore.date", lang)), value_tip(metric, m.label(lang), m.unit)],
        )
        .properties(height=height)
    )
