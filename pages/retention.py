"""留存 · Retention: do the users we buy stay — cohort heatmap 0..30 days, curves by channel, D1/D7/D30 trend."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.metrics import WEEK, get_metric
from opsplan.view_explore import curve_points, retention_cells_sql, retention_rates, scope_where
from ui import data, leave_legacy_pages_mode
from ui.explore_view import channel_color, coverages, partial_note, with_channel_label
from ui.i18n import t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

CARDS = ("cohort_size", "retention_d1", "retention_d7", "retention_d30")
TREND = ("retention_d1", "retention_d7", "retention_d30")
TREND_COLORS = ("#2563eb", "#16a34a", "#f59e0b")
MIN_SHARE = 0.2  # a curve point needs this share of the channel's cohort users to have reached day N

f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_retention", lang), t("re_purpose", lang))
scope = {"channels": f.channels, "campaigns": f.campaigns}

totals = data.metrics(wh, CARDS, "total", f.start, f.end, **scope)
for col, name in zip(st.columns(len(CARDS)), CARDS, strict=True):
    m = get_metric(name)
    col.metric(
        m.label(lang), m.format(totals[name].iloc[0] if not totals.empty else None), help=m.definition, border=True
    )

where, params = scope_where("cohort_date", f.start, f.end, f.channel, f.campaign)
st.subheader(t("re_heatmap", lang))
grain = st.segmented_control(
    t("re_grain", lang),
    ["day", "week"],
    default="day",
    format_func=lambda g: t(f"re_{g}", lang),
    key="retention_grain",
)
grain = "week" if grain == "week" else "day"
cells = retention_rates(data.sql(wh, retention_cells_sql(grain, where), params))
if cells.empty:
    st.info(t("re_empty", lang))
    st.stop()
week_note = ""
if grain == "week":  # a cohort week the data covers only in part has fewer signup days: marked "*"
    weeks = pd.to_datetime(cells["cohort"]).dt.strftime("%G-W%V")
    covs = coverages(weeks, WEEK, data.data_window(wh))
    partial = {w for w, c in covs.items() if c.partial}
    week_note = partial_note(covs.values(), lang)
cells["cohort"] = pd.to_datetime(cells["cohort"]).dt.strftime("%Y-%m-%d")
if grain == "week":
    cells["cohort"] = [c + ("*" if w in partial else "") for c, w in zip(cells["cohort"], weeks, strict=True)]
cells["size"] = cells["size"].astype(float)
sizes = cells[cells["day_offset"] == 0].set_index("cohort")["size"]
cells["cohort"] = cells["cohort"].map(lambda c: f"{c} · {sizes.get(c, 0):,.0f}")  # the cohort and its users
cohorts = cells["cohort"].nunique()
tips = [
    alt.Tooltip("cohort:O", title=t("re_cohort", lang)),
    alt.Tooltip("day_offset:O", title="N"),
    alt.Tooltip("rate:Q", title=t("re_rate", lang), format=".1%"),
    alt.Tooltip("size:Q", title=t("re_size", lang), format=","),
    alt.Tooltip("mature:Q", title=t("re_base", lang), format=","),
]
x = alt.X(
    "day_offset:O", title=t("re_offset", lang), axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=list(range(31)))
)
# day 0 is near 100% for every cohort: the colours spread over days 1..30 (day 0 saturates)
top = cells.loc[cells["day_offset"] > 0, "rate"].max()
top = float(top) if pd.notna(top) and top > 0 else 1.0
y = alt.Y("cohort:O", title=t("re_cohort", lang), sort="ascending")
heat = (
    alt.Chart(cells)
    .mark_rect(stroke="white", strokeWidth=0.5)
    .encode(
        x=x,
        y=y,
        color=alt.Color(
            "rate:Q",
            title=t("re_rate", lang),
            scale=alt.Scale(scheme="blues", domain=[0, top], clamp=True),
            legend=alt.Legend(format=".0%"),
        ),
        tooltip=tips,
    )
    .transform_filter("isValid(datum.rate)")  # a cell no user has reached stays empty, not 0
)
st.altair_chart(heat.properties(height=max(160, 18 * cohorts)), width="stretch")
if grain == "week":
    st.caption(t("re_week_note", lang) + (f"  \n{week_note}" if week_note else ""))

left, right = st.columns(2)
with left:
    st.subheader(t("re_curves", lang))
    curves = data.sql(
        wh,
        "SELECT channel, day_offset, sum(retained) AS retained, sum(mature_size) AS mature FROM retention_curve "
        f"WHERE {where} GROUP BY ALL ORDER BY ALL",
        params,
    )
    curves = with_channel_label(curve_points(curves, MIN_SHARE), lang)
    st.altair_chart(
        alt.Chart(curves)
        .mark_line(point=True)
        .encode(
            x=alt.X("day_offset:Q", title=t("re_offset", lang), scale=alt.Scale(domain=[1, 30])),
            y=alt.Y("rate:Q", title=t("re_rate", lang), axis=alt.Axis(format=".0%")),
            color=channel_color(curves["channel"].tolist(), lang),
            tooltip=[
                alt.Tooltip("channel_label:N", title=t("channel", lang)),
                alt.Tooltip("day_offset:Q", title="N"),
                alt.Tooltip("rate:Q", title=t("re_rate", lang), format=".1%"),
                alt.Tooltip("mature:Q", title=t("re_base", lang), format=","),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
    st.caption(t("re_curves_note", lang, share=MIN_SHARE))
with right:
    st.subheader(t("re_trend", lang))
    trend = data.metrics(wh, TREND, "cohort", f.start, f.end, **scope)
    long = trend.melt(id_vars=["cohort"], value_vars=list(TREND), var_name="metric", value_name="rate").dropna()
    long["metric"] = long["metric"].map(lambda n: get_metric(n).label(lang))
    long["cohort"] = pd.to_datetime(long["cohort"])
    st.altair_chart(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("cohort:T", title=t("re_cohort", lang), axis=alt.Axis(format="%m-%d")),
            y=alt.Y("rate:Q", title=t("re_rate", lang), axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "metric:N",
                title=None,
                scale=alt.Scale(domain=[get_metric(n).label(lang) for n in TREND], range=list(TREND_COLORS)),
            ),
            tooltip=[
                alt.Tooltip("metric:N", title=t("re_rate", lang)),
                alt.Tooltip("cohort:T", title=t("re_cohort", lang)),
                alt.Tooltip("rate:Q", format=".1%"),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
