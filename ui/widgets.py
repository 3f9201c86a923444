"""Small display pieces every page uses: status chips, KPI cards and tables formatted by the registry.

Labels and formats come from the metric registry (``opsplan.metrics.registry``) or, for the plan's own metrics,
from ``opsplan.metrics.measure.metric_info``; nothing here repeats a label or a format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.charts.palette import TONE_CSS
from opsplan.metrics.registry import METRICS, Direction
from opsplan.screens.explore import metric_table  # noqa: F401  (re-exported)
from opsplan.screens.plan import (  # noqa: F401  (the pages' chips and labels, re-exported)
    STATE_ICON,
    STATUS_ICON,
    label,
    label_of,
    scope_text,
    show,
    state_chip,
    status_chip,
)
from opsplan.words import has, t

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def plain(text: object) -> str:
    """Data text (a campaign name, an action, a reason) made inert inside Markdown: every character Markdown or
    Streamlit would act on is escaped, so '![x](http://…)' shows as written instead of fetching an image."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def definition(m: Any, lang: str) -> str:
    """A metric's definition in ``lang`` (a card's tooltip, the glossary): the registry's in English, the
    catalogue's ``metric.<name>.definition`` in Chinese (the registry's when the catalogue has none)."""
    key = f"metric.{m.name}.definition"
    return t(key, lang) if lang != "en" and has(key) else m.definition


def _value(frame: pd.DataFrame, day: dt.date, name: str) -> object:
    row = frame[frame["date"] == day]
    return None if row.empty else row.iloc[0][name]


def _change(now: object, before: object) -> float | None:
    if fmt.is_empty(now) or fmt.is_empty(before) or float(before) == 0:  # type: ignore[arg-type]
        return None
    return (float(now) - float(before)) / abs(float(before))


def kpi_cards(
    daily: pd.DataFrame,
    names: Sequence[str],
    day: dt.date,
    lang: str,
    per_row: int = 5,
    notes: Mapping[str, str] | None = None,
) -> None:
    """One card per metric for ``day`` with the change vs the day before (the delta) and vs the same weekday
    a week earlier (below it), and the last 14 days as a sparkline. A cohort metric shows its latest
    mature cohort day instead (roi_7d: ``day`` - 6) and says so. ``notes``: a line per metric under its card
    (Today: the plan's target on it, its pace, the stop-loss threshold)."""
    names = list(names)
    for start in range(0, len(names), per_row):
        cols = st.columns(per_row)
        for col, name in zip(cols, names[start : start + per_row], strict=False):
            m = METRICS[name]
            shown = day - dt.timedelta(days=m.lag)
            now = _value(daily, shown, name)
            day_before = _change(now, _value(daily, shown - dt.timedelta(days=1), name))
            week_before = _change(now, _value(daily, shown - dt.timedelta(days=7), name))
            spark = daily[(daily["date"] <= shown) & (daily["date"] > shown - dt.timedelta(days=14))][name]
            col.metric(
                m.label(lang),
                m.format(now),
                fmt.change(day_before) if day_before is not None else None,
                delta_color={Direction.DOWN: "inverse", Direction.NEUTRAL: "off"}.get(m.direction, "normal"),
                delta_description=t("kpi.vs_day_before", lang),
                help=definition(m, lang),
                border=True,
                chart_data=[float(v) for v in spark if not pd.isna(v)] or None,
            )
            note = ""
            if week_before is not None:
                note = t("kpi.vs_last_week", lang, change=fmt.change(week_before))
            if m.lag:
                note = t("kpi.cohort_of", lang, day=shown) + (" · " + note if note else "")
            if note:
                col.caption(note)
            if notes and notes.get(name):
                col.caption(f"🎯 {plain(notes[name])}")


def purpose(title: str, caption: str) -> None:
    """Every page starts the same way: its name and one sentence saying what it is for."""
    st.title(title)
    st.caption(caption)


def show_toned(table: pd.DataFrame, tones: Mapping[str, Sequence[str]], wide: Sequence[str] = ()) -> None:
    """``st.dataframe`` of ``toned(table, tones)``, the ``wide`` columns given room for their text."""
    config = {c: st.column_config.TextColumn(width="medium") for c in wide if c in table.columns}
    st.dataframe(toned(table, tones), hide_index=True, width="stretch", column_config=config)


def toned(table: pd.DataFrame, tones: Mapping[str, Sequence[str]]) -> object:
    """``table`` as a Styler whose cells in ``tones``' columns are coloured good / bad (``palette.TONE_CSS``)."""

    def colour(column: pd.Series) -> list[str]:
        marks = tones.get(str(column.name))
        return [TONE_CSS.get(m, "") for m in marks] if marks is not None else [""] * len(column)

    return table.style.apply(colour)
