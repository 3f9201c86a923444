-- grain: one row per signup ISO week (cohort), active week 0..12 weeks later, channel and campaign
-- keys: cohort_week, week_start, channel, campaign_id; users = cohort users active that week
-- materialize: week_start week
SELECT
    CAST(date_trunc('week', signup_day) AS DATE) AS cohort_week,
    week_start,
    channel,
    campaign_id,
    count(*) AS users
FROM user_week_activity
WHERE week_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') AND signup_day IS NOT NULL
    AND week_start - CAST(date_trunc('week', signup_day) AS DATE) BETWEEN 0 AND 84
GROUP BY ALL
