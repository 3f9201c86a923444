"""A target's pace chart (Goals page, the weekly report): the actual line against the expected pace and the
target, from ``TargetResult.series``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opsplan.charts import palette
from opsplan.charts.axes import date_tip, date_x, keyed_color, value_axis, value_tip
from opsplan.metrics.registry import METRICS, Unit
from opsplan.words import t

LINES = ("actual", "expected", "target")
DASHES = {"actual": [1, 0], "expected": [4, 4], "target": [6, 3]}


def pace_chart(
    series: pd.DataFrame,
    metric: str,
    lang: str = "zh",
    width: int = 560,
    height: int = 200,
    label: str | None = None,
    unit: Unit | None = None,
) -> alt.Chart:
    """A target's actual line against its expected-pace line and the target (from TargetResult.series).
    ``label`` and ``unit`` name a metric the registry does not hold (one the plan defines)."""
    m = METRICS.get(metric)
    title = label or (m.label(lang) if m else metric)
    unit = unit or (m.unit if m else None)
    names = {line: t(f"chart.pace_{line}", lang) for line in LINES}
    series = series.assign(date=pd.to_datetime(series["date"]))
    long = series.melt(id_vars="date", value_vars=list(LINES), var_name="line")
    long["line"] = long["line"].map(names)
    shown = list(names.values())
    return (
        alt.Chart(long.dropna())
        .mark_line()
        .encode(
            x=date_x(),
            y=alt.Y("value:Q", title=title, axis=value_axis(unit) if unit else alt.Undefined),
            color=keyed_color("line", names, palette.PACE_COLORS, None),
            strokeDash=alt.StrokeDash(
                "line:N", legend=None, scale=alt.Scale(domain=shown, range=[DASHES[k] for k in LINES])
            ),
            tooltip=[
                date_tip(title=t("explore.date", lang)),
                alt.Tooltip("line:N", title=None),
                value_tip("value", title, unit or Unit.RATIO),
            ],
        )
        .properties(title=title, width=width, height=height)
    )
