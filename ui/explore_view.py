"""Display pieces of the explore pages (渠道 channels, 留存 retention, 用户 users): partial periods, the metric
cards, and each chart of the Retention and Users pages read through the cached ``ui.data`` and drawn by
``opsplan.charts``. Words come from ``opsplan.words``; metric labels and formats from the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.charts import cohort
from opsplan.charts.axes import Chart
from opsplan.charts.channels import channel_bars
from opsplan.charts.funnel import funnel_chart
from opsplan.charts.palette import heat_css
from opsplan.charts.trend import active_chart, daily_chart, phase_label
from opsplan.charts.users import STATES, lifecycle_chart, lifecycle_frame, profile_chart
from opsplan.metrics.periods import Coverage, coverage, last_complete
from opsplan.metrics.registry import MONTH, WEEK, Unit, get_metric
from opsplan.screens import retention
from opsplan.screens.explore import (
    curve_points,
    months_back,
    non_null_sql,
    profile_columns,
    profile_counts_sql,
    profile_mix,
    scope_where,
)
from opsplan.store.contract import PROFILE_COLUMNS
from opsplan.store.warehouse import Warehouse
from opsplan.words import t
from ui import data
from ui.frame import Page

__all__ = ["daily_chart", "funnel_chart", "phase_label"]  # the Channels page's charts, from opsplan.charts

Window = tuple[dt.date | None, dt.date | None]  # (first_day, data_through), as ui.data.data_window gives it
Card = tuple[str, object, Coverage | None]  # a registered metric, its value, the period's coverage when partial


def coverages(keys: Iterable[object], grain: str, window: Window) -> dict[str, Coverage]:
    """The coverage of each week / month key, so every table and chart of periods can say which are partial."""
    first, through = window
    return {str(k): coverage(str(k), grain, first, through) for k in dict.fromkeys(keys) if isinstance(k, str)}


def mark_periods(frame: pd.DataFrame, column: str, grain: str, window: Window, lang: str) -> pd.DataFrame:
    """``frame`` plus ``{column}_axis`` (the key, with a "*" when partial: short enough for an axis) and
    ``{column}_label`` (``Coverage.label``: the key and its days, for tooltips and table headers)."""
    covs = coverages(frame[column], grain, window)
    key = frame[column].astype(str)
    return frame.assign(
        **{
            f"{column}_axis": key.map(lambda k: f"{k}*" if k in covs and covs[k].partial else k),
            f"{column}_label": key.map(lambda k: covs[k].label(lang) if k in covs else k),
        }
    )


def partial_note(covs: Iterable[Coverage], lang: str) -> str:
    """'* 部分周：2026-W03 2/7 天' for the partial periods among ``covs``; '' when every one is complete.
    Markdown for a caption line: the "*" is escaped, else it would start a bulleted list."""
    partial = [c for c in covs if c.partial]
    if not partial:
        return ""
    periods = t("chart.period_sep", lang).join(
        t("period.partial_period", lang, period=c.key, days=c.short(lang)) for c in partial
    )
    key = "period.partial_weeks_note" if partial[0].grain == WEEK else "period.partial_months_note"
    return "\\" + t(key, lang, periods=periods)


def metric_cards(cards: Sequence[Card], lang: str) -> None:
    """One bordered card per metric (its label, value by the registry, definition); a partial period's card
    says how many days it holds."""
    for col, (name, value, cov) in zip(st.columns(len(cards)), cards, strict=True):
        m = get_metric(name)
        col.metric(m.label(lang), m.format(value), help=m.definition, border=True)
        if cov is not None and cov.partial:
            col.caption(t("period.partial_days", lang, days=cov.short(lang)))


def _scope(page: Page) -> dict[str, list[str] | None]:
    return {"channels": page.filters.channels, "campaigns": page.filters.campaigns}


def totals(page: Page, names: Sequence[str]) -> list[Card]:
    """The cards of ``names`` over the page's range and scope."""
    frame = data.metrics(page.wh, names, "total", page.filters.start, page.filters.end, **_scope(page))
    return [(n, frame[n].iloc[0] if not frame.empty else None, None) for n in names]


