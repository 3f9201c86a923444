"""今日 · Today: the morning check — stop-loss flags first, yesterday's KPIs, targets, what needs attention."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from opsplan.stoploss import RuleState
from opsplan.view_plan import attention
from ui import data, leave_legacy_pages_mode
from ui.freshness_view import stale_notice
from ui.i18n import t
from ui.plan_view import attention_line, broken_plan, severity_chip
from ui.state import filters
from ui.widgets import kpi_cards, plain, purpose, scope_text, state_chip, status_chip

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

DEFAULT_CARDS = ("new_users", "dau", "revenue", "paying_users", "spend", "cac", "ctr", "signup_cvr", "roi_7d", "arpu")
TEXT = {
    "purpose": (
        "每天早上先看这里：止损告警、昨日核心指标（对比前一天与上周同日）、目标状态和今天要处理的事。",
        "Start every morning here: stop-loss flags, yesterday's KPIs (vs the day before and the same day last "
        "week), target statuses and what needs attention today.",
    ),
    "flags": ("止损告警", "Stop-loss flags"),
    "no_flags": ("没有触发或观察中的止损规则。", "No stop-loss rule is firing or pending."),
    "kpis": ("昨日核心指标", "Yesterday's KPIs"),
    "targets": ("目标状态", "Targets"),
    "attention": ("今天要处理", "Needs attention today"),
    "nothing": ("一切正常，没有需要处理的事项。", "All clear: nothing needs attention."),
    "freshness": ("数据新鲜度", "Data freshness"),
    "as_of": ("（仅就截至 {day} 的数据而言）", "(as far as the data through {day} goes)"),
    "since": ("自", "since"),
}


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
_, through = data.data_window(wh)
assert through is not None
purpose(f"{t('page_today', lang)} · {through}", tr("purpose", lang))

stale = stale_notice(wh, lang, data.is_demo(wh))
# on old data an all-clear is not news about today: said as information, with the day it is about
all_clear = (lambda text: st.info(f"{text} {tr('as_of', lang).format(day=through)}")) if stale else st.success
state = data.plan_state(wh)
plan = state.plan
check = data.check(wh) if plan else None

# 1. flags first (a plan with errors: every problem in red, and no verdict anywhere below)
st.subheader(tr("flags", lang))
flags = [x for x in (check.flags if check else ()) if x.state in (RuleState.FIRING, RuleState.PENDING)]
flags.sort(key=lambda x: (x.state is not RuleState.FIRING, x.severity != "critical", x.id))
if not broken_plan(state, lang) and not flags:
    all_clear(tr("no_flags", lang))
for flag in flags:
    box = st.error if flag.state is RuleState.FIRING and flag.severity == "critical" else st.warning
    box(
        f"**{state_chip(flag.state, lang)} · {severity_chip(flag.severity, lang)} · {flag.id} · "
        f"{plain(scope_text(flag.scope, lang))}** "
        f"({tr('since', lang)} {flag.since})  \n{flag.reason(lang)}  \n→ {plain(flag.action)}"
        + (f"  \n_{plain(flag.diagnosis)}_" if flag.diagnosis else "")
    )

# 2. yesterday's KPIs, narrowed by the global channel / campaign filter
st.subheader(tr("kpis", lang))
cards = [m for m in (plan.cadence.get("daily", ()) if plan else ()) if m in DEFAULT_CARDS] or list(DEFAULT_CARDS)
cards += [m for m in DEFAULT_CARDS if m not in cards][: max(0, 10 - len(cards))]
daily = data.metrics(
    wh, cards, "day", through - dt.timedelta(days=40), through, channels=f.channels, campaigns=f.campaigns
)
kpi_cards(daily, cards, through, lang)

# 3. what needs attention (flags, off-track and at-risk targets, over-pace channels), then every target
st.subheader(tr("attention", lang))
items = attention(check) if check else []
if items:
    st.markdown("\n".join(f"- {attention_line(a, lang, plan)}" for a in items))
elif check is None:
    st.error(t("plan_not_judged", lang), icon="⛔")
else:
    all_clear(tr("nothing", lang))

st.subheader(tr("targets", lang))
if check and check.targets:
    st.dataframe(
        pd.DataFrame(
            {
                "id": [x.id for x in check.targets],
                "状态" if lang == "zh" else "Status": [status_chip(x.status, lang) for x in check.targets],
                "说明" if lang == "zh" else "Why": [x.reason(lang) for x in check.targets],
            }
        ),
        hide_index=True,
        width="stretch",
    )

# 4. freshness
with st.expander(tr("freshness", lang), expanded=False):
    st.dataframe(data.table_freshness(wh), hide_index=True, width="stretch")
