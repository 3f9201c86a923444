"""Labels of the codes the data and the plan carry: channels (``channel.<code>``), and what shows for "all".

A channel the catalogue does not know shows as the data names it (a team's own ``tiktok_us`` stays
``tiktok_us``); the common Chinese channels are named here once for every page, report and CLI line.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "channel.douyin": ("抖音", "Douyin"),
    "channel.xiaohongshu": ("小红书", "Xiaohongshu"),
    "channel.wechat_moments": ("微信朋友圈", "WeChat Moments"),
    "channel.zhihu": ("知乎", "Zhihu"),
    "channel.bilibili": ("B站", "Bilibili"),
    "channel.baidu_sem": ("百度SEM", "Baidu SEM"),
    "channel.kol": ("KOL", "KOL"),
    "channel.referral": ("裂变", "Referral"),
    "channel.organic": ("自然流量", "Organic"),
}
