-- grain: one row per day, channel and campaign with active users
-- keys: date, channel, campaign_id
-- implements: dau (distinct users active on d; additive over channels because a user has one channel)
SELECT date, channel, campaign_id, CAST(sum(users) AS BIGINT) AS dau
FROM activity_channel_parts
GROUP BY ALL
