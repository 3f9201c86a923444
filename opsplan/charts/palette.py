"""Every colour of every chart, keyed by what it means (a channel code, a rule state, a lifecycle state, a
campaign phase, a line's role), never by the page that draws it: a channel reads the same colour on the
Channels, Retention, Users and Budget pages and in the HTML report. No Altair here (the report's CSS and the
CLI may read it without paying for Altair)."""

from __future__ import annotations

from collections.abc import Iterable

#: a stable colour per channel code (the demo's channels first; any other code takes one of EXTRA by its
#: position among the unknown codes of the chart, sorted, so two charts of the same channels agree)
CHANNEL_COLORS: dict[str, str] = {
    "douyin": "#111827",
    "xiaohongshu": "#e11d48",
    "wechat_moments": "#16a34a",
    "zhihu": "#2563eb",
    "bilibili": "#0ea5e9",
    "baidu_sem": "#7c3aed",
    "kol": "#f59e0b",
    "referral": "#14b8a6",
    "organic": "#9ca3af",
}
EXTRA: tuple[str, ...] = ("#a16207", "#be185d", "#4d7c0f", "#1d4ed8", "#c2410c", "#0f766e", "#6d28d9", "#b91c1c")

#: the roles of single-colour marks and lines
INK = "#111827"  # a single series (one line for all channels)
ACCENT = "#2563eb"  # the measured value: the actual line, funnel bars, the highlighted week
MUTED = "#9ca3af"  # what it is compared with: the planned pace
ALERT = "#dc2626"  # a target or reference line (ROI 1.0)
HIGHLIGHT_OPACITY = 0.08  # the shaded week under review

#: a target's pace chart (TargetResult.series): actual, expected pace, target
PACE_COLORS: dict[str, str] = {"actual": ACCENT, "expected": MUTED, "target": ALERT}
#: a budget burn chart: cumulative spend, the straight-line plan
BURN_COLORS: dict[str, str] = {"actual": ACCENT, "pace": MUTED}

#: campaign phases, the bands behind a daily line (pale: the line stays readable over them)
PHASE_COLORS: dict[str, str] = {"preheat": "#fde68a", "burst": "#fecaca", "longtail": "#bfdbfe"}

#: the registry's lifecycle metrics (users page), dormant drawn below the axis
LIFECYCLE_COLORS: dict[str, str] = {
    "new_users": "#2563eb",
    "returning_users": "#16a34a",
    "resurrected_users": "#f59e0b",
    "dormant_users": "#dc2626",
}

#: the retention rates of a cohort trend
RETENTION_COLORS: dict[str, str] = {"retention_d1": "#2563eb", "retention_d7": "#16a34a", "retention_d30": "#f59e0b"}
#: the Vega scheme of values that mean nothing to the palette (a profile attribute's regions, genders, ...)
CATEGORY_SCHEME = "tableau20"
#: the lines between heatmap cells
CELL_STROKE = "#ffffff"
#: the retention table's cell colour (RGB of the heatmap's darkest blue), its opacity the cell's rate
HEAT_RGB = (8, 81, 156)


def heat_css(rate: float | None, top: float) -> str:
    """A retention table cell's CSS: blue in proportion to ``rate`` / ``top``, white text once it is dark."""
    if rate is None or rate != rate or top <= 0:
        return ""
    alpha = max(0.0, min(1.0, rate / top))
    r, g, b = HEAT_RGB
    text = "#ffffff" if alpha > 0.55 else "#111827"
    return f"background-color: rgba({r},{g},{b},{round(alpha * 0.85, 2)}); color: {text}"


#: a table's change cell that is better / worse by the metric's direction (the Channels table's Δ columns)
TONE_CSS = {"good": "color: #15803d; background-color: #dcfce7", "bad": "color: #b91c1c; background-color: #fee2e2"}

#: the background of a table row that needs attention (not a chart: the Budget page's over-pace channels; the
#: same red as the HTML report's --bad-bg), so a page's table styles take their colour from here too
ROW_ALERT_BG = "#fee2e2"

#: stop-loss rule states (opsplan.plan.stoploss.RuleState values), worst first
RULE_STATE_COLORS: dict[str, str] = {
    "firing": "#dc2626",
    "pending": "#f59e0b",
    "resolved": "#3b82f6",
    "ok": "#86efac",
    "not_judged": "#c4b5fd",
    "no_data": "#e5e7eb",
}


def channel_colors(codes: Iterable[str]) -> list[str]:
    """The colour of each channel code, in the order given: its own, or one of EXTRA for a code the palette does
    not know (given by the unknown codes' sorted order, so it does not depend on the chart's order)."""
    codes = list(codes)
    unknown = sorted({c for c in codes if c not in CHANNEL_COLORS})
    extra = {c: EXTRA[i % len(EXTRA)] for i, c in enumerate(unknown)}
    return [CHANNEL_COLORS.get(c) or extra[c] for c in codes]


def channel_scale(codes: Iterable[str]) -> dict[str, list[str]]:
    """Vega-Lite scale ``domain`` / ``range`` giving each channel code its colour."""
    codes = list(codes)
    return {"domain": codes, "range": channel_colors(codes)}


#: the steps of a "why did it move" waterfall: a move in the metric's good direction, in its bad one, a move of a
#: metric with no good direction, and the two totals (before, after) the steps run between
WATERFALL_COLORS: dict[str, str] = {"good": "#16a34a", "bad": "#dc2626", "neutral": "#2563eb", "total": "#64748b"}

#: a target's status (opsplan.plan.evaluate.Status values): its progress bar on the Goals page — achieved and on
#: track green, at risk amber, off track and missed red, no data grey
STATUS_COLORS: dict[str, str] = {
    "achieved": "#16a34a",
    "on_track": "#16a34a",
    "at_risk": "#f59e0b",
    "off_track": "#dc2626",
    "missed": "#dc2626",
    "no_data": "#9ca3af",
}
#: the unfilled rest of a progress bar (up to 100%)
TRACK = "#e5e7eb"
