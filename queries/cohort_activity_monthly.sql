-- grain: one row per signup month (cohort), active month 0..12 months later, channel and campaign
-- keys: cohort_month, month_start, channel, campaign_id; users = cohort users active that month
WITH p AS (
    SELECT
        CAST(date_trunc('month', signup_day) AS DATE) AS cohort_month,
        CAST(date_trunc('month', date) AS DATE) AS month_start,
        channel, campaign_id, first_in_month
    FROM activity_channel_parts
    WHERE signup_day IS NOT NULL
)
SELECT cohort_month, month_start, channel, campaign_id, CAST(sum(first_in_month) AS BIGINT) AS users
FROM p
WHERE date_diff('month', cohort_month, month_start) BETWEEN 0 AND 12
GROUP BY ALL
HAVING sum(first_in_month) > 0
