"""Words of the pages' own views: the labels of the external metrics a plan commonly names (``metric.<name>``;
a metric the registry or the plan labels itself never comes here) and each registered metric's definition
(``metric.<name>.definition``: the KPI cards' tooltips and the glossary). The English definitions are the
registry's own, repeated so the catalogue holds both (tests/ui/test_definitions.py keeps them equal)."""

from __future__ import annotations

_ONE = {
    "new_users": ("注册日在该期间内的用户数", "users with signup day in the period"),
    "dau": ("当天活跃的去重用户数", "distinct users active on d"),
    "wau": ("该 ISO 周内活跃的去重用户数", "distinct users active in the ISO week"),
    "mau": ("该自然月内活跃的去重用户数", "distinct users active in the calendar month"),
    "stickiness": ("当月各天日活的平均值 / 月活", "mean DAU over the days of the month / MAU"),
    "revenue": (
        "该期间内支付的订单金额之和；退款为负数",
        "sum of order amounts paid in the period; refunds are negative",
    ),
    "paying_users": (
        "该期间内有正金额订单的去重用户数",
        "distinct users with an order of positive amount in the period",
    ),
    "arpu": ("收入 / 同期活跃用户数", "revenue / active users over the same period"),
    "arppu": ("收入 / 同期付费用户数", "revenue / paying users over the same period"),
    "paid_conversion": ("付费用户 / 同期活跃用户", "paying users / active users over the same period"),
    "repurchase_rate": (
        "期间内有 2 笔及以上正金额订单的用户 / 有 1 笔及以上的用户",
        "users with >= 2 positive orders in the period / users with >= 1",
    ),
    "spend": ("投放花费之和（ad_spend.spend）", "sum of ad_spend.spend"),
    "impressions": ("曝光量之和（ad_spend.impressions）", "sum of ad_spend.impressions"),
    "clicks": ("点击量之和（ad_spend.clicks）", "sum of ad_spend.clicks"),
    "ctr": ("点击量 / 曝光量", "clicks / impressions"),
    "cpc": ("花费 / 点击量", "spend / clicks"),
    "cpm": ("1000 × 花费 / 曝光量", "1000 x spend / impressions"),
    "signup_cvr": (
        "新增用户 / 同一渠道（活动）同期的点击量；跨多个渠道时只计付费渠道的新增",
        "new users / clicks of the same channel (campaign) and period; over several channels, new users of paid "
        "channels only",
    ),
    "cac": (
        "花费 / 同一渠道（活动）同期的新增用户；没有投放花费的渠道为空；跨多个渠道时只计付费渠道的新增",
        "spend / new users of the same channel (campaign) and period; empty for a channel without ad spend; over "
        "several channels, new users of paid channels only",
    ),
    "blended_cac": ("全部花费 / 全部新增用户（含自然流量）", "all spend / all new users (organic included)"),
    "referred_new_users": ("有邀请人（referrer_id）的新增用户", "new users with a referrer_id"),
    "k_factor": (
        "期间内被邀请的新增用户 / 去重邀请人数；按邀请人的渠道",
        "new users invited in the period / distinct inviters; by the inviter's channel",
    ),
    "roi": ("单说 ROI 即 7日ROI", "roi alone means roi_7d"),
    "cohort_size": ("在同期群当天注册的用户数", "users who signed up on the cohort day"),
    "activated": (
        "在第 c 至 c+1 天做过激活事件的同期群用户（只计已满期的同期群）",
        "cohort users who did the activation event on days c .. c+1 (mature cohorts)",
    ),
    "activation_rate": ("激活用户 / 新增用户（只计已满期的同期群）", "activated / new users (mature cohorts)"),
    "paid_7d": (
        "在第 c 至 c+6 天有正金额订单的同期群用户（只计已满期的同期群）",
        "cohort users with a positive order on days c .. c+6 (mature cohorts)",
    ),
    "paid_rate_7d": (
        "7 天内付费的用户 / 激活用户（只计已满期的同期群）",
        "paid within 7 days / activated (mature cohorts)",
    ),
    "returning_users": ("本期与上期都活跃的用户", "active in this and the previous period"),
    "resurrected_users": ("本期活跃、上期未活跃且不是新用户", "active now, not in the previous period, not new"),
    "dormant_users": ("上期活跃、本期未活跃的用户", "active in the previous period, not now"),
    "silent_users": (
        "最近 K 天没有活跃的用户（K 由计划设置，默认 14）",
        "users not active for the last K days (K from the plan, default 14)",
    ),
}

_DAYS = {
    "retention_d1": 1,
    "retention_d7": 7,
    "retention_d30": 30,
}


def _windows() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name, n in _DAYS.items():
        out[name] = (
            f"在第 c+{n} 天活跃的同期群用户 / 同期群人数；只计已满期的同期群",
            f"cohort users active on day c+{n} / cohort size; mature cohorts only",
        )
    for days in (1, 7, 30):
        last = days - 1
        w = f"{days}d"
        zh = "首日" if days == 1 else f"{days}日"  # 首日收入, 7日收入: the registry's own labels
        out[f"revenue_{w}"] = (
            f"同期群用户在第 c 至 c+{last} 天支付的订单收入（退款为负）",
            f"revenue of cohort users from orders paid on days c .. c+{last} (refunds negative)",
        )
        out[f"ltv_{w}"] = (f"{zh}收入 / 同期群人数", f"revenue_{w} / cohort size")
        out[f"roi_{w}"] = (
            "同期群收入 / 同期群注册日的花费；1.0 = 保本",
            "cohort revenue / spend on the cohort days; 1.0 = break-even",
        )
        out[f"roas_{w}"] = (
            f"与{zh}ROI 是同一个数，广告平台的叫法",
            f"the same number as roi_{w} under the ad platforms' name",
        )
        out[f"net_roi_{w}"] = (
            f"（{zh}收入 - 花费）/ 花费 = {zh}ROI - 1",
            f"(revenue_{w} - spend) / spend = roi_{w} - 1",
        )
        out[f"payer_conversion_{w}"] = (
            f"在第 c 至 c+{last} 天有正金额订单的同期群用户 / 同期群人数",
            f"cohort users with a positive order on days c .. c+{last} / cohort size",
        )
    for n in range(1, 13):
        out[f"retention_w{n}"] = (
            f"ISO 周同期群中在第 c+{n} 周活跃的用户 / 同期群人数；只计已满期的同期群",
            f"ISO-week cohort users active in week c+{n} / cohort size; mature cohorts only",
        )
        out[f"retention_m{n}"] = (
            f"月同期群中在第 c+{n} 月活跃的用户 / 同期群人数；只计已满期的同期群",
            f"month cohort users active in month c+{n} / cohort size; mature cohorts only",
        )
    return out


WORDS: dict[str, tuple[str, str]] = {
    "metric.nps": ("净推荐值(NPS)", "NPS"),
    "metric.app_store_rating": ("应用商店评分", "App store rating"),
    "metric.brand_search_index": ("品牌搜索指数", "Brand search index"),
    **{f"metric.{name}.definition": pair for name, pair in {**_ONE, **_windows()}.items()},
}
