"""The budget burn charts of the Budget page: cumulative spend (solid) against the straight-line pace
(dashed), for the whole budget and one small panel per channel in its own colour."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import date_tip, date_x, keyed_color, value_axis, value_tip
from opsplan.metrics.registry import Unit, get_metric
from opsplan.screens.plan import TOTAL
from opsplan.words import channel_label, t

SERIES = ("actual", "pace")
DASHES = {"actual": [1, 0], "pace": [6, 4]}


def burn_frame(lines: pd.DataFrame, lang: str, per_channel: bool) -> pd.DataFrame:
    """The rows of ``opsplan.screens.plan.burn_lines`` for the whole budget or for the channels, with ``series``
    and ``name`` (the channel or "whole budget") in ``lang``."""
    frame = lines[(lines["channel"] == TOTAL) != per_channel].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["series"] = frame["series"].map({s: t(f"plan.{s}", lang) for s in SERIES})
    frame["name"] = frame["channel"].map(lambda c: t("plan.total", lang) if c == TOTAL else channel_label(c, lang))
    return frame


def burn_chart(lines: pd.DataFrame, lang: str, per_channel: bool) -> alt.Chart | alt.FacetChart:
    """Cumulative spend against the pace: one panel for the whole budget, or one small panel per channel."""
    frame = burn_frame(lines, lang, per_channel)
    spend = get_metric("spend").label(lang)
    series = {s: t(f"plan.{s}", lang) for s in SERIES}
    dash = alt.StrokeDash(
        "series:N", title=None, scale=alt.Scale(domain=list(series.values()), range=[DASHES[s] for s in SERIES])
    )
    tooltip = [
        alt.Tooltip("name:N", title=None),
        date_tip(title=t("explore.date", lang)),
        alt.Tooltip("series:N", title=None),
        value_tip("spend", spend, Unit.CURRENCY),
    ]
    y = alt.Y("spend:Q", title=spend, axis=value_axis(Unit.CURRENCY))
    base = alt.Chart(frame).mark_line()
    if not per_channel:
        color = keyed_color("series", series, palette.BURN_COLORS, None)
        return base.encode(x=date_x(), y=y, color=color, strokeDash=dash, tooltip=tooltip).properties(height=300)
    codes = list(dict.fromkeys(frame["channel"]))
    names = [channel_label(c, lang) for c in codes]
    color = alt.Color(
        "name:N", title=None, scale=alt.Scale(domain=names, range=palette.channel_colors(codes)), legend=None
    )
    return (
        base.encode(x=date_x(), y=y, color=color, strokeDash=dash, tooltip=tooltip)
        .properties(height=170, width=220)
        .facet(facet=alt.Facet("name:N", title=None, sort=names), columns=3)
        .resolve_scale(y="independent")
        .configure_legend(orient="top")
    )
