"""止损告警 · Alerts: every stop-loss rule per channel or campaign — state, since when, value, the action, history."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.plan.stoploss import STATE_ORDER, RuleState
from opsplan.words import channel_label
from ui import data
from ui.frame import open_page
from ui.plan_view import broken_plan, severity_chip, value_text
from ui.widgets import plain, scope_text, state_chip

page = open_page("page_alerts", "alerts.purpose")

ORDER = STATE_ORDER
state = data.plan_state(page.wh)
plan = state.plan
if plan is None:  # the rules' health is an error: show which rules exist and that none was judged
    broken_plan(state, page.lang)
    rules = state.parsed.rules if state.parsed else ()
    if rules:
        st.dataframe(
            pd.DataFrame(
                {
                    page.t("alerts.rule"): [r.id for r in rules],
                    page.t("alerts.state"): [page.t("plan_rule_error")] * len(rules),
                    page.t("alerts.action"): [r.action for r in rules],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.stop()
check = data.check(page.wh)
if not plan.rules:
    st.info(page.t("alerts.none"))
    st.stop()

show_all = st.toggle(page.t("alerts.show_all"), value=False)
flags = sorted(check.flags, key=lambda x: (ORDER[x.state], x.id, scope_text(x.scope, page.lang)))
if page.filters.channel:
    flags = [x for x in flags if x.scope.get("channel") in (None, page.filters.channel) or "campaign" in x.scope]
if not show_all:
    flags = [x for x in flags if x.state not in (RuleState.OK, RuleState.NO_DATA)] or flags[:0]
st.dataframe(
    pd.DataFrame(
        {
            page.t("alerts.rule"): [x.id for x in flags],
            page.t("alerts.scope"): [scope_text(x.scope, page.lang) for x in flags],
            page.t("alerts.state"): [state_chip(x.state, page.lang) for x in flags],
            page.t("alerts.since"): [str(x.since) for x in flags],
            page.t("alerts.value"): [value_text(x.metric, x.value, plan, page.lang) for x in flags],
            page.t("alerts.why"): [x.reason(page.lang) for x in flags],
            page.t("alerts.severity"): [severity_chip(x.severity, page.lang) for x in flags],
            page.t("alerts.action"): [x.action for x in flags],
            page.t("alerts.diagnosis"): [x.diagnosis for x in flags],
        }
    ),
    hide_index=True,
    width="stretch",
)

for x in flags:
    if x.diagnosis and x.state in (RuleState.FIRING, RuleState.PENDING):
        where = plain(f"{x.id} · {scope_text(x.scope, page.lang)}")
        st.info(f"**{where}** · {page.t('alerts.diagnosis')}: {plain(x.diagnosis)}  \n→ {plain(x.action)}")

st.subheader(page.t("alerts.history"))
history = pd.DataFrame(
    [
        {"rule": e.rule_id, "item": e.item, "date": e.date, "state": e.state.label(page.lang), "icon": e.state}
        for e in check.history
        if page.filters.start <= e.date <= page.filters.end
    ]
)
if not history.empty:
    shown = (
        {(x.id, x.scope.get("channel") or x.scope.get("campaign") or "all") for x in flags} if not show_all else None
    )
    if shown is not None:
        history = history[[(r, i) in shown for r, i in zip(history["rule"], history["item"], strict=True)]]
if not history.empty:
    history["row"] = history["rule"] + " · " + history["item"].map(lambda c: channel_label(c, page.lang))
    history["date"] = pd.to_datetime(history["date"])
    colours = {
        RuleState.FIRING.label(page.lang): "#dc2626",
        RuleState.PENDING.label(page.lang): "#f59e0b",
        RuleState.RESOLVED.label(page.lang): "#3b82f6",
        RuleState.OK.label(page.lang): "#86efac",
        RuleState.NOT_JUDGED.label(page.lang): "#c4b5fd",
        RuleState.NO_DATA.label(page.lang): "#e5e7eb",
    }
    strip = (
        alt.Chart(history.drop(columns="icon"))
        .mark_rect()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "state:N",
                title=page.t("alerts.state"),
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            tooltip=["row:N", alt.Tooltip("date:T"), "state:N"],
        )
        .properties(height=max(150, 28 * history["row"].nunique()))  # tall enough for all six states' legend
    )
    st.altair_chart(strip, width="stretch")

with st.expander(page.t("alerts.kept")):
    kept = data.kept_history(page.wh)
    if kept.empty:
        st.caption(page.t("alerts.no_kept"))
    else:
        st.dataframe(kept.head(500), hide_index=True, width="stretch")