# ── retention ───────────────────────────────────────────────────────────────────────────────────────────


def _cohort_where(page: Page) -> tuple[str, list[object]]:
    f = page.filters
    return scope_where("cohort_date", f.start, f.end, f.channel, f.campaign)


def retention_table(page: Page, grain: str) -> tuple[object, str] | None:
    """The cohort table (``opsplan.screens.retention``) as a Styler whose cells are coloured by their rate, and
    the note on partial weeks / months ('' when none); None when the range has no new users."""
    f = page.filters
    where, params = scope_where("cohort_day", retention.first_cohort(f.start, grain), f.end, f.channel, f.campaign)
    cells = data.sql(page.wh, retention.cells_sql(grain, where), params)
    if cells.empty:
        return None
    partial, note = set(), ""
    if grain in (WEEK, MONTH):  # a cohort period the data covers only in part is marked "*"
        keys = pd.to_datetime(cells["cohort"]).dt.strftime("%G-W%V" if grain == WEEK else "%Y-%m")
        covs = coverages(keys, grain, data.data_window(page.wh))
        partial = {k for k, c in covs.items() if c.partial}
        note = partial_note(covs.values(), page.lang)
    shown, rates = retention.table(cells, grain, page.lang, partial)
    periods = [c for c in shown.columns[2:]]
    top = float(rates[periods[1:]].max().max()) if len(periods) > 1 else 1.0
    top = top if top == top and top > 0 else 1.0  # day 0 is ~100% for every cohort: the colours spread over 1..N
    styler = shown.style.apply(
        lambda col: [heat_css(v, top) for v in rates[col.name]] if col.name in periods else [""] * len(col)
    )
    return styler, note


CURVES_SQL = (
    "SELECT channel, day_offset, sum(retained) AS retained, sum(mature_size) AS mature FROM retention_curve "
    "WHERE {where} GROUP BY ALL ORDER BY ALL"
)


def retention_curve_chart(page: Page, min_share: float) -> Chart:
    """Retention by day N per channel, from the points enough of the channel's cohort users have reached."""
    where, params = _cohort_where(page)
    curves = data.sql(page.wh, CURVES_SQL.format(where=where), params)
    return cohort.retention_curves(curve_points(curves, min_share), page.lang)


def retention_trend(page: Page, names: Sequence[str]) -> Chart:
    f = page.filters
    return cohort.retention_trend(
        data.metrics(page.wh, names, "cohort", f.start, f.end, **_scope(page)), page.lang, names
    )


# ── users ───────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Active:
    cards: list[Card]
    note: str  # which day, week and month the cards show, and which of them are partial
    chart: Chart  # the daily active users


def _shown(frame: pd.DataFrame, grain: str, window: Window) -> tuple[pd.Series | None, Coverage | None]:
    """The row a card shows: the last complete week / month of the range (a two-day week would read as a
    collapse), else the last, partial one with its coverage so the card can say how many days it holds."""
    if frame.empty:
        return None, None
    covs = coverages(frame[grain], grain, window)
    key = last_complete(covs, grain, *window) or frame[grain].iloc[-1]
    return frame[frame[grain] == key].iloc[-1], covs.get(key)


def _sep(lang: str) -> str:
    return "" if lang == "zh" else " "  # Chinese sentences run on without a space


