"""The Goals page's charts (the pace chart also in the weekly report): a target's actual line against its
expected pace, its target and its forecast, each line named on a legend; and the progress of the cumulative
targets as bars in their status's colour (green achieved / on track, amber at risk, red off track)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import date_tip, date_x, value_axis, value_tip
from opsplan.fmt import axis_format
from opsplan.metrics.registry import METRICS, Unit
from opsplan.words import t

LINES = ("actual", "expected", "target", "forecast")
DASHES = {"actual": [1, 0], "expected": [4, 4], "target": [6, 3], "forecast": [2, 3]}
#: fit the page's width only: ``height`` is the plot's, not shared with the title, the axes and the legend below
#: (Streamlit's default "fit" squeezes a short chart with a bottom legend to a sliver)
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
#: the forecast continues the actual line, dotted: the same colour
LINE_COLORS = {**palette.PACE_COLORS, "forecast": palette.ACCENT}


def line_names(lang: str) -> dict[str, str]:
    """Each line's name on the legend in ``lang``: actual, pace, target, forecast."""
    return {line: t(f"chart.pace_{line}" if line != "forecast" else "goals.line_forecast", lang) for line in LINES}


def _value_axis(unit: Unit | None) -> alt.Axis | alt.UndefinedType:
    """The value axis in the unit's format; a count's ticks whole numbers (a mean of 0.9 DAU would otherwise
    label its axis 0, 1, 1, 2, 2)."""
    if unit is None:
        return alt.Undefined
    return alt.Axis(format=axis_format(unit), tickMinStep=1) if unit is Unit.COUNT else value_axis(unit)


def pace_lines(series: pd.DataFrame, forecast: float | None = None) -> pd.DataFrame:
    """``series`` (date, actual, expected, target) as long rows (date, line, value) of the lines worth drawing:
    the expected line only where it is not the target itself (a level target's pace is its target: one line,
    not two dashed ones on top of each other), and, given a ``forecast``, a line from the last actual day to
    the period's last day at the forecast (none once the period is over)."""
    series = series.assign(date=pd.to_datetime(series["date"]))
    lines = ["actual", "target"]
    if not series["expected"].equals(series["target"]) and series["expected"].notna().any():
        lines.insert(1, "expected")
    long = series.melt(id_vars="date", value_vars=lines, var_name="line").dropna()
    seen = series[series["actual"].notna()]
    if forecast is not None and not seen.empty and seen["date"].iloc[-1] < series["date"].iloc[-1]:
        ends = [(seen["date"].iloc[-1], float(seen["actual"].iloc[-1])), (series["date"].iloc[-1], forecast)]
        long = pd.concat([long, pd.DataFrame([(d, "forecast", v) for d, v in ends], columns=long.columns)])
    return long.reset_index(drop=True)


def pace_chart(
    series: pd.DataFrame,
    metric: str,
    lang: str = "zh",
    width: int = 560,
    height: int = 200,
    label: str | None = None,
    unit: Unit | None = None,
    forecast: float | None = None,
) -> alt.Chart:
    """A target's actual line against its expected pace, its target and (``forecast``) where it is heading, from
    TargetResult.series; a legend names each drawn line. ``label`` and ``unit`` name a metric the registry
    does not hold (one the plan defines)."""
    m = METRICS.get(metric)
    title = label or (m.label(lang) if m else metric)
    unit = unit or (m.unit if m else None)
    long = pace_lines(series, forecast)
    drawn = [k for k in LINES if k in set(long["line"])]
    names = {k: line_names(lang)[k] for k in drawn}
    long["line"] = long["line"].map(names)
    legend = alt.Legend(orient="bottom", title=None, symbolStrokeWidth=2, columns=2)  # fits a third of the page
    return (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=date_x(),
            y=alt.Y("value:Q", title=None, axis=_value_axis(unit)),
            color=alt.Color(
                "line:N",
                title=None,
                legend=legend,
                scale=alt.Scale(domain=list(names.values()), range=[LINE_COLORS[k] for k in names]),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                title=None,
                legend=legend,
                scale=alt.Scale(domain=list(names.values()), range=[DASHES[k] for k in names]),
            ),
            tooltip=[
                date_tip(title=t("explore.date", lang)),
                alt.Tooltip("line:N", title=None),
                value_tip("value", title, unit or Unit.RATIO),
            ],
        )
        .properties(title=title, width=width, height=height, autosize=FIT_WIDTH)
    )


def progress_chart(frame: pd.DataFrame, lang: str) -> alt.LayerChart:
    """``frame``: row (the target as the page names it), status (its code), status_label, progress (actual /
    target), expected (where the pace says it should be by now, a share of the target), text (the progress
    formatted). A grey track to 100%, the progress over it in its status's colour (past 100% the bar is full),
    a black tick at the expected share, the progress written at the bar's end."""
    frame = frame.assign(shown=frame["progress"].clip(0.0, 1.0), full=1.0)
    order = list(frame["row"])
    y = alt.Y("row:N", title=None, sort=order, axis=alt.Axis(labelLimit=360, labelFontSize=12))
    x_axis = alt.Axis(format=axis_format(Unit.PERCENT), title=None)
    codes = list(dict.fromkeys(frame["status"]))
    labels = dict(zip(frame["status"], frame["status_label"], strict=True))
    names = {code: labels[code] for code in codes}
    tips = [
        alt.Tooltip("row:N", title=t("goals.metric", lang)),
        alt.Tooltip("status_label:N", title=t("goals.status", lang)),
        alt.Tooltip("text:N", title=t("goals.progress", lang)),
        value_tip("expected", t("goals.board_expected", lang), Unit.PERCENT),
    ]
    base = alt.Chart(frame)
    track = base.mark_bar(color=palette.TRACK, size=14).encode(
        x=alt.X("full:Q", axis=x_axis, scale=alt.Scale(domain=[0, 1.15])), y=y
    )
    bar = base.mark_bar(size=14).encode(
        x="shown:Q",
        y=y,
        color=alt.Color(
            "status_label:N",
            title=t("goals.status", lang),
            scale=alt.Scale(domain=list(names.values()), range=[palette.STATUS_COLORS[c] for c in names]),
            legend=alt.Legend(orient="top", direction="horizontal"),  # next to the heading, not under the axis
        ),
        tooltip=tips,
    )
    tick = base.mark_tick(color=palette.INK, thickness=2, size=20).encode(x="expected:Q", y=y, tooltip=tips)
    text = base.mark_text(align="left", dx=4).encode(x="full:Q", y=y, text="text:N")
    return alt.layer(track, bar, tick, text).properties(height=max(60, 30 * len(order)), autosize=FIT_WIDTH)
