-- grain: one row per user and ISO week with at least one active day
-- keys: user_key, week_start
-- materialize: week_start week
SELECT
    user_key,
    CAST(date_trunc('week', date) AS DATE) AS week_start,
    signup_day,
    channel,
    campaign_id,
    count(*) AS active_days
FROM user_day_activity
WHERE date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
