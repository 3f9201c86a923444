"""What a reader sees for the plan's and the data's codes: rules, budget categories, scopes, external metrics.

Why one place: a code (``roi_floor``, ``acquisition``, ``xiaohongshu``) must never reach a reader. The plan's
own ``label_zh`` / ``label_en`` come first; without one, a known rule or category uses the catalogue's
label (``rule.kind.<id>``, ``category.<code>``), a channel its ``channel.<code>``, and anything else its code.
A campaign shows by the name the data gives it (``campaigns.name``) when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from opsplan.words import channel_label, code_label, t

ALL = "all"


class Labelled(Protocol):
    label_zh: str
    label_en: str


def _own(thing: Labelled, lang: str) -> str:
    return thing.label_en if lang == "en" else thing.label_zh


def rule_label(rule: object, lang: str) -> str:
    """A stop-loss rule's name: the plan's label, the catalogue's for a known id, else the id."""
    return _own(rule, lang) or code_label("rule.kind", rule.id, lang)  # type: ignore[arg-type, attr-defined]


def rule_id_label(rule_id: str, rules: Mapping[str, object], lang: str) -> str:
    """``rule_label`` for a rule known only by its id (a flag, a kept evaluation)."""
    rule = rules.get(rule_id)
    return rule_label(rule, lang) if rule is not None else code_label("rule.kind", rule_id, lang)


def category_label(allocation: object, lang: str) -> str:
    """A budget category's name: the plan's label, the catalogue's for a known category, else the code."""
    own = _own(allocation, lang)  # type: ignore[arg-type]
    return own or code_label("category", allocation.category, lang)  # type: ignore[attr-defined]


def item_label(per: str, item: str, lang: str, campaigns: Mapping[str, str] | None = None) -> str:
    """One scope item of a rule: a channel by its label, a campaign by its name in the data, 'all' as 全部 / all."""
    if item == ALL or per == ALL:
        return t("reason.all", lang)
    if per == "campaign":
        return (campaigns or {}).get(item) or item
    return channel_label(item, lang)


def scope_label(scope: Mapping[str, str], lang: str, campaigns: Mapping[str, str] | None = None) -> str:
    """A target's or initiative's scope ({channel: …} / {campaign: …}): '' for the whole product."""
    if scope.get("campaign"):
        return item_label("campaign", scope["campaign"], lang, campaigns)
    if scope.get("channel"):
        return channel_label(scope["channel"], lang)
    return ""
