-- grain: one row per month, channel and campaign with active users
-- keys: month_start, channel, campaign_id
-- implements: mau (each user counted on the first of her active days in the month)
SELECT CAST(date_trunc('month', date) AS DATE) AS month_start, channel, campaign_id, CAST(sum(first_in_month) AS BIGINT) AS mau
FROM activity_channel_parts
GROUP BY ALL
HAVING sum(first_in_month) > 0
