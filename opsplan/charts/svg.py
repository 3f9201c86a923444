"""Charts as inline SVG for the self-contained HTML report, rendered offline (vl-convert)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import altair as alt


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to inline SVG offline (vl-convert), for the self-contained HTML report."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())
