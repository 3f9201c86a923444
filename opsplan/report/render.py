"""The weekly review rendered: Markdown to paste into meeting notes, or one HTML file that opens offline.

The HTML carries its style inline and its charts as inline SVG (vl-convert renders them here, no
script and nothing fetched), so the file can be mailed, archived and opened without a network.
"""

from __future__ import annotations

import html
import re

from opsplan.plan.labels import scope_label
from opsplan.report.cells import Cell, Section
from opsplan.report.review import Review
from opsplan.words import t

#: charts sit two to a row in the page's width; the targets furthest behind get a pace chart each
CHART_WIDTH = 460
PACE_CHARTS = 4
WATERFALLS = 2  # the why section's: the first KPIs that got worse

# -- Markdown -------------------------------------------------------------------------------------


def _md_cell(cell: Cell) -> str:
    text = cell.text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()
    return f"**{text}**" if cell.tone == "bad" and text else text


def md_table(columns: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> str:
    head = "| " + " | ".join(_md_cell(Cell(c)) for c in columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    return "\n".join([head, rule] + ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows])


def _md_section(s: Section) -> list[str]:
    out = ["", f"## {s.title}", ""]
    if s.lead:
        out += [s.lead, ""]
    out.append(md_table(s.columns, s.rows) if s.rows else s.empty or "—")
    if s.note and s.rows:
        out += ["", f"> {s.note}"]
    return out


def to_markdown(review: Review) -> str:
    status = _md_cell(review.status_cell)
    out = [f"# {review.title}", "", f"{status} · {review.subtitle}"]
    for s in review.sections:
        out += _md_section(s)
    return "\n".join(out) + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
:root{--bad:#b91c1c;--bad-bg:#fee2e2;--warn:#92400e;--warn-bg:#fef3c7;--good:#166534;--good-bg:#dcfce7}
*{box-sizing:border-box}
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif;
margin:1.5rem auto;max-width:1180px;padding:0 1rem;color:#111827;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .3rem}
h2{font-size:1.15rem;margin:1.8rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid #e5e7eb}
.sub{color:#4b5563;margin:.2rem 0 1rem}
.lead{margin:.3rem 0 .6rem}
.note{color:#6b7280;font-size:.82rem;margin:.4rem 0}
table{border-collapse:collapse;max-width:100%;font-size:.86rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #e5e7eb;padding:.3rem .6rem;text-align:left;vertical-align:top;white-space:nowrap}
th{background:#f3f4f6;font-weight:600}
td.num{text-align:right}td.wrap{white-space:normal;min-width:14rem}
tbody tr:nth-child(even){background:#fafafa}
.bad{color:var(--bad);font-weight:600}.warn{color:var(--warn)}.good{color:var(--good)}
.pill{display:inline-block;padding:.05rem .55rem;border-radius:999px;font-weight:600;font-size:.9rem}
.pill.bad{background:var(--bad-bg)}.pill.warn{background:var(--warn-bg)}.pill.good{background:var(--good-bg)}
.charts{display:flex;flex-wrap:wrap;gap:1rem;margin-top:.8rem}
figure{margin:0;padding:.5rem;border:1px solid #e5e7eb;border-radius:6px;background:#fff}
figcaption{font-size:.8rem;color:#4b5563;margin-bottom:.2rem}
figure svg{max-width:100%;height:auto;display:block}
@media print{body{max-width:none;margin:0}h2{break-after:avoid}figure,tr{break-inside:avoid}}
"""

_NUMBER = re.compile(r"[-+]?[¥$]?[-+]?[\d,]*\.?\d*(%|pp)?|—")
WRAP_AT = 24  # longer cells (reasons, actions) wrap; shorter ones stay on one line


def _td(cell: Cell) -> str:
    kind = "num" if _NUMBER.fullmatch(cell.text) and cell.text else "wrap" if len(cell.text) > WRAP_AT else ""
    classes = [c for c in (cell.tone, kind) if c]
    attr = f' class="{" ".join(classes)}"' if classes else ""
    return f"<td{attr}>{html.escape(cell.text)}</td>"


def html_table(columns: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(c) for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figures(charts: list[tuple[str, object]]) -> str:
    if not charts:
        return ""
    from opsplan.charts.svg import to_svg

    figures = "".join(
        f"<figure><figcaption>{html.escape(caption)}</figcaption>{to_svg(chart)}</figure>"  # type: ignore[arg-type]
        for caption, chart in charts
    )
    return f'<div class="charts">{figures}</div>'


def _charts(review: Review) -> dict[str, list[tuple[str, object]]]:
    """The charts placed under each section: KPI trends, the worst targets' pace, channel ROI."""
    from opsplan.charts.channels import bar_chart
    from opsplan.charts.goals import pace_chart
    from opsplan.charts.trend import trend_chart
    from opsplan.metrics.measure import metric_info
    from opsplan.metrics.registry import METRICS
    from opsplan.plan.model import TargetKind

    lang = review.lang
    week = (review.start, review.end)
    out: dict[str, list[tuple[str, object]]] = {"kpis": [], "why": [], "targets": [], "channels": []}
    if not review.daily.empty:
        for name in ("new_users", "dau"):
            chart = trend_chart(review.daily, name, lang, highlight=week, width=CHART_WIDTH, height=180)
            out["kpis"].append((t("report.trend", lang, label=METRICS[name].label(lang)), chart))
    out["why"] = _waterfalls(review)
    ranked = sorted(
        (
            x
            for x in review.check.targets
            if not x.series.empty and x.status.value in ("missed", "off_track", "at_risk")
        ),
        key=lambda x: x.status.value not in ("missed", "off_track"),
    )
    for x in ranked[:PACE_CHARTS]:
        info = metric_info(x.metric, review.plan)
        forecast = x.forecast if x.kind is TargetKind.CUMULATIVE else None  # as the Goals page draws it
        chart = pace_chart(x.series, x.metric, lang, CHART_WIDTH, 180, info.label(lang), info.unit, forecast)
        where = scope_label(x.scope, lang, review.check.campaigns)
        name = info.label(lang) + (t("reason.scope", lang, scope=where) if where else "")
        out["targets"].append((t("report.pace_chart", lang, target=name), chart))
    roi = review.channel_roi.dropna(subset=["roi_7d"]) if "roi_7d" in review.channel_roi else review.channel_roi
    if not roi.empty:
        label = METRICS["roi_7d"].label(lang)
        chart = bar_chart(roi, "roi_7d", "channel", lang, 1.0).properties(width=CHART_WIDTH)
        out["channels"].append((t("report.roi_chart", lang, label=label), chart))
    return out


def _waterfalls(review: Review) -> list[tuple[str, object]]:
    """The waterfall of each KPI that got worse this week (the first ``WATERFALLS``), by channel."""
    from opsplan.charts.why import waterfall_chart
    from opsplan.metrics.measure import metric_info
    from opsplan.report.why import got_worse

    lang, out = review.lang, []
    for name, dec in review.moves:
        info = metric_info(name, review.plan)
        if len(out) >= WATERFALLS or not got_worse(dec, info):
            continue
        periods = (t("why.last_week", lang), t("why.this_week", lang))
        chart = waterfall_chart(dec, info, lang, "channel", 3, periods=periods, height=200)
        if chart is not None:
            out.append((t("why.chart_title", lang, label=info.label(lang)), chart.properties(width=CHART_WIDTH)))
    return out


def _html_section(s: Section, charts: list[tuple[str, object]]) -> str:
    parts = [f'<section id="{s.key}"><h2>{html.escape(s.title)}</h2>']
    if s.lead:
        parts.append(f'<p class="lead">{html.escape(s.lead)}</p>')
    parts.append(html_table(s.columns, s.rows) if s.rows else f"<p>{html.escape(s.empty or '—')}</p>")
    if s.note and s.rows:
        parts.append(f'<p class="note">{html.escape(s.note)}</p>')
    parts.append(_figures(charts))
    parts.append("</section>")
    return "".join(parts)


def to_html(review: Review) -> str:
    status = review.status_cell
    charts = _charts(review)
    head = (
        f'<!doctype html><html lang="{"zh-CN" if review.lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(review.title)}</title><style>{_CSS}</style></head>"
        f'<body data-week="{review.week}" data-status="{review.status}">'
        f"<header><h1>{html.escape(review.title)}</h1>"
        f'<p class="sub"><span class="pill {status.tone}">{html.escape(status.text)}</span> · '
        f"{html.escape(review.subtitle)}</p></header>"
    )
    body = "\n".join(_html_section(s, charts.get(s.key, [])) for s in review.sections)
    return f"{head}\n{body}\n</body></html>\n"
