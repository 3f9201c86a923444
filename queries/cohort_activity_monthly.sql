-- grain: one row per signup month (cohort), active month 0..12 months later, channel and campaign
-- keys: cohort_month, month_start, channel, campaign_id; users = cohort users active that month
-- materialize: month_start month
SELECT
    CAST(date_trunc('month', signup_day) AS DATE) AS cohort_month,
    month_start,
    channel,
    campaign_id,
    count(*) AS users
FROM user_month_activity
WHERE month_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') AND signup_day IS NOT NULL
    AND datediff('month', date_trunc('month', signup_day), month_start) BETWEEN 0 AND 12
GROUP BY ALL
