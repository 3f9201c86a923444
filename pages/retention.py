"""留存 · Retention: do the users we buy stay — cohort heatmap 0..30 days, curves by channel, D1/D7/D30 trend."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.metrics.registry import WEEK, get_metric
from opsplan.screens.explore import curve_points, retention_cells_sql, retention_rates, scope_where
from ui import data
from ui.explore_view import channel_color, coverages, partial_note, with_channel_label
from ui.frame import open_page

page = open_page("page_retention", "re_purpose")

CARDS = ("cohort_size", "retention_d1", "retention_d7", "retention_d30")
TREND = ("retention_d1", "retention_d7", "retention_d30")
TREND_COLORS = ("#2563eb", "#16a34a", "#f59e0b")
MIN_SHARE = 0.2  # a curve point needs this share of the channel's cohort users to have reached day N
scope = {"channels": page.filters.channels, "campaigns": page.filters.campaigns}

totals = data.metrics(page.wh, CARDS, "total", page.filters.start, page.filters.end, **scope)
for col, name in zip(st.columns(len(CARDS)), CARDS, strict=True):
    m = get_metric(name)
    col.metric(
        m.label(page.lang), m.format(totals[name].iloc[0] if not totals.empty else None), help=m.definition, border=True
    )

where, params = scope_where(
    "cohort_date", page.filters.start, page.filters.end, page.filters.channel, page.filters.campaign
)
st.subheader(page.t("re_heatmap"))
grain = st.segmented_control(
    page.t("re_grain"),
    ["day", "week"],
    default="day",
    format_func=lambda g: page.t(f"re_{g}"),
    key="retention_grain",
)
grain = "week" if grain == "week" else "day"
cells = retention_rates(data.sql(page.wh, retention_cells_sql(grain, where), params))
if cells.empty:
    st.info(page.t("re_empty"))
    st.stop()
week_note = ""
if grain == "week":  # a cohort week the data covers only in part has fewer signup days: marked "*"
    weeks = pd.to_datetime(cells["cohort"]).dt.strftime("%G-W%V")
    covs = coverages(weeks, WEEK, data.data_window(page.wh))
    partial = {w for w, c in covs.items() if c.partial}
    week_note = partial_note(covs.values(), page.lang)
cells["cohort"] = pd.to_datetime(cells["cohort"]).dt.strftime("%Y-%m-%d")
if grain == "week":
    cells["cohort"] = [c + ("*" if w in partial else "") for c, w in zip(cells["cohort"], weeks, strict=True)]
cells["size"] = cells["size"].astype(float)
sizes = cells[cells["day_offset"] == 0].set_index("cohort")["size"]
cells["cohort"] = cells["cohort"].map(lambda c: f"{c} · {sizes.get(c, 0):,.0f}")  # the cohort and its users
cohorts = cells["cohort"].nunique()
tips = [
    alt.Tooltip("cohort:O", title=page.t("re_cohort")),
    alt.Tooltip("day_offset:O", title="N"),
    alt.Tooltip("rate:Q", title=page.t("re_rate"), format=".1%"),
    alt.Tooltip("size:Q", title=page.t("re_size"), format=","),
    alt.Tooltip("mature:Q", title=page.t("re_base"), format=","),
]
x = alt.X(
    "day_offset:O", title=page.t("re_offset"), axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=list(range(31)))
)
# day 0 is near 100% for every cohort: the colours spread over days 1..30 (day 0 saturates)
top = cells.loc[cells["day_offset"] > 0, "rate"].max()
top = float(top) if pd.notna(top) and top > 0 else 1.0
y = alt.Y("cohort:O", title=page.t("re_cohort"), sort="ascending")
heat = (
    alt.Chart(cells)
    .mark_rect(stroke="white", strokeWidth=0.5)
    .encode(
        x=x,
        y=y,
        color=alt.Color(
            "rate:Q",
            title=page.t("re_rate"),
            scale=alt.Scale(scheme="blues", domain=[0, top], clamp=True),
            legend=alt.Legend(format=".0%"),
        ),
        tooltip=tips,
    )
    .transform_filter("isValid(datum.rate)")  # a cell no user has reached stays empty, not 0
)
st.altair_chart(heat.properties(height=max(160, 18 * cohorts)), width="stretch")
if grain == "week":
    st.caption(page.t("re_week_note") + (f"  \n{week_note}" if week_note else ""))

left, right = st.columns(2)
with left:
    st.subheader(page.t("re_curves"))
    curves = data.sql(
        page.wh,
        "SELECT channel, day_offset, sum(retained) AS retained, sum(mature_size) AS mature FROM retention_curve "
        f"WHERE {where} GROUP BY ALL ORDER BY ALL",
        params,
    )
    curves = with_channel_label(curve_points(curves, MIN_SHARE), page.lang)
    st.altair_chart(
        alt.Chart(curves)
        .mark_line(point=True)
        .encode(
            x=alt.X("day_offset:Q", title=page.t("re_offset"), scale=alt.Scale(domain=[1, 30])),
            y=alt.Y("rate:Q", title=page.t("re_rate"), axis=alt.Axis(format=".0%")),
            color=channel_color(curves["channel"].tolist(), page.lang),
            tooltip=[
                alt.Tooltip("channel_label:N", title=page.t("channel")),
                alt.Tooltip("day_offset:Q", title="N"),
                alt.Tooltip("rate:Q", title=page.t("re_rate"), format=".1%"),
                alt.Tooltip("mature:Q", title=page.t("re_base"), format=","),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
    st.caption(page.t("re_curves_note", share=fmt.share(MIN_SHARE)))
with right:
    st.subheader(page.t("re_trend"))
    trend = data.metrics(page.wh, TREND, "cohort", page.filters.start, page.filters.end, **scope)
    long = trend.melt(id_vars=["cohort"], value_vars=list(TREND), var_name="metric", value_name="rate").dropna()
    long["metric"] = long["metric"].map(lambda n: get_metric(n).label(page.lang))
    long["cohort"] = pd.to_datetime(long["cohort"])
    st.altair_chart(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("cohort:T", title=page.t("re_cohort"), axis=alt.Axis(format="%m-%d")),
            y=alt.Y("rate:Q", title=page.t("re_rate"), axis=alt.Axis(format=".0%")),
            color=alt.Color(
                "metric:N",
                title=None,
                scale=alt.Scale(domain=[get_metric(n).label(page.lang) for n in TREND], range=list(TREND_COLORS)),
            ),
            tooltip=[
                alt.Tooltip("metric:N", title=page.t("re_rate")),
                alt.Tooltip("cohort:T", title=page.t("re_cohort")),
                alt.Tooltip("rate:Q", format=".1%"),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
