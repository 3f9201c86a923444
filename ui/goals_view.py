"""Display pieces of the Goals page: the note on what the page does not filter, the progress bars in their
status's colour, and one card per target (status, reason, pace chart) three to a row, so a manager sees every
target in about one screen at 1440 px instead of a column of full-width cards."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from opsplan.charts.goals import pace_chart, progress_chart
from opsplan.metrics.measure import metric_info
from opsplan.plan.evaluate import TargetResult
from opsplan.plan.model import Plan, TargetKind
from opsplan.screens.plan import kind_label, progress_frame
from opsplan.words import t
from ui.widgets import label, plain, scope_text, status_chip

PER_ROW = 3
ROW_HEIGHT = 35  # st.dataframe's row, in px
CARD_CHART_HEIGHT = 130


def scope_note(plan: Plan, lang: str, narrowed: bool) -> None:
    """Say that the page is the whole plan: the sidebar's channel, campaign and dates do not narrow it — in a
    blue box when a channel or campaign is chosen (the reader expects a narrower page), else in small print."""
    note = t("goals.scope_note", lang, start=str(plan.start), end=str(plan.end))
    if narrowed:
        st.info(note, icon="ℹ️")
    else:
        st.caption(f"ℹ️ {note}")


def summary_table(table: pd.DataFrame) -> None:
    """The table of every target, tall enough for all its rows (no inner scrolling: the whole plan at a glance)."""
    st.dataframe(table, hide_index=True, width="stretch", height=ROW_HEIGHT * (len(table) + 1) + 3)


def progress_board(targets: Sequence[TargetResult], lang: str, plan: Plan, names: Mapping[str, str]) -> None:
    """The cumulative targets' progress as bars in their status's colour, with where the pace says they should
    be; nothing when the plan has no cumulative target."""
    frame = progress_frame(targets, lang, plan, names)
    if frame.empty:
        return
    st.subheader(t("goals.board", lang))
    st.altair_chart(progress_chart(frame, lang), width="stretch")
    st.caption(t("goals.board_note", lang))


def _card(x: TargetResult, lang: str, plan: Plan, names: Mapping[str, str]) -> None:
    where = scope_text(x.scope, lang, names)
    st.markdown(f"**{status_chip(x.status, lang)} · {label(x.metric, lang, plan)} · {plain(where)}**")
    st.caption(f"{kind_label(x.kind, lang)} · {plain(x.reason(lang))}")
    if x.series.empty or not x.series["actual"].notna().any():
        return
    info = metric_info(x.metric, plan)  # a metric the plan defines (nps, ugc_posts) by the plan's label and unit
    forecast = x.forecast if x.kind is TargetKind.CUMULATIVE else None
    chart = pace_chart(
        x.series,
        x.metric,
        lang,
        height=CARD_CHART_HEIGHT,
        label=label(x.metric, lang, plan),
        unit=info.unit,
        forecast=forecast,
    )
    st.altair_chart(chart.properties(title=""), width="stretch")  # the card's heading names it already


def target_cards(targets: Sequence[TargetResult], lang: str, plan: Plan, names: Mapping[str, str]) -> None:
    """One bordered card per target, ``PER_ROW`` to a row, worst first as given."""
    st.subheader(t("goals.each", lang))
    for i in range(0, len(targets), PER_ROW):
        for column, x in zip(st.columns(PER_ROW), targets[i : i + PER_ROW], strict=False):
            with column.container(border=True):
                _card(x, lang, plan, names)
