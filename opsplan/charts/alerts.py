"""The Alerts page's day-by-day strip: one row per rule and item, one cell per day in its state's colour. A listed
flag's run is drawn from its first day even when that is before the sidebar's start (the strip then begins
earlier and a dashed line marks the sidebar's start), so "firing since 02-21" is seen from 02-21."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import date_tip, date_x
from opsplan.plan.result import Flag
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


def clipped_runs(flags: Sequence[Flag], start: dt.date) -> list[Flag]:
    """The flags whose current run began before ``start`` (the sidebar's first day), earliest first: only runs
    worth seeing whole (firing, pending, resolved, not judged), not a long "ok" or "no data"."""
    quiet = (RuleState.OK, RuleState.NO_DATA)
    return sorted((f for f in flags if f.state not in quiet and f.since < start), key=lambda f: f.since)


def strip_start(flags: Sequence[Flag], start: dt.date) -> dt.date:
    """The strip's first day: the earliest start of a listed flag's run, when that is before ``start``."""
    runs = clipped_runs(flags, start)
    return runs[0].since if runs else start


def state_strip(history: pd.DataFrame, lang: str, filter_start: dt.date | None = None) -> alt.TopLevelMixin:
    """``history``: row (rule · item), date, state (``RuleState.label`` in ``lang``). Every state is on the
    legend, worst first, each in its palette colour. ``filter_start``: the sidebar's first day, marked with a
    dashed line when the strip begins before it."""
    states = sorted(RuleState, key=lambda s: STATE_ORDER.get(s, len(STATE_ORDER)))
    frame = history.assign(date=pd.to_datetime(history["date"]))
    state = t("alerts.state", lang)
    strip = (
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
    if filter_start is None or frame.empty or frame["date"].min() >= pd.Timestamp(filter_start):
        return strip
    mark = pd.DataFrame({"date": [pd.Timestamp(filter_start)], "text": [t("alerts.strip_filter_start", lang)]})
    rule = alt.Chart(mark).mark_rule(color=palette.INK, strokeDash=[4, 3], strokeWidth=2).encode(x="date:T")
    text = (
        alt.Chart(mark)
        .mark_text(align="left", baseline="top", dx=4, dy=-14, color=palette.INK)
        .encode(x="date:T", y=alt.value(0), text="text:N")
    )
    return alt.layer(strip, rule, text)
