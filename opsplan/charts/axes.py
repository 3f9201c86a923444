"""The pieces every chart shares: date axes and tooltips (digits in both languages: ``opsplan.fmt``'s one time
format, so a Chinese chart never reads "Jan 04"), value axes and tooltips by unit (``fmt.axis_format``), and
the channel colour (each channel code its palette colour, the legend and labels in the chart's language)."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import pandas as pd

from opsplan import fmt
from opsplan.charts.palette import channel_colors
from opsplan.words import channel_label, t

#: any chart a builder returns (a single chart, a layer, a facet): the type the pages' helpers pass on
Chart = alt.TopLevelMixin

#: the frame column that holds a channel's name in the chart's language (the code stays in ``channel``)
CHANNEL_LABEL = "channel_label"


def date_x(field: str = "date", title: str | None = None) -> alt.X:
    """A temporal x axis labelled "01-04"."""
    return alt.X(f"{field}:T", title=title, axis=alt.Axis(format=fmt.axis_date_format()))


def date_tip(field: str = "date", title: str | None = None) -> alt.Tooltip:
    """A tooltip line of a date, "2026-01-04"."""
    return alt.Tooltip(f"{field}:T", title=title, format=fmt.axis_date_format(full=True))


def value_axis(unit: object) -> alt.Axis:
    """An axis of values of ``unit`` (a registry Unit or its name)."""
    return alt.Axis(format=fmt.axis_format(unit))


def value_tip(field: str, title: str | None, unit: object) -> alt.Tooltip:
    """A tooltip line of a quantitative ``field`` in the format of ``unit``."""
    return alt.Tooltip(f"{field}:Q", title=title, format=fmt.axis_format(unit))


def with_channel_label(frame: pd.DataFrame, lang: str, column: str = "channel") -> pd.DataFrame:
    """``frame`` plus ``channel_label``: the name of its ``column``'s channel code in ``lang``."""
    return frame.assign(**{CHANNEL_LABEL: frame[column].map(lambda c: channel_label(c, lang))})


def channel_codes(codes: Iterable[object]) -> list[str]:
    """The distinct channel codes of a column, sorted (NaN and other non-strings dropped)."""
    return sorted({c for c in codes if isinstance(c, str)})


def channel_color(codes: Iterable[object], lang: str, legend: bool = True, title: bool = True) -> alt.Color:
    """Colour by the ``channel_label`` column, each channel in its palette colour (by its code), the legend in
    ``lang``."""
    codes = channel_codes(codes)
    return alt.Color(
        f"{CHANNEL_LABEL}:N",
        scale=alt.Scale(domain=[channel_label(c, lang) for c in codes], range=channel_colors(codes)),
        title=t("app.channel", lang) if title else None,
        legend=alt.Legend() if legend else None,
    )


def channel_tip(lang: str) -> alt.Tooltip:
    return alt.Tooltip(f"{CHANNEL_LABEL}:N", title=t("app.channel", lang))


def keyed_color(field: str, names: dict[str, str], colors: dict[str, str], title: str | None) -> alt.Color:
    """Colour by ``field`` holding the shown names of ``names`` (key → name), each in ``colors[key]``: the
    legend lists the keys in ``names``' order."""
    keys = list(names)
    return alt.Color(
        f"{field}:N", title=title, scale=alt.Scale(domain=[names[k] for k in keys], range=[colors[k] for k in keys])
    )
