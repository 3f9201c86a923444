"""Words of the plan pages' own views and widgets: the labels of the external metrics a plan commonly names
(``metric.<name>``; a metric the registry and the plan label themselves never comes here)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "metric.nps": ("净推荐值(NPS)", "NPS"),
    "metric.app_store_rating": ("应用商店评分", "App store rating"),
    "metric.brand_search_index": ("品牌搜索指数", "Brand search index"),
}
