-- grain: one row per month, channel and campaign with active users
-- keys: month_start, channel, campaign_id
-- implements: mau
-- materialize: month_start month
SELECT month_start, channel, campaign_id, count(*) AS mau
FROM user_month_activity
WHERE month_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
