"""The Channels page's drill by click: a row of the table (channel → campaign → day → that day's cohort) or a
point of the ROI-by-cohort-day chart opens the next step; each step is a URL (``ui.state``), so the browser's
Back steps up again. The cohort itself (its users, orders and ROI by day since signup) is drawn here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from opsplan import fmt
from opsplan.charts.funnel import funnel_chart
from opsplan.charts.roi import BREAK_EVEN, PICK, cohort_roi_curve, funnel_by_channel, roi_by_cohort_day
from opsplan.charts.why import waterfall_chart
from opsplan.metrics.registry import Unit, get_metric
from opsplan.plan.model import Rule
from opsplan.screens import cohort as ch
from opsplan.screens.explore import FUNNEL, funnel_metric_names, funnel_steps
from opsplan.screens.today import Move, move
from opsplan.store.warehouse import Warehouse, read_connection
from opsplan.words import channel_label
from ui import data
from ui.frame import Page
from ui.state import drill_to
from ui.widgets import plain, toned

ROI_METRIC = "roi_7d"
WHY_METRICS = ("spend", "new_users", "cac", "roi_7d")  # the money metrics a channel decision turns on
Drill = Callable[[str, dt.date | None], None]  # (the item picked, the cohort day or None) → the filters' next step


def _picked(key: str, items: Sequence[object], go: Drill) -> None:
    """on_select of a drill table: the selected row (or the row of the selected cell) opens its item."""
    selection = st.session_state[key].selection
    rows = list(selection.get("rows", [])) or [cell[0] for cell in selection.get("cells", [])]
    if rows and 0 <= rows[0] < len(items) and items[rows[0]] not in (None, ""):
        item = items[rows[0]]
        go(*((str(item), None) if not isinstance(item, dt.date) else ("", item)))


def drill_table(
    table: pd.DataFrame,
    tones: Mapping[str, Sequence[str]],
    items: Sequence[object],
    go: Drill,
    key: str,
    wide: Sequence[str] = (),
) -> None:
    """The table of one level; a click on a row (or any cell of it) drills into ``items[row]`` via ``go``.
    The key names the level, so a table one comes back to starts without a selection; ``wide`` columns get
    room for their text."""
    st.dataframe(
        toned(table, tones),
        hide_index=True,
        width="stretch",
        column_config={c: st.column_config.TextColumn(width="medium") for c in wide if c in table.columns},
        on_select=partial(_picked, key, list(items), go),
        selection_mode=["single-row", "single-cell"],
        key=key,
    )


def level_go(channel: str | None, campaign: str | None) -> Drill:
    """Where a pick leads from the level (channel, campaign): a channel, a campaign of it, or a day's cohort."""

    def go(item: str, day: dt.date | None) -> None:
        if day is not None:
            drill_to(channel, campaign, day)
        elif channel is None and campaign is None:
            drill_to(item)
        else:
            drill_to(channel, item)

    return go


def _chart_picked(key: str, channel: str | None, by: str) -> None:
    """on_select of the ROI chart: the clicked point is (cohort day, item) → that day's cohort of the item."""
    points = st.session_state[key].selection.get(PICK) or []
    if not points:
        return
    day, item = dt.date.fromisoformat(str(points[0]["day"])), str(points[0]["item"])
    if by == "channel":
        drill_to(item, None, day)
    else:
        drill_to(channel, item, day)


def roi_section(page: Page, by: str, key: str) -> None:
    """7-day ROI by cohort day for every channel / campaign shown, with the break-even line, the stop-loss
    rule's threshold and the cohort days it judged; a click on a point opens that cohort."""
    f, lang = page.filters, page.lang
    m = get_metric(ROI_METRIC)
    st.subheader(page.t("drill.roi_title", metric=m.label(lang)))
    frame = data.metrics(page.wh, [ROI_METRIC], "cohort", f.start, f.end, by=by, channels=f.channels)
    if f.campaign:
        frame = frame[frame[key] == f.campaign]
    frame = frame.rename(columns={key: "item"}).dropna(subset=["item"])
    names = data.campaign_names(page.wh)
    frame["name"] = [channel_label(i, lang) if key == "channel" else names.get(i, i) for i in frame["item"]]
    state = data.plan_state(page.wh)
    rule = ch.roi_rule(state.plan.rules, ROI_METRIC, key) if state.plan else None
    window = ch.judged_window(data.check(page.wh).flags, rule) if rule else None
    if frame[ROI_METRIC].notna().any():
        threshold = rule.threshold if rule else None
        chart = roi_by_cohort_day(frame, ROI_METRIC, lang, threshold, window, by_channel=key == "channel")
        pick_key = f"roi-{f.channel}-{f.campaign}"
        st.altair_chart(chart, width="stretch", on_select=partial(_chart_picked, pick_key, f.channel, by), key=pick_key)
    else:
        st.info(page.t("drill.roi_empty", metric=m.label(lang), days=m.lag + 1))
    st.caption(_roi_note(page, rule, window))


