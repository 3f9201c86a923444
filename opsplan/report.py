"""The weekly review (周报) for one ISO week, as Markdown or as one self-contained HTML file.

What a team lead pastes into Monday's meeting notes: the week's KPIs against the week before and the
targets, target statuses with their reasons, stop-loss flags fired or resolved in the week with their
actions, the channel table, initiatives, the newest mature cohorts and the budget burn.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from opsplan.check import CheckResult, evaluate_plan
from opsplan.exports import report
from opsplan.metrics import get_metric
from opsplan.plan import Plan
from opsplan.rollup import query_metrics
from opsplan.stoploss import RuleState
from opsplan.warehouse import Warehouse, read_connection

WEEK_KPIS = (
    "new_users",
    "wau",
    "revenue",
    "paying_users",
    "arpu",
    "spend",
    "cac",
    "signup_cvr",
    "retention_d1",
    "roi_7d",
)
COHORT_KPIS = {"retention_d1", "retention_d7", "roi_7d", "ltv_7d", "roi", "payer_conversion_7d"}

T = {
    "zh": {
        "title": "周报",
        "week": "周",
        "through": "数据截至",
        "kpis": "本周核心指标",
        "metric": "指标",
        "this": "本周",
        "last": "上周",
        "change": "环比",
        "target": "目标",
        "status": "状态",
        "targets": "目标进度",
        "reason": "说明",
        "flags": "止损规则（本周触发 / 恢复）",
        "rule": "规则",
        "scope": "范围",
        "since": "起始",
        "action": "应对动作",
        "none": "本周无触发",
        "channels": "渠道表现",
        "initiatives": "关键举措",
        "owner": "负责人",
        "cohorts": "最新成熟同期群",
        "budget": "预算消耗",
        "category": "类别",
        "channel": "渠道",
        "planned": "计划",
        "actual": "实际",
        "burn": "消耗率",
        "pace": "进度比",
        "projected": "期末预计",
        "charts": "图表",
        "state": "状态",
    },
    "en": {
        "title": "Weekly review",
        "week": "week",
        "through": "data through",
        "kpis": "KPIs this week",
        "metric": "metric",
        "this": "this week",
        "last": "last week",
        "change": "change",
        "target": "target",
        "status": "status",
        "targets": "Targets",
        "reason": "reason",
        "flags": "Stop-loss flags this week",
        "rule": "rule",
        "scope": "scope",
        "since": "since",
        "action": "action",
        "none": "nothing fired this week",
        "channels": "Channels",
        "initiatives": "Initiatives",
        "owner": "owner",
        "cohorts": "Newest mature cohorts",
        "budget": "Budget burn",
        "category": "category",
        "channel": "channel",
        "planned": "planned",
        "actual": "actual",
        "burn": "burn",
        "pace": "pace",
        "projected": "projected",
        "charts": "Charts",
        "state": "state",
    },
}


@dataclass(frozen=True)
class Section:
    title: str
    table: pd.DataFrame | None = None
    text: str = ""


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    """'2026-W05' → (Monday 2026-01-26, Sunday 2026-02-01)."""
    year, number = week.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(number), 1)
    return monday, monday + dt.timedelta(days=6)


def _labels(columns: object, lang: str) -> dict[str, str]:
    from opsplan.metrics import METRICS

    return {c: METRICS[c].label(lang) for c in columns if c in METRICS}  # type: ignore[attr-defined]


def _fmt(metric: str, value: object) -> str:
    return get_metric(metric).format(None if value is None or pd.isna(value) else value)  # type: ignore[arg-type]


def _kpi_table(con: object, week: str, start: dt.date, end: dt.date, check: CheckResult, lang: str) -> pd.DataFrame:
    prev_start = start - dt.timedelta(days=7)
    week_names = [m for m in WEEK_KPIS if m not in COHORT_KPIS]
    cohort_names = [m for m in WEEK_KPIS if m in COHORT_KPIS]
    weekly = query_metrics(con, week_names, grain="week", start=prev_start, end=end)  # type: ignore[arg-type]
    cohorts = query_metrics(con, cohort_names, grain="week", start=prev_start, end=end)  # type: ignore[arg-type]
    both = weekly.merge(cohorts, on="week", how="outer").set_index("week")
    prev = f"{prev_start.isocalendar()[0]}-W{prev_start.isocalendar()[1]:02d}"
    targets = {t.metric: t for t in check.targets if not t.scope}
    rows = []
    for m in WEEK_KPIS:
        now = both.loc[week, m] if week in both.index else None
        before = both.loc[prev, m] if prev in both.index else None
        change = (
            (float(now) - float(before)) / abs(float(before))
            if now is not None and before is not None and not pd.isna(now) and not pd.isna(before) and float(before)
            else None
        )
        t = targets.get(m)
        rows.append(
            {
                T[lang]["metric"]: get_metric(m).label(lang),
                T[lang]["this"]: _fmt(m, now),
                T[lang]["last"]: _fmt(m, before),
                T[lang]["change"]: "—" if change is None else f"{change:+.1%}",
                T[lang]["target"]: _fmt(m, t.target) if t else "",
                T[lang]["status"]: t.status.label(lang) if t else "",
            }
        )
    return pd.DataFrame(rows)


def _flags_table(check: CheckResult, start: dt.date, end: dt.date, plan: Plan, lang: str) -> pd.DataFrame:
    rules = {r.id: r for r in plan.rules}
    seen: dict[tuple[str, str], dict[str, object]] = {}
    for e in check.history:
        if not (start <= e.date <= end) or e.state not in (RuleState.FIRING, RuleState.RESOLVED):
            continue
        key = (e.rule_id, e.item)
        row = seen.setdefault(
            key,
            {
                T[lang]["rule"]: e.rule_id,
                T[lang]["scope"]: e.item,
                T[lang]["state"]: "",
                T[lang]["since"]: e.since.isoformat(),
                T[lang]["action"]: rules[e.rule_id].action,
            },
        )
        row[T[lang]["state"]] = e.state.label(lang) + f" ({e.date})"
    return pd.DataFrame(list(seen.values()))


def build_sections(
    wh: Warehouse, plan: Plan, week: str, lang: str = "zh"
) -> tuple[list[Section], CheckResult, dict[str, pd.DataFrame]]:
    start, end = week_bounds(week)
    t = T[lang]
    with read_connection(wh) as con:
        (through,) = con.execute("SELECT data_through FROM data_through").fetchone()
        as_of = min(end, through) if through else end
        check = evaluate_plan(con, plan, as_of)
        channels = report(con, "channels", start=start, end=end)
        daily = query_metrics(
            con, ["dau", "new_users", "revenue"], grain="day", start=start - dt.timedelta(days=7), end=end
        )
        cohorts = query_metrics(
            con,
            ["cohort_size", "retention_d1", "retention_d7", "ltv_7d", "roi_7d"],
            grain="cohort",
            start=start - dt.timedelta(days=14),
            end=end,
        )
        kpis = _kpi_table(con, week, start, end, check, lang)
    mature = cohorts.dropna(subset=["retention_d7"]).tail(7)
    sections = [Section(t["kpis"], kpis)]
    sections.append(
        Section(
            t["targets"],
            pd.DataFrame(
                [
                    {
                        "id": x.id,
                        t["metric"]: x.metric,
                        t["scope"]: ", ".join(x.scope.values()) or "all",
                        t["status"]: x.status.label(lang),
                        t["reason"]: x.reason(lang),
                    }
                    for x in check.targets
                ]
            ),
        )
    )
    flags = _flags_table(check, start, end, plan, lang)
    sections.append(Section(t["flags"], flags if not flags.empty else None, "" if not flags.empty else t["none"]))
    shown = channels.copy()
    for col in shown.columns:
        if col != "channel":
            shown[col] = [_fmt(col, v) for v in shown[col]]
    sections.append(
        Section(t["channels"], shown.rename(columns=_labels(shown.columns, lang) | {"channel": t["channel"]}))
    )
    sections.append(
        Section(
            t["initiatives"],
            pd.DataFrame(
                [
                    {
                        t["initiatives"]: f"{i.module} · {i.name}",
                        t["owner"]: i.owner,
                        t["status"]: i.status.label(lang) if i.status else i.state,
                        t["reason"]: i.reason_zh if lang == "zh" else i.reason_en,
                    }
                    for i in check.initiatives
                ]
            ),
        )
    )
    cohort_rows = mature.copy()
    for col in cohort_rows.columns[1:]:
        cohort_rows[col] = [_fmt(col, v) for v in cohort_rows[col]]
    sections.append(Section(t["cohorts"], cohort_rows.rename(columns=_labels(cohort_rows.columns, lang))))
    if check.budget is not None:
        b = check.budget.frame()
        sections.append(
            Section(
                t["budget"],
                pd.DataFrame(
                    {
                        t["category"]: b["category"],
                        t["channel"]: b["channel"].fillna(""),
                        t["planned"]: [f"{v:,.0f}" for v in b["planned"]],
                        t["actual"]: ["—" if pd.isna(v) else f"{v:,.0f}" for v in b["actual"]],
                        t["burn"]: ["—" if pd.isna(v) else f"{v:.0%}" for v in b["burn"]],
                        t["pace"]: ["—" if pd.isna(v) else f"{v:.2f}" for v in b["pace"]],
                        t["projected"]: ["—" if pd.isna(v) else f"{v:,.0f}" for v in b["projected"]],
                    }
                ),
            )
        )
    return sections, check, {"daily": daily, "channels": channels}


def _md_table(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    rows = [[str(v).replace("|", "\\|").replace("\n", " ") for v in r] for r in frame.itertuples(index=False)]
    return "\n".join(
        ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + ["| " + " | ".join(r) + " |" for r in rows]
    )


def _header(plan: Plan, week: str, check: CheckResult, lang: str) -> tuple[str, str]:
    start, end = week_bounds(week)
    t = T[lang]
    title = f"{plan.name} · {t['title']} {week}"
    sub = f"{start} – {end} · {t['through']} {check.data_through} · {t['status']}: {check.status.upper()}"
    return title, sub


def to_markdown(plan: Plan, week: str, sections: list[Section], check: CheckResult, lang: str) -> str:
    title, sub = _header(plan, week, check, lang)
    out = [f"# {title}", "", sub]
    for s in sections:
        out += ["", f"## {s.title}", ""]
        out.append(_md_table(s.table) if s.table is not None and not s.table.empty else (s.text or "—"))
    return "\n".join(out) + "\n"


_CSS = """body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2rem auto;
max-width:1100px;color:#111827}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #e5e7eb;padding:.35rem .5rem;
text-align:left}th{background:#f9fafb}.sub{color:#6b7280}.charts svg{max-width:100%;height:auto}"""


def _html_table(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>" for r in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(
    plan: Plan, week: str, sections: list[Section], check: CheckResult, frames: dict[str, pd.DataFrame], lang: str
) -> str:
    from opsplan.charts import bar_chart, pace_chart, to_svg, trend_chart

    title, sub = _header(plan, week, check, lang)
    parts = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1><p class="sub">{html.escape(sub)}</p>'
    ]
    for s in sections:
        parts.append(f"<h2>{html.escape(s.title)}</h2>")
        parts.append(
            _html_table(s.table)
            if s.table is not None and not s.table.empty
            else f"<p>{html.escape(s.text or '—')}</p>"
        )
    charts = [trend_chart(frames["daily"], "dau", lang), trend_chart(frames["daily"], "new_users", lang)]
    roi = frames["channels"].dropna(subset=["roi_7d"])
    if not roi.empty:
        charts.append(bar_chart(roi, "roi_7d", "channel", lang, reference=1.0))
    charts += [pace_chart(t.series, t.metric, lang) for t in check.targets if not t.series.empty][:3]
    parts.append(f'<h2>{T[lang]["charts"]}</h2><div class="charts">')
    parts += [f"<figure>{to_svg(c)}</figure>" for c in charts]
    parts.append("</div></body></html>")
    return "\n".join(parts)


def weekly_report(wh: Warehouse, plan: Plan, week: str, fmt: str = "md", lang: str = "zh") -> str:
    sections, check, frames = build_sections(wh, plan, week, lang)
    if fmt == "html":
        return to_html(plan, week, sections, check, frames, lang)
    return to_markdown(plan, week, sections, check, lang)
