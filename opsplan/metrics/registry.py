"""The metric registry: each metric's name, labels (zh/en), unit, direction and how it is computed.

Pages, the CLI, exports and plan rules all read this one table; nobody repeats a label or a format.
A metric is the sum of a column, or the ratio of the sums of two columns, over the rows of a view
(``queries/``). Summing before dividing is what makes "a rate over a period is the ratio of the
period's sums, never the mean of daily rates" hold at every grain, channel and campaign.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from opsplan import fmt


class Unit(Enum):
    """How a value is shown; the formats themselves live in ``opsplan.fmt``."""

    COUNT = "count"  # 12,345 (a mean of a count: 0.9)
    CURRENCY = "currency"  # ¥12,345.00
    PERCENT = "percent"  # 41.2%
    RATIO = "ratio"  # 1.35 (ROI, K-factor: a multiple, 1.0 = break-even)


class Direction(Enum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better
    NEUTRAL = "neutral"  # neither (spend)


#: grains a metric can be asked for; "cohort" means per signup day and summed over cohorts
DAY, WEEK, MONTH, COHORT = "day", "week", "month", "cohort"
PERIODS = (DAY, WEEK, MONTH)

#: which view serves which family of metrics
KPI_VIEWS = {DAY: "kpis_daily", WEEK: "kpis_periodic", MONTH: "kpis_periodic"}


@dataclass(frozen=True)
class Metric:
    name: str
    label_zh: str
    label_en: str
    unit: Unit
    direction: Direction
    #: column summed for the value (the numerator of a ratio)
    column: str
    #: column whose sum divides it, or None for a plain sum
    denominator: str | None
    #: grains at which the metric is defined
    grains: tuple[str, ...]
    #: views that carry ``column`` and ``denominator``
    views: tuple[str, ...]
    definition: str
    scale: float = 1.0
    #: subtracted after dividing: net ROI = ROI - 1
    shift: float = 0.0
    #: True when summing daily values over a range gives the range's value (not so for distinct users)
    additive_over_days: bool = True
    #: a sum that stays empty (not 0) while the cohorts behind it are immature
    gated: bool = False
    #: days from a cohort day until its value is mature (retention_d7: 7, roi_7d: 6); 0 for day metrics
    lag: int = 0

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def sql(self, alias: str = "v") -> str:
        """The aggregate over a view's rows: sum, or ratio of sums (NULL when the denominator is 0)."""
        if self.denominator is None:
            return f'sum({alias}."{self.column}")'
        expr = f'CAST(sum({alias}."{self.column}") AS DOUBLE) / nullif(sum({alias}."{self.denominator}"), 0)'
        if self.scale != 1.0:
            expr = f"({expr}) * {self.scale:g}"
        if self.shift:
            expr = f"({expr}) - {self.shift:g}"
        return expr

    def format(self, value: object, currency: str = "¥") -> str:
        """'¥1,234.50', '41.2%', '1.35', '12,345', a mean of a count '0.9'; '—' when empty (``opsplan.fmt``)."""
        return fmt.value(self.unit, value, currency)


class MetricRegistry(Mapping[str, Metric]):
    """Name → Metric, refusing duplicates; lookups of unknown names suggest the closest names."""

    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._items: dict[str, Metric] = {}
        for metric in metrics:
            if metric.name in self._items:
                raise ValueError(f"metric {metric.name!r} is registered twice")
            self._items[metric.name] = metric

    def __getitem__(self, name: str) -> Metric:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


_KPI = ("kpis_daily", "kpis_periodic")
_ALL_PERIODS = (DAY, WEEK, MONTH)
U, D, N = Direction.UP, Direction.DOWN, Direction.NEUTRAL


def _kpi(
    name: str,
    zh: str,
    en: str,
    unit: Unit,
    direction: Direction,
    column: str,
    denominator: str | None,
    definition: str,
    *,
    grains: tuple[str, ...] = _ALL_PERIODS,
    views: tuple[str, ...] = _KPI,
    scale: float = 1.0,
    additive: bool = True,
) -> Metric:
    return Metric(
        name,
        zh,
        en,
        unit,
        direction,
        column,
        denominator,
        grains,
        views,
        definition,
        scale=scale,
        additive_over_days=additive,
    )


