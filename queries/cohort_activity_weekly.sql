-- grain: one row per signup ISO week (cohort), active week 0..12 weeks later, channel and campaign
-- keys: cohort_week, week_start, channel, campaign_id; users = cohort users active that week
WITH p AS (
    SELECT
        CAST(date_trunc('week', signup_day) AS DATE) AS cohort_week,
        CAST(date_trunc('week', date) AS DATE) AS week_start,
        channel, campaign_id, first_in_week
    FROM activity_channel_parts
    WHERE signup_day IS NOT NULL
)
SELECT cohort_week, week_start, channel, campaign_id, CAST(sum(first_in_week) AS BIGINT) AS users
FROM p
WHERE date_diff('day', cohort_week, week_start) BETWEEN 0 AND 84
GROUP BY ALL
HAVING sum(first_in_week) > 0
