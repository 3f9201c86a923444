"""Today's display pieces: the scope line, the one "needs attention" list (worst first, each item a link), the
KPI cards with their target / pace / stop-loss line, why each KPI off its target moved (a sentence and a
waterfall), and the full targets table behind an expander. The logic is ``opsplan.screens.today``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from opsplan import fmt
from opsplan.charts.why import waterfall_chart
from opsplan.handle import PlanState
from opsplan.plan.check import CheckResult
from opsplan.plan.model import Plan
from opsplan.screens.plan import targets_frame
from opsplan.screens.today import TOP, Move, attention_items, card_names, card_notes, flag_summary, moves, scope_line
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.words import t
from ui import data
from ui.frame import Page
from ui.plan_view import broken_plan
from ui.widgets import kpi_cards, plain

#: the waterfalls side by side
PER_ROW = 2


def campaigns_of(page: Page) -> dict[str, tuple[str, str]]:
    """campaign id → (its channel, its name) from the data."""
    return data.campaign_owners(page.wh)


def scope_note(page: Page) -> None:
    """Which parts follow the sidebar filter (the cards) and which are the whole plan's, said before any of them."""
    f = page.filters
    names = {c: n for c, (_, n) in campaigns_of(page).items()}
    st.caption(scope_line(page.lang, f.channel, f.campaign, names))


def needs_attention(
    page: Page, state: PlanState, check: CheckResult | None, all_clear: Callable[[str], object]
) -> None:
    """The plan's errors in red (no verdict then); else the flags' summary (red with a critical one firing, an
    all-clear when none is open), then one list worst first, each head a link to the page that explains it."""
    if broken_plan(state, page.lang) or check is None:
        return
    summary, critical = flag_summary(check, page.lang)
    if not summary:
        all_clear(page.t("today.no_flags"))
    else:
        (st.error if critical else st.warning)(summary)
    f = page.filters
    items = attention_items(check, state.plan, page.lang, f.start, f.end, campaigns_of(page))
    if not items:
        all_clear(page.t("today.nothing"))
        return
    st.markdown("\n".join(f"- [{plain(i.head)}]({i.url}) {plain(i.detail)}" for i in items))
    st.caption(page.t("today.link_hint"))


def cards(page: Page, plan: Plan | None, check: CheckResult | None) -> None:
    """Yesterday's KPIs, narrowed by the sidebar's channel / campaign, each with the plan's target on it (for
    that scope), its pace and any stop-loss threshold."""
    names = card_names(plan)
    f = page.filters
    start = page.through - dt.timedelta(days=40)
    daily = data.metrics(page.wh, names, "day", start, page.through, channels=f.channels, campaigns=f.campaigns)
    notes = card_notes(check, plan, names, page.lang, f.channel, f.campaign)
    kpi_cards(daily, names, page.through, page.lang, notes=notes)


@st.cache_data(ttl=data.TTL, show_spinner=False)
@data.reads  # a miss reuses this run's open connection
def _moves(path: str, version: str, plan_file: str, mtime: float, lang: str) -> list[Move]:
    wh = Warehouse(Path(path))
    state, check = data.plan_state(wh), data.check(wh)
    with read_connection(wh) as con:
        return moves(con, check, state.plan, lang, data.campaign_owners(wh))


def why_moved(page: Page, check: CheckResult | None) -> None:
    """For each KPI off its target: the sentence and the waterfall of its change, the periods said."""
    if check is None or not check.targets:
        return
    plan_file = data.plan_path()
    found = _moves(str(page.wh.path), data.version(page.wh), str(plan_file), plan_file.stat().st_mtime, page.lang)
    st.subheader(page.t("today.why_title"))
    if not found:
        st.caption(page.t("today.why_none"))
        return
    for row in range(0, len(found), PER_ROW):
        for col, move in zip(st.columns(PER_ROW), found[row : row + PER_ROW], strict=False):
            with col.container(border=True):
                st.markdown(f"**{plain(move.why)}**")
                if move.dec is None:
                    continue
                before, after = move.dates
                st.caption(page.t("today.why_compared", compared=move.compared, before=before, after=after))
                chart = waterfall_chart(move.dec, move.info, page.lang, move.per, TOP, periods=move.periods, height=220)
                if chart is not None:
                    st.altair_chart(chart, width="stretch")


def all_targets(page: Page, plan: Plan | None, check: CheckResult | None) -> None:
    """Every target with its values and its whole reason — folded: the list above names the ones
    that need attention."""
    if not check or not check.targets:
        return
    names = {c: n for c, (_, n) in campaigns_of(page).items()}
    table = targets_frame(check.targets, page.lang, plan, names)  # in the plan file's order
    progress = page.t("goals.progress")
    table[progress] = table[progress].map(fmt.share)
    why = {page.t("goals.why"): st.column_config.TextColumn(width="large")}
    with st.expander(t("today.targets_toggle", page.lang, count=fmt.count(len(table))), expanded=False):
        st.dataframe(table, hide_index=True, width="stretch", column_config=why)