def _cohort_metrics() -> Iterator[Metric]:
    """retention_dN, revenue/ltv/roi/roas/net_roi/payer_conversion for N days (cohort_daily)."""
    view = ("cohort_daily",)
    for n, zh in ((1, "次日"), (7, "7日"), (30, "30日")):
        yield Metric(
            f"retention_d{n}",
            f"{zh}留存率",
            f"D{n} retention",
            Unit.PERCENT,
            U,
            f"retained_d{n}",
            f"size_d{n}",
            (COHORT,),
            view,
            f"cohort users active on day c+{n} / cohort size; mature cohorts only",
            lag=n,
        )
    for n, zh in ((1, "首日"), (7, "7日"), (30, "30日")):
        yield Metric(
            f"revenue_{n}d",
            f"{zh}收入",
            f"{n}-day revenue",
            Unit.CURRENCY,
            U,
            f"revenue_{n}d",
            None,
            (COHORT,),
            view,
            f"revenue of cohort users from orders paid on days c .. c+{n - 1} (refunds negative)",
            gated=True,
            lag=n - 1,
        )
        yield Metric(
            f"ltv_{n}d",
            f"{zh}LTV",
            f"{n}-day LTV",
            Unit.CURRENCY,
            U,
            f"revenue_{n}d",
            f"size_{n}d",
            (COHORT,),
            view,
            f"revenue_{n}d / cohort size",
            lag=n - 1,
        )
        for prefix, zh_name, en_name, shift, text in (
            ("roi", "ROI(投入产出比)", "ROI", 0.0, "cohort revenue / spend on the cohort days; 1.0 = break-even"),
            ("roas", "ROAS", "ROAS", 0.0, f"the same number as roi_{n}d under the ad platforms' name"),
            ("net_roi", "净ROI", "net ROI", 1.0, f"(revenue_{n}d - spend) / spend = roi_{n}d - 1"),
        ):
            yield Metric(
                f"{prefix}_{n}d",
                f"{zh}{zh_name}",
                f"{n}-day {en_name}",
                Unit.RATIO,
                U,
                f"paid_revenue_{n}d",
                f"spend_{n}d",
                (COHORT,),
                view,
                text,
                shift=shift,
                lag=n - 1,
            )
        yield Metric(
            f"payer_conversion_{n}d",
            f"{zh}付费转化率",
            f"{n}-day payer conversion",
            Unit.PERCENT,
            U,
            f"payers_{n}d",
            f"size_{n}d",
            (COHORT,),
            view,
            f"cohort users with a positive order on days c .. c+{n - 1} / cohort size",
            lag=n - 1,
        )
    yield Metric(
        "roi",
        "ROI(7日)",
        "ROI (7-day)",
        Unit.RATIO,
        U,
        "paid_revenue_7d",
        "spend_7d",
        (COHORT,),
        view,
        "roi alone means roi_7d",
        lag=6,
    )
    yield Metric(
        "cohort_size",
        "同期群人数",
        "Cohort size",
        Unit.COUNT,
        N,
        "cohort_size",
        None,
        (COHORT,),
        view + ("retention_curve",),
        "users who signed up on the cohort day",
    )


def _periodic_retention() -> Iterator[Metric]:
    for n in range(1, 13):
        yield Metric(
            f"retention_w{n}",
            f"第{n}周留存率",
            f"Week-{n} retention",
            Unit.PERCENT,
            U,
            "retained",
            "mature_size",
            (WEEK,),
            ("retention_periodic",),
            f"ISO-week cohort users active in week c+{n} / cohort size; mature cohorts only",
        )
    for n in range(1, 13):
        yield Metric(
            f"retention_m{n}",
            f"第{n}月留存率",
            f"Month-{n} retention",
            Unit.PERCENT,
            U,
            "retained",
            "mature_size",
            (MONTH,),
            ("retention_periodic",),
            f"month cohort users active in month c+{n} / cohort size; mature cohorts only",
        )


