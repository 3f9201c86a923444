-- grain: one row per signup day (cohort), active day 0..30 days later, channel and campaign
-- keys: cohort_date, date, channel, campaign_id; users = cohort users active that day
-- materialize: date
SELECT signup_day AS cohort_date, date, channel, campaign_id, count(*) AS users
FROM user_day_activity
WHERE date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01') AND signup_day IS NOT NULL AND date - signup_day BETWEEN 0 AND 30
GROUP BY ALL
