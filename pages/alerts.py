"""止损告警 · Alerts: every stop-loss rule per channel or campaign — state, since when, value, the action, history."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui import plan_view as view
from ui.ack_view import ack_form
from ui.frame import open_page

page = open_page("nav.alerts", "alerts.purpose")

state = data.plan_state(page.wh)
plan = state.plan
if plan is None:  # the rules' health is an error: show which rules exist and that none was judged
    view.broken_plan(state, page.lang)
    rules = view.unjudged_rules(state, page.lang)
    if not rules.empty:
        st.dataframe(rules, hide_index=True, width="stretch")
    st.stop()
check = data.check(page.wh)
if not plan.rules:
    st.info(page.t("alerts.none"))
    st.stop()

show_all = st.toggle(page.t("alerts.show_all"), value=False)
flags = view.shown_flags(check.flags, page.filters.channel, show_all, page.lang)
st.dataframe(view.flags_table(flags, plan, page.lang, check.date), hide_index=True, width="stretch")
for note in view.diagnoses(flags, page.lang, check.date):
    st.info(note)
ack_form(page.wh, check, flags, page.lang)

st.subheader(page.t("alerts.history"))
strip = view.history_strip(check, flags, show_all, page.filters.start, page.filters.end, page.lang)
if strip is not None:
    st.altair_chart(strip, width="stretch")
    if note := view.strip_note(flags, page.filters.start, page.lang):
        st.caption(note)

with st.expander(page.t("alerts.kept")):
    kept = data.kept_history(page.wh)
    if kept.empty:
        st.caption(page.t("alerts.no_kept"))
    else:
        st.dataframe(view.kept_table(kept.head(500), plan, page.lang), hide_index=True, width="stretch")
