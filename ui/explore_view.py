"""Words and chart pieces of the explore pages (渠道 channels, 留存 retention, 用户 users). The words join the
dashboard's dictionary at import (``t(key, lang)``); metric labels and formats stay in the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from opsplan.charts.builders import axis_format, channel_scale
from opsplan.metrics.periods import Coverage, coverage
from opsplan.metrics.registry import WEEK, get_metric
from opsplan.screens.explore import PHASE_ORDER, Step
from opsplan.words import channel_label, t

PHASE_COLORS = {"preheat": "#fde68a", "burst": "#fecaca", "longtail": "#bfdbfe"}


Window = tuple[dt.date | None, dt.date | None]  # (first_day, data_through), as ui.data.data_window gives it


def coverages(keys: Iterable[object], grain: str, window: Window) -> dict[str, Coverage]:
    """The coverage of each week / month key, so every table and chart of periods can say which are partial."""
    first, through = window
    return {str(k): coverage(str(k), grain, first, through) for k in dict.fromkeys(keys) if isinstance(k, str)}


def mark_periods(frame: pd.DataFrame, column: str, grain: str, window: Window, lang: str) -> pd.DataFrame:
    """``frame`` plus ``{column}_axis`` (the key, with a "*" when partial: short enough for an axis) and
    ``{column}_label`` (``Coverage.label``: the key and its days, for tooltips and table headers)."""
    covs = coverages(frame[column], grain, window)
    key = frame[column].astype(str)
    return frame.assign(
        **{
            f"{column}_axis": key.map(lambda k: f"{k}*" if k in covs and covs[k].partial else k),
            f"{column}_label": key.map(lambda k: covs[k].label(lang) if k in covs else k),
        }
    )


def partial_note(covs: Iterable[Coverage], lang: str) -> str:
    """'* 部分周：2026-W03 2/7 天' for the partial periods among ``covs``; '' when every one is complete.
    Markdown for a caption line: the "*" is escaped, else it would start a bulleted list."""
    partial = [c for c in covs if c.partial]
    if not partial:
        return ""
    joiner = "，" if lang == "zh" else "; "
    periods = joiner.join(t("partial_period", lang, period=c.key, days=c.short(lang)) for c in partial)
    key = "partial_weeks_note" if partial[0].grain == WEEK else "partial_months_note"
    return "\\" + t(key, lang, periods=periods)


def phase_label(phase: str, lang: str) -> str:
    return t(f"ex_phase_{phase}", lang) if phase in PHASE_ORDER else str(phase)


def channel_color(codes: Sequence[str], lang: str, legend: bool = True) -> alt.Color:
    """Colour by the ``channel_label`` column with each channel's own colour (opsplan.charts.builders.channel_scale),
    the legend in ``lang``."""
    codes = sorted({c for c in codes if isinstance(c, str)})
    scale = channel_scale(codes)
    return alt.Color(
        "channel_label:N",
        scale=alt.Scale(domain=[channel_label(c, lang) for c in codes], range=scale["range"]),
        title=t("channel", lang),
        legend=alt.Legend() if legend else None,
    )


def with_channel_label(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.assign(channel_label=frame["channel"].map(lambda c: channel_label(c, lang)))


def daily_chart(
    frame: pd.DataFrame, metric: str, lang: str, bands: pd.DataFrame, by_channel: bool, height: int = 260
) -> alt.LayerChart:
    """A daily line of ``metric`` (one per channel when ``by_channel``) over campaign phase bands."""
    m = get_metric(metric)
    frame = frame.assign(date=pd.to_datetime(frame["date"]))
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d"))
    y = alt.Y(f"{metric}:Q", title=m.label(lang), axis=alt.Axis(format=axis_format(metric)))
    tips = [
        alt.Tooltip("date:T", title=t("ex_date", lang)),
        alt.Tooltip(f"{metric}:Q", title=m.label(lang), format=axis_format(metric)),
    ]
    if by_channel:
        frame = with_channel_label(frame, lang)
        line = (
            alt.Chart(frame)
            .mark_line(point=True)
            .encode(
                x=x,
                y=y,
                color=channel_color(frame["channel"].tolist(), lang),
                tooltip=[alt.Tooltip("channel_label:N", title=t("channel", lang)), *tips],
            )
        )
    else:
        line = alt.Chart(frame).mark_line(point=True, color="#111827").encode(x=x, y=y, tooltip=tips)
    layers: list[alt.Chart] = []
    if not bands.empty:
        shown = bands.assign(phase_label=bands["phase"].map(lambda p: phase_label(p, lang)))
        phases = [p for p in PHASE_ORDER if p in set(bands["phase"])]
        layers.append(
            alt.Chart(shown)
            .mark_rect(opacity=0.45)
            .encode(
                x="start:T",
                x2="stop:T",
                color=alt.Color(
                    "phase_label:N",
                    title=t("ch_phase", lang),
                    scale=alt.Scale(
                        domain=[phase_label(p, lang) for p in phases], range=[PHASE_COLORS[p] for p in phases]
                    ),
                ),
                tooltip=[
                    alt.Tooltip("name:N", title=t("campaign", lang)),
                    alt.Tooltip("phase_label:N", title=t("ch_phase", lang)),
                    alt.Tooltip("start_date:N", title=t("ex_start", lang)),
                    alt.Tooltip("end_date:N", title=t("ex_end", lang)),
                ],
            )
        )
    layers.append(line)
    return alt.layer(*layers).resolve_scale(color="independent").properties(height=height)


def funnel_chart(steps: list[Step], lang: str) -> alt.LayerChart:
    """Horizontal bars of the step counts (log scale: impressions dwarf payers), each labelled with its count
    and the rate from the step before, both formatted by the registry."""
    rows = []
    for s in steps:
        text = get_metric(s.name).format(s.value)
        if s.rate_name:
            text += f"  ·  {get_metric(s.rate_name).label(lang)} {get_metric(s.rate_name).format(s.rate)}"
        rows.append({"step": get_metric(s.name).label(lang), "value": max(s.value, 0.0), "text": text})
    frame = pd.DataFrame(rows)
    order = frame["step"].tolist()
    base = alt.Chart(frame).encode(
        y=alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelPadding=8)),
        x=alt.X("value:Q", title=None, scale=alt.Scale(type="symlog"), axis=None),
    )
    # the left padding keeps wide CJK step names from being clipped at the chart's edge
    return (base.mark_bar(color="#2563eb") + base.mark_text(align="left", dx=6).encode(text="text:N")).properties(
        height=44 * len(frame), padding={"left": 24, "right": 8, "top": 4, "bottom": 4}
    )
