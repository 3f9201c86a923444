"""The Alerts page's day-by-day strip: one row per rule and item, one cell per day in its state's colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import date_tip, date_x
from opsplan.plan.stoploss import STATE_ORDER, RuleEval, RuleState
from opsplan.words import channel_label, t


def strip_frame(
    events: Iterable[RuleEval],
    lang: str,
    start: dt.date,
    end: dt.date,
    shown: Collection[tuple[str, str]] | None = None,
    rule_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """row ("rule · item": the rule by its name in ``rule_names``, else its id; the item a channel's name in
    ``lang``), date, state (its label) of each day's state from ``start`` to ``end``; only the (rule id, item)
    pairs in ``shown`` when given."""
    names = rule_names or {}
    rows = [
        {
            "row": f"{names.get(e.rule_id, e.rule_id)} · {channel_label(e.item, lang)}",
            "date": e.date,
            "state": e.state.label(lang),
        }
        for e in events
        if start <= e.date <= end and (shown is None or (e.rule_id, e.item) in shown)
    ]
    return pd.DataFrame(rows, columns=["row", "date", "state"])


def state_strip(history: pd.DataFrame, lang: str) -> alt.Chart:
    """``history``: row (rule · item), date, state (``RuleState.label`` in ``lang``). Every state is on the
    legend, worst first, each in its palette colour."""
    states = sorted(RuleState, key=lambda s: STATE_ORDER.get(s, len(STATE_ORDER)))
    frame = history.assign(date=pd.to_datetime(history["date"]))
    state = t("alerts.state", lang)
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=date_x(),
            y=alt.Y("row:N", title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "state:N",
                title=state,
                scale=alt.Scale(
                    domain=[s.label(lang) for s in states], range=[palette.RULE_STATE_COLORS[s.value] for s in states]
                ),
            ),
            tooltip=[
                alt.Tooltip("row:N", title=t("alerts.rule", lang)),
                date_tip(title=t("explore.date", lang)),
                alt.Tooltip("state:N", title=state),
            ],
        )
        .properties(height=max(150, 28 * frame["row"].nunique()))  # tall enough for all six states' legend
    )
