-- grain: one row per day, channel and campaign: users by lifecycle state that day
-- keys: date, channel, campaign_id; new = signed up on d, returning = active d and d-1, resurrected = active d, not d-1, not new, dormant = active d-1, not d
-- sums of activity_channel_parts: dormant on d = active on d-1 minus those of them active on d too (a user keeps one channel)
WITH cur AS (
    SELECT
        date, channel, campaign_id,
        sum(users) FILTER (WHERE signup_day IS NOT DISTINCT FROM date) AS new_users,
        sum(active_day_before) FILTER (WHERE signup_day IS DISTINCT FROM date) AS returning_users,
        sum(users - active_day_before) FILTER (WHERE signup_day IS DISTINCT FROM date) AS resurrected_users,
        sum(active_day_before) AS also_day_before,
        sum(users) AS active_users
    FROM activity_channel_parts
    GROUP BY ALL
)
SELECT
    coalesce(cur.date, prev.date + 1) AS date,
    coalesce(cur.channel, prev.channel) AS channel,
    coalesce(cur.campaign_id, prev.campaign_id) AS campaign_id,
    CAST(coalesce(cur.new_users, 0) AS BIGINT) AS new_users,
    CAST(coalesce(cur.returning_users, 0) AS BIGINT) AS returning_users,
    CAST(coalesce(cur.resurrected_users, 0) AS BIGINT) AS resurrected_users,
    CAST(coalesce(prev.active_users, 0) - coalesce(cur.also_day_before, 0) AS BIGINT) AS dormant_users
FROM cur
FULL OUTER JOIN cur AS prev
    ON prev.date + 1 = cur.date AND prev.channel = cur.channel AND prev.campaign_id = cur.campaign_id
