-- grain: one row per user and calendar month with at least one active day
-- keys: user_key, month_start
-- materialize: month_start month
SELECT
    user_key,
    CAST(date_trunc('month', date) AS DATE) AS month_start,
    signup_day,
    channel,
    campaign_id,
    count(*) AS active_days
FROM user_day_activity
WHERE date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
