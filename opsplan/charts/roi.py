"""The money charts of the Channels drill: 7-day ROI by cohort day (one line per channel or campaign, the 1.0
break-even line, the stop-loss threshold and the cohort days the rule judged shaded; a click on a point opens
that day's cohort), one cohort's ROI by day since signup, and the funnel's rates by channel side by side."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from opsplan import fmt
from opsplan.charts import palette
from opsplan.charts.axes import CHANNEL_LABEL, channel_color, date_tip, date_x, value_axis, value_tip
from opsplan.metrics.registry import get_metric
from opsplan.words import t

#: the point selection a click on the ROI-by-cohort-day chart makes; its fields name the cohort
PICK = "cohort_pick"
BREAK_EVEN = 1.0


def _rules(threshold: float | None, lang: str) -> pd.DataFrame:
    """The horizontal lines: break-even 1.0 and, when it differs, the rule's threshold."""
    rows = [{"y": BREAK_EVEN, "label": t("drill.break_even", lang)}]
    if threshold is not None and threshold != BREAK_EVEN:
        rows.append({"y": float(threshold), "label": t("drill.threshold", lang)})
    return pd.DataFrame(rows)


def _lines(rules: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(rules).encode(y="y:Q")
    lines = base.mark_rule(color=palette.ALERT, strokeDash=[6, 4])
    labels = base.mark_text(align="left", dx=4, dy=-6, color=palette.ALERT).encode(x=alt.value(0), text="label:N")
    return lines + labels


def roi_by_cohort_day(
    frame: pd.DataFrame,
    metric: str,
    lang: str,
    threshold: float | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    by_channel: bool = False,
) -> alt.LayerChart:
    """``frame``: cohort (day), item (a code), name (shown), ``metric`` (NaN while immature). Clickable points
    (selection ``PICK`` on ``day`` and ``item``; the nearest point to a click, so a line need not be hit exactly),
    the break-even and threshold lines, the rule's window shaded. Channels (``by_channel``) in their own colours."""
    m = get_metric(metric)
    data = frame.dropna(subset=[metric]).assign(
        cohort=lambda f: pd.to_datetime(f["cohort"]), day=lambda f: pd.to_datetime(f["cohort"]).dt.strftime("%Y-%m-%d")
    )
    pick = alt.selection_point(name=PICK, fields=["day", "item"], on="click", nearest=True)
    enc = {
        "x": date_x("cohort", t("drill.cohort_day", lang)),
        "y": alt.Y(f"{metric}:Q", title=m.label(lang), axis=value_axis(m.unit)),
        "color": alt.Color("name:N", title=None, legend=alt.Legend(orient="bottom")),
        "tooltip": [
            alt.Tooltip("name:N", title=t("drill.item", lang)),
            date_tip("cohort", t("drill.cohort_day", lang)),
            value_tip(metric, m.label(lang), m.unit),
        ],
    }
    if by_channel:
        data = data.assign(**{CHANNEL_LABEL: data["name"]})
        enc["color"] = channel_color(data["item"], lang, title=False)
        enc["color"].legend = alt.Legend(orient="bottom")
    line = alt.Chart(data).mark_line(strokeWidth=2).encode(**enc)
    points = alt.Chart(data).mark_point(filled=True, size=70).encode(**enc).add_params(pick)
    layers: list[alt.Chart | alt.LayerChart] = [line, points, _lines(_rules(threshold, lang))]
    if window is not None:
        span = pd.DataFrame(
            {
                "from": [pd.Timestamp(window[0]) - pd.Timedelta(hours=12)],
                "to": [pd.Timestamp(window[1]) + pd.Timedelta(hours=12)],
                "label": [t("drill.rule_window", lang)],
            }
        )
        band = alt.Chart(span).mark_rect(color=palette.ALERT, opacity=palette.HIGHLIGHT_OPACITY * 1.5)
        text = alt.Chart(span).mark_text(align="left", baseline="top", dx=2, dy=4, color=palette.ALERT)
        layers[:0] = [band.encode(x=date_x("from"), x2="to:T"), text.encode(x="from:T", y=alt.value(0), text="label:N")]
    return alt.layer(*layers).properties(height=280)


def cohort_roi_curve(curve: pd.DataFrame, lang: str, rule_day: int | None = 6) -> alt.LayerChart:
    """One cohort's ROI by day since signup (revenue to date / its spend) with the break-even line, and the day
    a 7-day ROI judges (day 6: days 0 .. 6) marked."""
    label = t("drill.roi_to_date", lang)
    data = curve.dropna(subset=["roi"])
    x = alt.X("day_offset:Q", title=t("chart.day_n", lang), scale=alt.Scale(domain=[0, 29]))
    line = alt.Chart(data).mark_line(point=True, color=palette.ACCENT, strokeWidth=2)
    line = line.encode(
        x=x,
        y=alt.Y("roi:Q", title=label, axis=value_axis("ratio")),
        tooltip=[
            alt.Tooltip("day_offset:Q", title=t("chart.day_n", lang)),
            value_tip("roi", label, "ratio"),
            value_tip("cum_revenue", t("drill.revenue_to_date", lang), "currency"),
        ],
    )
    layers: list[alt.Chart | alt.LayerChart] = [line, _lines(_rules(None, lang))]
    if rule_day is not None:
        mark = pd.DataFrame({"x": [rule_day], "label": [t("drill.roi7_day", lang)]})
        base = alt.Chart(mark).encode(x="x:Q")
        layers.append(base.mark_rule(color=palette.MUTED, strokeDash=[2, 2]))
        layers.append(base.mark_text(align="left", dx=4, y=8, color=palette.MUTED).encode(text="label:N"))
    return alt.layer(*layers).properties(height=260)


def funnel_by_channel(frame: pd.DataFrame, rates: list[str], lang: str) -> alt.FacetChart:
    """The funnel's step rates by channel, one small panel per rate side by side (linear, from 0): where one
    channel loses its users. ``frame``: channel label in ``name`` and one column per rate."""
    long = frame.melt(id_vars=["name"], value_vars=rates, var_name="rate", value_name="value").dropna()
    long["step"] = long["rate"].map(lambda r: get_metric(r).label(lang))
    long["text"] = [get_metric(r).format(v) for r, v in zip(long["rate"], long["value"], strict=True)]
    base = alt.Chart(long).encode(
        y=alt.Y("name:N", title=None, sort=list(frame["name"])),
        x=alt.X("value:Q", title=None, axis=alt.Axis(format=fmt.axis_format("percent"), tickCount=3)),
        tooltip=[alt.Tooltip("name:N", title=t("app.channel", lang)), "step:N", alt.Tooltip("text:N", title=" ")],
    )
    bars = base.mark_bar(color=palette.ACCENT) + base.mark_text(align="left", dx=3, fontSize=10).encode(text="text:N")
    order = [get_metric(r).label(lang) for r in rates]
    return (
        bars.properties(width=120, height=22 * max(1, frame["name"].nunique()))
        .facet(column=alt.Column("step:N", title=None, sort=order))
        .resolve_scale(x="independent")
    )
