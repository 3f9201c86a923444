"""Every Altair chart and the palette: the only place Altair is imported (ruff banned-api, tests/test_charts.py).

One module per topic, the pages and the HTML report drawing from the same builders:

- ``palette``  every colour, keyed by meaning (channel code, rule state, lifecycle state, phase, a line's role)
- ``axes``     date axes and tooltips (``opsplan.fmt``'s one date format), value formats, the channel colour
- ``trend``    daily lines: the report's KPI trends, the Channels page over phase bands, active users
- ``channels`` bars per channel (the report's ROI, silent users)
- ``funnel``   the acquisition funnel
- ``cohort``   the retention heatmap, curves by channel, the D1 / D7 / D30 trend
- ``users``    the weekly lifecycle, the profile mix
- ``goals``    a target's pace
- ``budget``   budget burn
- ``alerts``   the stop-loss day-by-day strip
- ``svg``      a chart as inline SVG for the report

The package imports nothing itself: ``opsplan.charts.palette`` costs no Altair, and the CLI pays for Altair
only when it draws.
"""
