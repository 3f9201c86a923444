"""止损告警 · Alerts: every stop-loss rule per channel or campaign — state, since when, value, the action, history."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from opsplan.stoploss import STATE_ORDER, RuleState
from ui import data, leave_legacy_pages_mode
from ui.i18n import channel_label, t
from ui.plan_view import broken_plan, severity_chip, value_text
from ui.state import filters
from ui.widgets import plain, purpose, scope_text, state_chip

leave_legacy_pages_mode()  # a direct URL on a fresh server must go through app.py's login

TEXT = {
    "purpose": (
        "每条止损规则在每个渠道或活动上的状态：从哪天开始、当前值、该做的应急动作，以及逐日历史。",
        "Every stop-loss rule on every channel or campaign: its state, since when, the value, the action the "
        "plan prescribes, and the day-by-day history.",
    ),
    "none": ("计划里没有止损规则。", "The plan has no stop-loss rules."),
    "rule": ("规则", "Rule"),
    "scope": ("范围", "Scope"),
    "state": ("状态", "State"),
    "since": ("起始", "Since"),
    "value": ("当前值", "Value"),
    "severity": ("级别", "Severity"),
    "action": ("应急动作", "Action"),
    "diagnosis": ("诊断", "Diagnosis"),
    "why": ("说明", "Why"),
    "history": ("逐日历史", "Day by day"),
    "show_all": ("显示正常与无数据的项", "Show ok and no-data items too"),
    "kept": ("已记录的检查与处理备注", "Kept checks and notes on what was done"),
    "no_kept": (
        "还没有 `opsplan check` 的记录（用 cron 每天运行它，这里会显示历史和备注）。",
        "No `opsplan check` runs kept yet (run it daily from cron to see their history and notes here).",
    ),
}
ORDER = STATE_ORDER


def tr(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


f = filters()
lang = f.lang
wh = data.current_warehouse()
purpose(t("page_alerts", lang), tr("purpose", lang))
state = data.plan_state(wh)
plan = state.plan
if plan is None:  # the rules' health is an error: show which rules exist and that none was judged
    broken_plan(state, lang)
    rules = state.parsed.rules if state.parsed else ()
    if rules:
        st.dataframe(
            pd.DataFrame(
                {
                    tr("rule", lang): [r.id for r in rules],
                    tr("state", lang): [t("plan_rule_error", lang)] * len(rules),
                    tr("action", lang): [r.action for r in rules],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.stop()
check = data.check(wh)
if not plan.rules:
    st.info(tr("none", lang))
    st.stop()

show_all = st.toggle(tr("show_all", lang), value=False)
flags = sorted(check.flags, key=lambda x: (ORDER[x.state], x.id, scope_text(x.scope, lang)))
if f.channel:
    flags = [x for x in flags if x.scope.get("channel") in (None, f.channel) or "campaign" in x.scope]
if not show_all:
    flags = [x for x in flags if x.state not in (RuleState.OK, RuleState.NO_DATA)] or flags[:0]
st.dataframe(
    pd.DataFrame(
        {
            tr("rule", lang): [x.id for x in flags],
            tr("scope", lang): [scope_text(x.scope, lang) for x in flags],
            tr("state", lang): [state_chip(x.state, lang) for x in flags],
            tr("since", lang): [str(x.since) for x in flags],
            tr("value", lang): [value_text(x.metric, x.value, plan, lang) for x in flags],
            tr("why", lang): [x.reason(lang) for x in flags],
            tr("severity", lang): [severity_chip(x.severity, lang) for x in flags],
            tr("action", lang): [x.action for x in flags],
            tr("diagnosis", lang): [x.diagnosis for x in flags],
        }
    ),
    hide_index=True,
    width="stretch",
)

for x in flags:
    if x.diagnosis and x.state in (RuleState.FIRING, RuleState.PENDING):
        where = plain(f"{x.id} · {scope_text(x.scope, lang)}")
        st.info(f"**{where}** · {tr('diagnosis', lang)}: {plain(x.diagnosis)}  \n→ {plain(x.action)}")

st.subheader(tr("history", lang))
history = pd.DataFrame(
    [
        {"rule": e.rule_id, "item": e.item, "date": e.date, "state": e.state.label(lang), "icon": e.state}
        for e in check.history
        if f.start <= e.date <= f.end
    ]
)
if not history.empty:
    shown = (
        {(x.id, x.scope.get("channel") or x.scope.get("campaign") or "all") for x in flags} if not show_all else None
    )
    if shown is not None:
        history = history[[(r, i) in shown for r, i in zip(history["rule"], history["item"], strict=True)]]
if not history.empty:
    history["row"] = history["rule"] + " · " + history["item"].map(lambda c: channel_label(c, lang))
    history["date"] = pd.to_datetime(history["date"])
    colours = {
        RuleState.FIRING.label(lang): "#dc2626",
        RuleState.PENDING.label(lang): "#f59e0b",
        RuleState.RESOLVED.label(lang): "#3b82f6",
        RuleState.OK.label(lang): "#86efac",
        RuleState.NOT_JUDGED.label(lang): "#c4b5fd",
        RuleState.NO_DATA.label(lang): "#e5e7eb",
    }
    strip = (
        alt.Chart(history.drop(columns="icon"))
        .mark_rect()
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "state:N",
                title=tr("state", lang),
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="top"),  # every state's colour, however few rows the strip has
            ),
            tooltip=["row:N", alt.Tooltip("date:T"), "state:N"],
        )
        .properties(height=max(80, 28 * history["row"].nunique()))
    )
    st.altair_chart(strip, width="stretch")

with st.expander(tr("kept", lang)):
    kept = data.kept_history(wh)
    if kept.empty:
        st.caption(tr("no_kept", lang))
    else:
        st.dataframe(kept.head(500), hide_index=True, width="stretch")
