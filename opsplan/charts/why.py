"""The "why did it move" waterfall (Today, the weekly review): from the metric's value before, one step per
part's contribution (``opsplan.metrics.decompose``), to its value after.

One bar per part (the largest few, the rest as one "others" bar), labelled with its contribution: it reads in
five seconds. Whether a part of a ratio moved by its share (mix) or by its own value (rate) is in the bar's
tooltip and in the sentence beside the chart ("小红书 -7.0pp（自身次日留存率下降）"). A step in the metric's good
direction is green, in its bad one red. The two totals are grey bars from the axis' floor: when the change is
small against the level, the axis starts above zero (at the lowest level minus twice the change's spread, or
a tenth of the level if more, and low enough for its labels to differ) so the steps stay visible; its labels
say where it starts.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from opsplan import fmt
from opsplan.charts import palette
from opsplan.metrics.decompose import Decomposition
from opsplan.metrics.measure import MetricInfo
from opsplan.metrics.metric import Direction, Unit
from opsplan.words import channel_label, t

COLUMNS = ["name", "kind", "start", "end", "tone", "text", "level", "mix", "rate"]
TONES = ("good", "bad", "neutral", "total")
#: a bar's name longer than this many characters goes on lines of its words
_WRAP = 10
#: room above the highest bar for its label, as a share of the chart's spread
_HEADROOM = 0.15


def _signed(unit: Unit, x: float, is_ratio: bool) -> str:
    """A step's label: a rate's move in points (+4.0pp), anything else in its unit with a sign (-60, +¥1.20)."""
    if is_ratio and unit == Unit.PERCENT:
        return fmt.points(x)
    text = fmt.value(unit, x)
    return text if text.startswith("-") or x == 0 else "+" + text


def _tone(x: float, direction: Direction) -> str:
    if direction == Direction.NEUTRAL:
        return "neutral"
    return "good" if (x > 0) == (direction == Direction.UP) else "bad"


#: the least an axis spans, by unit: a few ticks its format tells apart (0.1% apart on a rate axis, not
#: "2.1% 2.1% 2.1%")
_MIN_SPAN = {Unit.PERCENT: 0.005, Unit.RATIO: 0.05, Unit.COUNT: 5.0, Unit.CURRENCY: 5.0}


def _floor(levels: list[float], unit: Unit) -> float:
    """Where the total bars start: 0, unless every level is positive and the change small against them."""
    lo, hi = min(levels), max(levels)
    spread = hi - lo
    if spread == 0 or lo <= 0:
        return 0.0
    return max(0.0, min(lo - max(2 * spread, lo / 10), hi - _MIN_SPAN.get(unit, 0.0)))


def waterfall_frame(
    dec: Decomposition,
    info: MetricInfo,
    lang: str,
    per: str = "channel",
    top: int = 3,
    names: Mapping[str, str] | None = None,
    periods: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """One row per bar, in order: the total before, the ``top`` largest parts (the rest as one "others" bar), the
    total after. Columns: name (shown), kind ('total' | 'part'), start and end (the bar's ends in the metric's
    unit), tone (a WATERFALL_COLORS key), text (the part's formatted contribution, or the total's value), level
    (the formatted running value after the bar), mix and rate (a ratio part's two contributions, formatted;
    '' otherwise). Empty when a period has no value (the sentence says why). ``names``: campaign_id → name;
    ``periods``: the totals' labels."""
    if dec.before is None or dec.after is None:
        return pd.DataFrame(columns=COLUMNS)
    before_name, after_name = periods or (t("why.chart.before", lang), t("why.chart.after", lang))

    def shown(key: str) -> str:
        return channel_label(key, lang) if per == "channel" else str((names or {}).get(key) or key)

    def signed(x: float) -> str:
        return _signed(info.unit, x, dec.is_ratio)

    moving = [p for p in dec.parts if float(p.total) != 0]
    steps = [
        (shown(p.key), float(p.total), *((signed(float(p.mix)), signed(float(p.rate))) if dec.is_ratio else ("", "")))
        for p in moving[:top]
    ]
    rest = sum(float(p.total) for p in moving[top:])
    if moving[top:] and rest != 0:
        steps.append((t("why.chart.others", lang), rest, "", ""))

    before, after = float(dec.before), float(dec.after)
    levels, level = [before], before
    for step in steps:
        level += step[1]
        levels.append(level)
    floor = _floor([*levels, after], info.unit)
    show = lambda x: fmt.value(info.unit, x)  # noqa: E731 - the unit's format, named for the rows below
    rows = [(before_name, "total", floor, before, "total", show(before), show(before), "", "")]
    level = before
    for name, change, mix, rate in steps:
        tone = _tone(change, info.direction)
        rows.append((name, "part", level, level + change, tone, signed(change), show(level + change), mix, rate))
        level += change
    rows.append((after_name, "total", floor, after, "total", show(after), show(after), "", ""))
    return pd.DataFrame(rows, columns=COLUMNS)


def waterfall_chart(
    dec: Decomposition,
    info: MetricInfo,
    lang: str,
    per: str = "channel",
    top: int = 3,
    names: Mapping[str, str] | None = None,
    periods: tuple[str, str] | None = None,
    height: int = 260,
) -> alt.LayerChart | None:
    """The waterfall of ``waterfall_frame`` (same arguments): bars from start to end coloured by tone, each
    labelled with its change (a total with its value); None when there is nothing to draw."""
    frame = waterfall_frame(dec, info, lang, per, top, names, periods)
    if frame.empty:
        return None
    lo = min(frame["start"].min(), frame["end"].min())
    hi = max(frame["start"].max(), frame["end"].max())
    frame = frame.assign(top=frame[["start", "end"]].max(axis=1))
    order = list(frame["name"])
    label = info.label(lang)
    # a long English name ("WeChat Moments") on lines of its words, so every bar keeps its name
    wrap = f"length(datum.label) > {_WRAP} ? split(datum.label, ' ') : datum.label"
    axis = alt.Axis(labelAngle=0, labelLimit=120, labelExpr=wrap)
    x = alt.X("name:N", sort=order, title=None, axis=axis)
    y = alt.Y(
        "start:Q",
        title=label,
        axis=alt.Axis(format=fmt.axis_format(info.unit), tickCount=5),  # few ticks: a narrow axis reads apart
        scale=alt.Scale(domain=[lo, hi + (hi - lo) * _HEADROOM], nice=False, zero=False),
    )
    color = alt.Color(
        "tone:N",
        scale=alt.Scale(domain=list(TONES), range=[palette.WATERFALL_COLORS[k] for k in TONES]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("name:N", title=t("why.chart.step", lang)),
        alt.Tooltip("text:N", title=t("why.chart.change", lang)),
        alt.Tooltip("level:N", title=t("why.chart.level", lang)),
    ]
    if dec.is_ratio:  # the part's share moving and its own value moving
        tooltip += [
            alt.Tooltip("mix:N", title=t("why.chart.mix_part", lang)),
            alt.Tooltip("rate:N", title=t("why.chart.rate_part", lang, metric=label)),
        ]
    base = alt.Chart(frame)
    bars = base.mark_bar().encode(x=x, y=y, y2="end:Q", color=color, tooltip=tooltip)
    text = base.mark_text(baseline="bottom", dy=-3, color=palette.INK).encode(
        x=alt.X("name:N", sort=order), y=alt.Y("top:Q"), text="text:N"
    )
    return alt.layer(bars, text).properties(height=height)
