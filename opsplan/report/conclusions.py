"""本周结论: the weekly review's opening verdict, four lines read off the sections below it (nothing computed
twice): how the targets stand and the one furthest behind, the stop-loss flags, the first KPI that got
worse and why, and how many next actions have no owner. Each line keeps its source's tone."""

from __future__ import annotations

from opsplan import fmt
from opsplan.report.cells import Cell, Section
from opsplan.words import t

BAD = ("bad", "warn")


def _targets(targets: Section, lang: str) -> tuple[Cell, Cell]:
    """The count by status, and the first (worst) target when it is behind: 'DAU · 全部 · 落后：…'."""
    if not targets.rows:
        return Cell(t("conclusions.targets", lang)), Cell(targets.empty or t("conclusions.no_targets", lang), "warn")
    metric, scope, status, reason = targets.rows[0]
    text = targets.lead
    if status.tone in BAD:
        text += t("conclusions.worst", lang, target=f"{metric.text} · {scope.text}", reason=reason.text)
    return Cell(t("conclusions.targets", lang)), Cell(text, status.tone if status.tone in BAD else "good")


def _flags(flags: Section, lang: str) -> tuple[Cell, Cell]:
    firing = [row for row in flags.rows if row[3].tone == "bad"]
    text = flags.lead
    if firing:
        names = t("actions.owner_sep", lang).join(f"{row[0].text} · {row[1].text}" for row in firing[:3])
        text += t("conclusions.firing", lang, names=names)
    return Cell(t("conclusions.flags", lang)), Cell(text, "bad" if firing else "")


def _moved(why: Section, lang: str) -> tuple[Cell, Cell]:
    """The first KPI (in the plan's order) that got worse, with its why sentence, and how many more did."""
    worse = [row for row in why.rows if row[1].tone == "bad"]
    if not worse:
        return Cell(t("conclusions.moved", lang)), Cell(
            why.empty if not why.rows else t("conclusions.none_worse", lang)
        )
    text = worse[0][1].text
    if len(worse) > 1:
        text += t("conclusions.more_worse", lang, n=fmt.count(len(worse) - 1))
    return Cell(t("conclusions.moved", lang)), Cell(text, "bad")


def _actions(actions: Section, lang: str) -> tuple[Cell, Cell]:
    unowned = sum(1 for row in actions.rows if row[2].text == t("actions.no_owner", lang))
    if not actions.rows:
        return Cell(t("conclusions.actions", lang)), Cell(actions.empty)
    text = t("conclusions.action_count", lang, n=fmt.count(len(actions.rows)))
    if unowned:
        text += t("conclusions.unowned", lang, n=fmt.count(unowned))
    return Cell(t("conclusions.actions", lang)), Cell(text, "warn" if unowned else "")


def conclusions_section(targets: Section, flags: Section, why: Section, actions: Section, lang: str) -> Section:
    rows = (_targets(targets, lang), _flags(flags, lang), _moved(why, lang), _actions(actions, lang))
    columns = (t("conclusions.point", lang), t("conclusions.verdict", lang))
    return Section("conclusions", t("conclusions.title", lang), columns, rows)
