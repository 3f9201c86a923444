"""用户 · Users: how many come back and who they are — DAU/WAU/MAU, stickiness, lifecycle, silent users, profile mix."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.metrics.periods import Coverage, last_complete
from opsplan.metrics.registry import MONTH, WEEK, get_metric
from opsplan.screens.explore import (
    months_back,
    non_null_sql,
    profile_columns,
    profile_counts_sql,
    profile_mix,
    scope_where,
)
from opsplan.store.contract import PROFILE_COLUMNS
from ui import data
from ui.explore_view import Window, channel_color, coverages, mark_periods, partial_note, with_channel_label
from ui.frame import open_page

page = open_page("page_users", "us_purpose")

STATES = ("new_users", "returning_users", "resurrected_users", "dormant_users")
STATE_COLORS = ("#2563eb", "#16a34a", "#f59e0b", "#dc2626")
PROFILE_MONTHS = 6  # the profile mix shows the months up to the range's end, month over month


def _last(frame: pd.DataFrame, name: str) -> tuple[object, object]:
    """The last period of a frame (its first column) and its value of ``name``."""
    if frame.empty:
        return None, None
    row = frame.iloc[-1]
    return row.iloc[0], row[name]


def _shown(frame: pd.DataFrame, grain: str, window: Window) -> tuple[pd.Series | None, Coverage | None]:
    """The row a card shows: the last complete week / month of the range (a two-day week would read as a
    collapse), else the last, partial one with its coverage so the card can say how many days it holds."""
    if frame.empty:
        return None, None
    covs = coverages(frame[grain], grain, window)
    key = last_complete(covs, grain, *window) or frame[grain].iloc[-1]
    return frame[frame[grain] == key].iloc[-1], covs.get(key)


window = data.data_window(page.wh)
scope = {"channels": page.filters.channels, "campaigns": page.filters.campaigns}

# active users: the last day, the last complete week and month of the range, and the daily line
daily = data.metrics(page.wh, ["dau"], "day", page.filters.start, page.filters.end, **scope)
weekly = data.metrics(page.wh, ["wau"], "week", page.filters.start, page.filters.end, **scope)
monthly = data.metrics(page.wh, ["mau", "stickiness"], "month", page.filters.start, page.filters.end, **scope)
day, dau = _last(daily, "dau")
week_row, week_cov = _shown(weekly, WEEK, window)
month_row, month_cov = _shown(monthly, MONTH, window)
cards = (
    ("dau", dau, None),
    ("wau", None if week_row is None else week_row["wau"], week_cov),
    ("mau", None if month_row is None else month_row["mau"], month_cov),
    ("stickiness", None if month_row is None else month_row["stickiness"], month_cov),  # of the month shown
)
for col, (name, value, cov) in zip(st.columns(len(cards)), cards, strict=True):
    m = get_metric(name)
    col.metric(m.label(page.lang), m.format(value), help=m.definition, border=True)
    if cov is not None and cov.partial:
        col.caption(page.t("partial_days", days=cov.short(page.lang)))
note = page.t(
    "us_cards_periods",
    day=day,
    week=week_cov.key if week_cov else None,
    month=month_cov.key if month_cov else None,
)
sep = "" if page.lang == "zh" else " "  # Chinese sentences run on without a space
for cov in (week_cov, month_cov):
    if cov is not None and cov.partial:
        note += sep + page.t("us_card_partial", period=cov.key, days=cov.short(page.lang))
st.caption(note)

st.subheader(page.t("us_active"))
line = daily.assign(date=pd.to_datetime(daily["date"]))
st.altair_chart(
    alt.Chart(line)
    .mark_area(opacity=0.35, line=True, point=True)
    .encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d")),
        y=alt.Y("dau:Q", title=get_metric("dau").label(page.lang)),
        tooltip=[
            alt.Tooltip("date:T", title=page.t("ex_date")),
            alt.Tooltip("dau:Q", title=get_metric("dau").label(page.lang), format=","),
        ],
    )
    .properties(height=220),
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.subheader(page.t("us_lifecycle"))
    life = data.metrics(page.wh, STATES, "week", page.filters.start, page.filters.end, **scope)
    long = life.melt(id_vars=["week", "partial"], value_vars=list(STATES), var_name="state", value_name="users")
    long["users"] = long["users"].astype(float)
    long.loc[long["state"] == "dormant_users", "users"] *= -1  # the ones we lost, below the axis
    long["state"] = long["state"].map(lambda s: get_metric(s).label(page.lang))
    long["week"] = long["week"].astype(str)
    long = mark_periods(long, "week", WEEK, window, page.lang)  # partial weeks: "*" on the axis, days in the tooltip
    weeks = list(dict.fromkeys(long["week_axis"]))
    st.altair_chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "week_axis:O",
                title=page.t("us_week"),
                sort=weeks,
                # "W14*" without the year: short enough that no week's label (nor its "*") is dropped for overlap
                axis=alt.Axis(labelAngle=0 if len(weeks) <= 10 else -45, labelExpr="substring(datum.label, 5)"),
            ),
            y=alt.Y("users:Q", title=page.t("us_users")),
            color=alt.Color(
                "state:N",
                title=page.t("us_state"),
                scale=alt.Scale(domain=[get_metric(s).label(page.lang) for s in STATES], range=list(STATE_COLORS)),
            ),
            opacity=alt.condition("datum.partial", alt.value(0.4), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("week_label:N", title=page.t("us_week")),
                alt.Tooltip("state:N", title=page.t("us_state")),
                alt.Tooltip("users:Q", title=page.t("us_users"), format=","),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
    note = page.t("us_lifecycle_note")
    partial_weeks = partial_note(coverages(life["week"], WEEK, window).values(), page.lang)
    if partial_weeks:
        note += sep + page.t("us_partial_pale") + "  \n" + partial_weeks
    st.caption(note)
with right:
    plan, _ = data.plan()
    k = plan.silent_days if plan else 14
    st.subheader(page.t("us_silent", k=k))
    silent = data.silent(page.wh, k)
    if page.filters.channel:
        silent = silent[silent["channel"] == page.filters.channel]
    silent = with_channel_label(silent, page.lang)
    st.metric(page.t("us_silent_all"), get_metric("silent_users").format(silent["silent_users"].sum()))
    st.altair_chart(
        alt.Chart(silent)
        .mark_bar()
        .encode(
            y=alt.Y("channel_label:N", title=None, sort="-x"),
            x=alt.X("silent_users:Q", title=get_metric("silent_users").label(page.lang)),
            color=channel_color(silent["channel"].tolist(), page.lang, legend=False),
            tooltip=[
                alt.Tooltip("channel_label:N", title=page.t("channel")),
                alt.Tooltip("silent_users:Q", title=get_metric("silent_users").label(page.lang), format=","),
            ],
        )
        .properties(height=max(120, 36 * len(silent))),
        width="stretch",
    )
    st.caption(page.t("us_silent_note"))

st.subheader(page.t("us_profile"))
have = set(
    data.sql(page.wh, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'")["column_name"]
)
present = [c for c in PROFILE_COLUMNS if c in have]
columns = profile_columns(data.sql(page.wh, non_null_sql(present))) if present else []
if not columns:
    st.info(page.t("us_no_profile"))
    st.stop()
attribute = st.segmented_control(
    page.t("us_attribute"),
    columns,
    default=columns[0],
    format_func=lambda c: page.t(f"ex_attr_{c}"),
    key="profile_attribute",
)
attribute = attribute if attribute in columns else columns[0]
where, params = scope_where(
    "signup_day",
    months_back(page.filters.end, PROFILE_MONTHS),
    page.filters.end,
    page.filters.channel,
    page.filters.campaign,
)
mix = profile_mix(data.sql(page.wh, profile_counts_sql(attribute, where), params), page.t("us_unknown"))
mix = mark_periods(mix, "month", MONTH, window, page.lang)  # a partial month: "*" on the axis, its days in the table
st.altair_chart(
    alt.Chart(mix)
    .mark_bar()
    .encode(
        x=alt.X(
            "month_axis:O",
            title=page.t("us_month"),
            sort=list(dict.fromkeys(mix["month_axis"])),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("share:Q", title=page.t("us_share"), axis=alt.Axis(format=".0%"), stack="normalize"),
        color=alt.Color("value:N", title=page.t(f"ex_attr_{attribute}")),
        order=alt.Order("users:Q", sort="descending"),
        tooltip=[
            alt.Tooltip("month_label:N", title=page.t("us_month")),
            alt.Tooltip("value:N", title=page.t(f"ex_attr_{attribute}")),
            alt.Tooltip("share:Q", title=page.t("us_share"), format=".1%"),
            alt.Tooltip("users:Q", title=page.t("us_users"), format=","),
        ],
    )
    .properties(height=320),
    width="stretch",
)
profile_note = page.t("us_profile_note", months=PROFILE_MONTHS, end=page.filters.end)
partial_months = partial_note(coverages(mix["month"], MONTH, window).values(), page.lang)
st.caption(profile_note + ("  \n" + partial_months if partial_months else ""))
pivot = mix.pivot_table(index="value", columns="month_label", values="share", aggfunc="sum", sort=False).fillna(0.0)
pivot = pivot.map(lambda v: f"{v:.1%}").reset_index().rename(columns={"value": page.t(f"ex_attr_{attribute}")})
st.dataframe(pivot, hide_index=True, width="stretch")
