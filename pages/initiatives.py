"""关键举措 · Initiatives: who owns what, until when, and whether its own metric says it is working."""

from __future__ import annotations

import streamlit as st

from opsplan.screens.plan import initiative_reason, initiatives_frame
from ui import data
from ui.frame import open_page
from ui.plan_view import judged_plan
from ui.widgets import plain, status_chip

page = open_page("nav.initiatives", "initiatives.purpose")

plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
if not check.initiatives:
    st.info(page.t("initiatives.none"))
    st.stop()

rows = check.initiatives
# progress beside the share of its time gone: 60% done with 90% of the time gone is behind
bar = {"format": "percent", "min_value": 0.0, "max_value": 1.0, "step": 0.01, "width": "small"}  # 45%, as fmt.share
st.dataframe(
    initiatives_frame(rows, page.lang, plan, data.campaign_names(page.wh)),
    hide_index=True,
    width="stretch",
    column_config={
        page.t("initiatives.progress"): st.column_config.ProgressColumn(**bar),
        page.t("initiatives.elapsed"): st.column_config.ProgressColumn(**bar),
    },
)
for i in rows:
    if why := initiative_reason(i, page.lang):
        st.caption(
            page.t(
                "initiatives.caption",
                status=status_chip(i.status, page.lang),
                name=plain(i.name),
                owner=plain(i.owner),
                why=why,
            )
        )
