-- grain: one row per ISO week, channel and campaign with active users
-- keys: week_start, channel, campaign_id
-- implements: wau
-- materialize: week_start week
SELECT week_start, channel, campaign_id, count(*) AS wau
FROM user_week_activity
WHERE week_start >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
