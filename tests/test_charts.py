"""Every chart builder of opsplan/charts through ``chart.to_dict()`` on a small frame: its mark, encodings, titles
in 中文 and English, colours from the palette (a channel the same colour on every chart), number formats from
``opsplan.fmt`` and dates as digits on a Chinese chart. And the boundaries: Altair, colour literals and d3 format
strings live in opsplan/charts (formats in opsplan/fmt.py) and nowhere else."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from opsplan import fmt
from opsplan.charts import palette
from opsplan.charts.alerts import state_strip, strip_frame
from opsplan.charts.budget import burn_chart
from opsplan.charts.channels import bar_chart, channel_bars
from opsplan.charts.cohort import retention_curves, retention_trend
from opsplan.charts.funnel import funnel_chart
from opsplan.charts.goals import pace_chart
from opsplan.charts.trend import active_chart, daily_chart, trend_chart
from opsplan.charts.users import lifecycle_chart, lifecycle_frame, profile_chart
from opsplan.metrics.registry import Unit, get_metric
from opsplan.plan.stoploss import RuleEval, RuleState
from opsplan.screens import retention
from opsplan.screens.explore import Step
from opsplan.screens.plan import TOTAL

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
DAYS = [D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 7)]
DATE_AXIS, DATE_TIP = fmt.axis_date_format(), fmt.axis_date_format(full=True)
PERCENT = fmt.axis_format(Unit.PERCENT)
COUNT = fmt.axis_format(Unit.COUNT)
CURRENCY = fmt.axis_format(Unit.CURRENCY)


def _spec(chart) -> dict:  # noqa: ANN001 - any Altair top-level chart
    return chart.to_dict()


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer") or [spec.get("spec", spec)]


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _tips(enc: dict) -> dict[str, dict]:
    return {tip["field"]: tip for tip in enc["tooltip"]}


def _scale(color: dict) -> dict[str, str]:
    return dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))


def _channel_frame() -> pd.DataFrame:
    rows = [(d, c, v) for d in DAYS for c, v in (("douyin", 100.0), ("xiaohongshu", 80.0), ("newcomer", 5.0))]
    return pd.DataFrame(rows, columns=["date", "channel", "spend"])


def _no_english_dates(spec: dict) -> None:
    """Every temporal axis and tooltip of ``spec`` has an explicit date format of digits (no "Jan 04")."""
    text = json.dumps(spec, ensure_ascii=False)
    assert "%b" not in text and "%a" not in text and "%B" not in text and "%A" not in text

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "temporal" and "field" in node:
                has_format = node.get("format") or (node.get("axis") or {}).get("format")
                assert has_format in (DATE_AXIS, DATE_TIP), node  # a Vega default would read "Jan 04"
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)


# ── the palette ──────────────────────────────────────────────────────────────────────────────────────────


def test_known_channels_keep_their_colour_and_unknown_ones_do_not_depend_on_order() -> None:
    assert palette.channel_colors(["xiaohongshu", "douyin"]) == ["#e11d48", "#111827"]
    one = palette.channel_colors(["zz_new", "douyin", "aa_new"])
    two = palette.channel_colors(["aa_new", "zz_new"])
    assert one[0] == two[1] and one[2] == two[0] and one[0] != one[2]
    assert set(one) - {palette.CHANNEL_COLORS["douyin"]} <= set(palette.EXTRA)


def test_every_rule_state_has_a_colour() -> None:
    assert set(palette.RULE_STATE_COLORS) == {s.value for s in RuleState}


# ── trends ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("lang", "date_title"), [("zh", "日期"), ("en", "Date")])
def test_daily_chart_by_channel(lang: str, date_title: str) -> None:
    spec = _spec(daily_chart(_channel_frame(), "spend", lang, pd.DataFrame(columns=["phase"]), by_channel=True))
    (line,) = _layers(spec)
    enc = line["encoding"]
    assert _mark(line) == "line"
    assert (enc["x"]["field"], enc["x"]["type"], enc["x"]["axis"]["format"]) == ("date", "temporal", DATE_AXIS)
    assert (enc["y"]["field"], enc["y"]["type"], enc["y"]["title"]) == (
        "spend",
        "quantitative",
        "花费" if lang == "zh" else "Spend",
    )
    assert enc["y"]["axis"]["format"] == CURRENCY
    assert _tips(enc)["date"]["title"] == date_title and _tips(enc)["spend"]["format"] == CURRENCY
    colours = _scale(enc["color"])
    douyin, xhs = ("抖音", "小红书") if lang == "zh" else ("Douyin", "Xiaohongshu")
    assert colours[douyin] == palette.CHANNEL_COLORS["douyin"] and colours[xhs] == palette.CHANNEL_COLORS["xiaohongshu"]
    assert colours["newcomer"] in palette.EXTRA  # a code the catalogue does not name shows as written
    assert enc["color"]["title"] == ("渠道" if lang == "zh" else "Channel")
    _no_english_dates(spec)


def test_daily_chart_over_phase_bands_in_their_colours() -> None:
    bands = pd.DataFrame(
        {
            "campaign_id": ["c1"],
            "name": ["春日"],
            "phase": ["burst"],
            "start_date": ["2026-01-05"],
            "end_date": ["2026-01-31"],
            "start": [pd.Timestamp(2026, 1, 5)],
            "stop": [pd.Timestamp(2026, 1, 8)],
        }
    )
    frame = _channel_frame().groupby("date", as_index=False)["spend"].sum()
    spec = _spec(daily_chart(frame, "spend", "zh", bands, by_channel=False))
    rect, line = _layers(spec)
    assert (_mark(rect), _mark(line)) == ("rect", "line")
    assert _scale(rect["encoding"]["color"]) == {"爆发": palette.PHASE_COLORS["burst"]}
    assert rect["encoding"]["color"]["title"] == "阶段"
    assert line["mark"]["color"] == palette.INK
    assert spec["resolve"]["scale"]["color"] == "independent"
    _no_english_dates(spec)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_trend_with_its_week_and_target(lang: str) -> None:
    frame = pd.DataFrame({"date": DAYS, "new_users": [3.0, 4.0, 5.0]})
    spec = _spec(trend_chart(frame, "new_users", lang, target=4.0, highlight=(DAYS[0], DAYS[1])))
    week, line, rule = spec["layer"]
    assert [_mark(x) for x in (week, line, rule)] == ["rect", "line", "rule"]
    assert week["mark"]["color"] == palette.ACCENT and rule["mark"]["color"] == palette.ALERT
    assert spec["title"] == get_metric("new_users").label(lang) == line["encoding"]["y"]["title"]
    assert line["encoding"]["y"]["axis"]["format"] == COUNT
    _no_english_dates(spec)


def test_report_trend_by_channel_uses_the_channel_colours() -> None:
    spec = _spec(trend_chart(_channel_frame(), "spend", "zh", by="channel"))
    assert _scale(spec["encoding"]["color"])["抖音"] == palette.CHANNEL_COLORS["douyin"]


def test_active_users_area() -> None:
    spec = _spec(active_chart(pd.DataFrame({"date": DAYS, "dau": [1, 2, 3]}), "dau", "zh"))
    assert _mark(spec) == "area" and spec["mark"]["color"] == palette.ACCENT
    assert spec["encoding"]["y"]["title"] == get_metric("dau").label("zh")
    assert spec["encoding"]["y"]["axis"]["format"] == COUNT and _tips(spec["encoding"])["dau"]["format"] == COUNT
    _no_english_dates(spec)


# ── bars per channel, the funnel ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_channel_bars_of_the_report_with_the_break_even_line(lang: str) -> None:
    frame = pd.DataFrame({"channel": ["douyin", "kol"], "roi_7d": [0.8, 1.4]})
    spec = _spec(bar_chart(frame, "roi_7d", "channel", lang, reference=1.0))
    bars, rule = spec["layer"]
    enc = bars["encoding"]
    assert (_mark(bars), _mark(rule)) == ("bar", "rule") and rule["mark"]["color"] == palette.ALERT
    assert (enc["y"]["field"], enc["y"]["type"], enc["y"]["sort"]) == ("channel_label", "nominal", "-x")
    assert enc["x"]["axis"]["format"] == fmt.axis_format(Unit.RATIO)
    assert spec["title"] == enc["x"]["title"] == get_metric("roi_7d").label(lang)
    names = ("抖音", "KOL") if lang == "zh" else ("Douyin", "KOL")
    assert _scale(enc["color"]) == dict(zip(names, palette.channel_colors(["douyin", "kol"]), strict=True))
    assert enc["color"]["legend"] is None


def test_silent_users_bars_have_no_title() -> None:
    spec = _spec(
        channel_bars(pd.DataFrame({"channel": ["organic"], "silent_users": [2]}), "silent_users", "en", title=False)
    )
    assert "title" not in spec and spec["encoding"]["x"]["field"] == "silent_users"
    assert _tips(spec["encoding"])["silent_users"]["format"] == COUNT


def test_funnel_bars_labelled_by_the_registry() -> None:
    steps = [Step("impressions", 51000.0, None, None), Step("clicks", 310.0, "ctr", 310 / 51000)]
    spec = _spec(funnel_chart(steps, "zh"))
    bars, text = spec["layer"]
    assert (_mark(bars), _mark(text)) == ("bar", "text") and bars["mark"]["color"] == palette.ACCENT
    assert spec["layer"][0]["encoding"]["y"]["sort"] == [
        get_metric("impressions").label("zh"),
        get_metric("clicks").label("zh"),
    ]
    data = next(iter(spec["datasets"].values()))
    assert [row["text"] for row in data] == ["51,000", "310  ·  点击率(CTR) 0.6%"]


# ── retention ────────────────────────────────────────────────────────────────────────────────────────────


def _cells() -> pd.DataFrame:
    rows = []
    for cohort, size in ((D(2026, 1, 5), 2), (D(2026, 1, 12), 1)):
        for n in range(3):
            mature = size if cohort == D(2026, 1, 5) or n < 2 else 0
            retained = ({0: 2, 1: 1, 2: 1} if size == 2 else {0: 1, 1: 0, 2: 0})[n] if mature else 0
            rows.append((cohort, n, size, retained, mature, retained / mature if mature else float("nan")))
    return pd.DataFrame(rows, columns=["cohort", "day_offset", "size", "retained", "mature", "rate"])


def test_the_retention_table_has_a_size_column_and_a_percentage_per_reached_cell() -> None:
    cells = _cells().rename(columns={"day_offset": "n"})
    shown, rates = retention.table(cells, "day", "en")
    assert list(shown.columns[:4]) == ["Cohort", "Cohort users", "Day 0", "Day 1"] and shown.shape[1] == 2 + 31
    assert shown.iloc[0, :5].tolist() == ["2026-01-05", "2", "100.0%", "50.0%", "50.0%"]
    assert shown.iloc[1, :5].tolist() == ["2026-01-12", "1", "100.0%", "0.0%", ""]  # day 2 not reached: empty
    assert rates.iloc[1]["Day 1"] == 0.0 and pd.isna(rates.iloc[1]["Day 2"])
    week, _ = retention.table(cells, "week", "zh", {"2026-W03"})
    assert week.iloc[:, 0].tolist() == ["2026-W02", "2026-W03*"] and list(week.columns[2:4]) == ["第0周", "第1周"]
    assert week.shape[1] == 2 + 13  # week 0 .. 12, not day 0 .. 30


def test_a_retention_cell_is_coloured_by_its_rate_and_an_empty_one_not_at_all() -> None:
    assert palette.heat_css(float("nan"), 0.5) == "" and palette.heat_css(None, 0.5) == ""
    light, dark = palette.heat_css(0.05, 0.5), palette.heat_css(0.5, 0.5)
    assert "rgba(8,81,156,0.09)" in light and "#111827" in light  # faint blue, dark text
    assert "rgba(8,81,156,0.85)" in dark and "#ffffff" in dark  # the top rate: the darkest, white text


def test_retention_curves_by_channel() -> None:
    points = pd.DataFrame(
        {"channel": ["douyin", "douyin", "kol"], "day_offset": [1, 2, 1], "rate": [1.0, 0.5, 0.0], "mature": [3, 3, 1]}
    )
    spec = _spec(retention_curves(points, "zh"))
    enc = spec["encoding"]
    assert _mark(spec) == "line" and enc["y"]["axis"]["format"] == PERCENT
    assert _scale(enc["color"]) == {"抖音": palette.CHANNEL_COLORS["douyin"], "KOL": palette.CHANNEL_COLORS["kol"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_retention_trend_by_signup_day(lang: str) -> None:
    trend = pd.DataFrame(
        {
            "cohort": DAYS,
            "retention_d1": [0.5, 0.4, None],
            "retention_d7": [0.2, None, None],
            "retention_d30": [None] * 3,
        }
    )
    spec = _spec(retention_trend(trend, lang))
    enc = spec["encoding"]
    labels = [get_metric(n).label(lang) for n in ("retention_d1", "retention_d7", "retention_d30")]
    assert enc["color"]["scale"] == {"domain": labels, "range": list(palette.RETENTION_COLORS.values())}
    assert enc["x"]["title"] == ("同期群" if lang == "zh" else "Cohort") and enc["y"]["axis"]["format"] == PERCENT
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 3  # the matured rates only
    _no_english_dates(spec)


# ── users ────────────────────────────────────────────────────────────────────────────────────────────────


def test_lifecycle_bars_dormant_below_the_axis_partial_weeks_pale() -> None:
    life = pd.DataFrame(
        {
            "week": ["2026-W02", "2026-W03"],
            "partial": [False, True],
            "new_users": [6, 1],
            "returning_users": [0, 1],
            "resurrected_users": [0, 0],
            "dormant_users": [0, 5],
        }
    )
    long = lifecycle_frame(life, "en")
    assert long.set_index(["week", "state"]).loc[("2026-W03", "Dormant users"), "users"] == -5
    long = long.assign(week_axis=long["week"], week_label=long["week"])
    spec = _spec(lifecycle_chart(long, "zh"))
    enc = spec["encoding"]
    assert _mark(spec) == "bar" and enc["x"]["field"] == "week_axis" and enc["x"]["title"] == "周"
    assert enc["opacity"]["condition"] == {"test": "datum.partial", "value": 0.4}
    states = ("new_users", "returning_users", "resurrected_users", "dormant_users")
    assert enc["color"]["scale"] == {
        "domain": [get_metric(s).label("zh") for s in states],
        "range": [palette.LIFECYCLE_COLORS[s] for s in states],
    }
    assert enc["y"]["axis"]["format"] == COUNT


def test_profile_mix_in_shares_of_the_month() -> None:
    mix = pd.DataFrame(
        {"month": ["2026-01"] * 2, "value": ["女", "男"], "users": [2, 1], "share": [2 / 3, 1 / 3]}
    ).assign(month_axis="2026-01*", month_label="2026-01（部分：9/31 天）")
    for lang, title in (("zh", "性别"), ("en", "Gender")):
        enc = _spec(profile_chart(mix, "gender", lang))["encoding"]
        assert enc["color"]["title"] == title and enc["color"]["scale"]["scheme"] == palette.CATEGORY_SCHEME
        assert enc["y"]["stack"] == "normalize" and enc["y"]["axis"]["format"] == PERCENT
        assert _tips(enc)["share"]["format"] == PERCENT


# ── plan: pace, burn, alerts ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("lang", "names"), [("zh", ["实际", "进度线", "目标"]), ("en", ["actual", "pace", "target"])])
def test_pace_chart(lang: str, names: list[str]) -> None:
    series = pd.DataFrame({"date": DAYS, "actual": [1.0, 2.0, None], "expected": [1.0, 2.0, 3.0], "target": [3.0] * 3})
    spec = _spec(pace_chart(series, "new_users", lang))
    enc = spec["encoding"]
    assert _mark(spec) == "line" and spec["title"] == get_metric("new_users").label(lang)
    assert enc["color"]["scale"] == {"domain": names, "range": [palette.ACCENT, palette.MUTED, palette.ALERT]}
    assert enc["y"]["axis"]["format"] == COUNT and _tips(enc)["value"]["format"] == COUNT
    _no_english_dates(spec)


def _burn() -> pd.DataFrame:
    rows = []
    for channel in (TOTAL, "douyin", "xiaohongshu"):
        for series in ("actual", "pace"):
            rows += [(d, channel, series, 10.0 * i) for i, d in enumerate(DAYS)]
    return pd.DataFrame(rows, columns=["date", "channel", "series", "spend"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_burn_of_the_whole_budget(lang: str) -> None:
    spec = _spec(burn_chart(_burn(), lang, per_channel=False))
    enc = spec["encoding"]
    names = ["实际", "计划进度"] if lang == "zh" else ["Actual", "Planned pace"]
    assert enc["color"]["scale"] == {"domain": names, "range": [palette.ACCENT, palette.MUTED]}
    assert enc["y"]["axis"]["format"] == CURRENCY and _tips(enc)["spend"]["format"] == CURRENCY
    data = next(iter(spec["datasets"].values()))
    assert {row["name"] for row in data} == {"全部预算" if lang == "zh" else "Whole budget"}
    _no_english_dates(spec)  # the whole-budget axis had no format: it read "Jan 04" on a Chinese page


def test_burn_per_channel_panels_in_the_channel_colours() -> None:
    spec = _spec(burn_chart(_burn(), "zh", per_channel=True))
    inner = spec["spec"]["encoding"]
    assert spec["facet"]["field"] == "name" and spec["columns"] == 3
    assert _scale(inner["color"]) == {
        "抖音": palette.CHANNEL_COLORS["douyin"],
        "小红书": palette.CHANNEL_COLORS["xiaohongshu"],
    }
    _no_english_dates(spec)


def _eval(rule: str, item: str, day: dt.date, state: RuleState) -> RuleEval:
    return RuleEval(rule, item, day, day, state, 1.0, 1.0, 1, day)


def test_alerts_strip() -> None:
    events = [
        _eval("spend_cap", "douyin", DAYS[0], RuleState.FIRING),
        _eval("spend_cap", "douyin", DAYS[1], RuleState.RESOLVED),
        _eval("spend_cap", "kol", DAYS[1], RuleState.OK),
        _eval("spend_cap", "douyin", D(2025, 12, 1), RuleState.OK),  # before the range
    ]
    frame = strip_frame(events, "zh", DAYS[0], DAYS[-1])
    assert frame.values.tolist() == [
        ["spend_cap · 抖音", DAYS[0], "触发"],
        ["spend_cap · 抖音", DAYS[1], "已恢复"],
        ["spend_cap · KOL", DAYS[1], "正常"],
    ]
    assert len(strip_frame(events, "zh", DAYS[0], DAYS[-1], shown={("spend_cap", "kol")})) == 1
    named = strip_frame(events, "zh", DAYS[0], DAYS[-1], rule_names={"spend_cap": "花费上限"})
    assert list(named["row"].unique()) == ["花费上限 · 抖音", "花费上限 · KOL"]  # the rule by its name, not its id
    for lang in ("zh", "en"):
        spec = _spec(state_strip(strip_frame(events, lang, DAYS[0], DAYS[-1]), lang))
        enc = spec["encoding"]
        assert _mark(spec) == "rect" and enc["color"]["title"] == ("状态" if lang == "zh" else "State")
        colours = _scale(enc["color"])
        assert colours[RuleState.FIRING.label(lang)] == palette.RULE_STATE_COLORS["firing"]
        assert len(colours) == len(RuleState)  # every state on the legend, drawn or not
        _no_english_dates(spec)


# ── one colour per channel, on every chart ───────────────────────────────────────────────────────────────


def test_a_channel_has_the_same_colour_on_different_charts() -> None:
    daily = _spec(daily_chart(_channel_frame(), "spend", "zh", pd.DataFrame(columns=["phase"]), by_channel=True))
    bars = _spec(
        channel_bars(
            pd.DataFrame({"channel": ["xiaohongshu", "newcomer", "douyin"], "silent_users": [1, 2, 3]}),
            "silent_users",
            "zh",
        )
    )
    curves = _spec(
        retention_curves(
            pd.DataFrame(
                {"channel": ["newcomer", "douyin"], "day_offset": [1, 1], "rate": [0.5, 0.5], "mature": [1, 1]}
            ),
            "zh",
        )
    )
    burn = _spec(burn_chart(_burn(), "zh", per_channel=True))
    scales = [
        _scale(_layers(daily)[-1]["encoding"]["color"]),
        _scale(bars["encoding"]["color"]),
        _scale(curves["encoding"]["color"]),
        _scale(burn["spec"]["encoding"]["color"]),
    ]
    for name in ("抖音", "小红书", "newcomer"):
        assert len({s[name] for s in scales if name in s}) == 1, name
    assert scales[0]["抖音"] == palette.CHANNEL_COLORS["douyin"]


# ── boundaries ───────────────────────────────────────────────────────────────────────────────────────────


def _sources() -> list[Path]:
    return sorted(
        [
            *(ROOT / "opsplan").rglob("*.py"),
            *(ROOT / "ui").rglob("*.py"),
            *(ROOT / "pages").rglob("*.py"),
            ROOT / "app.py",
        ]
    )


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_altair_is_imported_only_in_opsplan_charts() -> None:
    offenders = []
    for path in _sources():
        if _rel(path).startswith("opsplan/charts/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "altair" or n.startswith("altair.") for n in names):
                offenders.append(f"{_rel(path)}:{node.lineno}")
    assert not offenders, "draw charts in opsplan/charts:\n" + "\n".join(offenders)


_HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")

#: files that may hold a colour literal outside the palette, each with why
COLOUR_ALLOWED = {
    "opsplan/charts/palette.py": "the palette",
    "opsplan/report/render.py": "the HTML report's page style (not a chart), owned by the report",
    "pages/budget.py": "the over-pace row's background in a table (not a chart)",
}


def test_colours_are_the_palettes() -> None:
    offenders = []
    for path in _sources():
        if _rel(path) in COLOUR_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _HEX.search(node.value):
                offenders.append(f"{_rel(path)}:{node.lineno}: {node.value}")
    assert not offenders, "take colours from opsplan.charts.palette:\n" + "\n".join(offenders)


def test_chart_formats_come_from_fmt() -> None:
    """No ``format=`` / ``labelExpr`` literal with a d3 number or time format outside opsplan/fmt.py."""
    d3 = re.compile(r"%[a-zA-Z]|^[,.~0-9]*[%fdes]$|^,$")
    offenders = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "format" and isinstance(node.value, ast.Constant):
                if isinstance(node.value.value, str) and d3.search(node.value.value):
                    offenders.append(f"{_rel(path)}:{node.value.lineno}: {node.value.value}")
    assert not offenders, "take chart formats from opsplan.fmt:\n" + "\n".join(offenders)
