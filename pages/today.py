"""今日 · Today: the morning check — stop-loss flags first, yesterday's KPIs, targets, what needs attention."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from opsplan.plan.stoploss import RuleState
from opsplan.screens.plan import attention, targets_frame
from ui import data
from ui.data_view import headed
from ui.frame import open_page
from ui.freshness_view import stale_notice
from ui.plan_view import attention_line, broken_plan, severity_chip
from ui.widgets import kpi_cards, plain, scope_text, state_chip

page = open_page("nav.today", "today.purpose", dated=True)

DEFAULT_CARDS = ("new_users", "dau", "revenue", "paying_users", "spend", "cac", "ctr", "signup_cvr", "roi_7d", "arpu")

stale = stale_notice(page.wh, page.lang, data.is_demo(page.wh))
# on old data an all-clear is not news about today: said as information, with the day it is about
all_clear = (lambda text: st.info(f"{text} {page.t('today.as_of', day=page.through)}")) if stale else st.success
state = data.plan_state(page.wh)
plan = state.plan
check = data.check(page.wh) if plan else None
names = data.campaign_names(page.wh)

# 1. flags first (a plan with errors: every problem in red, and no verdict anywhere below)
st.subheader(page.t("today.flags"))
flags = [x for x in (check.flags if check else ()) if x.state in (RuleState.FIRING, RuleState.PENDING)]
flags.sort(key=lambda x: (x.state is not RuleState.FIRING, x.severity != "critical", x.id))
if not broken_plan(state, page.lang) and not flags:
    all_clear(page.t("today.no_flags"))
for flag in flags:
    box = st.error if flag.state is RuleState.FIRING and flag.severity == "critical" else st.warning
    box(
        f"**{state_chip(flag.state, page.lang)} · {severity_chip(flag.severity, page.lang)} · "
        f"{plain(flag.label(page.lang))} · "
        f"{plain(scope_text(flag.scope, page.lang, names))}**"
        f"{page.t('today.since_day', day=flag.since)}  \n{flag.reason(page.lang)}  \n→ {plain(flag.action)}"
        + (f"  \n_{plain(flag.diagnosis)}_" if flag.diagnosis else "")
    )

# 2. yesterday's KPIs, narrowed by the global channel / campaign filter
st.subheader(page.t("today.kpis"))
cards = [m for m in (plan.cadence.get("daily", ()) if plan else ()) if m in DEFAULT_CARDS] or list(DEFAULT_CARDS)
cards += [m for m in DEFAULT_CARDS if m not in cards][: max(0, 10 - len(cards))]
f = page.filters
daily = data.metrics(
    page.wh,
    cards,
    "day",
    page.through - dt.timedelta(days=40),
    page.through,
    channels=f.channels,
    campaigns=f.campaigns,
)
kpi_cards(daily, cards, page.through, page.lang)

# 3. what needs attention (flags, off-track and at-risk targets, over-pace channels), then every target
st.subheader(page.t("today.attention"))
items = attention(check) if check else []
if items:
    st.markdown("\n".join(f"- {attention_line(a, page.lang, plan)}" for a in items))
elif check is None:
    st.error(page.t("plan.not_judged"), icon="⛔")
else:
    all_clear(page.t("today.nothing"))

st.subheader(page.t("today.targets"))
if check and check.targets:
    st.dataframe(targets_frame(check.targets, page.lang, plan, detail=False), hide_index=True, width="stretch")

# 4. freshness
with st.expander(page.t("today.freshness"), expanded=False):
    st.dataframe(headed(data.table_freshness(page.wh), page.lang), hide_index=True, width="stretch")