def _roi_note(page: Page, rule: Rule | None, window: tuple[dt.date, dt.date] | None) -> str:
    """What the lines and the band are: the break-even line, the rule's threshold and the days it judged."""
    m = get_metric(ROI_METRIC)
    if rule is None:
        return page.t("drill.roi_note", threshold="", window=page.t("drill.roi_no_rule", metric=m.label(page.lang)))
    value = m.format(rule.threshold)
    threshold = page.t("drill.roi_threshold", value=value) if rule.threshold != BREAK_EVEN else ""
    text = ""
    if window is not None:
        label = (rule.label_zh if page.lang == "zh" else rule.label_en) or rule.id
        text = page.t("drill.roi_window", rule=label, days=rule.for_days, start=window[0], end=window[1], value=value)
    return page.t("drill.roi_note", threshold=threshold, window=text)


def funnel_section(page: Page) -> None:
    """The linear funnel of the page's scope; beside it, over every channel, its step rates by channel."""
    f, lang = page.filters, page.lang
    st.subheader(page.t("channels.funnel"))
    scope = {"channels": f.channels, "campaigns": f.campaigns}
    steps = funnel_steps(data.metrics(page.wh, funnel_metric_names(), "total", f.start, f.end, **scope))
    split = not f.channel and not f.campaign
    left, right = st.columns([2, 3]) if split else (st.container(), None)
    if steps:
        left.altair_chart(funnel_chart(steps, lang), width="stretch")
        left.caption(page.t("channels.funnel_note"))
    else:
        left.info(page.t("app.no_data"))
    if right is not None:
        with right:
            st.markdown(f"**{page.t('drill.funnel_by_channel')}**")
            funnel_breakdown(page)


def funnel_breakdown(page: Page) -> None:
    """The funnel's step rates by channel, beside the linear funnel of them all."""
    f = page.filters
    rates = [rate for _, rate in FUNNEL if rate]
    frame = data.metrics(page.wh, rates + ["impressions"], "total", f.start, f.end, by="channel", channels=f.channels)
    frame = frame[frame["impressions"].fillna(0) > 0].dropna(subset=["channel"])
    if frame.empty:
        st.info(page.t("app.no_data"))
        return
    frame = frame.assign(name=[channel_label(c, page.lang) for c in frame["channel"]])
    st.altair_chart(funnel_by_channel(frame, rates, page.lang))
    st.caption(page.t("drill.funnel_by_channel_note"))


# ── why did it move ─────────────────────────────────────────────────────────────────────────────────────


@st.cache_data(ttl=data.TTL, show_spinner=False)
@data.reads  # a miss reuses this run's open connection
def _move(
    path: str, version: str, plan_file: str, mtime: float, name: str, channel: str | None, end: dt.date, lang: str
) -> Move:
    wh = Warehouse(Path(path))
    scope = {"channel": channel} if channel else {}
    with read_connection(wh) as con:
        return move(con, name, scope, end, data.plan_state(wh).plan, lang, data.campaign_owners(wh))


def why_section(page: Page) -> None:
    """Why the chosen money metric moved, the last 7 (mature) days of the range against the 7 before: by channel,
    or by the campaigns of the channel shown; the sentence and the waterfall (one campaign has nothing to split)."""
    f, lang = page.filters, page.lang
    if f.campaign:
        return
    st.subheader(page.t("drill.why_title"))
    name = st.segmented_control(
        page.t("drill.why_metric"),
        WHY_METRICS,
        default=WHY_METRICS[0],
        format_func=lambda n: get_metric(n).label(lang),
        key="why-metric",
    )
    plan_file = data.plan_path()
    mtime = plan_file.stat().st_mtime if plan_file.exists() else 0.0
    found = _move(
        str(page.wh.path), data.version(page.wh), str(plan_file), mtime, name or WHY_METRICS[0], f.channel, f.end, lang
    )
    st.markdown(f"**{plain(found.why)}**")
    if found.dec is None:
        return
    before, after = found.dates
    st.caption(page.t("today.why_compared", compared=found.compared, before=before, after=after))
    chart = waterfall_chart(found.dec, found.info, lang, found.per, 4, periods=found.periods, height=240)
    if chart is not None:
        st.altair_chart(chart, width="stretch")


# ── the cohort of one day ───────────────────────────────────────────────────────────────────────────────


def _back(page: Page) -> None:
    f = page.filters
    if f.campaign:
        text = page.t("drill.back_days")
    elif f.channel:
        text = page.t("drill.back_campaigns", channel=channel_label(f.channel, page.lang))
    else:
        text = page.t("drill.back_channels")
    st.button(text, key="drill-up", on_click=drill_to, args=(f.channel, f.campaign))


