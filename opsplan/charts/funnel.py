"""The acquisition funnel of the Channels page: one bar per step, labelled with its count and the registry's
rate from the step before."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.metrics.registry import get_metric
from opsplan.screens.explore import Step


def funnel_frame(steps: list[Step], lang: str) -> pd.DataFrame:
    """step (the metric's label), value (never below 0: a log scale), text ('310  ·  点击率(CTR) 0.6%')."""
    rows = []
    for s in steps:
        text = get_metric(s.name).format(s.value)
        if s.rate_name:
            rate = get_metric(s.rate_name)
            text += f"  ·  {rate.label(lang)} {rate.format(s.rate)}"
        rows.append({"step": get_metric(s.name).label(lang), "value": max(s.value, 0.0), "text": text})
    return pd.DataFrame(rows, columns=["step", "value", "text"])


def funnel_chart(steps: list[Step], lang: str) -> alt.LayerChart:
    """Horizontal bars of the step counts (log scale: impressions dwarf payers), each labelled with its count
    and the rate from the step before, both formatted by the registry."""
    frame = funnel_frame(steps, lang)
    order = frame["step"].tolist()
    base = alt.Chart(frame).encode(
        y=alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelPadding=8)),
        x=alt.X("value:Q", title=None, scale=alt.Scale(type="symlog"), axis=None),
    )
    # the left padding keeps wide CJK step names from being clipped at the chart's edge
    bars = base.mark_bar(color=palette.ACCENT) + base.mark_text(align="left", dx=6).encode(text="text:N")
    return bars.properties(height=44 * len(frame), padding={"left": 24, "right": 8, "top": 4, "bottom": 4})
