"""The acquisition funnel of the Channels page: one bar per step on a linear scale of the first step (100%),
labelled with its count and the registry's rate from the step before.

Linear, as Amplitude and Mixpanel draw funnels: 1.3M impressions → 20k clicks is a bar of 1.5%, not the 70% a
log scale made of it. The later steps are slivers; their labels carry the numbers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.metrics.registry import get_metric
from opsplan.screens.explore import Step

#: the x domain: the first step's bar (1.0) leaves room for its label on the right
ROOM = 1.25


def funnel_frame(steps: list[Step], lang: str) -> pd.DataFrame:
    """step (the metric's label), value, share (of the first step's value: the bar), text ('310  ·  点击率(CTR)
    0.6%')."""
    rows = []
    for s in steps:
        text = get_metric(s.name).format(s.value)
        if s.rate_name:
            rate = get_metric(s.rate_name)
            text += f"  ·  {rate.label(lang)} {rate.format(s.rate)}"
        rows.append({"step": get_metric(s.name).label(lang), "value": max(s.value, 0.0), "text": text})
    frame = pd.DataFrame(rows, columns=["step", "value", "text"])
    top = float(frame["value"].iloc[0]) if len(frame) else 0.0
    frame["share"] = frame["value"] / top if top > 0 else 0.0
    return frame


def funnel_chart(steps: list[Step], lang: str) -> alt.LayerChart:
    """Horizontal bars of the steps as shares of the first (linear), each labelled with its count and the rate
    from the step before, both formatted by the registry."""
    frame = funnel_frame(steps, lang)
    order = frame["step"].tolist()
    base = alt.Chart(frame).encode(
        y=alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelPadding=8)),
        x=alt.X("share:Q", title=None, scale=alt.Scale(type="linear", domain=[0, ROOM]), axis=None),
    )
    # the left padding keeps wide CJK step names from being clipped at the chart's edge
    bars = base.mark_bar(color=palette.ACCENT) + base.mark_text(align="left", dx=6).encode(text="text:N")
    return bars.properties(height=44 * len(frame), padding={"left": 24, "right": 8, "top": 4, "bottom": 4})