def _scope(page: Page) -> str:
    f = page.filters
    names = data.campaign_names(page.wh)
    parts = [channel_label(f.channel, page.lang) if f.channel else page.t("app.all")]
    if f.campaign:
        parts.append(plain(names.get(f.campaign, f.campaign)))
    return " · ".join(parts)


def cohort_view(page: Page) -> None:
    """One signup day's cohort in the page's channel / campaign: cards, ROI by day since signup, the days
    table and the users."""
    f, lang = page.filters, page.lang
    assert f.day is not None
    st.subheader(page.t("drill.cohort_title", day=f.day, scope=_scope(page)))
    _back(page)
    where, params = ch.cohort_where(f.day, f.channel, f.campaign)
    head = data.sql(page.wh, ch.spend_sql(where), params * 2)
    spend, payers = float(head["spend"].iloc[0] or 0), int(head["payers"].iloc[0] or 0)
    c = ch.cohort(f.day, page.through, data.sql(page.wh, ch.curve_sql(where), params * 2), spend, payers)
    if c.users == 0 and spend == 0:
        st.info(page.t("drill.no_users"))
        return
    _cards(page, c)
    st.caption(page.t("drill.reached", days=c.reached) if c.reached >= 0 else page.t("drill.not_reached"))
    st.markdown(f"**{page.t('drill.roi_curve')}**")
    if spend > 0:
        st.altair_chart(cohort_roi_curve(c.curve, lang), width="stretch")
    st.caption(page.t("drill.roi_curve_note", spend="" if spend > 0 else page.t("drill.no_spend")))
    left, right = st.columns([3, 2])
    left.markdown(f"**{page.t('drill.by_day_since')}**")
    left.dataframe(_days_table(c, page), hide_index=True, width="stretch")
    right.markdown(f"**{page.t('drill.user_list')}**")
    users = data.sql(page.wh, ch.users_sql(where), params)
    total = int(users["total"].iloc[0]) if not users.empty else 0
    right.caption(page.t("drill.user_list_note", total=fmt.count(total), shown=fmt.count(len(users))))
    right.dataframe(_users_table(users, page), hide_index=True, width="stretch")


def _cards(page: Page, c: ch.Cohort) -> None:
    cac = c.spend / c.users if c.users and c.spend else None
    cards = [
        ("drill.users", fmt.count(c.users)),
        ("drill.spend", fmt.value(Unit.CURRENCY, c.spend)),
        ("drill.cac", fmt.value(Unit.CURRENCY, cac)),
        ("drill.payers", fmt.count(c.payers)),
        ("drill.orders", fmt.count(c.orders)),
        ("drill.refunds", fmt.count(c.refunds)),
        ("drill.revenue_to_date", fmt.value(Unit.CURRENCY, c.revenue)),
        ("drill.roi_to_date", fmt.value(Unit.RATIO, c.roi)),
    ]
    for row in (cards[:4], cards[4:]):
        for col, (key, text) in zip(st.columns(len(row)), row, strict=True):
            col.metric(page.t(key), text, border=True)


def _days_table(c: ch.Cohort, page: Page) -> pd.DataFrame:
    """The days since signup the data has reached (the caption says how many; the rest are not zeros)."""
    d = c.curve[c.curve["day_offset"] <= c.reached]
    return pd.DataFrame(
        {
            page.t("drill.day_n"): [fmt.count(n) for n in d["day_offset"]],
            page.t("drill.retention"): [fmt.value(Unit.PERCENT, v) for v in d["retention"]],
            page.t("drill.orders"): [fmt.value(Unit.COUNT, v) for v in d["orders"]],
            page.t("drill.refunds"): [fmt.value(Unit.COUNT, v) for v in d["refunds"]],
            page.t("drill.revenue"): [fmt.value(Unit.CURRENCY, v) for v in d["revenue"]],
            page.t("drill.revenue_to_date"): [fmt.value(Unit.CURRENCY, v) for v in d["cum_revenue"]],
            page.t("drill.roi_to_date"): [fmt.value(Unit.RATIO, v) for v in d["roi"]],
        }
    )


def _users_table(users: pd.DataFrame, page: Page) -> pd.DataFrame:
    names = data.campaign_names(page.wh)
    return pd.DataFrame(
        {
            page.t("drill.user_id"): users["user_id"].astype(str),
            page.t("app.channel"): [channel_label(c, page.lang) for c in users["channel"]],
            page.t("app.campaign"): [names.get(c, c) if c else fmt.EMPTY for c in users["campaign_id"]],
            page.t("drill.last_active"): [
                fmt.EMPTY if fmt.is_empty(d) else pd.Timestamp(d).date().isoformat() for d in users["last_active"]
            ],
            page.t("drill.days_inactive"): [fmt.value(Unit.COUNT, v) for v in users["days_inactive"]],
        }
    )
