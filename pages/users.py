"""用户 · Users: how many come back and who they are — DAU/WAU/MAU, stickiness, lifecycle, silent users, profile mix."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.contract import PROFILE_COLUMNS
from opsplan.metrics import MONTH, WEEK, get_metric
from opsplan.periods import Coverage, last_complete
from opsplan.view_explore import (
    months_back,
    non_null_sql,
    profile_columns,
    profile_counts_sql,
    profile_mix,
    scope_where,
)
from ui import data, leave_legacy_pages_mode
from ui.explore_view import Window, channel_color, coverages, mark_periods, partial_note, with_channel_label
from ui.i18n import t
from ui.state import filters
from ui.widgets import purpose

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

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


f = filters()
lang = f.lang
wh = data.current_warehouse()
window = data.data_window(wh)
purpose(t("page_users", lang), t("us_purpose", lang))
scope = {"channels": f.channels, "campaigns": f.campaigns}

# active users: the last day, the last complete week and month of the range, and the daily line
daily = data.metrics(wh, ["dau"], "day", f.start, f.end, **scope)
weekly = data.metrics(wh, ["wau"], "week", f.start, f.end, **scope)
monthly = data.metrics(wh, ["mau", "stickiness"], "month", f.start, f.end, **scope)
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
    col.metric(m.label(lang), m.format(value), help=m.definition, border=True)
    if cov is not None and cov.partial:
        col.caption(t("partial_days", lang, days=cov.short(lang)))
note = t(
    "us_cards_periods",
    lang,
    day=day,
    week=week_cov.key if week_cov else None,
    month=month_cov.key if month_cov else None,
)
sep = "" if lang == "zh" else " "  # Chinese sentences run on without a space
for cov in (week_cov, month_cov):
    if cov is not None and cov.partial:
        note += sep + t("us_card_partial", lang, period=cov.key, days=cov.short(lang))
st.caption(note)

st.subheader(t("us_active", lang))
line = daily.assign(date=pd.to_datetime(daily["date"]))
st.altair_chart(
    alt.Chart(line)
    .mark_area(opacity=0.35, line=True, point=True)
    .encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%m-%d")),
        y=alt.Y("dau:Q", title=get_metric("dau").label(lang)),
        tooltip=[
            alt.Tooltip("date:T", title=t("ex_date", lang)),
            alt.Tooltip("dau:Q", title=get_metric("dau").label(lang), format=","),
        ],
    )
    .properties(height=220),
    width="stretch",
)

left, right = st.columns(2)
with left:
    st.subheader(t("us_lifecycle", lang))
    life = data.metrics(wh, STATES, "week", f.start, f.end, **scope)
    long = life.melt(id_vars=["week", "partial"], value_vars=list(STATES), var_name="state", value_name="users")
    long["users"] = long["users"].astype(float)
    long.loc[long["state"] == "dormant_users", "users"] *= -1  # the ones we lost, below the axis
    long["state"] = long["state"].map(lambda s: get_metric(s).label(lang))
    long["week"] = long["week"].astype(str)
    long = mark_periods(long, "week", WEEK, window, lang)  # partial weeks: "*" on the axis, days in the tooltip
    weeks = list(dict.fromkeys(long["week_axis"]))
    st.altair_chart(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "week_axis:O",
                title=t("us_week", lang),
                sort=weeks,
                # "W14*" without the year: short enough that no week's label (nor its "*") is dropped for overlap
                axis=alt.Axis(labelAngle=0 if len(weeks) <= 10 else -45, labelExpr="substring(datum.label, 5)"),
            ),
            y=alt.Y("users:Q", title=t("us_users", lang)),
            color=alt.Color(
                "state:N",
                title=t("us_state", lang),
                scale=alt.Scale(domain=[get_metric(s).label(lang) for s in STATES], range=list(STATE_COLORS)),
            ),
            opacity=alt.condition("datum.partial", alt.value(0.4), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("week_label:N", title=t("us_week", lang)),
                alt.Tooltip("state:N", title=t("us_state", lang)),
                alt.Tooltip("users:Q", title=t("us_users", lang), format=","),
            ],
        )
        .properties(height=300),
        width="stretch",
    )
    note = t("us_lifecycle_note", lang)
    partial_weeks = partial_note(coverages(life["week"], WEEK, window).values(), lang)
    if partial_weeks:
        note += sep + t("us_partial_pale", lang) + "  \n" + partial_weeks
    st.caption(note)
with right:
    plan, _ = data.plan()
    k = plan.silent_days if plan else 14
    st.subheader(t("us_silent", lang, k=k))
    silent = data.silent(wh, k)
    if f.channel:
        silent = silent[silent["channel"] == f.channel]
    silent = with_channel_label(silent, lang)
    st.metric(t("us_silent_all", lang), get_metric("silent_users").format(silent["silent_users"].sum()))
    st.altair_chart(
        alt.Chart(silent)
        .mark_bar()
        .encode(
            y=alt.Y("channel_label:N", title=None, sort="-x"),
            x=alt.X("silent_users:Q", title=get_metric("silent_users").label(lang)),
            color=channel_color(silent["channel"].tolist(), lang, legend=False),
            tooltip=[
                alt.Tooltip("channel_label:N", title=t("channel", lang)),
                alt.Tooltip("silent_users:Q", title=get_metric("silent_users").label(lang), format=","),
            ],
        )
        .properties(height=max(120, 36 * len(silent))),
        width="stretch",
    )
    st.caption(t("us_silent_note", lang))

st.subheader(t("us_profile", lang))
have = set(data.sql(wh, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'")["column_name"])
present = [c for c in PROFILE_COLUMNS if c in have]
columns = profile_columns(data.sql(wh, non_null_sql(present))) if present else []
if not columns:
    st.info(t("us_no_profile", lang))
    st.stop()
attribute = st.segmented_control(
    t("us_attribute", lang),
    columns,
    default=columns[0],
    format_func=lambda c: t(f"ex_attr_{c}", lang),
    key="profile_attribute",
)
attribute = attribute if attribute in columns else columns[0]
where, params = scope_where("signup_day", months_back(f.end, PROFILE_MONTHS), f.end, f.channel, f.campaign)
mix = profile_mix(data.sql(wh, profile_counts_sql(attribute, where), params), t("us_unknown", lang))
mix = mark_periods(mix, "month", MONTH, window, lang)  # a partial month: "*" on the axis, its days in the table
st.altair_chart(
    alt.Chart(mix)
    .mark_bar()
    .encode(
        x=alt.X(
            "month_axis:O",
            title=t("us_month", lang),
            sort=list(dict.fromkeys(mix["month_axis"])),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("share:Q", title=t("us_share", lang), axis=alt.Axis(format=".0%"), stack="normalize"),
        color=alt.Color("value:N", title=t(f"ex_attr_{attribute}", lang)),
        order=alt.Order("users:Q", sort="descending"),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("us_month", lang)),
            alt.Tooltip("value:N", title=t(f"ex_attr_{attribute}", lang)),
            alt.Tooltip("share:Q", title=t("us_share", lang), format=".1%"),
            alt.Tooltip("users:Q", title=t("us_users", lang), format=","),
        ],
    )
    .properties(height=320),
    width="stretch",
)
profile_note = t("us_profile_note", lang, months=PROFILE_MONTHS, end=f.end)
partial_months = partial_note(coverages(mix["month"], MONTH, window).values(), lang)
st.caption(profile_note + ("  \n" + partial_months if partial_months else ""))
pivot = mix.pivot_table(index="value", columns="month_label", values="share", aggfunc="sum", sort=False).fillna(0.0)
pivot = pivot.map(lambda v: f"{v:.1%}").reset_index().rename(columns={"value": t(f"ex_attr_{attribute}", lang)})
st.dataframe(pivot, hide_index=True, width="stretch")
