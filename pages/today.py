"""今日 · Today in one screen: what needs attention (worst first, each a link to the page that explains it),
yesterday's KPIs with their target, pace and stop-loss line, why each KPI off its target moved, then every
target and the data's freshness folded away. The scope of each part is said first."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui import today_view as view
from ui.data_view import headed
from ui.frame import open_page
from ui.freshness_view import stale_notice

page = open_page("nav.today", "today.purpose", dated=True)

stale = stale_notice(page.wh, page.lang, data.is_demo(page.wh))
# on old data an all-clear is not news about today: said as information, with the day it is about
all_clear = (lambda text: st.info(f"{text} {page.t('today.as_of', day=page.through)}")) if stale else st.success
state = data.plan_state(page.wh)
plan = state.plan
check = data.check(page.wh) if plan else None

view.scope_note(page)

# 1. one list, worst first: flags, targets off track or at risk, channels over the budget's pace
st.subheader(page.t("today.attention"))
view.needs_attention(page, state, check, all_clear)

# 2. yesterday's KPIs, narrowed by the sidebar's channel / campaign
st.subheader(page.t("today.kpis"))
view.cards(page, plan, check)

# 3. why each KPI off its target moved (the whole plan's)
view.why_moved(page, check)

# 4. folded: every target, the data's freshness
view.all_targets(page, plan, check)
with st.expander(page.t("today.freshness"), expanded=False):
    st.dataframe(headed(data.table_freshness(page.wh), page.lang), hide_index=True, width="stretch")
