"""Words of the command line a person reads (help texts stay English: they are for operators)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # `opsplan --help`: the English help names the product's Chinese term ({term}: cli.plan_term in Chinese)
    "cli.description": (
        "OpsPlan：用团队的真实数据检验季度{term}。",
        "OpsPlan: hold a quarterly operations plan ({term}) against the team's real data.",
    ),
    "cli.plan_term": ("运营计划", "operations plan"),
    # the header of the generated metric table in docs/glossary.md (python -m opsplan.docs); {zh} and {en} name
    # the two label columns in their own language (app.lang_name)
    "docs.glossary.header": (
        "| 名称 | {zh} | {en} | 单位 | 方向 | 粒度 | 定义 |",
        "| name | {zh} | {en} | unit | better | grains | definition |",
    ),
}
