-- grain: one row per day, signup day and segment (channel and campaign) with an active user
-- keys: date, signup_day, segment_key; the one small table every activity, cohort-activity and lifecycle
-- view sums: users active that day, and of them those active the day before, first active in their ISO week /
-- month (and of those, active in the week / month before). A user counts once per week as the first of her
-- active days in it, so weekly and monthly distinct users are sums over days: a day touches only its own rows.
-- materialize: date
WITH a AS (
    SELECT
        date, signup_day, segment_key, prev_active,
        CAST(date_trunc('week', date) AS DATE) AS week_start,
        CAST(date_trunc('month', date) AS DATE) AS month_start
    FROM user_day_activity
    WHERE ($cut IS NULL OR date >= $cut)
)
SELECT
    date, signup_day, segment_key,
    count(*) AS users,
    count(*) FILTER (WHERE prev_active = date - 1) AS active_day_before,
    count(*) FILTER (WHERE prev_active IS NULL OR prev_active < week_start) AS first_in_week,
    count(*) FILTER (WHERE prev_active < week_start AND prev_active >= week_start - 7) AS first_in_week_active_week_before,
    count(*) FILTER (WHERE prev_active IS NULL OR prev_active < month_start) AS first_in_month,
    count(*) FILTER (
        WHERE prev_active < month_start AND prev_active >= CAST(month_start - INTERVAL 1 MONTH AS DATE)
    ) AS first_in_month_active_month_before
FROM a
GROUP BY date, signup_day, segment_key
ORDER BY date
