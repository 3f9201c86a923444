-- grain: one row per signup day (cohort), active day 0..30 days later, channel and campaign
-- keys: cohort_date, date, channel, campaign_id; users = cohort users active that day
SELECT signup_day AS cohort_date, date, channel, campaign_id, CAST(sum(users) AS BIGINT) AS users
FROM activity_channel_parts
WHERE signup_day IS NOT NULL AND date_diff('day', signup_day, date) BETWEEN 0 AND 30
GROUP BY ALL
