-- grain: one row per day from first_day to data_through, empty days included
-- keys: date; week = ISO week label (2026-W05), month = 2026-01
-- implements: day d, ISO week, calendar month in the warehouse zone (METRICS.md "Words")
SELECT
    CAST(w.first_day + i.n AS DATE) AS date,
    CAST(date_trunc('week', w.first_day + i.n) AS DATE) AS week_start,
    strftime(w.first_day + i.n, '%G-W%V') AS week,
    CAST(date_trunc('month', w.first_day + i.n) AS DATE) AS month_start,
    strftime(w.first_day + i.n, '%Y-%m') AS month
FROM data_through AS w
CROSS JOIN integers AS i
WHERE i.n <= date_diff('day', w.first_day, w.data_through)