def _build() -> MetricRegistry:
    fun, life = ("funnel_daily",), ("lifecycle_daily", "lifecycle_periodic")
    return MetricRegistry(
        [
            _kpi(
                "new_users",
                "新增用户",
                "New users",
                Unit.COUNT,
                U,
                "new_users",
                None,
                "users with signup day in the period",
                views=_KPI + fun + life,
            ),
            _kpi(
                "dau",
                "日活(DAU)",
                "DAU",
                Unit.COUNT,
                U,
                "active_users",
                None,
                "distinct users active on d",
                grains=(DAY,),
                additive=False,
            ),
            _kpi(
                "wau",
                "周活(WAU)",
                "WAU",
                Unit.COUNT,
                U,
                "active_users",
                None,
                "distinct users active in the ISO week",
                grains=(WEEK,),
                additive=False,
            ),
            _kpi(
                "mau",
                "月活(MAU)",
                "MAU",
                Unit.COUNT,
                U,
                "active_users",
                None,
                "distinct users active in the calendar month",
                grains=(MONTH,),
                additive=False,
            ),
            _kpi(
                "stickiness",
                "粘性(DAU/MAU)",
                "Stickiness (DAU/MAU)",
                Unit.PERCENT,
                U,
                "dau_mean",
                "active_users",
                "mean DAU over the days of the month / MAU",
                grains=(MONTH,),
                views=("kpis_periodic",),
                additive=False,
            ),
            _kpi(
                "revenue",
                "收入",
                "Revenue",
                Unit.CURRENCY,
                U,
                "revenue",
                None,
                "sum of order amounts paid in the period; refunds are negative",
            ),
            _kpi(
                "paying_users",
                "付费用户",
                "Paying users",
                Unit.COUNT,
                U,
                "paying_users",
                None,
                "distinct users with an order of positive amount in the period",
                additive=False,
            ),
            _kpi(
                "arpu",
                "ARPU",
                "ARPU",
                Unit.CURRENCY,
                U,
                "revenue",
                "active_users",
                "revenue / active users over the same period",
                additive=False,
            ),
            _kpi(
                "arppu",
                "ARPPU",
                "ARPPU",
                Unit.CURRENCY,
                U,
                "revenue",
                "paying_users",
                "revenue / paying users over the same period",
                additive=False,
            ),
            _kpi(
                "paid_conversion",
                "付费转化率",
                "Paid conversion",
                Unit.PERCENT,
                U,
                "paying_users",
                "active_users",
                "paying users / active users over the same period",
                additive=False,
            ),
            _kpi(
                "repurchase_rate",
                "复购率",
                "Repurchase rate",
                Unit.PERCENT,
                U,
                "repeat_buyers",
                "paying_users",
                "users with >= 2 positive orders in the period / users with >= 1",
                additive=False,
            ),
            _kpi("spend", "花费", "Spend", Unit.CURRENCY, N, "spend", None, "sum of ad_spend.spend"),
            _kpi(
                "impressions",
                "曝光量",
                "Impressions",
                Unit.COUNT,
                U,
                "impressions",
                None,
                "sum of ad_spend.impressions",
                views=_KPI + fun,
            ),
            _kpi(
                "clicks", "点击量", "Clicks", Unit.COUNT, U, "clicks", None, "sum of ad_spend.clicks", views=_KPI + fun
            ),
            _kpi(
                "ctr",
                "点击率(CTR)",
                "CTR",
                Unit.PERCENT,
                U,
                "clicks",
                "impressions",
                "clicks / impressions",
                views=_KPI + fun,
            ),
            _kpi("cpc", "CPC", "CPC", Unit.CURRENCY, D, "spend", "clicks", "spend / clicks"),
            _kpi(
                "cpm",
                "CPM",
                "CPM",
                Unit.CURRENCY,
                D,
                "spend",
                "impressions",
                "1000 x spend / impressions",
                scale=1000.0,
            ),
            _kpi(
                "signup_cvr",
                "注册转化率",
                "Signup CVR",
                Unit.PERCENT,
                U,
                "paid_new_users",
                "clicks",
                "new users / clicks of the same channel (campaign) and period; over several channels, "
                "new users of paid channels only",
                views=_KPI + fun,
            ),
            _kpi(
                "cac",
                "获客成本(CAC)",
                "CAC",
                Unit.CURRENCY,
                D,
                "spend",
                "paid_new_users",
                "spend / new users of the same channel (campaign) and period; empty for a channel "
                "without ad spend; over several channels, new users of paid channels only",
            ),
            _kpi(
                "blended_cac",
                "综合获客成本",
                "Blended CAC",
                Unit.CURRENCY,
                D,
                "spend",
                "new_users",
                "all spend / all new users (organic included)",
            ),
            _kpi(
                "referred_new_users",
                "裂变新增",
                "Referred new users",
                Unit.COUNT,
                U,
                "referred_new_users",
                None,
                "new users with a referrer_id",
            ),
            _kpi(
                "k_factor",
                "K因子",
                "K-factor",
                Unit.RATIO,
                U,
                "invited_new_users",
                "inviters",
                "new users invited in the period / distinct inviters; by the inviter's channel",
                additive=False,
            ),
            *_cohort_metrics(),
            *_periodic_retention(),
            Metric(
                "activated",
                "激活用户",
                "Activated users",
                Unit.COUNT,
                U,
                "activated",
                None,
                (COHORT,),
                fun,
                "cohort users who did the activation event on days c .. c+1 (mature cohorts)",
                gated=True,
                lag=1,
            ),
            Metric(
                "activation_rate",
                "激活率",
                "Activation rate",
                Unit.PERCENT,
                U,
                "activated",
                "activated_base",
                (COHORT,),
                fun,
                "activated / new users (mature cohorts)",
                lag=1,
            ),
            Metric(
                "paid_7d",
                "7日付费用户",
                "Paid within 7 days",
                Unit.COUNT,
                U,
                "paid_7d",
                None,
                (COHORT,),
                fun,
                "cohort users with a positive order on days c .. c+6 (mature cohorts)",
                gated=True,
                lag=6,
            ),
            Metric(
                "paid_rate_7d",
                "激活→付费转化率",
                "Activated → paid",
                Unit.PERCENT,
                U,
                "paid_7d",
                "paid_base",
                (COHORT,),
                fun,
                "paid within 7 days / activated (mature cohorts)",
                lag=6,
            ),
            Metric(
                "returning_users",
                "回访用户",
                "Returning users",
                Unit.COUNT,
                U,
                "returning_users",
                None,
                _ALL_PERIODS,
                life,
                "active in this and the previous period",
                additive_over_days=False,
            ),
            Metric(
                "resurrected_users",
                "召回用户",
                "Resurrected users",
                Unit.COUNT,
                U,
                "resurrected_users",
                None,
                _ALL_PERIODS,
                life,
                "active now, not in the previous period, not new",
                additive_over_days=False,
            ),
            Metric(
                "dormant_users",
                "流失用户",
                "Dormant users",
                Unit.COUNT,
                D,
                "dormant_users",
                None,
                _ALL_PERIODS,
                life,
                "active in the previous period, not now",
                additive_over_days=False,
            ),
            Metric(
                "silent_users",
                "沉默用户",
                "Silent users",
                Unit.COUNT,
                D,
                "days_inactive",
                None,
                (DAY,),
                ("user_last_active",),
                "users not active for the last K days (K from the plan, default 14)",
                additive_over_days=False,
            ),
        ]
    )


METRICS: MetricRegistry = _build()


class UnknownMetricError(KeyError):
    """An unknown metric name; the message suggests the closest known names."""


def get_metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(METRICS), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownMetricError(f"unknown metric {name!r}{hint}") from None


def registry_frame() -> pd.DataFrame:
    """The registry as a table (what `opsplan metrics --list` prints)."""
    return pd.DataFrame(
        [
            {
                "name": m.name,
                "label_zh": m.label_zh,
                "label_en": m.label_en,
                "unit": m.unit.value,
                "direction": m.direction.value,
                "grains": ",".join(m.grains),
                "definition": m.definition,
            }
            for m in METRICS.values()
        ]
    )
