"""The metric registry: each metric's name, labels (zh/en), unit, direction and how it is computed.

Pages, the CLI, exports and plan rules all read this one table; nobody repeats a label or a format.
A metric is the sum of a column, or the ratio of the sums of two columns, over the rows of a view
(``queries/``). Summing before dividing is what makes "a rate over a period is the ratio of the
period's sums, never the mean of daily rates" hold at every grain, channel and campaign.

Every metric is one literal ``Metric(name="...", ...)`` entry in a ``catalog_*`` module (as Rill and
metricflow declare measures), so a metric's name always leads to its definition; the types are in
``metric``. The order of the catalogues is the order of ``opsplan metrics --list`` and the glossary.
"""

from __future__ import annotations

import difflib

import pandas as pd

from opsplan.metrics.catalog_cohort import COHORT_METRICS
from opsplan.metrics.catalog_kpis import KPIS
from opsplan.metrics.catalog_lifecycle import FUNNEL_AND_LIFECYCLE
from opsplan.metrics.catalog_retention import PERIODIC_RETENTION
from opsplan.metrics.metric import (
    COHORT,
    DAY,
    KPI_VIEWS,
    MONTH,
    PERIODS,
    WEEK,
    Direction,
    Metric,
    MetricRegistry,
    Unit,
)

__all__ = [
    "COHORT",
    "DAY",
    "KPI_VIEWS",
    "METRICS",
    "MONTH",
    "PERIODS",
    "WEEK",
    "Direction",
    "Metric",
    "MetricRegistry",
    "Unit",
    "UnknownMetricError",
    "get_metric",
    "registry_frame",
]

METRICS: MetricRegistry = MetricRegistry([*KPIS, *COHORT_METRICS, *PERIODIC_RETENTION, *FUNNEL_AND_LIFECYCLE])


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
