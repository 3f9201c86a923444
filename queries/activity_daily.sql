-- grain: one row per day, channel and campaign with active users
-- keys: date, channel, campaign_id
-- implements: dau (distinct users active on d; additive over channels because a user has one channel)
-- materialize: date
SELECT date, channel, campaign_id, count(*) AS dau
FROM user_day_activity
WHERE date >= coalesce(getvariable('opsplan_cut'), DATE '0001-01-01')
GROUP BY ALL
