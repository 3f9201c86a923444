"""Horizontal bars of one metric per channel, each bar in its channel's colour: the report's 7-day ROI (with
its break-even line) and the Users page's silent users."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import CHANNEL_LABEL, channel_color, channel_tip, value_axis, value_tip, with_channel_label
from opsplan.metrics.registry import get_metric


def channel_bars(
    frame: pd.DataFrame,
    metric: str,
    lang: str,
    category: str = "channel",
    reference: float | None = None,
    title: bool = True,
    width: int | None = None,
) -> alt.Chart | alt.LayerChart:
    """One bar of registered ``metric`` per channel code of ``category`` (named in ``lang``), longest first;
    an optional reference line (ROI 1.0)."""
    m = get_metric(metric)
    frame = with_channel_label(frame, lang, category)
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{CHANNEL_LABEL}:N", sort="-x", title=None),
            x=alt.X(f"{metric}:Q", title=m.label(lang), axis=value_axis(m.unit)),
            color=channel_color(frame[category], lang, legend=False),
            tooltip=[channel_tip(lang), value_tip(metric, m.label(lang), m.unit)],
        )
    )
    chart: alt.Chart | alt.LayerChart = bars
    if reference is not None:
        rule = alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color=palette.ALERT, strokeDash=[6, 4])
        chart = alt.layer(bars, rule.encode(x="ref:Q"))
    size: dict[str, object] = {"height": max(120, 30 * len(frame))}
    if title:
        size["title"] = m.label(lang)
    if width is not None:
        size["width"] = width
    return chart.properties(**size)


def bar_chart(
    frame: pd.DataFrame, metric: str, category: str, lang: str = "zh", reference: float | None = None
) -> alt.Chart | alt.LayerChart:
    """The report's bars of ``metric`` per channel (``category`` holds the codes), titled, 560 wide."""
    return channel_bars(frame, metric, lang, category, reference, width=560)