def active_users(page: Page, window: Window) -> Active:
    """DAU of the range's last day, WAU and MAU of its last complete week and month, stickiness of that month."""
    f, lang = page.filters, page.lang
    daily = data.metrics(page.wh, ["dau"], "day", f.start, f.end, **_scope(page))
    weekly = data.metrics(page.wh, ["wau"], "week", f.start, f.end, **_scope(page))
    monthly = data.metrics(page.wh, ["mau", "stickiness"], "month", f.start, f.end, **_scope(page))
    day, dau = (None, None) if daily.empty else (daily.iloc[-1].iloc[0], daily.iloc[-1]["dau"])
    week_row, week_cov = _shown(weekly, WEEK, window)
    month_row, month_cov = _shown(monthly, MONTH, window)
    cards: list[Card] = [
        ("dau", dau, None),
        ("wau", None if week_row is None else week_row["wau"], week_cov),
        ("mau", None if month_row is None else month_row["mau"], month_cov),
        ("stickiness", None if month_row is None else month_row["stickiness"], month_cov),  # of the month shown
    ]
    week, month = (week_cov.key if week_cov else None), (month_cov.key if month_cov else None)
    note = t("users.cards_periods", lang, day=day, week=week, month=month)
    for cov in (week_cov, month_cov):
        if cov is not None and cov.partial:
            note += _sep(lang) + t("users.card_partial", lang, period=cov.key, days=cov.short(lang))
    return Active(cards, note, active_chart(daily, "dau", lang))


def lifecycle(page: Page, window: Window) -> tuple[Chart, str]:
    """The weekly lifecycle chart (partial weeks pale, "*" on the axis) and its caption."""
    f, lang = page.filters, page.lang
    life = data.metrics(page.wh, STATES, "week", f.start, f.end, **_scope(page))
    long = mark_periods(lifecycle_frame(life, lang), "week", WEEK, window, lang)
    note = t("users.lifecycle_note", lang)
    partial_weeks = partial_note(coverages(life["week"], WEEK, window).values(), lang)
    if partial_weeks:
        note += _sep(lang) + t("users.partial_pale", lang) + "  \n" + partial_weeks
    return lifecycle_chart(long, lang), note


def silent(page: Page, k: int) -> tuple[str, Chart]:
    """The number of users silent ``k``+ days (formatted) and their bars per channel."""
    frame = data.silent(page.wh, k)
    if page.filters.channel:
        frame = frame[frame["channel"] == page.filters.channel]
    total = get_metric("silent_users").format(frame["silent_users"].sum())
    return total, channel_bars(frame, "silent_users", page.lang, title=False)


def profile_attributes(wh: Warehouse) -> list[str]:
    """The profile columns the users table has and holds values in."""
    columns = data.sql(wh, "SELECT column_name FROM information_schema.columns WHERE table_name = 'users'")
    have = set(columns["column_name"])
    present = [c for c in PROFILE_COLUMNS if c in have]
    return profile_columns(data.sql(wh, non_null_sql(present))) if present else []


@dataclass(frozen=True)
class Profile:
    chart: Chart
    note: str
    table: pd.DataFrame  # value × month, shares formatted


def profile(page: Page, attribute: str, months: int, window: Window) -> Profile:
    """New users' ``attribute`` mix by signup month, the ``months`` up to the range's end."""
    f, lang = page.filters, page.lang
    where, params = scope_where("signup_day", months_back(f.end, months), f.end, f.channel, f.campaign)
    mix = profile_mix(data.sql(page.wh, profile_counts_sql(attribute, where), params), t("users.unknown", lang))
    mix = mark_periods(mix, "month", MONTH, window, lang)  # a partial month: "*" on the axis, its days in the table
    note = t("users.profile_note", lang, months=months, end=f.end)
    partial_months = partial_note(coverages(mix["month"], MONTH, window).values(), lang)
    if partial_months:
        note += "  \n" + partial_months
    table = mix.pivot_table(index="value", columns="month_label", values="share", aggfunc="sum", sort=False)
    table = table.fillna(0.0).map(lambda v: fmt.value(Unit.PERCENT, v)).reset_index()
    table = table.rename(columns={"value": t(f"explore.attr_{attribute}", lang)})
    return Profile(profile_chart(mix, attribute, lang), note, table)
