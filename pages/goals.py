"""目标 · Goals: every target of the plan with progress, pace, forecast, status and the reason — the whole plan
in about one screen: the table, the cumulative targets' progress in their status's colour, then one small card
per target three to a row. The page does not follow the sidebar's filters (a target has its own scope and the
plan's period) and says so."""

from __future__ import annotations

import streamlit as st

from opsplan import fmt
from opsplan.screens.plan import sorted_targets, targets_frame
from ui import data
from ui import goals_view as view
from ui.frame import open_page
from ui.plan_view import judged_plan

page = open_page("nav.goals", "goals.purpose")

plan = judged_plan(data.plan_state(page.wh), page.lang)
check = data.check(page.wh)
names = data.campaign_names(page.wh)
targets = sorted_targets(check.targets)

view.scope_note(plan, page.lang, narrowed=bool(page.filters.channel or page.filters.campaign))
st.subheader(page.t("goals.summary"))
table = targets_frame(targets, page.lang, plan, names)
progress = page.t("goals.progress")
table[progress] = table[progress].map(fmt.share)  # as text: the bars, in their status colour, are below
view.summary_table(table)

view.progress_board(targets, page.lang, plan, names)
view.target_cards(targets, page.lang, plan, names)
