"""Words of the command line a person reads (help texts stay English: they are for operators)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # `opsplan --help`; the English help names the product's Chinese term, as the team says it
    "cli.description": (
        "OpsPlan：用团队的真实数据检验季度运营计划。",
        "OpsPlan: hold a quarterly operations plan (运营计划) against the team's real data.",
    ),
    # the header of the generated metric table in docs/glossary.md (python -m opsplan.docs): one table, both
    # languages side by side
    "docs.glossary.header": (
        "| name | 中文 | English | unit | better | grains | definition |",
        "| name | 中文 | English | unit | better | grains | definition |",
    ),
}
