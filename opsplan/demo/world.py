"""The demo's world: its channels, their economics, its campaigns and user attributes, and the planted ROI drop.

Separate from ``dataset`` (which draws the rows from this world and loads them) so the story the dashboard
should find can be read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: the demo's channel codes (the data carries only codes; their labels are opsplan.words' ``channel.<code>``)
CHANNELS = ("douyin", "xiaohongshu", "wechat_moments", "zhihu", "bilibili", "baidu_sem", "kol", "referral", "organic")


PAID_CHANNELS = CHANNELS[:7]


UNPROFITABLE_CHANNEL = "xiaohongshu"


#: day offset (0 = first day) from which the channel's daily 7-day ROI is below 1.0: 2026-02-15
UNPROFITABLE_FROM_DAY = 45


#: a channel that stays well above ROI 1.0 all quarter (what the tests compare against)
PROFITABLE_CHANNEL = "baidu_sem"


def unprofitable_from(days: int) -> int:
    """The day offset the planted ROI drop crosses 1.0 for a data set of ``days`` days."""
    return round(days * UNPROFITABLE_FROM_DAY / 90)


@dataclass(frozen=True)
class ChannelModel:
    """How a channel buys, converts, pays and retains (numbers of a cheap-traffic consumer app)."""

    cpc: float = 0.0  # CNY per click
    cvr: float = 0.0  # signups per click
    ctr: float = 0.0  # clicks per impression
    roi7: float = 0.0  # designed 7-day cohort ROI; the paying rate follows from it
    pay7: float = 0.0  # first-week paying rate of unpaid channels
    d1: float = 0.4  # retention on day k after signup is d1 * k ** -decay
    decay: float = 0.4
    weekend: float = 1.0  # signups per click on Saturday/Sunday relative to weekdays


CHANNEL_MODELS: dict[str, ChannelModel] = {
    "douyin": ChannelModel(0.55, 0.16, 0.012, 1.30, d1=0.35, decay=0.45, weekend=1.15),
    "xiaohongshu": ChannelModel(0.75, 0.18, 0.022, 1.60, d1=0.40, decay=0.40, weekend=1.15),
    "wechat_moments": ChannelModel(1.40, 0.24, 0.007, 1.15, d1=0.38, decay=0.42, weekend=1.10),
    "zhihu": ChannelModel(1.10, 0.20, 0.015, 1.35, d1=0.45, decay=0.38, weekend=0.92),
    "bilibili": ChannelModel(0.65, 0.15, 0.018, 1.20, d1=0.42, decay=0.40, weekend=1.15),
    "baidu_sem": ChannelModel(1.80, 0.30, 0.028, 1.45, d1=0.40, decay=0.40, weekend=0.90),
    "kol": ChannelModel(0.90, 0.20, 0.025, 1.25, d1=0.45, decay=0.38, weekend=1.10),
    "referral": ChannelModel(pay7=0.05, d1=0.44, decay=0.38),
    "organic": ChannelModel(pay7=0.03, d1=0.42, decay=0.39),
}


#: The planted story: the team nearly doubles its best channel's always-on budget (× DROP_SPEND),
#: the auction answers with CPC × DROP_CPC, the extra users pay less often, and ROI goes
#: 1.6 → DROP_ROI, all within DROP_DAYS days
DROP_SPEND, DROP_CPC, DROP_ROI, DROP_DAYS = 1.8, 1.6, 0.45, 2


SCALED_UP_CAMPAIGN = "xhs_seeding"


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    channel: str
    name: str
    phase: str  # the dominant phase (the spend curve itself goes through all three)
    owner: str
    start: int  # day offsets in a 90-day quarter, scaled for other lengths
    end: int
    level: float  # relative planned spend per day at full strength
    burst: tuple[int, int] | None = None  # burst days; before them a preheat ramp, after a long tail
    ramp: int = 0  # days an always-on campaign takes to reach full strength


CAMPAIGNS = (
    Campaign("douyin_feed", "douyin", "抖音信息流常投", "longtail", "张三", 0, 89, 1.0),
    Campaign("spring_explore_dy", "douyin", "春日探索·抖音", "burst", "张三", 21, 89, 4.5, (35, 41)),
    Campaign("xhs_seeding", "xiaohongshu", "小红书种草常投", "longtail", "李四", 0, 89, 2.4),
    Campaign("spring_explore_xhs", "xiaohongshu", "春日探索·小红书", "burst", "李四", 21, 89, 4.0, (35, 41)),
    Campaign("moments_feed", "wechat_moments", "朋友圈广告常投", "longtail", "王五", 0, 89, 0.8),
    Campaign("zhihu_content", "zhihu", "知乎内容营销", "longtail", "孙七", 5, 89, 0.7, ramp=14),
    Campaign("bili_up_collab", "bilibili", "B站UP主合作", "longtail", "周八", 8, 70, 1.6, (14, 20)),
    Campaign("bili_new_term", "bilibili", "B站开学季预热", "preheat", "周八", 72, 89, 2.0, (96, 102)),
    Campaign("kol_cny", "kol", "春节KOL爆发", "burst", "吴九", 40, 75, 3.0, (48, 54)),
    Campaign("baidu_brand", "baidu_sem", "百度品牌词", "longtail", "赵六", 0, 89, 0.5),
    Campaign("baidu_generic", "baidu_sem", "百度通用词", "longtail", "赵六", 7, 89, 0.6),
)


#: profile attributes: categories, base weights, log-drift per month, and per-channel multipliers
Profile = tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...], dict[str, dict[int, float]]]


PROFILES: dict[str, Profile] = {
    "region": (
        ("广东", "北京", "上海", "浙江", "江苏", "四川", "山东", "湖北", "河南", "福建", "其他"),
        (14, 9, 9, 9, 9, 7, 7, 6, 6, 5, 19),
        (0, -0.05, -0.05, 0, 0, 0.08, 0.05, 0, 0.08, 0, 0.06),
        {"xiaohongshu": {2: 1.4, 3: 1.2}, "baidu_sem": {8: 1.3, 10: 1.2}},
    ),
    "city_tier": (
        ("一线", "新一线", "二线", "三线及以下"),
        (25, 30, 22, 23),
        (-0.06, 0, 0.02, 0.12),
        {"xiaohongshu": {0: 1.4}, "douyin": {3: 1.4}, "kol": {1: 1.2}},
    ),
    "age_group": (
        ("18-24", "25-30", "31-40", "41+"),
        (32, 33, 24, 11),
        (0.03, 0, 0, 0.1),
        {"bilibili": {0: 1.8}, "zhihu": {1: 1.3}, "wechat_moments": {2: 1.5, 3: 1.6}, "baidu_sem": {2: 1.3}},
    ),
    "gender": (
        ("男", "女"),
        (45, 55),
        (0, 0),
        {"xiaohongshu": {1: 2.2}, "bilibili": {0: 1.5}, "zhihu": {0: 1.5}, "kol": {1: 1.4}},
    ),
    "platform": (
        ("iOS", "Android", "小程序"),
        (40, 45, 15),
        (0, -0.03, 0.15),
        {"xiaohongshu": {0: 1.4}, "douyin": {1: 1.3}, "wechat_moments": {2: 3.0}, "referral": {2: 2.0}},
    ),
}


def campaign_shape(c: Campaign, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(relative planned spend per day, burst flag): preheat ramp → burst week → decaying tail."""
    f, d = days / 90, np.arange(days)
    start = round(c.start * f)
    end = days - 1 if c.end >= 89 else min(round(c.end * f), days - 1)  # always-on runs to the last day
    if c.burst is None:
        ramp = max(1, round(c.ramp * f))
        y = np.minimum(1.0, 0.3 + 0.7 * (d - start + 1) / ramp) if c.ramp else np.ones(days)
        in_burst = np.zeros(days, dtype=bool)
    else:
        b0, b1 = round(c.burst[0] * f), round(c.burst[1] * f)
        pre = 0.12 + 0.25 * (d - start) / max(1, b0 - start)
        tail = 0.08 + 0.45 * np.exp(-(d - b1) / 6)
        y = np.where(d < b0, pre, np.where(d <= b1, 1.0, tail))
        in_burst = (d >= b0) & (d <= b1)
    on = (d >= start) & (d <= end)
    return np.where(on, y, 0.0), in_burst & on


def drop_curve(days: int) -> np.ndarray:
    """0 before the planted drop, 1 after it, linear in between, crossing ROI 1.0 half a day before
    ``unprofitable_from(days)`` so that day is the first one clearly below 1."""
    roi = CHANNEL_MODELS[UNPROFITABLE_CHANNEL].roi7
    cross = np.log(roi) / np.log(roi / DROP_ROI)  # the fraction of the way at which ROI is 1.0
    begin = unprofitable_from(days) - 0.5 - cross * DROP_DAYS
    return np.clip((np.arange(days) - begin) / DROP_DAYS, 0.0, 1.0)
