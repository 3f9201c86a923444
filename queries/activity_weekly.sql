-- grain: one row per ISO week, channel and campaign with active users
-- keys: week_start, channel, campaign_id
-- implements: wau (each user counted on the first of her active days in the week)
SELECT CAST(date_trunc('week', date) AS DATE) AS week_start, channel, campaign_id, CAST(sum(first_in_week) AS BIGINT) AS wau
FROM activity_channel_parts
GROUP BY ALL
HAVING sum(first_in_week) > 0
