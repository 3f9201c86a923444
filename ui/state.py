"""Global filters (date range, channel, campaign) and the language: chosen in the sidebar of app.py, kept in
the URL so a drill-down can be shared as a link, read by every page.

The URL carries the data's own codes (``?channel=xiaohongshu&campaign=xhs_seeding&from=2026-03-01&to=
2026-03-31&day=2026-03-12&lang=en``), not the labels shown, so a link works in either language. Streamlit's own
``bind="query-params"`` writes the *displayed* option into the URL, which would change with the language;
hence the small sync here: the URL seeds the widgets once per session, and every run writes them back. Streamlit
pushes a browser-history entry whenever the query string changes, so every drill step is a URL of its own; when the
browser goes Back (or Forward, or the address is edited) the URL no longer says what this session last wrote, and
the widgets are seeded from it again — that is how Back steps up a drill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from opsplan.words import LANGS, channel_label, t

DEFAULT_DAYS = 28
ALL = "all"
URL_KEYS = ("from", "to", "channel", "campaign", "day")  # what a drill step changes; lang is the reader's own


@dataclass(frozen=True)
class Filters:
    lang: str
    start: dt.date
    end: dt.date
    channel: str | None  # None: every channel
    campaign: str | None  # None: every campaign of the channel
    day: dt.date | None = None  # a drill into the cohort of one signup day (the Channels page); None: no cohort

    @property
    def channels(self) -> list[str] | None:
        return [self.channel] if self.channel else None

    @property
    def campaigns(self) -> list[str] | None:
        return [self.campaign] if self.campaign else None


def _seed(key: str, value: object, valid: Callable[[object], bool] = lambda _: True) -> None:
    """Give a widget its value from the URL the first time this session sees it."""
    if key not in st.session_state and value is not None and valid(value):
        st.session_state[key] = value


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def language() -> str:
    """The language switch; first thing in the sidebar so that even the login speaks it."""
    _seed("lang", st.query_params.get("lang"), lambda v: v in LANGS)
    lang = st.sidebar.segmented_control(
        " · ".join(t("app.language", code) for code in LANGS),  # 语言 · Language: readable whatever is chosen
        LANGS,
        default="zh",
        format_func=lambda code: t("app.lang_name", code),
        key="lang",
        required=True,
    )
    return lang if lang in LANGS else "zh"


def sidebar_filters(
    lang: str, first: dt.date, through: dt.date, channels: list[str], campaigns: pd.DataFrame
) -> Filters:
    """The filters every page shares. ``campaigns``: campaign_id, channel, name (the data's own)."""
    st.sidebar.subheader(t("app.filters", lang))
    _follow_browser()
    default = (max(first, through - dt.timedelta(days=DEFAULT_DAYS - 1)), through)
    start_q, end_q = _date(st.query_params.get("from")), _date(st.query_params.get("to"))
    ignored = _ignored_in_link(lang, first, through, channels, campaigns)
    if start_q and end_q and first <= start_q <= end_q <= through:
        _seed("range", (start_q, end_q))
    picked = st.sidebar.date_input(
        t("app.date_range", lang), value=default, min_value=first, max_value=through, key="range"
    )
    start, end = picked if isinstance(picked, tuple | list) and len(picked) == 2 else default

    _seed("channel", st.query_params.get("channel"), lambda v: v in channels)
    if st.session_state.get("channel") not in (None, ALL, *channels):
        st.session_state["channel"] = ALL
    channel = st.sidebar.selectbox(
        t("app.channel", lang),
        [ALL, *channels],
        format_func=lambda c: t("app.all", lang) if c == ALL else channel_label(c, lang),
        key="channel",
    )
    own = campaigns if channel in (None, ALL) else campaigns[campaigns["channel"] == channel]
    names = dict(zip(own["campaign_id"], own["name"].fillna(own["campaign_id"]), strict=True))
    _seed("campaign", st.query_params.get("campaign"), lambda v: v in names)
    if st.session_state.get("campaign") not in (None, ALL, *names):
        st.session_state["campaign"] = ALL
    campaign = st.sidebar.selectbox(
        t("app.campaign", lang),
        [ALL, *names],
        format_func=lambda c: t("app.all", lang) if c == ALL else f"{names.get(c, c)}",
        key="campaign",
    )
    if not st.session_state.get("_day_read"):  # once, like the widgets: a Back button's pop must not come back
        st.session_state["_day_read"] = True
        _seed("drill_day", _date(st.query_params.get("day")), lambda v: start <= v <= end)  # type: ignore[operator]
    cohort = st.session_state.get("drill_day")
    filters = Filters(
        lang,
        start,
        end,
        None if channel in (None, ALL) else channel,
        None if campaign in (None, ALL) else campaign,
        cohort if isinstance(cohort, dt.date) and start <= cohort <= end else None,
    )
    st.session_state["_filters"] = filters
    _write_url(filters)
    if ignored:  # a bad link says what it could not open, instead of silently showing something else
        st.warning(t("app.link_ignored", lang, what=t("app.list_sep", lang).join(ignored)))
    return filters


def _ignored_in_link(
    lang: str, first: dt.date, through: dt.date, channels: list[str], campaigns: pd.DataFrame
) -> list[str]:
    """What of the URL this session is opened with cannot be shown (once, on the session's first run): a date range
    that does not parse, runs backwards or lies outside the data, a channel or campaign the data does not know."""
    if st.session_state.get("_link_read"):
        return []
    st.session_state["_link_read"] = True
    q = st.query_params
    ignored = []
    raw_from, raw_to = q.get("from"), q.get("to")
    if raw_from or raw_to:
        start_q, end_q = _date(raw_from), _date(raw_to)
        if not (start_q and end_q and first <= start_q <= end_q <= through):
            ignored.append(
                t("app.link_dates", lang, start=raw_from or "—", end=raw_to or "—", first=first, through=through)
            )
    if q.get("channel") and q.get("channel") not in channels:
        ignored.append(t("app.link_channel", lang, channel=q.get("channel")))
    raw_day = q.get("day")
    if raw_day:
        day, start_q, end_q = _date(raw_day), _date(raw_from), _date(raw_to)
        low, high = (start_q, end_q) if start_q and end_q and first <= start_q <= end_q <= through else (first, through)
        if not (day and low <= day <= high):
            ignored.append(t("app.link_day", lang, day=raw_day, first=low, through=high))
    known = set(campaigns["campaign_id"]) if "campaign_id" in campaigns else set()
    if q.get("campaign") and q.get("campaign") not in known:
        ignored.append(t("app.link_campaign", lang, campaign=q.get("campaign")))
    return ignored


def _write_url(f: Filters) -> None:
    """The URL says what the page shows, in codes; the dates always (a link shared today and opened next month
    shows the same days, not the default "last 28 days" of then)."""
    wanted = {
        "lang": f.lang if f.lang != "zh" else None,
        "from": f.start.isoformat(),
        "to": f.end.isoformat(),
        "channel": f.channel,
        "campaign": f.campaign,
        "day": f.day.isoformat() if f.day else None,
    }
    for key, value in wanted.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state["_url"] = {k: st.query_params.get(k) for k in URL_KEYS}


def _follow_browser() -> None:
    """When the URL differs from what this session last wrote, the browser moved (Back, Forward, an edited
    address): forget the drill's widgets so that the URL seeds them again. A URL without dates is a page switch of
    the app's own navigation (it drops the query string), not a step back: the filters are kept then."""
    written = st.session_state.get("_url")
    now = {k: st.query_params.get(k) for k in URL_KEYS}
    if written is None or now == written or not (now["from"] or now["to"]):
        return
    for key in ("range", "channel", "campaign", "drill_day", "_day_read"):
        st.session_state.pop(key, None)
    if not now["channel"]:
        st.session_state["channel"] = ALL
    if not now["campaign"]:
        st.session_state["campaign"] = ALL


def filters() -> Filters:
    """The filters app.py set for this run (pages run inside app.py's navigation)."""
    return st.session_state["_filters"]


def drill_to(channel: str | None = None, campaign: str | None = None, day: dt.date | None = None) -> None:
    """A callback for the clicks that narrow (or widen) the global filters: a row, a point, a Back button."""
    st.session_state["channel"] = channel or ALL
    st.session_state["campaign"] = campaign or ALL
    if day is None:
        st.session_state.pop("drill_day", None)
    else:
        st.session_state["drill_day"] = day
