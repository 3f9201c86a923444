"""What a metric is: its unit, direction, grains and the SQL aggregate that computes it.

The entries themselves live in the ``catalog_*`` modules and are assembled in ``registry``; this module
holds only the types, so a catalogue can import them without importing the registry that imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

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
