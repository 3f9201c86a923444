"""The Alerts page's acknowledge / snooze form (``opsplan.plan.acks``; the CLI's ``opsplan ack``).

A snooze is chosen as a number of days from the check's day, as Grafana's silences take a duration: the day
it ends is shown beside each choice. The acknowledgement lands in the warehouse, so the page, the next check's
JSON and its notification all show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from opsplan.plan.acks import acknowledge, flag_item
from opsplan.plan.check import CheckResult, Flag
from opsplan.plan.stoploss import RuleState
from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from ui.widgets import scope_text

SNOOZE_DAYS = (0, 1, 3, 7, 14)


def ack_form(wh: Warehouse, check: CheckResult, flags: Sequence[Flag], lang: str) -> None:
    """A form over the firing and pending flags shown; on submit, the acknowledgement is kept and the page reruns."""
    open_flags = [f for f in flags if f.state in (RuleState.FIRING, RuleState.PENDING)]
    if not open_flags or check.date is None:
        st.caption(t("ack.none", lang))
        return
    day = check.date
    names = {i: f"{f.label(lang)} · {scope_text(f.scope, lang)}" for i, f in enumerate(open_flags)}

    def snooze_text(days: int) -> str:
        if not days:
            return t("ack.snooze_none", lang)
        return t("ack.snooze_days", lang, days=days, until=(day + dt.timedelta(days=days)).isoformat())

    with st.form("ack", border=True):
        st.markdown(f"**{t('ack.form', lang)}**")
        which = st.selectbox(t("ack.flag", lang), list(names), format_func=names.get, key="ack_flag")
        note = st.text_input(t("ack.note", lang), key="ack_note")
        by = st.text_input(t("ack.by", lang), key="ack_by")
        days = st.selectbox(t("ack.snooze", lang), SNOOZE_DAYS, format_func=snooze_text, key="ack_days")
        if st.form_submit_button(t("ack.submit", lang), type="primary"):
            flag = open_flags[which]
            until = day + dt.timedelta(days=days) if days else None
            acknowledge(wh, flag.id, flag_item(flag), note.strip(), until, by.strip(), day=day)
            st.session_state["ack_done"] = t("ack.done", lang, flag=names[which], what=snooze_text(days))
            st.rerun()
    if done := st.session_state.pop("ack_done", None):
        st.success(done)
