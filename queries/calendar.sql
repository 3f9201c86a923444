-- grain: one row per day from first_day to data_through, empty days included
-- keys: date; week = ISO week label (2026-W05), month = 2026-01
-- implements: day d, ISO week, calendar month in the warehouse zone (METRICS.md "Words")
SELECT
    CAST(g.d AS DATE) AS date,
    CAST(date_trunc('week', g.d) AS DATE) AS week_start,
    strftime(g.d, '%G-W%V') AS week,
    CAST(date_trunc('month', g.d) AS DATE) AS month_start,
    strftime(g.d, '%Y-%m') AS month
FROM data_through AS w,
    generate_series(CAST(w.first_day AS TIMESTAMP), CAST(w.data_through AS TIMESTAMP), INTERVAL 1 DAY) AS g(d)
