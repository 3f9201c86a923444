-- grain: one row per grain ('week' = ISO week, 'month' = calendar month) and day of the calendar
-- keys: grain, date; period = 2026-W05 or 2026-01, period_start = its first day
-- implements: the weekly and monthly periods of METRICS.md, so week and month views share one query
SELECT 'week' AS grain, week_start AS period_start, week AS period, date FROM calendar
UNION ALL
SELECT 'month' AS grain, month_start AS period_start, month AS period, date FROM calendar
