"""Every registered metric has a Chinese definition in the catalogue, and its English one is the registry's."""

from __future__ import annotations

from opsplan.metrics.registry import METRICS
from opsplan.words import CATALOGUE, t
from ui.widgets import definition


def test_every_metric_is_defined_in_both_languages() -> None:
    for name, metric in METRICS.items():
        zh, en = CATALOGUE[f"metric.{name}.definition"]
        assert en == metric.definition, name  # the catalogue repeats the registry's English word for word
        assert definition(metric, "en") == metric.definition and definition(metric, "zh") == zh


def test_a_card_tooltip_reads_chinese() -> None:
    assert definition(METRICS["ctr"], "zh") == t("metric.ctr.definition", "zh") == "点击量 / 曝光量"
