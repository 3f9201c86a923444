"""Charts of the Users page: the weekly lifecycle (new, returning, resurrected above the axis, dormant below)
and the profile mix of new users by signup month."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from opsplan import fmt
from opsplan.charts import palette
from opsplan.charts.axes import keyed_color, value_tip
from opsplan.metrics.registry import Unit, get_metric
from opsplan.words import t

#: the registry's lifecycle metrics, in the legend's order
STATES = ("new_users", "returning_users", "resurrected_users", "dormant_users")
LOST = "dormant_users"  # drawn below the axis


def lifecycle_frame(life: pd.DataFrame, lang: str, states: Sequence[str] = STATES) -> pd.DataFrame:
    """week, partial, state (the metric's label in ``lang``), users (dormant negative) from a weekly rollup
    frame of the lifecycle metrics."""
    long = life.melt(id_vars=["week", "partial"], value_vars=list(states), var_name="state", value_name="users")
    long["users"] = long["users"].astype(float)
    long.loc[long["state"] == LOST, "users"] *= -1  # the ones we lost, below the axis
    long["state"] = long["state"].map(lambda s: get_metric(s).label(lang))
    long["week"] = long["week"].astype(str)
    return long


def lifecycle_chart(long: pd.DataFrame, lang: str, states: Sequence[str] = STATES) -> alt.Chart:
    """Stacked weekly bars of ``lifecycle_frame`` marked by ``ui.explore_view.mark_periods`` (``week_axis``
    with a "*" for a partial week, ``week_label`` with its days): a partial week is pale."""
    weeks = list(dict.fromkeys(long["week_axis"]))
    users = t("users.users", lang)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "week_axis:O",
                title=t("users.week", lang),
                sort=weeks,
                # "W14*" without the year: short enough that no week's label (nor its "*") is dropped for overlap
                axis=alt.Axis(labelAngle=0 if len(weeks) <= 10 else -45, labelExpr="substring(datum.label, 5)"),
            ),
            y=alt.Y("users:Q", title=users, axis=alt.Axis(format=fmt.axis_format(Unit.COUNT))),
            color=keyed_color(
                "state",
                {s: get_metric(s).label(lang) for s in states},
                palette.LIFECYCLE_COLORS,
                t("users.state", lang),
            ),
            opacity=alt.condition("datum.partial", alt.value(0.4), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("week_label:N", title=t("users.week", lang)),
                alt.Tooltip("state:N", title=t("users.state", lang)),
                value_tip("users", users, Unit.COUNT),
            ],
        )
        .properties(height=300)
    )


def profile_chart(mix: pd.DataFrame, attribute: str, lang: str) -> alt.Chart:
    """Each month's new users split by ``attribute``'s values (``opsplan.screens.explore.profile_mix`` marked by
    ``ui.explore_view.mark_periods``: ``month_axis``, ``month_label``), as shares of the month."""
    name = t(f"explore.attr_{attribute}", lang)
    share = t("users.share", lang)
    return (
        alt.Chart(mix)
        .mark_bar()
        .encode(
            x=alt.X(
                "month_axis:O",
                title=t("users.month", lang),
                sort=list(dict.fromkeys(mix["month_axis"])),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("share:Q", title=share, axis=alt.Axis(format=fmt.axis_format(Unit.PERCENT)), stack="normalize"),
            color=alt.Color("value:N", title=name, scale=alt.Scale(scheme=palette.CATEGORY_SCHEME)),
            order=alt.Order("users:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("month_label:N", title=t("users.month", lang)),
                alt.Tooltip("value:N", title=name),
                value_tip("share", share, Unit.PERCENT),
                value_tip("users", t("users.users", lang), Unit.COUNT),
            ],
        )
        .properties(height=320)
    )
